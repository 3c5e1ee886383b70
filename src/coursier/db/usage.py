"""Usage: API calls and domain counters, aggregated per sponsor, client and day."""

from datetime import date

from sqlalchemy import BigInteger, Date, Integer, String, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base

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


def add_api_calls(session: Session, rows: list[dict]) -> None:
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
    session.execute(stmt)


def increment_counter(
    session: Session, *, sponsor_id: str, client_id: str | None, day: date, counter: str, by: int = 1
) -> None:
    stmt = insert(UsageCounter).values(
        sponsor_id=sponsor_id, client_id=client_id or NO_CLIENT, day=day, counter=counter, value=by
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["sponsor_id", "client_id", "day", "counter"],
        set_={"value": UsageCounter.value + stmt.excluded.value},
    )
    session.execute(stmt)
