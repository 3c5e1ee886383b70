"""Every event to the webhook endpoints that want it, in the transaction that writes the event: one
delivery row and one job each, committed with the event or not at all. Events written together
(services.lifecycle) are fanned out together: one look-up of the endpoints per tenant, the
deliveries in one flush."""

from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.webhooks import (
    ACTIVE,
    HELD,
    PENDING,
    WebhookDelivery,
    WebhookDeliveryRepository,
    WebhookEndpoint,
    WebhookEndpointRepository,
)
from coursier.kit.defer import defer


def fan_out(session: Session, events: list[tuple[LifecycleEvent, str]]) -> None:
    """Deliveries of `events` (each with its type name) to the endpoints that want them."""
    endpoints = WebhookEndpointRepository(session)
    receiving: dict[tuple[str, str | None], list[WebhookEndpoint]] = {}
    deliveries = []
    for event, event_type in events:
        tenant = (event.sponsor_id, event.client_id)
        if tenant not in receiving:
            receiving[tenant] = endpoints.receiving(event)
        deliveries += [
            (_delivery(endpoint, event, event_type, trigger="event"), event)
            for endpoint in receiving[tenant]
            if not endpoint.event_types or event_type in endpoint.event_types
        ]
    if deliveries:
        WebhookDeliveryRepository(session).add_all([delivery for delivery, _ in deliveries])
        for delivery, event in deliveries:
            _schedule_unless_held(session, delivery, event)


def queue_delivery(
    session: Session, endpoint: WebhookEndpoint, event: LifecycleEvent, event_type: str, *, trigger: str
) -> WebhookDelivery:
    """A delivery of `event` to `endpoint`: sent by a job, or held while the endpoint is paused."""
    delivery = WebhookDeliveryRepository(session).add(_delivery(endpoint, event, event_type, trigger=trigger))
    _schedule_unless_held(session, delivery, event)
    return delivery


def _delivery(endpoint: WebhookEndpoint, event: LifecycleEvent, event_type: str, *, trigger: str) -> WebhookDelivery:
    return WebhookDelivery(
        id=new_id("dlv"),
        sponsor_id=endpoint.sponsor_id,
        client_id=endpoint.client_id,
        endpoint_id=endpoint.id,
        event_id=event.id,
        event_type=event_type,
        trigger=trigger,
        status=PENDING if endpoint.status == ACTIVE else HELD,
    )


def _schedule_unless_held(session: Session, delivery: WebhookDelivery, event: LifecycleEvent) -> None:
    if delivery.status == PENDING:
        schedule(session, delivery, event)


def schedule(session: Session, delivery: WebhookDelivery, event: LifecycleEvent) -> None:
    """Defer the delivery's job. Jobs of one endpoint and one object share a lock: they run one at a
    time, in the order of their events, a failing one holding back the later ones until it succeeds."""
    lock = f"webhook:{delivery.endpoint_id}:{event.object_type}:{event.object_id}"
    defer(session, "webhooks.deliver", lock=lock, delivery_id=delivery.id)
