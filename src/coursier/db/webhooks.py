"""Webhook endpoints, the deliveries of events to them, and each delivery's attempts (the log).

An endpoint belongs to a sponsor and, when `client_id` is set, to one of its clients: a
sponsor-wide endpoint receives the events of every client, a client's endpoint only that client's.
A delivery is one event (or a manual redelivery of it) for one endpoint; its `client_id` is its
endpoint's, so a client reads the log of its own endpoints only.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, distinct_on
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.repository import ScopedRepository
from coursier.db.sealed import SealedBytes
from coursier.kit.tenancy import TenantContext

# Endpoint statuses: `paused` keeps its deliveries for when it resumes; `disabled` (after failing
# for days, or never enabled) receives nothing until it is resumed.
ACTIVE, PAUSED, DISABLED = "active", "paused", "disabled"
# Delivery statuses: `held` waits for its paused endpoint; `failed` was given up after days of
# retries; `cancelled` was still to send when its endpoint was disabled.
PENDING, HELD, SUCCEEDED, FAILED, CANCELLED = "pending", "held", "succeeded", "failed", "cancelled"


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    description: Mapped[str | None] = mapped_column(String(200))
    # Event types sent; empty: every type.
    event_types: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=ACTIVE)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    # HMAC keys (the API shows them once, as `whsec_` + base64), sealed at rest: a copy of the
    # database signs nothing. Loaded when used, so a key missing fails deliveries, not listings. The
    # previous one still signs until it expires, so receivers can switch keys without losing a delivery.
    secret: Mapped[bytes] = mapped_column(SealedBytes, nullable=False, deferred=True)
    previous_secret: Mapped[bytes | None] = mapped_column(SealedBytes, deferred=True)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_triggered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint", "endpoint_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(String(32), nullable=False)
    client_id: Mapped[str | None] = mapped_column(String(32))
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False)
    event_id: Mapped[str] = mapped_column(ForeignKey("lifecycle_events.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    # `event`: fanned out when the event was written; `manual`: a redelivery asked for.
    trigger: Mapped[str] = mapped_column(String(8), nullable=False, default="event")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(String(32), nullable=False)
    client_id: Mapped[str | None] = mapped_column(String(32))
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    # The start of the receiver's answer, or why there was none (timeout, refused address…).
    response_excerpt: Mapped[str | None] = mapped_column(String(1000))
    error: Mapped[str | None] = mapped_column(String(300))


class WebhookEndpointRepository(ScopedRepository[WebhookEndpoint]):
    model = WebhookEndpoint
    noun = "webhook"

    def count_in_scope(self, ctx: TenantContext) -> int:
        """The endpoints of exactly the caller's scope: the sponsor's own, or one client's."""
        stmt = self.readable(ctx).with_only_columns(func.count())
        if ctx.client_id is None:
            stmt = stmt.where(WebhookEndpoint.client_id.is_(None))
        return self.session.scalar(stmt)

    def receiving(self, event: LifecycleEvent) -> list[WebhookEndpoint]:
        """The endpoints an event goes to: its sponsor's and its client's, unless disabled."""
        return list(
            self.session.scalars(
                select(WebhookEndpoint)
                .where(
                    WebhookEndpoint.sponsor_id == event.sponsor_id,
                    or_(WebhookEndpoint.client_id.is_(None), WebhookEndpoint.client_id == event.client_id),
                    WebhookEndpoint.status != DISABLED,
                )
                .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
            )
        )

    def delete(self, endpoint: WebhookEndpoint) -> None:
        self.session.delete(endpoint)
        self.session.flush()


class WebhookDeliveryRepository(ScopedRepository[WebhookDelivery]):
    model = WebhookDelivery
    noun = "delivery"

    def of_endpoint(self, ctx: TenantContext, endpoint_id: str, status: str | None = None):
        """The endpoint's deliveries (a select, to paginate)."""
        stmt = self.readable(ctx).where(WebhookDelivery.endpoint_id == endpoint_id)
        return stmt if status is None else stmt.where(WebhookDelivery.status == status)

    def waiting(self, endpoint_id: str, status: str) -> list[tuple[WebhookDelivery, LifecycleEvent]]:
        """The endpoint's deliveries in `status` and their events, locked, in the order of the events."""
        rows = self.session.execute(
            select(WebhookDelivery, LifecycleEvent)
            .join(LifecycleEvent, LifecycleEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == status)
            .order_by(LifecycleEvent.seq, WebhookDelivery.created_at)
            .with_for_update(of=WebhookDelivery)
        )
        return [(delivery, event) for delivery, event in rows]


class WebhookAttemptRepository(ScopedRepository[WebhookAttempt]):
    model = WebhookAttempt
    noun = "attempt"

    def of_delivery(self, ctx: TenantContext, delivery_id: str) -> list[WebhookAttempt]:
        stmt = self.readable(ctx).where(WebhookAttempt.delivery_id == delivery_id)
        return list(self.session.scalars(stmt.order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)))

    def last_of(self, ctx: TenantContext, delivery_ids: list[str]) -> dict[str, WebhookAttempt]:
        """The latest attempt of each delivery."""
        if not delivery_ids:
            return {}
        latest = (
            self.readable(ctx)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.delivery_id, WebhookAttempt.attempted_at.desc(), WebhookAttempt.id.desc())
            .ext(distinct_on(WebhookAttempt.delivery_id))
        )
        return {attempt.delivery_id: attempt for attempt in self.session.scalars(latest)}


def take_delivery_slot(session: Session, endpoint_id: str, slots: int) -> bool:
    """One of the `slots` concurrent deliveries an endpoint may have, held until the session's
    transaction ends (or its connection drops: a killed worker frees its slot)."""
    for slot in range(slots):
        taken = session.scalar(
            text("SELECT pg_try_advisory_xact_lock(hashtext(:key), :slot)"),
            {"key": f"webhook:{endpoint_id}", "slot": slot},
        )
        if taken:
            return True
    return False
