"""Signing in and out, invitations, and the signed-in user's own account (password, second
factor, language, signing out everywhere)."""

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from coursier.kit.errors import CoursierError
from coursier.kit.texts import Language, parse_language
from coursier.services import sponsor_users
from coursier.services.sponsor_users import InvitationGone, SignedIn, SignInRefused
from coursier.web.dashboard.common import (
    COOKIE,
    FORM_COOKIE,
    PREFIX,
    DashboardRoute,
    Db,
    Looking,
    Posting,
    TextField,
    Viewer,
    check_form_cookie,
    clear_cookie,
    page,
    problem_text,
    safe_next,
    set_cookie,
    to,
)

router = APIRouter(prefix=PREFIX, route_class=DashboardRoute)


def _origin(request: Request) -> dict:
    return {"ip": request.client.host if request.client else None, "user_agent": request.headers.get("user-agent")}


def _visitor_language(request: Request, lang: str | None) -> Language:
    """Before sign-in: the language asked for in the link, else the browser's first one."""
    accepted = request.headers.get("accept-language", "")[:2].lower()
    return parse_language(lang, parse_language(accepted))


def _visitor_page(request: Request, template: str, language: Language, *, status: int = 200, **context) -> Response:
    """A page shown before sign-in, with the form token its forms carry (set once per browser)."""
    form_token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
    response = page(request, None, template, status=status, language=language, form_token=form_token, **context)
    set_cookie(response, request, FORM_COOKIE, form_token)
    return response


def _signed_in_response(request: Request, signed_in: SignedIn, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, COOKIE, signed_in.token)
    return response


# ---- signing in ----------------------------------------------------------------------------------------


@router.get("")
def home(viewer: Looking) -> Response:
    return to("/invoices")


@router.get("/login")
def login_page(request: Request, session: Db, next: str | None = None, lang: str | None = None) -> Response:
    if sponsor_users.authenticate(session, request.cookies.get(COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _visitor_page(request, "login.html.j2", _visitor_language(request, lang), next=safe_next(next), email="")


@router.post("/login")
def login(
    request: Request,
    session: Db,
    csrf_token: TextField = "",
    email: TextField = "",
    password: TextField = "",
    next: TextField = "",
    lang: TextField = "",
) -> Response:
    check_form_cookie(request, csrf_token)
    language = _visitor_language(request, lang)
    try:
        signed_in = sponsor_users.sign_in(session, email, password, **_origin(request))
    except SignInRefused as exc:
        # 200: the failure counted toward the lock-out is committed.
        return _visitor_page(
            request, "login.html.j2", language, next=safe_next(next), email=email, error=problem_text(language, exc)
        )
    if signed_in.needs_second_factor:
        target = f"{PREFIX}/login/code?next={quote(safe_next(next), safe='')}"
        return _signed_in_response(request, signed_in, target)
    return _signed_in_response(request, signed_in, safe_next(next))


@router.get("/login/code")
def second_factor_page(request: Request, next: str | None = None, lang: str | None = None) -> Response:
    if not request.cookies.get(COOKIE):
        return to("/login")
    return _visitor_page(request, "login_code.html.j2", _visitor_language(request, lang), next=safe_next(next))


@router.post("/login/code")
def second_factor(
    request: Request, session: Db, csrf_token: TextField = "", code: TextField = "", next: TextField = ""
) -> Response:
    check_form_cookie(request, csrf_token)
    language = _visitor_language(request, None)
    try:
        signed_in = sponsor_users.give_second_factor(session, request.cookies.get(COOKIE) or "", code)
    except SignInRefused as exc:
        if exc.code == "sign_in_again":
            return to("/login")
        return _visitor_page(
            request, "login_code.html.j2", language, next=safe_next(next), error=problem_text(language, exc)
        )
    return _signed_in_response(request, signed_in, safe_next(next))


@router.post("/logout")
def logout(request: Request, session: Db, viewer: Posting) -> Response:
    sponsor_users.sign_out(session, viewer.signed_in.token)
    response = to("/login")
    clear_cookie(response, request, COOKIE)
    return response


# ---- invitations -----------------------------------------------------------------------------------------


@router.get("/invitation/{token}")
def invitation_page(request: Request, session: Db, token: str, lang: str | None = None) -> Response:
    try:
        user = sponsor_users.open_invitation(session, token)
    except InvitationGone:
        return _invitation_gone(request, lang)
    language = parse_language(lang, user.language)
    return _visitor_page(request, "invitation.html.j2", language, token=token, email=user.email)


@router.post("/invitation/{token}")
def accept_invitation(
    request: Request,
    session: Db,
    token: str,
    csrf_token: TextField = "",
    password: TextField = "",
    confirmation: TextField = "",
) -> Response:
    check_form_cookie(request, csrf_token)
    try:
        user = sponsor_users.open_invitation(session, token)
    except InvitationGone:
        return _invitation_gone(request, None)
    language = parse_language(user.language)
    try:
        signed_in = sponsor_users.accept_invitation(session, token, password, confirmation, **_origin(request))
    except CoursierError as exc:
        return _visitor_page(
            request,
            "invitation.html.j2",
            language,
            status=422,
            token=token,
            email=user.email,
            error=problem_text(language, exc),
        )
    return _signed_in_response(request, signed_in, PREFIX)


def _invitation_gone(request: Request, lang: str | None) -> Response:
    language = _visitor_language(request, lang)
    return page(
        request,
        None,
        "message.html.j2",
        status=410,
        language=language,
        heading="dashboard.invitation.gone.heading",
        message=problem_text(language, InvitationGone()),
    )


# ---- the user's own account ---------------------------------------------------------------------------------


def _account_page(request: Request, viewer: Viewer, *, status: int = 200, **context) -> Response:
    context.setdefault("enrolment", None)
    context.setdefault("notice", None)
    return page(request, viewer, "account.html.j2", status=status, section="account", **context)


@router.get("/account")
def account(request: Request, viewer: Looking) -> Response:
    user = viewer.user
    # The seed is unsealed only while an enrolment is under way.
    enrolment = sponsor_users.totp_enrolment(user) if not user.totp_enabled_at and user.totp_secret else None
    return _account_page(request, viewer, enrolment=enrolment)


@router.post("/account/password")
def change_password(
    request: Request,
    session: Db,
    viewer: Posting,
    current_password: TextField = "",
    password: TextField = "",
    confirmation: TextField = "",
) -> Response:
    try:
        sponsor_users.change_password(session, viewer.signed_in, current_password, password, confirmation)
    except CoursierError as exc:
        return _account_page(request, viewer, status=422, error=problem_text(viewer.language, exc))
    return _account_page(request, viewer, notice="dashboard.account.password_changed")


@router.post("/account/totp/start")
def start_totp(request: Request, session: Db, viewer: Posting) -> Response:
    enrolment = sponsor_users.start_totp(session, viewer.user)
    return _account_page(request, viewer, enrolment=enrolment)


@router.post("/account/totp/confirm")
def confirm_totp(request: Request, session: Db, viewer: Posting, code: TextField = "") -> Response:
    try:
        sponsor_users.confirm_totp(session, viewer.user, code)
    except CoursierError as exc:
        enrolment = sponsor_users.totp_enrolment(viewer.user) if viewer.user.totp_secret else None
        return _account_page(request, viewer, status=422, enrolment=enrolment, error=problem_text(viewer.language, exc))
    return _account_page(request, viewer, notice="dashboard.account.totp_enabled")


@router.post("/account/totp/disable")
def disable_totp(request: Request, session: Db, viewer: Posting, password: TextField = "") -> Response:
    try:
        sponsor_users.disable_totp(session, viewer.user, password)
    except CoursierError as exc:
        return _account_page(request, viewer, status=422, error=problem_text(viewer.language, exc))
    return _account_page(request, viewer, notice="dashboard.account.totp_disabled")


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(request: Request, session: Db, viewer: Posting) -> Response:
    sponsor_users.sign_out_everywhere(session, viewer.user)
    response = to("/login")
    clear_cookie(response, request, COOKIE)
    return response


@router.post("/language")
def switch_language(session: Db, viewer: Posting, language: TextField = "", next: TextField = "") -> Response:
    sponsor_users.set_language(session, viewer.user, parse_language(language, viewer.language))
    return RedirectResponse(safe_next(next), status_code=303)
