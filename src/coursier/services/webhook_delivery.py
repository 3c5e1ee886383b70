"""One attempt at one webhook delivery, as the `webhooks.deliver` job makes it.

At least once: a delivery is done only when its attempt's outcome is committed, so a worker that
dies mid-request leaves it to be sent again, under the same event id (the `webhook-id`). Failures
are retried with exponential backoff and jitter for about 3 days (`RETRY_FOR`); then the delivery
is given up and its endpoint disabled, with a `webhook.disabled` event (e-mailed to the client).
An endpoint takes at most `CONCURRENT_PER_ENDPOINT` requests at a time, so a slow receiver holds
only that many workers, each for at most the request timeout.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coursier.db.lifecycle import LifecycleEvent, LifecycleEventRepository
from coursier.db.webhooks import (
    ACTIVE,
    CANCELLED,
    DISABLED,
    FAILED,
    HELD,
    PAUSED,
    PENDING,
    SUCCEEDED,
    WebhookAttempt,
    WebhookAttemptRepository,
    WebhookDelivery,
    WebhookDeliveryRepository,
    WebhookEndpoint,
    WebhookEndpointRepository,
    take_delivery_slot,
)
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.network.webhooks import Answer, WebhookSender, signed_headers
from coursier.services import usage, webhook_events
from coursier.services.lifecycle import record_event
from coursier.services.webhooks import encode_body, signing_secrets

CONCURRENT_PER_ENDPOINT = 2
RETRY_FOR = timedelta(days=3)
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(hours=6)


def deliver(session: Session, delivery_id: str, sender: WebhookSender) -> datetime | None:
    """Make one attempt, in the session's transaction; returns when to try again (None: done).

    Nothing is written before the answer is in, so the transaction holds no lock and no
    transaction id while the receiver takes its time (the feed does not wait for it).
    """
    delivery = WebhookDeliveryRepository(session).get_for_job(delivery_id, for_update=False)
    if delivery is None or delivery.status != PENDING:
        return None  # sent by an earlier run, cancelled, or its endpoint deleted
    endpoint = WebhookEndpointRepository(session).get_for_job(delivery.endpoint_id, for_update=False)
    if endpoint is None:
        return None  # deleted since (its deliveries go with it)
    if endpoint.status != ACTIVE:
        delivery.status = HELD if endpoint.status == PAUSED else CANCELLED
        return None
    if not take_delivery_slot(session, endpoint.id, CONCURRENT_PER_ENDPOINT):
        return clock.now() + timedelta(seconds=random.uniform(1, 3))
    event = LifecycleEventRepository(session).get_for_job(delivery.event_id, for_update=False)
    attempted_at = clock.now()
    body = encode_body(webhook_events.payload(event))
    headers = signed_headers(signing_secrets(endpoint, attempted_at), event.id, body)
    answer = sender.post(endpoint.url, headers, body)
    return _record(session, endpoint, delivery, event, answer, attempted_at)


def _record(
    session: Session,
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    event: LifecycleEvent,
    answer: Answer,
    attempted_at: datetime,
) -> datetime | None:
    WebhookAttemptRepository(session).add(
        WebhookAttempt(
            sponsor_id=delivery.sponsor_id,
            client_id=delivery.client_id,
            delivery_id=delivery.id,
            attempted_at=attempted_at,
            status_code=answer.status_code,
            latency_ms=answer.latency_ms,
            response_excerpt=answer.excerpt,
            error=answer.error,
        )
    )
    delivery.attempts += 1
    delivery.last_attempt_at = endpoint.last_triggered_at = attempted_at
    if answer.succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = SUCCEEDED, clock.now(), None
        event_ctx = TenantContext(sponsor_id=event.sponsor_id, client_id=event.client_id)
        usage.count(session, event_ctx, "webhook_deliveries")
        return None
    now = clock.now()
    give_up_at = delivery.created_at + RETRY_FOR
    if now >= give_up_at:
        delivery.status, delivery.next_attempt_at = FAILED, None
        outcome = f"HTTP {answer.status_code}" if answer.status_code is not None else answer.error
        _disable(session, endpoint, f"Deliveries failed for {RETRY_FOR.days} days; the last one: {outcome}")
        return None
    delivery.next_attempt_at = min(now + backoff(delivery.attempts), give_up_at)
    return delivery.next_attempt_at


def backoff(attempts: int) -> timedelta:
    """The wait after `attempts` failed attempts: doubling from 5 s up to 6 h, then between half of
    that and all of it at random, so that receivers coming back are not hit by every retry at once."""
    ceiling = min(FIRST_WAIT * 2 ** min(attempts - 1, 32), LONGEST_WAIT)
    return ceiling / 2 + ceiling / 2 * random.random()


def _disable(session: Session, endpoint: WebhookEndpoint, reason: str) -> None:
    endpoint.status = DISABLED
    endpoint.disabled_reason = reason[:500]
    deliveries = WebhookDeliveryRepository(session)
    for status in (PENDING, HELD):
        for delivery, _ in deliveries.waiting(endpoint.id, status):
            delivery.status = CANCELLED
    record_event(
        session,
        TenantContext(sponsor_id=endpoint.sponsor_id, client_id=endpoint.client_id),
        object_type="webhook",
        object_id=endpoint.id,
        status_code=webhook_events.WEBHOOK_DISABLED,
        reason=reason[:1000],
        details={"url": endpoint.url},
    )
