"""Clients: search, create, status; per client its mandates and directory lines, settings and
onboarding links."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import EmailStr, TypeAdapter, ValidationError

from coursier.db.clients import Client
from coursier.db.mandates import Mandate
from coursier.db.onboarding import OnboardingLink
from coursier.db.webhooks import WebhookEndpoint
from coursier.kit import clock
from coursier.kit.errors import CoursierError, InvalidInput
from coursier.kit.texts import LANGUAGES
from coursier.services import clients as client_service
from coursier.services import mandates as mandate_service
from coursier.services import settings as settings_service
from coursier.services import webhooks as webhook_service
from coursier.services.onboarding import links
from coursier.web.dashboard import webhooks
from coursier.web.dashboard.common import (
    PREFIX,
    AdminPosting,
    DashboardRoute,
    Db,
    Looking,
    Posting,
    TextField,
    Viewer,
    listing,
    page,
    refusal,
    to,
    wants_fragment,
)

router = APIRouter(prefix=PREFIX + "/clients", route_class=DashboardRoute)

_email = TypeAdapter(EmailStr)
LINK_LIFETIMES_HOURS = (24, 72, 168, 720)


def _choice(value: str, allowed: tuple[str, ...], code: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"Choose one of {', '.join(allowed)}", code=code)
    return value


def _email_or_none(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return _email.validate_python(value)
    except ValidationError:
        raise InvalidInput("This is not an e-mail address", code="invalid_email") from None


# ---- the list ------------------------------------------------------------------------------------------


def _list_page(
    request: Request, session, viewer: Viewer, *, q: str, status: str, cursor: str | None, code: int = 200, **context
) -> Response:
    stmt = client_service.list_clients_query(
        viewer.ctx, search=q or None, status=status if status in client_service.CLIENT_STATUSES else None
    )
    clients = listing(session, stmt, Client, cursor)
    template = "clients/rows.html.j2" if wants_fragment(request) else "clients/list.html.j2"
    context.setdefault("form", {})
    return page(
        request,
        viewer,
        template,
        status=code,
        section="clients",
        clients=clients,
        q=q,
        chosen_status=status,
        statuses=client_service.CLIENT_STATUSES,
        **context,
    )


@router.get("")
def list_clients(
    request: Request, session: Db, viewer: Looking, q: str = "", status: str = "", cursor: str | None = None
) -> Response:
    return _list_page(request, session, viewer, q=q[:200], status=status, cursor=cursor)


@router.post("")
def create_client(
    request: Request,
    session: Db,
    viewer: Posting,
    organization_name: TextField = "",
    contact_email: TextField = "",
    external_ref: TextField = "",
) -> Response:
    form = {"organization_name": organization_name, "contact_email": contact_email, "external_ref": external_ref}
    try:
        if not organization_name.strip() or not external_ref.strip():
            raise InvalidInput("Give the name and your reference", code="client_fields_missing")
        client = client_service.create_client(
            session,
            viewer.ctx,
            client_service.ClientCreate(
                organization_name=organization_name.strip()[:255],
                contact_email=_email_or_none(contact_email),
                external_ref=external_ref.strip()[:100],
            ),
        )
    except CoursierError as exc:
        error = refusal(session, viewer, exc)
        return _list_page(request, session, viewer, q="", status="", cursor=None, code=422, form=form, error=error)
    return to(f"/clients/{client.id}")


# ---- one client ------------------------------------------------------------------------------------------


def _client_page(
    request: Request, session, viewer: Viewer, client_id: str, *, status: int = 200, **context
) -> Response:
    client = client_service.get_client(session, viewer.ctx, client_id)
    ctx = viewer.ctx.for_client(client.id)
    mandates = listing(
        session,
        mandate_service.list_mandates_query(ctx),
        Mandate,
        request.query_params.get("mandates_cursor"),
        param="mandates_cursor",
    )
    onboarding_links = listing(
        session,
        links.list_links_query(ctx),
        OnboardingLink,
        request.query_params.get("links_cursor"),
        param="links_cursor",
    )
    endpoints = listing(
        session,
        webhook_service.list_endpoints_query(ctx),
        WebhookEndpoint,
        request.query_params.get("webhooks_cursor"),
        param="webhooks_cursor",
    )
    for name in ("new_link", "settings_error", "link_error", "webhook_error"):
        context.setdefault(name, None)
    return page(
        request,
        viewer,
        "clients/detail.html.j2",
        status=status,
        section="clients",
        client=client,
        settings=settings_service.get_client_settings(session, ctx),
        mandates=mandates,
        links=onboarding_links,
        link_status=lambda link: links.status_of(link, clock.now()),
        statuses=client_service.CLIENT_STATUSES,
        received_formats=settings_service.RECEIVED_INVOICE_FORMATS,
        languages=LANGUAGES,
        link_lifetimes=LINK_LIFETIMES_HOURS,
        endpoints=endpoints,
        **webhooks.endpoint_form_context(),
        **context,
    )


def _refused(request: Request, session, viewer: Viewer, client_id: str, exc: CoursierError, *, form: str) -> Response:
    """The client's page again, the error beside the form it is about."""
    error = refusal(session, viewer, exc)
    return _client_page(request, session, viewer, client_id, status=422, **{f"{form}_error": error})


@router.get("/{client_id}")
def client_page(request: Request, session: Db, viewer: Looking, client_id: str) -> Response:
    return _client_page(request, session, viewer, client_id)


@router.post("/{client_id}/status")
def change_status(session: Db, viewer: Posting, client_id: str, status: TextField = "") -> Response:
    status = _choice(status, client_service.CLIENT_STATUSES, "invalid_client_status")
    client_service.update_client(session, viewer.ctx, client_id, {"status": status})
    return to(f"/clients/{client_id}")


@router.post("/{client_id}/settings")
def change_settings(
    request: Request,
    session: Db,
    viewer: Posting,
    client_id: str,
    received_invoice_format: TextField = "",
    language: TextField = "",
    invoice_number_pattern: TextField = "",
    notification_email: TextField = "",
    auto_acknowledge_received: TextField = "",
) -> Response:
    client = client_service.get_client(session, viewer.ctx, client_id)
    try:
        changes = {
            "received_invoice_format": _choice(
                received_invoice_format, settings_service.RECEIVED_INVOICE_FORMATS, "invalid_received_format"
            ),
            "language": _choice(language, LANGUAGES, "invalid_language"),
            "invoice_number_pattern": invoice_number_pattern.strip()[:100],
            "notification_email": _email_or_none(notification_email),
            "auto_acknowledge_received": auto_acknowledge_received == "yes",
        }
        settings_service.update_client_settings(session, viewer.ctx.for_client(client.id), changes)
    except CoursierError as exc:
        return _refused(request, session, viewer, client_id, exc, form="settings")
    return to(f"/clients/{client_id}#settings")


@router.post("/{client_id}/onboarding-links")
def create_link(
    request: Request,
    session: Db,
    viewer: Posting,
    client_id: str,
    include_kyc: TextField = "",
    include_signature: TextField = "",
    expires_in_hours: TextField = "72",
    language: TextField = "",
) -> Response:
    client = client_service.get_client(session, viewer.ctx, client_id)
    try:
        hours = int(expires_in_hours) if expires_in_hours.isdigit() else 0
        if hours not in LINK_LIFETIMES_HOURS:
            raise InvalidInput("Choose how long the link lasts", code="invalid_link_lifetime")
        _, url = links.create_link(
            session,
            viewer.ctx.for_client(client.id),
            links.LinkRequest(
                include_kyc=include_kyc == "yes",
                include_signature=include_signature == "yes",
                expires_in_hours=hours,
                language=_choice(language, LANGUAGES, "invalid_language") if language else None,
            ),
            base_url=request.app.state.settings.base_url,
        )
    except CoursierError as exc:
        return _refused(request, session, viewer, client_id, exc, form="link")
    # The URL holds the link's token: shown on this answer only, never again.
    return _client_page(request, session, viewer, client_id, new_link=url)


@router.post("/{client_id}/onboarding-links/{link_id}/revoke")
def revoke_link(session: Db, viewer: Posting, client_id: str, link_id: str) -> Response:
    client = client_service.get_client(session, viewer.ctx, client_id)
    links.revoke_link(session, viewer.ctx.for_client(client.id), link_id)
    return to(f"/clients/{client_id}#onboarding")


@router.post("/{client_id}/webhooks")
def create_webhook(
    request: Request,
    session: Db,
    viewer: AdminPosting,
    client_id: str,
    events: webhooks.EventTypesField,
    url: webhooks.UrlField = "",
    description: TextField = "",
) -> Response:
    """An endpoint for this client's events only."""
    client = client_service.get_client(session, viewer.ctx, client_id)
    return webhooks.register(
        request,
        session,
        viewer,
        viewer.ctx.for_client(client.id),
        url=url,
        description=description,
        events=events,
        refused=lambda error: _client_page(request, session, viewer, client_id, status=422, webhook_error=error),
    )
