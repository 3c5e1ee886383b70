"""Usage day by day, for charts: API calls and domain counters of a sponsor, or of one client."""

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from coursier.db.usage import ApiUsageDaily, UsageCounter


def successful_calls():
    """The calls that succeeded (2xx and 3xx), summed."""
    return func.sum(case((ApiUsageDaily.status_class.in_(("2xx", "3xx")), ApiUsageDaily.calls), else_=0))


def calls_per_day(
    session: Session, sponsor_id: str, client_id: str | None, start: date, end: date
) -> list[tuple[date, int, int]]:
    """(day, calls, successful calls) for each day with calls; every client's when `client_id` is None."""
    stmt = select(ApiUsageDaily.day, func.sum(ApiUsageDaily.calls), successful_calls()).where(
        ApiUsageDaily.sponsor_id == sponsor_id, ApiUsageDaily.day.between(start, end)
    )
    if client_id is not None:
        stmt = stmt.where(ApiUsageDaily.client_id == client_id)
    rows = session.execute(stmt.group_by(ApiUsageDaily.day).order_by(ApiUsageDaily.day))
    return [(day, int(calls), int(ok)) for day, calls, ok in rows]


def counters_per_day(
    session: Session, sponsor_id: str, client_id: str | None, start: date, end: date
) -> list[tuple[date, str, int]]:
    """(day, counter, value) for each day and domain counter that moved."""
    stmt = select(UsageCounter.day, UsageCounter.counter, func.sum(UsageCounter.value)).where(
        UsageCounter.sponsor_id == sponsor_id, UsageCounter.day.between(start, end)
    )
    if client_id is not None:
        stmt = stmt.where(UsageCounter.client_id == client_id)
    rows = session.execute(stmt.group_by(UsageCounter.day, UsageCounter.counter).order_by(UsageCounter.day))
    return [(day, counter, int(value)) for day, counter, value in rows]
