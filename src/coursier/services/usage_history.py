"""Usage over time, per day or per month, with every bucket of the window (zeros included): what
the dashboard charts. The sponsor's whole usage, or one client's when the context names it."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from coursier.db.usage_history import calls_per_day, counters_per_day
from coursier.kit.tenancy import TenantContext
from coursier.services.usage import DOMAIN_COUNTERS, bucket_start

DAYS_SHOWN = 30
MONTHS_SHOWN = 12


def daily_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=DAYS_SHOWN - 1), today


def monthly_window(today: date) -> tuple[date, date]:
    start = today.replace(day=1)
    for _ in range(MONTHS_SHOWN - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


def _buckets(period: str, start: date, end: date) -> list[date]:
    buckets, day = [], bucket_start(start, period)
    while day <= end:
        buckets.append(day)
        day = day + timedelta(days=1) if period == "daily" else (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return buckets


def usage_history(session: Session, ctx: TenantContext, period: str, start: date, end: date) -> list[dict]:
    """One row per day or month ("daily", "monthly") from `start` to `end`: calls, successful and
    failed calls, and each domain counter."""
    rows = {
        bucket: {"period_start": bucket, "calls": 0, "successful": 0, "failed": 0} | dict.fromkeys(DOMAIN_COUNTERS, 0)
        for bucket in _buckets(period, start, end)
    }
    for day, calls, successful in calls_per_day(session, ctx.sponsor_id, ctx.client_id, start, end):
        row = rows[bucket_start(day, period)]
        row["calls"] += calls
        row["successful"] += successful
        row["failed"] += calls - successful
    for day, counter, value in counters_per_day(session, ctx.sponsor_id, ctx.client_id, start, end):
        if counter in DOMAIN_COUNTERS:
            rows[bucket_start(day, period)][counter] += value
    return list(rows.values())
