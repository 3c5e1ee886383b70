"""Webhook endpoints of a sponsor or of one of its clients: registration, changes, secrets, pause
and resume, the delivery log, redeliveries and test messages.

One model for both scopes: an endpoint registered without a client receives every client's events;
with one, only that client's. Its URL is checked when it is registered or changed (https, public
addresses) and again at each delivery. Its signing secret is shown once, when it is created or
rotated; a rotated secret still signs, beside the new one, for a grace period.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Select
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.lifecycle import LifecycleEventRepository
from coursier.db.webhooks import (
    ACTIVE,
    DISABLED,
    HELD,
    PAUSED,
    PENDING,
    WebhookAttempt,
    WebhookAttemptRepository,
    WebhookDelivery,
    WebhookDeliveryRepository,
    WebhookEndpoint,
    WebhookEndpointRepository,
)
from coursier.kit import clock
from coursier.kit.errors import Conflict, NotFound, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.network.webhooks import Answer, DestinationRefused, WebhookSender, format_secret, resolve, signed_headers
from coursier.services import webhook_events
from coursier.services.webhook_fanout import queue_delivery, schedule

MAX_ENDPOINTS_PER_SCOPE = 10
SECRET_BYTES = 32
MAX_GRACE = timedelta(days=7)
# A redelivery "since" a moment sends at most this many events at once.
MAX_REDELIVERED = 5000


@dataclass(frozen=True)
class Registration:
    url: str
    event_types: list[str]
    description: str | None = None


def check_url(url: str, *, allow_private: bool) -> str:
    try:
        resolve(httpx.URL(url), allow_private=allow_private)
    except (DestinationRefused, httpx.InvalidURL) as exc:
        raise Unprocessable(f"This URL cannot receive webhooks: {exc}", code="webhook_url_not_allowed") from None
    return url


def check_event_types(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - webhook_events.BY_NAME.keys())
    if unknown:
        raise Unprocessable(
            f"Unknown event type(s): {', '.join(unknown)}; see GET /api/webhooks/event-types",
            code="unknown_event_type",
        )
    return list(dict.fromkeys(event_types))


def create_endpoint(
    session: Session, ctx: TenantContext, registration: Registration, *, allow_private: bool
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint in the caller's scope, and its secret (`whsec_…`, shown only now)."""
    repository = WebhookEndpointRepository(session)
    if repository.count_in_scope(ctx) >= MAX_ENDPOINTS_PER_SCOPE:
        raise Conflict(
            f"At most {MAX_ENDPOINTS_PER_SCOPE} webhook endpoints per sponsor and per client",
            code="webhook_limit_reached",
        )
    secret = secrets.token_bytes(SECRET_BYTES)
    endpoint = repository.add(
        WebhookEndpoint(
            id=new_id("whk"),
            sponsor_id=ctx.sponsor_id,
            client_id=ctx.client_id,
            url=check_url(registration.url, allow_private=allow_private),
            description=registration.description,
            event_types=check_event_types(registration.event_types),
            status=ACTIVE,
            secret=secret,
        )
    )
    return endpoint, format_secret(secret)


def list_endpoints_query(ctx: TenantContext) -> Select[tuple[WebhookEndpoint]]:
    return WebhookEndpointRepository.readable(ctx)


def get_endpoint(session: Session, ctx: TenantContext, endpoint_id: str, *, for_update: bool = False):
    return WebhookEndpointRepository(session).get_or_404(ctx, endpoint_id, for_update=for_update)


def update_endpoint(
    session: Session, ctx: TenantContext, endpoint_id: str, changes: dict, *, allow_private: bool
) -> WebhookEndpoint:
    """Change the URL, the event types or the description (fields left out are kept)."""
    endpoint = get_endpoint(session, ctx, endpoint_id, for_update=True)
    if "url" in changes:
        endpoint.url = check_url(changes["url"], allow_private=allow_private)
    if "event_types" in changes:
        endpoint.event_types = check_event_types(changes["event_types"])
    if "description" in changes:
        endpoint.description = changes["description"]
    session.flush()
    return endpoint


def delete_endpoint(session: Session, ctx: TenantContext, endpoint_id: str) -> None:
    """The endpoint and its log go; jobs still queued for it find nothing to send."""
    repository = WebhookEndpointRepository(session)
    repository.delete(repository.get_or_404(ctx, endpoint_id, for_update=True))


def rotate_secret(
    session: Session, ctx: TenantContext, endpoint_id: str, grace: timedelta
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing beside it for `grace` (none: it stops now)."""
    if not timedelta(0) <= grace <= MAX_GRACE:
        raise Unprocessable("The grace period is between 0 and 7 days", code="invalid_grace_period")
    endpoint = get_endpoint(session, ctx, endpoint_id, for_update=True)
    secret = secrets.token_bytes(SECRET_BYTES)
    endpoint.previous_secret = endpoint.secret if grace else None
    endpoint.previous_secret_expires_at = clock.now() + grace if grace else None
    endpoint.secret = secret
    session.flush()
    return endpoint, format_secret(secret)


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[bytes]:
    """The secrets a message is signed with now: the current one, and a rotated one in its grace period."""
    if endpoint.previous_secret is not None and endpoint.previous_secret_expires_at > now:
        return [endpoint.secret, endpoint.previous_secret]
    return [endpoint.secret]


def pause(session: Session, ctx: TenantContext, endpoint_id: str) -> WebhookEndpoint:
    """Stop sending; events keep being collected for this endpoint, and go out on resume."""
    endpoint = get_endpoint(session, ctx, endpoint_id, for_update=True)
    if endpoint.status == DISABLED:
        raise Conflict("This endpoint is disabled; resume it instead", code="webhook_disabled")
    endpoint.status = PAUSED
    session.flush()
    return endpoint


def resume(session: Session, ctx: TenantContext, endpoint_id: str) -> WebhookEndpoint:
    """Send again: what a pause held goes out first, in the order of its events. A disabled endpoint
    starts over from new events (ask for a redelivery of what it missed)."""
    endpoint = get_endpoint(session, ctx, endpoint_id, for_update=True)
    endpoint.status = ACTIVE
    endpoint.disabled_reason = None
    for delivery, event in WebhookDeliveryRepository(session).waiting(endpoint.id, HELD):
        delivery.status = PENDING
        schedule(session, delivery, event)
    session.flush()
    return endpoint


def deliveries_query(
    session: Session, ctx: TenantContext, endpoint_id: str, status: str | None
) -> Select[tuple[WebhookDelivery]]:
    get_endpoint(session, ctx, endpoint_id)
    return WebhookDeliveryRepository(session).of_endpoint(ctx, endpoint_id, status)


def last_attempts(session: Session, ctx: TenantContext, deliveries: list[WebhookDelivery]) -> dict:
    """Delivery id → its latest attempt, for a page of the log."""
    return WebhookAttemptRepository(session).last_of(ctx, [delivery.id for delivery in deliveries])


def delivery_with_attempts(
    session: Session, ctx: TenantContext, endpoint_id: str, delivery_id: str
) -> tuple[WebhookDelivery, list[WebhookAttempt]]:
    endpoint = get_endpoint(session, ctx, endpoint_id)
    delivery = WebhookDeliveryRepository(session).get_or_404(ctx, delivery_id)
    if delivery.endpoint_id != endpoint.id:
        raise NotFound(f"No delivery {delivery_id}", code="delivery_not_found")
    return delivery, WebhookAttemptRepository(session).of_delivery(ctx, delivery_id)


def redeliver(
    session: Session, ctx: TenantContext, endpoint_id: str, *, event_id: str | None, since: datetime | None
) -> list[WebhookDelivery]:
    """Send one event again, or every event since a moment that this endpoint receives, in their
    order. The same event id goes out again (receivers that keep ids will see it as a duplicate)."""
    endpoint = get_endpoint(session, ctx, endpoint_id)
    if endpoint.status == DISABLED:
        raise Conflict("This endpoint is disabled; resume it first", code="webhook_disabled")
    scope = TenantContext(sponsor_id=endpoint.sponsor_id, client_id=endpoint.client_id)
    events = LifecycleEventRepository(session)
    if event_id is not None:
        chosen = [events.get_or_404(scope, event_id)]
    else:
        chosen = events.since(scope, since, limit=MAX_REDELIVERED + 1)
        if len(chosen) > MAX_REDELIVERED:
            raise Unprocessable(
                f"More than {MAX_REDELIVERED} events since then; choose a later moment",
                code="redelivery_too_large",
            )
    deliveries = []
    for event in chosen:
        event_type = webhook_events.type_of(event.status_code).name
        if event_id is not None or not endpoint.event_types or event_type in endpoint.event_types:
            deliveries.append(queue_delivery(session, endpoint, event, event_type, trigger="manual"))
    return deliveries


def send_test(session: Session, ctx: TenantContext, endpoint_id: str, *, allow_private: bool) -> Answer:
    """Post a `webhook.test` message to the endpoint now and return its answer (not logged)."""
    endpoint = get_endpoint(session, ctx, endpoint_id)
    now = clock.now()
    message_id = new_id("msg")
    body = encode_body(
        webhook_events.test_payload(message_id, now, endpoint.sponsor_id, endpoint.client_id, endpoint.id)
    )
    headers = signed_headers(signing_secrets(endpoint, now), message_id, body)
    with WebhookSender(allow_private=allow_private) as sender:
        return sender.post(endpoint.url, headers, body)


def encode_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
