"""Lifecycle events: every notable change of an object leaves one, in the transaction of the change,
and so do its webhook deliveries and the e-mail a person must read: all of it commits together.

Work on many objects at once wraps itself in `recorded_together(session)`: its events are written
when the block ends, in one INSERT, with one look-up of the webhook endpoints per tenant.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.lifecycle import FeedPosition, LifecycleEvent, LifecycleEventRepository
from coursier.kit import clock, defer
from coursier.kit.held import held_together, hold
from coursier.kit.tenancy import TenantContext
from coursier.services import webhook_events
from coursier.services.webhook_events import EventType
from coursier.services.webhook_fanout import fan_out

# session.info key of the events a `recorded_together` block holds back.
_HELD = "coursier.recorded_events"

# Who emitted an event: the issuer's platform (PDPE), the receiver's (PDPR), the PPF, or this
# platform acting on its own objects (mandates, directory lines).
EMITTER_PLATFORM = "PDPE"


def record_event(
    session: Session,
    ctx: TenantContext,
    *,
    object_type: str,
    object_id: str,
    status_code: str,
    emitter: str = EMITTER_PLATFORM,
    reason: str | None = None,
    rejection_reason: str | None = None,
    is_mandatory: bool = False,
    details: dict | None = None,
) -> LifecycleEvent:
    """The event, written now, or at the end of the `recorded_together` block it is recorded in."""
    event_type = webhook_events.type_of(status_code)
    event = LifecycleEvent(
        id=new_id("evt"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        object_type=object_type,
        object_id=object_id,
        status_code=status_code,
        emitter=emitter,
        reason=reason,
        rejection_reason=rejection_reason,
        is_mandatory=is_mandatory,
        details=details or {},
        # The moment of the event, not of its transaction's start: events written together keep their order.
        created_at=func.clock_timestamp(),
    )
    held = hold(session, _HELD)
    if held is not None:
        held.append((event, event_type))  # out of the session until the end: flushes meanwhile skip it
        return event
    _write(session, [(event, event_type)])
    return event


def recorded_together(session: Session) -> AbstractContextManager[None]:
    """Events recorded within the block are written together, in order, with their webhook
    deliveries and e-mails, when it ends (see `kit.held`)."""
    return held_together(session, _HELD, _write)


def _write(session: Session, events: list[tuple[LifecycleEvent, EventType]]) -> None:
    LifecycleEventRepository(session).add_all([event for event, _ in events])
    with defer.together(session):
        fan_out(session, [(event, event_type.name) for event, event_type in events])
        for event, event_type in events:
            if event_type.attention_mail:
                defer.defer(session, "notifications.send", event_id=event.id)


def feed(
    session: Session,
    ctx: TenantContext,
    *,
    after: FeedPosition,
    limit: int,
    object_type: str | None = None,
    object_id: str | None = None,
) -> tuple[list[LifecycleEvent], FeedPosition]:
    """A page of the caller's feed after `after`, and the position it ends at."""
    events = LifecycleEventRepository(session).feed(
        ctx, after=after, limit=limit, object_type=object_type, object_id=object_id
    )
    return events, ((events[-1].xact_id, events[-1].seq) if events else after)


def position_of(session: Session, ctx: TenantContext, event_id: str) -> FeedPosition:
    """Where one of the caller's events stands in the feed."""
    event = LifecycleEventRepository(session).get_or_404(ctx, event_id)
    return (event.xact_id, event.seq)


def get_event(session: Session, ctx: TenantContext, event_id: str) -> LifecycleEvent:
    return LifecycleEventRepository(session).get_or_404(ctx, event_id)


@dataclass(frozen=True)
class EventFilters:
    """What a person narrows the caller's events to; None keeps everything."""

    object_type: str | None = None
    event_type: str | None = None  # a webhook event type: invoice.received, mandate.activated…
    status_code: str | None = None  # InvoiceLifecycleStatus.APPROVED…
    day_from: date | None = None  # French calendar days, both included
    day_to: date | None = None


def events_query(ctx: TenantContext, filters: EventFilters) -> Select[tuple[LifecycleEvent]]:
    """The caller's events narrowed by `filters`, to read a page at a time by (created_at, id).

    For people browsing, not for polling: an event still being written by an open transaction may
    appear later among older ones, which the feed above never lets happen.
    """
    stmt = LifecycleEventRepository.readable(ctx)
    if filters.object_type:
        stmt = stmt.where(LifecycleEvent.object_type == filters.object_type)
    if filters.event_type:
        stmt = stmt.where(_of_type(webhook_events.BY_NAME[filters.event_type]))
    if filters.status_code:
        stmt = stmt.where(LifecycleEvent.status_code == filters.status_code)
    if filters.day_from:
        stmt = stmt.where(LifecycleEvent.created_at >= clock.start_of(filters.day_from))
    if filters.day_to:
        stmt = stmt.where(LifecycleEvent.created_at < clock.start_of(filters.day_to + timedelta(days=1)))
    return stmt


def _of_type(event_type: webhook_events.EventType) -> ColumnElement[bool]:
    """The events `type_of` gives this type: its own codes, and the codes of its catch-all families
    that no type names."""
    named = LifecycleEvent.status_code.in_(event_type.status_codes)
    if not event_type.catch_all_of:
        return named
    in_family = or_(*(LifecycleEvent.status_code.startswith(f"{family}.") for family in event_type.catch_all_of))
    return or_(named, and_(in_family, LifecycleEvent.status_code.not_in(webhook_events.NAMED_STATUS_CODES)))
