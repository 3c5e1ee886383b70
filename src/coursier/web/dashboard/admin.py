"""For the sponsor's admins: API tokens (created with the secret shown once, revoked) and the
dashboard's users (invited, given a role, removed)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coursier.db.sponsor_users import SponsorUser
from coursier.kit.errors import CoursierError, InvalidInput
from coursier.network.mail import MailNotSent
from coursier.services import sponsor_users
from coursier.services import sponsors as sponsor_service
from coursier.web.dashboard.common import (
    PREFIX,
    AdminLooking,
    AdminPosting,
    DashboardRoute,
    Db,
    TextField,
    Viewer,
    listing,
    page,
    refusal,
    to,
)

router = APIRouter(prefix=PREFIX, route_class=DashboardRoute)


# ---- API tokens ------------------------------------------------------------------------------------------


def _tokens_page(request: Request, session, viewer: Viewer, *, status: int = 200, **context) -> Response:
    context.setdefault("issued", None)
    return page(
        request,
        viewer,
        "tokens.html.j2",
        status=status,
        section="tokens",
        tokens=sorted(
            sponsor_service.list_tokens(session, viewer.ctx.sponsor_id), key=lambda t: t.created_at, reverse=True
        ),
        **context,
    )


@router.get("/tokens")
def tokens(request: Request, session: Db, viewer: AdminLooking) -> Response:
    return _tokens_page(request, session, viewer)


@router.post("/tokens")
def create_token(request: Request, session: Db, viewer: AdminPosting, name: TextField = "") -> Response:
    try:
        name = name.strip()[:100]
        if not name:
            raise InvalidInput("Name the token", code="token_name_missing")
        issued = sponsor_service.issue_token(session, viewer.ctx.sponsor_id, name=name)
    except CoursierError as exc:
        return _tokens_page(request, session, viewer, status=422, error=refusal(session, viewer, exc))
    # The secret is on this answer only: it is not stored.
    return _tokens_page(request, session, viewer, issued=issued)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(session: Db, viewer: AdminPosting, token_id: str) -> Response:
    sponsor_service.revoke_token(session, token_id, sponsor_id=viewer.ctx.sponsor_id)
    return to("/tokens")


# ---- users -----------------------------------------------------------------------------------------------------


def _users_page(request: Request, session, viewer: Viewer, *, status: int = 200, **context) -> Response:
    for name in ("invitation_url", "mail_sent"):
        context.setdefault(name, None)
    return page(
        request,
        viewer,
        "users.html.j2",
        status=status,
        section="users",
        users=listing(
            session, sponsor_users.list_users_query(viewer.ctx), SponsorUser, request.query_params.get("cursor")
        ),
        roles=sponsor_users.ROLES,
        **context,
    )


@router.get("/users")
def users(request: Request, session: Db, viewer: AdminLooking) -> Response:
    return _users_page(request, session, viewer)


@router.post("/users")
def invite(
    request: Request, session: Db, viewer: AdminPosting, email: TextField = "", role: TextField = ""
) -> Response:
    settings = request.app.state.settings
    try:
        invitation = sponsor_users.invite_user(
            session, viewer.ctx.sponsor_id, email, role=role, language=viewer.language
        )
    except CoursierError as exc:
        return _users_page(request, session, viewer, status=422, error=refusal(session, viewer, exc))
    try:
        sponsor_users.send_invitation(
            request.app.state.mailer, invitation, base_url=settings.base_url, invited_by=viewer.user
        )
        mail_sent = True
    except MailNotSent:
        mail_sent = False  # the admin still has the link to hand over
    return _users_page(request, session, viewer, invitation_url=invitation.url(settings.base_url), mail_sent=mail_sent)


@router.post("/users/{user_id}/role")
def change_role(session: Db, viewer: AdminPosting, user_id: str, role: TextField = "") -> Response:
    sponsor_users.change_role(session, viewer.ctx, user_id, role)
    return to("/users")


@router.post("/users/{user_id}/remove")
def remove(session: Db, viewer: AdminPosting, user_id: str) -> Response:
    sponsor_users.remove_user(session, viewer.ctx, user_id)
    return to("/login" if user_id == viewer.user.id else "/users")
