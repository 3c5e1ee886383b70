"""Usage: API calls and domain counters, aggregated per sponsor, client and day.

Reads start from `readable(ctx)`: a client sees its own rows, a sponsor all of its own (its
clients' and its sponsor-level calls). The rows are daily aggregates with no id of their own, so
they are summed, never fetched one by one. Writes are upserts: the API call recorder flushes every
tenant's calls in one batch; a domain counter is added to in the transaction of what it counts.

Fairness (`services.usage_limits`) keeps its shared state here too: the calls of each sponsor per
rate-limit window, and the advisory locks that are the slots of its heavy requests.
"""

import zlib
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Integer, Row, String, case, delete, func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext

# Sponsor-level calls (no X-PDP-Client-Id) are counted under this client id.
NO_CLIENT = ""


class ApiUsageDaily(Base):
    __tablename__ = "api_usage_daily"

    sponsor_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(200), primary_key=True)
    status_class: Mapped[str] = mapped_column(String(3), primary_key=True)
    calls: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    total_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    max_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class UsageCounter(Base):
    __tablename__ = "usage_counters"

    sponsor_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


def _calls():
    return func.sum(ApiUsageDaily.calls)


def _successful_calls():
    return func.sum(case((ApiUsageDaily.status_class.in_(("2xx", "3xx")), ApiUsageDaily.calls), else_=0))


class ApiUsageRepository(ScopedRepository[ApiUsageDaily]):
    model = ApiUsageDaily

    def add_calls(self, rows: list[dict]) -> None:
        """Upsert aggregated call rows (keys: the primary key columns, calls, total_ms, max_ms)."""
        if not rows:
            return
        stmt = insert(ApiUsageDaily).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.name for c in ApiUsageDaily.__table__.primary_key.columns],
            set_={
                "calls": ApiUsageDaily.calls + stmt.excluded.calls,
                "total_ms": ApiUsageDaily.total_ms + stmt.excluded.total_ms,
                "max_ms": func.greatest(ApiUsageDaily.max_ms, stmt.excluded.max_ms),
            },
        )
        self.session.execute(stmt)

    def _between(self, ctx: TenantContext, start: date, end: date, *columns):
        return self.readable(ctx).with_only_columns(*columns).where(ApiUsageDaily.day.between(start, end))

    def per_day_and_endpoint(self, ctx: TenantContext, start: date, end: date) -> list[Row]:
        """(day, area, endpoint, calls, successful, total_ms, max_ms) rows."""
        group = (ApiUsageDaily.day, ApiUsageDaily.area, ApiUsageDaily.endpoint)
        stmt = self._between(
            ctx,
            start,
            end,
            *group,
            _calls(),
            _successful_calls(),
            func.sum(ApiUsageDaily.total_ms),
            func.max(ApiUsageDaily.max_ms),
        ).group_by(*group)
        return list(self.session.execute(stmt))

    def calls_between(self, ctx: TenantContext, start: date, end: date) -> int:
        return int(self.session.scalar(self._between(ctx, start, end, func.coalesce(_calls(), 0))))

    def calls_per_endpoint(self, ctx: TenantContext, start: date, end: date) -> list[Row]:
        """(endpoint, calls) rows, the most called first."""
        stmt = (
            self._between(ctx, start, end, ApiUsageDaily.endpoint, _calls())
            .group_by(ApiUsageDaily.endpoint)
            .order_by(_calls().desc(), ApiUsageDaily.endpoint)
        )
        return list(self.session.execute(stmt))

    def busiest_day(self, ctx: TenantContext, start: date, end: date) -> Row | None:
        """(day, calls) of the day with the most calls, the earliest of equals."""
        stmt = (
            self._between(ctx, start, end, ApiUsageDaily.day, _calls())
            .group_by(ApiUsageDaily.day)
            .order_by(_calls().desc(), ApiUsageDaily.day)
            .limit(1)
        )
        return self.session.execute(stmt).first()

    def calls_per_day(self, ctx: TenantContext, start: date, end: date) -> list[tuple[date, int, int]]:
        """(day, calls, successful calls) for each day with calls."""
        stmt = (
            self._between(ctx, start, end, ApiUsageDaily.day, _calls(), _successful_calls())
            .group_by(ApiUsageDaily.day)
            .order_by(ApiUsageDaily.day)
        )
        return [(day, int(calls), int(ok)) for day, calls, ok in self.session.execute(stmt)]

    def calls_per_client(self, ctx: TenantContext, start: date, end: date) -> dict[str, tuple[int, int]]:
        """Client id (NO_CLIENT for sponsor-level calls) → (calls, successful calls)."""
        stmt = self._between(ctx, start, end, ApiUsageDaily.client_id, _calls(), _successful_calls()).group_by(
            ApiUsageDaily.client_id
        )
        return {client_id: (int(calls), int(ok)) for client_id, calls, ok in self.session.execute(stmt)}


class UsageCounterRepository(ScopedRepository[UsageCounter]):
    model = UsageCounter

    def increment(self, ctx: TenantContext, *, day: date, counter: str, by: int = 1) -> None:
        stmt = insert(UsageCounter).values(
            sponsor_id=ctx.sponsor_id, client_id=ctx.client_id or NO_CLIENT, day=day, counter=counter, value=by
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["sponsor_id", "client_id", "day", "counter"],
            set_={"value": UsageCounter.value + stmt.excluded.value},
        )
        self.session.execute(stmt)

    def per_day(self, ctx: TenantContext, start: date, end: date) -> list[tuple[date, str, int]]:
        """(day, counter, value) for each day and counter that moved."""
        stmt = (
            self.readable(ctx)
            .with_only_columns(UsageCounter.day, UsageCounter.counter, func.sum(UsageCounter.value))
            .where(UsageCounter.day.between(start, end))
            .group_by(UsageCounter.day, UsageCounter.counter)
            .order_by(UsageCounter.day)
        )
        return [(day, counter, int(value)) for day, counter, value in self.session.execute(stmt)]

    def totals(self, ctx: TenantContext, start: date, end: date) -> list[Row]:
        """(client_id, counter, total) rows."""
        stmt = (
            self.readable(ctx)
            .with_only_columns(UsageCounter.client_id, UsageCounter.counter, func.sum(UsageCounter.value))
            .where(UsageCounter.day.between(start, end))
            .group_by(UsageCounter.client_id, UsageCounter.counter)
        )
        return list(self.session.execute(stmt))


class RateWindow(Base):
    """A sponsor's API calls in one rate-limit window (a UTC minute, hour or day), summed over processes."""

    __tablename__ = "rate_limit_windows"

    sponsor_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    calls: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class RateWindowRepository:
    """Platform-wide, like the recorder's flush: each process adds every sponsor's new calls and
    reads back every sponsor's totals; a caller only ever sees its own sponsor's (`/usage/limits`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, rows: list[dict]) -> None:
        """Upsert (sponsor_id, period, window_start, calls) rows."""
        if not rows:
            return
        stmt = insert(RateWindow).values(rows)
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["sponsor_id", "period", "window_start"],
                set_={"calls": RateWindow.calls + stmt.excluded.calls},
            )
        )

    def totals(self, windows: list[tuple[str, datetime]]) -> list[Row]:
        """(sponsor_id, period, window_start, calls) of every sponsor in these (period, start) windows."""
        stmt = select(RateWindow.sponsor_id, RateWindow.period, RateWindow.window_start, RateWindow.calls).where(
            tuple_(RateWindow.period, RateWindow.window_start).in_(windows)
        )
        return list(self.session.execute(stmt))

    def purge_before(self, cutoff: datetime) -> None:
        self.session.execute(delete(RateWindow).where(RateWindow.window_start < cutoff))


# The second key of a heavy-request slot's advisory lock (the first is the sponsor's): slots are
# HEAVY_SLOT_BASE, HEAVY_SLOT_BASE + 1...; another use of two-key advisory locks picks another base.
HEAVY_SLOT_BASE = 0x48_0000


def _sponsor_lock_key(sponsor_id: str) -> int:
    # Non-negative, so that pg_locks (which shows keys as unsigned oids) gives the same number back.
    return zlib.crc32(sponsor_id.encode()) & 0x7FFF_FFFF


def try_heavy_slot(session: Session, sponsor_id: str, slots: int) -> bool:
    """Take a free one of the sponsor's `slots` until the session's transaction ends."""
    key = _sponsor_lock_key(sponsor_id)
    return any(
        session.scalar(select(func.pg_try_advisory_xact_lock(key, HEAVY_SLOT_BASE + slot))) for slot in range(slots)
    )


def take_free_heavy_slots(session: Session, sponsor_id: str, slots: int, wanted: int) -> int:
    """Take up to `wanted` of the sponsor's `slots` that no transaction holds, this one included
    (an advisory lock is taken again by the session holding it); how many were taken."""
    key = _sponsor_lock_key(sponsor_id)
    held_here = text(
        "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
        " AND pid = pg_backend_pid() AND classid::bigint = :key"
    )
    own = set(session.scalars(held_here, {"key": key}))
    taken = 0
    for slot in range(HEAVY_SLOT_BASE, HEAVY_SLOT_BASE + slots):
        if taken == wanted:
            break
        if slot not in own and session.scalar(select(func.pg_try_advisory_xact_lock(key, slot))):
            taken += 1
    return taken


def heavy_slots_in_use(session: Session, sponsor_id: str, slots: int) -> int:
    """How many of the sponsor's slots are held now, by any process."""
    held = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
        " AND classid::bigint = :key AND objid::bigint BETWEEN :first AND :last"
    )
    first = HEAVY_SLOT_BASE
    return session.scalar(held, {"key": _sponsor_lock_key(sponsor_id), "first": first, "last": first + slots - 1})
