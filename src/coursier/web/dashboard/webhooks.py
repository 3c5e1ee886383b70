"""Webhook endpoints, the sponsor's (every client's events) and its clients' (block `client_webhooks`
of a client's page): the list, one endpoint with its delivery log, one delivery with its attempts.

Admins register, rotate, pause, resume and delete endpoints; anyone of the sponsor may send a test
message or redeliver events, which change nothing of the endpoint.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from coursier.db.webhooks import (
    CANCELLED,
    FAILED,
    HELD,
    PENDING,
    SUCCEEDED,
    WebhookDelivery,
    WebhookEndpoint,
)
from coursier.kit import clock
from coursier.kit.errors import CoursierError, InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import REASONS
from coursier.services import clients as client_service
from coursier.services import lifecycle, webhook_events
from coursier.services import webhooks as webhook_service
from coursier.web.dashboard.common import (
    PREFIX,
    AdminPosting,
    DashboardRoute,
    Db,
    Looking,
    Posting,
    TextField,
    Viewer,
    day_param,
    listing,
    page,
    refusal,
    to,
)
from coursier.web.dashboard.events import event_type_of, object_link

router = APIRouter(prefix=PREFIX + "/webhooks", route_class=DashboardRoute)

DELIVERY_STATUSES = (PENDING, HELD, SUCCEEDED, FAILED, CANCELLED)
GRACE_HOURS = (0, 1, 24, 72, 168)  # within the service's 7 days

UrlField = Annotated[str, Form(max_length=2000)]
EventTypesField = Annotated[list[str], Form(default_factory=list, max_length=len(webhook_events.EVENT_TYPE_NAMES))]


# ---- registering ------------------------------------------------------------------------------------------


def register(
    request: Request,
    session: Session,
    viewer: Viewer,
    ctx: TenantContext,
    *,
    url: str,
    description: str,
    events: list[str],
    refused: Callable[[str], Response],
) -> Response:
    """Register an endpoint in `ctx`'s scope and show it with its secret, shown this once; a refusal
    goes to `refused` with its error text, nothing of it kept."""
    registration = webhook_service.Registration(
        url=url.strip(), event_types=events, description=description.strip()[:200] or None
    )
    try:
        endpoint, secret = webhook_service.create_endpoint(
            session, ctx, registration, allow_private=request.app.state.settings.webhook_allow_private
        )
    except CoursierError as exc:
        return refused(refusal(session, viewer, exc))
    return _endpoint_page(request, session, viewer, endpoint.id, new_secret=secret)


def endpoint_form_context() -> dict:
    """What the registration form (`webhooks/form.html.j2`) shows."""
    return {"event_types": webhook_events.EVENT_TYPE_NAMES}


# ---- the sponsor's endpoints ----------------------------------------------------------------------------------


def _list_page(request: Request, session: Session, viewer: Viewer, *, status: int = 200, **context) -> Response:
    query = webhook_service.list_endpoints_query(viewer.ctx)
    endpoints = listing(session, query, WebhookEndpoint, request.query_params.get("cursor"))
    context.setdefault("webhook_error", None)
    return page(
        request,
        viewer,
        "webhooks/list.html.j2",
        status=status,
        section="webhooks",
        endpoints=endpoints,
        client_names=client_service.names_of(session, viewer.ctx, (e.client_id for e in endpoints.rows)),
        **endpoint_form_context(),
        **context,
    )


@router.get("")
def list_webhooks(request: Request, session: Db, viewer: Looking) -> Response:
    return _list_page(request, session, viewer)


@router.post("")
def create_webhook(
    request: Request,
    session: Db,
    viewer: AdminPosting,
    events: EventTypesField,
    url: UrlField = "",
    description: TextField = "",
) -> Response:
    """An endpoint for every client's events."""
    return register(
        request,
        session,
        viewer,
        viewer.ctx,
        url=url,
        description=description,
        events=events,
        refused=lambda error: _list_page(request, session, viewer, status=422, webhook_error=error),
    )


# ---- one endpoint ---------------------------------------------------------------------------------------------------


def _endpoint_page(
    request: Request, session: Session, viewer: Viewer, endpoint_id: str, *, status: int = 200, **context
) -> Response:
    ctx = viewer.ctx
    endpoint = webhook_service.get_endpoint(session, ctx, endpoint_id)
    chosen_status = request.query_params.get("status", "")
    log = webhook_service.deliveries_query(
        session, ctx, endpoint.id, chosen_status if chosen_status in DELIVERY_STATUSES else None
    )
    deliveries = listing(session, log, WebhookDelivery, request.query_params.get("cursor"))
    for name in ("new_secret", "test_answer", "queued"):
        context.setdefault(name, None)
    return page(
        request,
        viewer,
        "webhooks/detail.html.j2",
        status=status,
        section="webhooks",
        endpoint=endpoint,
        client=client_service.get_client(session, ctx, endpoint.client_id) if endpoint.client_id else None,
        deliveries=deliveries,
        last_attempts=webhook_service.last_attempts(session, ctx, deliveries.rows),
        delivery_statuses=DELIVERY_STATUSES,
        chosen_status=chosen_status,
        grace_hours=GRACE_HOURS,
        **context,
    )


@router.get("/{endpoint_id}")
def endpoint_page(request: Request, session: Db, viewer: Looking, endpoint_id: str) -> Response:
    return _endpoint_page(request, session, viewer, endpoint_id)


@router.post("/{endpoint_id}/rotate")
def rotate_secret(
    request: Request, session: Db, viewer: AdminPosting, endpoint_id: str, grace_period_hours: TextField = "24"
) -> Response:
    hours = int(grace_period_hours) if grace_period_hours.isdigit() else -1
    if hours not in GRACE_HOURS:
        raise InvalidInput("Choose a grace period of the list", code="invalid_grace_period")
    _, secret = webhook_service.rotate_secret(session, viewer.ctx, endpoint_id, timedelta(hours=hours))
    return _endpoint_page(request, session, viewer, endpoint_id, new_secret=secret)


@router.post("/{endpoint_id}/pause")
def pause(session: Db, viewer: AdminPosting, endpoint_id: str) -> Response:
    webhook_service.pause(session, viewer.ctx, endpoint_id)
    return to(f"/webhooks/{endpoint_id}")


@router.post("/{endpoint_id}/resume")
def resume(session: Db, viewer: AdminPosting, endpoint_id: str) -> Response:
    webhook_service.resume(session, viewer.ctx, endpoint_id)
    return to(f"/webhooks/{endpoint_id}")


@router.post("/{endpoint_id}/delete")
def delete(session: Db, viewer: AdminPosting, endpoint_id: str) -> Response:
    endpoint = webhook_service.get_endpoint(session, viewer.ctx, endpoint_id)
    back = f"/clients/{endpoint.client_id}#webhooks" if endpoint.client_id else "/webhooks"
    webhook_service.delete_endpoint(session, viewer.ctx, endpoint_id)
    return to(back)


@router.post("/{endpoint_id}/test")
def send_test(request: Request, session: Db, viewer: Posting, endpoint_id: str) -> Response:
    """A `webhook.test` message now; its answer is shown, not logged."""
    answer = webhook_service.send_test(
        session, viewer.ctx, endpoint_id, allow_private=request.app.state.settings.webhook_allow_private
    )
    return _endpoint_page(request, session, viewer, endpoint_id, test_answer=answer)


@router.post("/{endpoint_id}/redeliver")
def redeliver(
    request: Request, session: Db, viewer: Posting, endpoint_id: str, event_id: TextField = "", since: TextField = ""
) -> Response:
    """One event again (`event_id`), or every event the endpoint receives from a French day on (`since`)."""
    day = day_param(since)
    if bool(event_id) == (day is not None):
        raise InvalidInput("Give either an event or a day", code="redelivery_unclear")
    deliveries = webhook_service.redeliver(
        session,
        viewer.ctx,
        endpoint_id,
        event_id=event_id or None,
        since=clock.start_of(day) if day is not None else None,
    )
    return _endpoint_page(request, session, viewer, endpoint_id, queued=len(deliveries))


# ---- one delivery --------------------------------------------------------------------------------------------------


@router.get("/{endpoint_id}/deliveries/{delivery_id}")
def delivery_page(request: Request, session: Db, viewer: Looking, endpoint_id: str, delivery_id: str) -> Response:
    delivery, attempts = webhook_service.delivery_with_attempts(session, viewer.ctx, endpoint_id, delivery_id)
    event = lifecycle.get_event(session, viewer.ctx, delivery.event_id)
    return page(
        request,
        viewer,
        "webhooks/delivery.html.j2",
        section="webhooks",
        endpoint=webhook_service.get_endpoint(session, viewer.ctx, endpoint_id),
        delivery=delivery,
        attempts=attempts,
        event=event,
        event_type_of=event_type_of,
        object_link=object_link,
        reasons=REASONS,
    )
