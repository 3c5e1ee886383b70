"""What every dashboard page uses: who is looking (from the session cookie), its CSRF token and
language, the page renderer, errors as pages, and lists read a page at a time.

The request's transaction commits below 400 (see api/middleware.py): a form refused for its
content answers 422, so nothing of the attempt is kept, while a refused sign-in answers 200, so
the failure it counted is.
"""

import logging
from dataclasses import dataclass
from datetime import date
from hmac import compare_digest
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Select
from sqlalchemy.orm import Session
from starlette.datastructures import URL
from starlette.exceptions import HTTPException

from coursier.db.clients import Client
from coursier.db.paging import page_of
from coursier.db.sponsor_users import SponsorUser
from coursier.kit.errors import CoursierError, InvalidInput, NotFound
from coursier.kit.render import render
from coursier.kit.tenancy import TenantContext
from coursier.kit.texts import Language, has_text, parse_language, text
from coursier.services import clients as client_service
from coursier.services import sponsor_users
from coursier.services.sponsor_users import SignedIn
from coursier.web.pages import PageRoute, html, other_languages, page_headers

log = logging.getLogger(__name__)

PREFIX = "/dashboard"
COOKIE = "coursier_dashboard"
# The sign-in and invitation forms' CSRF token, before there is a session to derive one from.
FORM_COOKIE = "coursier_dashboard_form"
PAGE_SIZE = 25
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# Scripts and styles of our own only; htmx fetches from this origin. The referrer goes to this
# origin only, so that the browser names it in the Origin of a form post (checked below).
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = page_headers(_CSP, referrer="same-origin")
DOCUMENT_HEADERS = page_headers(None, referrer="same-origin")

TextField = Annotated[str, Form(max_length=500)]


class NotSignedIn(Exception):
    """No live session: the sign-in page, then back to where the person was going."""


class ForbiddenForm(CoursierError):
    status = 403
    code = "csrf"
    title = "This form is not valid any more"


class RoleRequired(CoursierError):
    status = 403
    code = "role_required"
    title = "Your role does not give access to this page"


@dataclass(frozen=True)
class Viewer:
    """The signed-in user looking at a page."""

    signed_in: SignedIn

    @property
    def user(self) -> SponsorUser:
        return self.signed_in.user

    @property
    def ctx(self) -> TenantContext:
        return sponsor_users.user_context(self.user)

    @property
    def language(self) -> Language:
        return parse_language(self.user.language)

    @property
    def csrf(self) -> str:
        return sponsor_users.csrf_token(self.signed_in.token)

    @property
    def is_admin(self) -> bool:
        return self.user.role == sponsor_users.ADMIN


# ---- who is looking ----------------------------------------------------------------------------------


def db(request: Request) -> Session:
    return request.state.db


Db = Annotated[Session, Depends(db)]


def _viewer(request: Request) -> Viewer:
    signed_in = sponsor_users.authenticate(request.state.db, request.cookies.get(COOKIE))
    if signed_in is None:
        raise NotSignedIn()
    return Viewer(signed_in)


def _same_origin(request: Request) -> bool:
    """A browser names the origin of a page that posts a form; it must be this one ("null", an
    opaque origin such as a sandboxed frame's, is not)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


async def _form_viewer(request: Request) -> Viewer:
    """The viewer of a form post: the form must carry the session's CSRF token."""
    viewer = _viewer(request)
    form = await request.form()
    submitted = form.get("csrf_token")
    if (
        not _same_origin(request)
        or not isinstance(submitted, str)
        or not sponsor_users.csrf_matches(viewer.signed_in.token, submitted)
    ):
        raise ForbiddenForm()
    return viewer


def _admin(viewer: Viewer) -> Viewer:
    if not viewer.is_admin:
        raise RoleRequired()
    return viewer


def _admin_viewer(request: Request) -> Viewer:
    return _admin(_viewer(request))


async def _admin_form_viewer(request: Request) -> Viewer:
    return _admin(await _form_viewer(request))


Looking = Annotated[Viewer, Depends(_viewer)]
Posting = Annotated[Viewer, Depends(_form_viewer)]
AdminLooking = Annotated[Viewer, Depends(_admin_viewer)]
AdminPosting = Annotated[Viewer, Depends(_admin_form_viewer)]


def check_form_cookie(request: Request, submitted: str) -> None:
    """Before a session exists, a form carries the value of a cookie set with it (double submit)."""
    cookie = request.cookies.get(FORM_COOKIE)
    if not _same_origin(request) or not cookie or not submitted or not compare_digest(cookie, submitted):
        raise ForbiddenForm()


def secure_cookies(request: Request) -> bool:
    """Cookies go over HTTPS only, except to a server on this machine (development, tests)."""
    return request.url.hostname not in _LOOPBACK_HOSTS


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    response.set_cookie(
        name, value, path=PREFIX, httponly=True, secure=secure_cookies(request), samesite="lax", max_age=None
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=PREFIX, httponly=True, secure=secure_cookies(request), samesite="lax")


# ---- pages ---------------------------------------------------------------------------------------------


def page(
    request: Request,
    viewer: Viewer | None,
    template: str,
    *,
    status: int = 200,
    language: Language | None = None,
    **context,
) -> HTMLResponse:
    """A dashboard page: the template gets the request, the viewer, its CSRF token, the current path
    and the language switch besides `context`."""
    language = language or (viewer.language if viewer else Language.FR)
    context.setdefault("error", None)  # most pages can show a refused form's error
    body = render(
        f"dashboard/{template}",
        language,
        request=request,
        viewer=viewer,
        csrf=viewer.csrf if viewer else None,
        path=request.url.path,
        query=request.url.query,
        other_languages=other_languages(language),
        section=context.pop("section", None),
        **context,
    )
    return html(body, HEADERS, status)


def wants_fragment(request: Request) -> bool:
    # htmx's own header; a history restore asks for the whole page.
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    """A file to save, its name kept in any script (RFC 6266)."""
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={**DOCUMENT_HEADERS, "Content-Disposition": disposition})


def to(path: str) -> RedirectResponse:
    return RedirectResponse(PREFIX + path, status_code=303)


def safe_next(value: str | None) -> str:
    """A path of the dashboard to go back to; anything else (another site, a scheme) is dropped."""
    if value and value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX


def problem_text(language: Language, exc: CoursierError) -> str:
    """A service error in the viewer's words (the service's own message when there are none)."""
    key = f"dashboard.problem.{exc.code}"
    return text(language, key, **exc.extra) if has_text(key) else exc.message


def refusal(session: Session, viewer: Viewer, exc: CoursierError) -> str:
    """A form refused for its content: nothing of the attempt is kept, and the page shown again with
    the error (in the viewer's words) beside the form answers 422."""
    session.rollback()
    return problem_text(viewer.language, exc)


def day_param(value: str) -> date | None:
    """A date of a filter form (YYYY-MM-DD, empty for none)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value} is not a date (YYYY-MM-DD)", code="invalid_date") from None


@dataclass(frozen=True)
class Listing:
    rows: list
    next_cursor: str | None
    # The query parameter of this list's cursor: a page can show several lists.
    param: str = "cursor"

    def next_url(self, request: Request) -> str | None:
        if self.next_cursor is None:
            return None
        return _path_and_query(request.url.include_query_params(**{self.param: self.next_cursor}))

    def first_url(self, request: Request) -> str:
        """The first page, with the same filters."""
        return _path_and_query(request.url.remove_query_params(self.param))


def _path_and_query(url: URL) -> str:
    return f"{url.path}?{url.query}" if url.query else url.path


def listing(session: Session, stmt: Select, entity, cursor: str | None, *, param: str = "cursor") -> Listing:
    """One page of a list, newest first."""
    result = page_of(session, stmt, entity, limit=PAGE_SIZE, cursor=cursor or None, newest_first=True)
    return Listing(result.rows, result.next_cursor, param)


# ---- errors as pages -------------------------------------------------------------------------------------


class DashboardRoute(PageRoute):
    def error_page(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, NotSignedIn):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"{PREFIX}/login?next={quote(target, safe='')}", status_code=303)
        # The status is 400 or more: the transaction is rolled back anyway, and may have failed.
        request.state.db.rollback()
        viewer = _viewer_if_any(request)
        language = viewer.language if viewer else parse_language(request.query_params.get("lang"))
        if isinstance(exc, NotFound):
            return _message(request, viewer, language, "not_found", 404)
        if isinstance(exc, RequestValidationError):
            return _message(request, viewer, language, "bad_request", 400)
        if isinstance(exc, HTTPException):  # a body over the size limit (413)
            return _message(request, viewer, language, "bad_request", exc.status_code)
        if isinstance(exc, ForbiddenForm):
            return _message(request, viewer, language, "csrf", 403)
        if isinstance(exc, RoleRequired):
            return _message(request, viewer, language, "role", 403)
        if isinstance(exc, CoursierError):
            log.warning("dashboard page failed: %s (%s)", exc.message, exc.code)
            return _message(request, viewer, language, "generic", exc.status, detail=problem_text(language, exc))
        log.error("dashboard page failed", exc_info=exc)
        return _message(request, viewer, language, "generic", 500)


def _viewer_if_any(request: Request) -> Viewer | None:
    try:
        return _viewer(request)
    except Exception:  # the error page is shown without the viewer's name rather than not at all
        return None


def _message(
    request: Request, viewer: Viewer | None, language: Language, kind: str, status: int, *, detail: str | None = None
) -> HTMLResponse:
    return page(
        request,
        viewer,
        "message.html.j2",
        status=status,
        language=language,
        heading=f"dashboard.error.{kind}.heading",
        message=detail or text(language, f"dashboard.error.{kind}.text"),
    )


def narrowed_to_client(session: Session, ctx: TenantContext, client_id: str) -> tuple[TenantContext, Client | None]:
    """A list page's scope: the sponsor's, or one of its clients' when `client_id` names one (404 if not its own)."""
    if not client_id:
        return ctx, None
    client = client_service.get_client(session, ctx, client_id)
    return ctx.for_client(client.id), client
