"""Every event to the webhook endpoints that want it, in the transaction that writes the event: one
delivery row and one job each, committed with the event or not at all."""

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


def fan_out(session: Session, event: LifecycleEvent, event_type: str) -> None:
    for endpoint in WebhookEndpointRepository(session).receiving(event):
        if not endpoint.event_types or event_type in endpoint.event_types:
            queue_delivery(session, endpoint, event, event_type, trigger="event")


def queue_delivery(
    session: Session, endpoint: WebhookEndpoint, event: LifecycleEvent, event_type: str, *, trigger: str
) -> WebhookDelivery:
    """A delivery of `event` to `endpoint`: sent by a job, or held while the endpoint is paused."""
    delivery = WebhookDeliveryRepository(session).add(
        WebhookDelivery(
            id=new_id("dlv"),
            sponsor_id=endpoint.sponsor_id,
            client_id=endpoint.client_id,
            endpoint_id=endpoint.id,
            event_id=event.id,
            event_type=event_type,
            trigger=trigger,
            status=PENDING if endpoint.status == ACTIVE else HELD,
        )
    )
    if delivery.status == PENDING:
        schedule(session, delivery, event)
    return delivery


def schedule(session: Session, delivery: WebhookDelivery, event: LifecycleEvent) -> None:
    """Defer the delivery's job. Jobs of one endpoint and one object share a lock: they run one at a
    time, in the order of their events, a failing one holding back the later ones until it succeeds."""
    lock = f"webhook:{delivery.endpoint_id}:{event.object_type}:{event.object_id}"
    defer(session, "webhooks.deliver", lock=lock, delivery_id=delivery.id)
