"""The onboarding pages a client opens from its link: `/onboarding/{token}/…`, outside /api.

Server-rendered and auto-escaped; every form carries the link's CSRF token. The request's
transaction commits on any status below 400, so a form shown again with its error answers 200:
what the attempt changed (a wrong one-time code counts) is kept. Links that can no longer be used
answer 410 with a page saying why; nothing here ever answers with a stack trace or JSON.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from coursier.db.documents import DocumentRepository
from coursier.db.onboarding import OnboardingLink
from coursier.kit.errors import CoursierError, NotFound
from coursier.kit.render import render, stylesheet
from coursier.kit.texts import Language, has_text, parse_language, text
from coursier.services.onboarding import identification, kyc, links, signing
from coursier.web.pages import PageRoute, html, other_languages, page_headers

log = logging.getLogger(__name__)

# No script at all, inline styles only, images from https (a sponsor's logo).
_PAGE_HEADERS = page_headers(
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The browser's PDF viewer is left alone (no CSP); the rest holds for the documents too.
_PDF_HEADERS = page_headers(None)


class OnboardingRoute(PageRoute):
    """Errors become onboarding pages: a link gone, an unknown link, a form of another step."""

    def error_page(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, _NotThisStep):
            return _to_current_step(request.path_params["token"])
        if isinstance(exc, links.LinkGone):
            return _message_page(exc.link, "onboarding.gone.heading", f"onboarding.gone.{exc.code}", status=410)
        if isinstance(exc, NotFound):
            return _message_page(None, "onboarding.gone.heading", "onboarding.gone.unknown", status=404)
        if isinstance(exc, RequestValidationError):
            return _message_page(None, "onboarding.error.heading", "onboarding.error.generic", status=400)
        if isinstance(exc, CoursierError):
            if exc.code == "csrf":
                return _message_page(None, "onboarding.forbidden.heading", "onboarding.forbidden.csrf", status=403)
            log.warning("onboarding page failed: %s (%s)", exc.message, exc.code)
            return _message_page(None, "onboarding.error.heading", "onboarding.error.generic", status=exc.status)
        log.error("onboarding page failed", exc_info=exc)
        return _message_page(None, "onboarding.error.heading", "onboarding.error.generic", status=500)


router = APIRouter(prefix="/onboarding/{token}", route_class=OnboardingRoute, include_in_schema=False)

TextField = Annotated[str, Form(max_length=500)]


def _html(body: str, status: int = 200) -> HTMLResponse:
    return html(body, _PAGE_HEADERS, status)


def _brand(link: OnboardingLink | None) -> dict:
    return link.branding if link is not None else {"name": "Coursier", "logo_url": None, "primary_color": None}


def _message_page(link: OnboardingLink | None, heading: str, message: str, *, status: int) -> HTMLResponse:
    language = parse_language(link.language if link is not None else None)
    brand = _brand(link)
    body = render(
        "onboarding/message.html.j2",
        language,
        brand=brand,
        heading=heading,
        message=text(language, message, sponsor=brand["name"]),
        return_url=link.return_url if link is not None else None,
        css=stylesheet("onboarding.css"),
    )
    return _html(body, status)


def _error_text(link: OnboardingLink, exc: CoursierError) -> str:
    """The client's sentence for a service error (the service's own message if it has none)."""
    key = f"onboarding.problem.{exc.code}"
    if not has_text(key):
        return exc.message
    return text(parse_language(link.language), key, sponsor=link.branding["name"], **exc.extra)


def _page(
    request: Request, link: OnboardingLink, token: str, template: str, *, error: str | None = None, **context
) -> HTMLResponse:
    language: Language = parse_language(link.language)
    steps = [
        "company",
        *(["kyc"] if link.include_kyc else []),
        *(["signature"] if link.include_signature else []),
        "done",
    ]
    matricule = request.app.state.settings.pa_matricule
    body = render(
        f"onboarding/{template}",
        language,
        link=link,
        token=token,
        brand=_brand(link),
        steps=steps,
        current=links.current_step(link),
        base=f"/onboarding/{token}",
        matricule=matricule,
        other_languages=other_languages(language),
        css=stylesheet("onboarding.css"),
        error=error,
        **context,
    )
    return _html(body)


def _to_current_step(token: str, link: OnboardingLink | None = None) -> RedirectResponse:
    """After a form: the next step, or the done page once the link has been used to the end."""
    done = link is not None and link.completed_at is not None
    return RedirectResponse(f"/onboarding/{token}/done" if done else f"/onboarding/{token}", status_code=303)


class _NotThisStep(Exception):
    """A form of another step than the link's (a second tab, the back button): show the right one."""


def _open_for_step(
    request: Request, token: str, step: str, csrf_token: str, *, code_sent: bool = False
) -> OnboardingLink:
    """The link for a form of `step` (after a code was sent, with `code_sent`), its CSRF token checked."""
    link = links.open_link(request.state.db, token)
    links.check_csrf(link, csrf_token)
    if links.current_step(link) != step or (code_sent and link.signatory is None):
        raise _NotThisStep()
    return link


# ---- pages -----------------------------------------------------------------------------------


@router.get("")
def current_page(request: Request, token: str, lang: str | None = None, edit: str | None = None) -> Response:
    link = links.open_link(request.state.db, token)
    if lang is not None:
        links.switch_language(link, parse_language(lang, link.language))
    step = links.current_step(link)
    if step == "company":
        return _page(request, link, token, "company.html.j2", form={})
    if step == "kyc":
        if link.signatory is None or edit == "signatory":
            return _page(request, link, token, "kyc.html.j2", form=link.signatory or {})
        return _page(request, link, token, "kyc_code.html.j2")
    return _signature_page(request, link, token, full_name="")


@router.post("/company")
def identify_company(
    request: Request,
    token: str,
    csrf_token: TextField = "",
    siren: TextField = "",
    siret: TextField = "",
    routing_code: TextField = "",
    confirm: TextField = "",
) -> Response:
    """Look the company up and show it; confirmed (`confirm=yes`), reserve its directory line."""
    link = _open_for_step(request, token, "company", csrf_token)
    ppf = request.app.state.runtime.ppf()
    try:
        # Looked up on every post: what is reserved comes from the register, not from hidden fields.
        company = identification.identify_company(ppf, siren=siren, siret=siret, routing_code=routing_code)
        if confirm != "yes":
            return _page(request, link, token, "company_confirm.html.j2", company=company)
        identification.confirm_company(request.state.db, link, company, ppf=ppf, settings=request.app.state.settings)
    except CoursierError as exc:
        form = {"siren": siren, "siret": siret, "routing_code": routing_code}
        return _page(request, link, token, "company.html.j2", form=form, error=_error_text(link, exc))
    return _to_current_step(token, link)


@router.post("/kyc")
def submit_signatory(
    request: Request,
    token: str,
    csrf_token: TextField = "",
    first_name: TextField = "",
    last_name: TextField = "",
    role: TextField = "",
    email: TextField = "",
) -> Response:
    link = _open_for_step(request, token, "kyc", csrf_token)
    try:
        kyc.start_email_check(
            request.state.db,
            link,
            first_name=first_name,
            last_name=last_name,
            role=role,
            email=email,
            mailer=request.app.state.mailer,
        )
    except CoursierError as exc:
        form = {"first_name": first_name, "last_name": last_name, "role": role, "email": email}
        return _page(request, link, token, "kyc.html.j2", form=form, error=_error_text(link, exc))
    return _to_current_step(token)


@router.post("/kyc/code")
def submit_code(request: Request, token: str, csrf_token: TextField = "", code: TextField = "") -> Response:
    link = _open_for_step(request, token, "kyc", csrf_token, code_sent=True)
    try:
        kyc.verify_code(request.state.db, link, code)
    except CoursierError as exc:
        return _page(request, link, token, "kyc_code.html.j2", error=_error_text(link, exc))
    return _to_current_step(token, link)


@router.post("/kyc/resend")
def resend_code(request: Request, token: str, csrf_token: TextField = "") -> Response:
    link = _open_for_step(request, token, "kyc", csrf_token, code_sent=True)
    try:
        kyc.send_code(request.state.db, link, mailer=request.app.state.mailer)
    except CoursierError as exc:
        return _page(request, link, token, "kyc_code.html.j2", error=_error_text(link, exc))
    return _to_current_step(token)


@router.get("/mandate.pdf")
def mandate_pdf(request: Request, token: str) -> Response:
    link = links.open_link(request.state.db, token)
    if links.current_step(link) != "signature":
        return _to_current_step(token)
    document = signing.mandate_pdf(request.state.db, link, settings=request.app.state.settings)
    return _pdf(document.content, document.filename)


@router.post("/sign")
def sign(
    request: Request,
    token: str,
    csrf_token: TextField = "",
    full_name: TextField = "",
    consent: TextField = "",
    document_sha256: TextField = "",
) -> Response:
    link = _open_for_step(request, token, "signature", csrf_token)
    try:
        signing.sign_mandate(
            request.state.db,
            link,
            full_name=full_name,
            consent=consent == "yes",
            document_sha256=document_sha256,
            ip=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent"),
            settings=request.app.state.settings,
        )
    except CoursierError as exc:
        return _signature_page(request, link, token, full_name=full_name, error=_error_text(link, exc))
    return _to_current_step(token, link)


def _signature_page(
    request: Request, link: OnboardingLink, token: str, *, full_name: str, error: str | None = None
) -> HTMLResponse:
    """The mandate to read (the PDF's text, and the PDF itself behind a link) and the signature form."""
    settings = request.app.state.settings
    document = signing.mandate_pdf(request.state.db, link, settings=settings)
    terms = signing.mandate_terms(request.state.db, link, settings=settings)
    return _page(
        request, link, token, "signature.html.j2", document=document, terms=terms, full_name=full_name, error=error
    )


@router.get("/done")
def done(request: Request, token: str) -> Response:
    link = links.completed_link(request.state.db, token)
    if link is None:
        return _to_current_step(token)
    return _page(request, link, token, "done.html.j2")


@router.get("/signed.pdf")
def signed_pdf(request: Request, token: str) -> Response:
    link = links.completed_link(request.state.db, token)
    if link is None or link.signed_document_id is None:
        return _to_current_step(token)
    document = DocumentRepository(request.state.db).get(links.link_context(link), link.signed_document_id)
    return _pdf(document.content, document.filename)


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={**_PDF_HEADERS, "Content-Disposition": f'inline; filename="{filename}"'},
    )
