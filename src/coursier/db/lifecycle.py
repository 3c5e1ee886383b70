"""Lifecycle events: an audit timeline per object (invoice, mandate, directory entry, …)."""

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column
from coursier.db.repository import ScopedRepository


class LifecycleEvent(Base):
    __tablename__ = "lifecycle_events"
    __table_args__ = (
        Index("ix_lifecycle_events_scope", "sponsor_id", "client_id", "object_type", "object_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(String(32), nullable=False)
    client_id: Mapped[str | None] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32), nullable=False)
    object_id: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[str] = mapped_column(String(80), nullable=False)
    emitter: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(1000))
    rejection_reason: Mapped[str | None] = mapped_column(String(40))
    is_mandatory: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    details: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)
    created_at: Mapped[datetime] = created_at_column()


class LifecycleEventRepository(ScopedRepository[LifecycleEvent]):
    model = LifecycleEvent
    noun = "event"
