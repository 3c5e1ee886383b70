"""Usage as sponsors are billed for it: domain counters, and the reports read from them and from the
API call counts (`services.usage_recorder`): a client's metrics and summary, the sponsor's billing
export.

Domain counters are written in the transaction of the action they count, so they are never lost.
"""

import csv
import io
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from coursier.db.clients import ClientRepository
from coursier.db.usage import ApiUsageRepository, UsageCounterRepository
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext

DOMAIN_COUNTERS = (
    "invoices_sent",
    "invoices_received",
    "drafts_finalized",
    "ereporting_items",
    "lifecycle_events",
    "webhook_deliveries",
    "validation_incidents",
)
PERIODS = ("daily", "weekly", "monthly", "yearly")


def count(session: Session, ctx: TenantContext, counter: str, by: int = 1) -> None:
    """Add to a domain counter, in the caller's transaction."""
    if counter not in DOMAIN_COUNTERS:
        raise ValueError(f"unknown usage counter {counter}")
    UsageCounterRepository(session).increment(ctx, day=clock.today(), counter=counter, by=by)


def default_window(period: str, today: date) -> tuple[date, date]:
    """Without explicit dates, a period covers its current unit up to today."""
    starts = {
        "daily": today,
        "weekly": today - timedelta(days=today.weekday()),
        "monthly": today.replace(day=1),
        "yearly": today.replace(month=1, day=1),
    }
    return starts[period], today


def bucket_start(day: date, period: str) -> date:
    return default_window(period, day)[0]


def check_window(period: str, start: date | None, end: date | None, today: date) -> tuple[date, date]:
    if period not in PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(PERIODS)}", code="invalid_period")
    default_start, default_end = default_window(period, today)
    start, end = start or default_start, end or default_end
    if start > end:
        raise InvalidInput("start_date is after end_date", code="invalid_date_range")
    if (end - start).days > 3660:
        raise InvalidInput("The date range may cover at most ten years", code="invalid_date_range")
    return start, end


def client_metrics(session: Session, ctx: TenantContext, period: str, start: date, end: date) -> dict:
    rows = ApiUsageRepository(session).per_day_and_endpoint(ctx, start, end)

    total = successful = 0
    endpoint_usage: dict[str, int] = defaultdict(int)
    areas: dict[str, dict] = {}
    series: dict[date, dict] = {}
    for day, area, endpoint, calls, ok, total_ms, max_ms in rows:
        calls, ok = int(calls), int(ok)
        total += calls
        successful += ok
        endpoint_usage[endpoint] += calls
        a = areas.setdefault(
            area, {"area": area, "calls": 0, "successful": 0, "failed": 0, "_ms": 0, "max_duration_ms": 0}
        )
        a["calls"] += calls
        a["successful"] += ok
        a["failed"] += calls - ok
        a["_ms"] += int(total_ms)
        a["max_duration_ms"] = max(a["max_duration_ms"], int(max_ms))
        b = series.setdefault(bucket_start(day, period), {"total_api_calls": 0, "successful": 0, "failed": 0})
        b["total_api_calls"] += calls
        b["successful"] += ok
        b["failed"] += calls - ok
    for a in areas.values():
        a["average_duration_ms"] = round(a.pop("_ms") / a["calls"], 1) if a["calls"] else 0.0

    return {
        "company_id": ctx.client_id,
        "period": period,
        "start_date": start,
        "end_date": end,
        "total_api_calls": total,
        "total_successful_calls": successful,
        "total_failed_calls": total - successful,
        "success_rate": round(100.0 * successful / total, 2) if total else 0.0,
        "endpoint_usage": dict(sorted(endpoint_usage.items())),
        "areas": sorted(areas.values(), key=lambda a: a["area"]),
        "series": [{"period_start": k, **v} for k, v in sorted(series.items())],
        "counters": _counters(session, ctx, start, end).get(ctx.client_id, _zero_counters()),
        "generated_at": clock.now(),
    }


def _zero_counters() -> dict[str, int]:
    return {name: 0 for name in DOMAIN_COUNTERS}


def _counters(session: Session, ctx: TenantContext, start: date, end: date) -> dict[str, dict]:
    """Client id → the domain counters' totals, for the clients the caller sees."""
    result: dict[str, dict] = defaultdict(_zero_counters)
    for client_id, counter, value in UsageCounterRepository(session).totals(ctx, start, end):
        if counter in DOMAIN_COUNTERS:
            result[client_id][counter] = int(value)
    return result


def client_summary(session: Session, ctx: TenantContext, today: date) -> dict:
    this_month = today.replace(day=1)
    previous_month = (this_month - timedelta(days=1)).replace(day=1)
    calls = ApiUsageRepository(session)
    current = calls.calls_between(ctx, this_month, today)
    previous = calls.calls_between(ctx, previous_month, this_month - timedelta(days=1))
    per_endpoint = calls.calls_per_endpoint(ctx, this_month, today)
    peak = calls.busiest_day(ctx, this_month, today)
    return {
        "company_id": ctx.client_id,
        "current_month_calls": current,
        "previous_month_calls": previous,
        "month_over_month_change": round(100.0 * (current - previous) / previous, 2) if previous else None,
        "most_used_endpoint": per_endpoint[0][0] if per_endpoint else None,
        "least_used_endpoint": per_endpoint[-1][0] if per_endpoint else None,
        "peak_usage_day": peak[0] if peak else None,
        "peak_usage_count": int(peak[1]) if peak else 0,
    }


def month_bounds(month: str) -> tuple[date, date]:
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise InvalidInput("month must be YYYY-MM", code="invalid_month") from None
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def billing_rows(session: Session, ctx: TenantContext, month: str) -> list[dict]:
    """One row per client of the sponsor (plus sponsor-level calls) for a calendar month."""
    start, end = month_bounds(month)
    calls = ApiUsageRepository(session).calls_per_client(ctx, start, end)
    counters = _counters(session, ctx, start, end)
    known = [(c.id, c.external_ref, c.organization_name) for c in ClientRepository(session).all_of(ctx)]
    # Deleted clients still bill for the calls they made; sponsor-level calls have no client.
    known_ids = {c[0] for c in known}
    for client_id in sorted((set(calls) | set(counters)) - known_ids):
        known.append((client_id, None, None))
    rows = []
    for client_id, external_ref, name in known:
        n, ok = calls.get(client_id, (0, 0))
        rows.append(
            {
                "month": month,
                "client_id": client_id or None,
                "external_ref": external_ref,
                "organization_name": name,
                "api_calls": n,
                "successful_calls": ok,
                "failed_calls": n - ok,
                **counters.get(client_id, _zero_counters()),
            }
        )
    return rows


def billing_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    fields = [
        "month",
        "client_id",
        "external_ref",
        "organization_name",
        "api_calls",
        "successful_calls",
        "failed_calls",
        *DOMAIN_COUNTERS,
    ]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# ---- usage over time, per day or per month, every bucket of the window (zeros included): the dashboard's charts

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
    for day, calls, successful in ApiUsageRepository(session).calls_per_day(ctx, start, end):
        row = rows[bucket_start(day, period)]
        row["calls"] += calls
        row["successful"] += successful
        row["failed"] += calls - successful
    for day, counter, value in UsageCounterRepository(session).per_day(ctx, start, end):
        if counter in DOMAIN_COUNTERS:
            rows[bucket_start(day, period)][counter] += value
    return list(rows.values())
