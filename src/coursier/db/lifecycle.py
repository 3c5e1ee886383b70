"""Lifecycle events: an audit timeline per object (invoice, mandate, directory entry, …), and the
feed of them in one total order that pollers can follow without missing or repeating an event."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ColumnElement, Identity, Index, String, cast, func, or_, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from coursier.db.base import Base, created_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext


class TransactionId(UserDefinedType):
    """PostgreSQL's 64-bit transaction id (`xid8`), as a Python int. It never wraps around."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "XID8"

    def bind_processor(self, dialect):
        return lambda value: None if value is None else str(value)

    def bind_expression(self, bindvalue):
        return cast(bindvalue, self)  # xid8 reads only from text

    def result_processor(self, dialect, coltype):
        return lambda value: None if value is None else int(value)


# Reflection (Alembic's comparison of the schema with the models) knows the type by its name.
ischema_names["xid8"] = TransactionId

# (writing transaction, sequence number): where an event stands in the feed.
FeedPosition = tuple[int, int]


class LifecycleEvent(Base):
    __tablename__ = "lifecycle_events"
    __table_args__ = (
        Index("ix_lifecycle_events_scope", "sponsor_id", "client_id", "object_type", "object_id", "created_at"),
        Index("ix_lifecycle_events_sponsor_feed", "sponsor_id", "xact_id", "seq"),
        Index("ix_lifecycle_events_client_feed", "sponsor_id", "client_id", "xact_id", "seq"),
    )
    # The transaction id, sequence and timestamp are the database's: read back at insert.
    __mapper_args__ = {"eager_defaults": True}

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
    # The writing transaction: the feed's order, and what tells when no earlier event can still appear.
    xact_id: Mapped[int] = mapped_column(TransactionId(), nullable=False, server_default=func.pg_current_xact_id())
    # Order of writing. Among the events of one object, written under that object's row lock, it is
    # the order of the changes even when a transaction that started earlier commits later.
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), nullable=False, unique=True)


def _settled() -> ColumnElement[bool]:
    """Events no transaction still running can come before: written by a transaction older than
    every running one (so it has ended), or by the reader's own."""
    return or_(
        LifecycleEvent.xact_id < func.pg_snapshot_xmin(func.pg_current_snapshot()),
        LifecycleEvent.xact_id == func.pg_current_xact_id_if_assigned(),
    )


class LifecycleEventRepository(ScopedRepository[LifecycleEvent]):
    model = LifecycleEvent
    noun = "event"

    def add_all(self, rows: list[LifecycleEvent]) -> list[LifecycleEvent]:
        """One INSERT for all: each event's `clock_timestamp()` and sequence taken in its turn."""
        self.insert_loaded(rows)
        return rows

    def feed(
        self,
        ctx: TenantContext,
        *,
        after: FeedPosition | None,
        limit: int,
        object_type: str | None = None,
        object_id: str | None = None,
    ) -> list[LifecycleEvent]:
        """The caller's settled events after `after`, in feed order (transaction, then sequence).

        A transaction's events all appear at once, when it and every older transaction have ended;
        so an event that appears later always sorts after every event handed out before it.
        """
        order = (LifecycleEvent.xact_id, LifecycleEvent.seq)
        stmt = self.readable(ctx).where(_settled())
        if after is not None:
            stmt = stmt.where(tuple_(*order) > after)
        if object_type is not None:
            stmt = stmt.where(LifecycleEvent.object_type == object_type)
        if object_id is not None:
            stmt = stmt.where(LifecycleEvent.object_id == object_id)
        return list(self.session.scalars(stmt.order_by(*order).limit(limit)))

    def since(self, ctx: TenantContext, moment: datetime, *, limit: int) -> list[LifecycleEvent]:
        """The caller's first `limit` events from `moment` on, in the order they were written."""
        stmt = self.readable(ctx).where(LifecycleEvent.created_at >= moment)
        return list(self.session.scalars(stmt.order_by(LifecycleEvent.seq).limit(limit)))
