"""Usage: every API call counted per sponsor and client, domain counters, metrics and billing export.

Calls are aggregated in memory and written in batches by a background thread, so counting costs a
request a dictionary update, not a database write. A process killed without a chance to flush
loses at most one flush interval of call counts; domain counters, which bill, are written in the
transaction of the action they count and are never lost.
"""

import csv
import io
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from coursier.db.clients import Client
from coursier.db.sponsors import ApiToken
from coursier.db.usage import NO_CLIENT, ApiUsageDaily, UsageCounter, add_api_calls, increment_counter
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext

log = logging.getLogger(__name__)

DOMAIN_COUNTERS = (
    "invoices_sent",
    "invoices_received",
    "drafts_finalized",
    "ereporting_items",
    "lifecycle_events",
    "webhook_deliveries",
)
PERIODS = ("daily", "weekly", "monthly", "yearly")


def count(session: Session, ctx: TenantContext, counter: str, by: int = 1) -> None:
    """Add to a domain counter, in the caller's transaction."""
    if counter not in DOMAIN_COUNTERS:
        raise ValueError(f"unknown usage counter {counter}")
    increment_counter(
        session,
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        day=clock.today(),
        counter=counter,
        by=by,
    )


@dataclass
class _Aggregate:
    calls: int = 0
    total_ms: int = 0
    max_ms: int = 0


@dataclass
class UsageRecorder:
    """Collects calls in memory; `flush()` writes them (called by a timer thread and at shutdown)."""

    sessions: sessionmaker[Session]
    _calls: dict[tuple, _Aggregate] = field(default_factory=lambda: defaultdict(_Aggregate))
    _token_use: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self,
        *,
        sponsor_id: str,
        client_id: str | None,
        token_id: str | None,
        area: str,
        endpoint: str,
        status: int,
        duration_ms: float,
    ) -> None:
        now = clock.now()
        key = (sponsor_id, client_id or NO_CLIENT, clock.paris_date(now), area, endpoint, f"{status // 100}xx")
        ms = round(duration_ms)
        with self._lock:
            agg = self._calls[key]
            agg.calls += 1
            agg.total_ms += ms
            agg.max_ms = max(agg.max_ms, ms)
            if token_id:
                self._token_use[token_id] = now

    def flush(self) -> None:
        with self._lock:
            calls, self._calls = self._calls, defaultdict(_Aggregate)
            token_use, self._token_use = self._token_use, {}
        if not calls and not token_use:
            return
        rows = [
            dict(
                sponsor_id=k[0],
                client_id=k[1],
                day=k[2],
                area=k[3],
                endpoint=k[4],
                status_class=k[5],
                calls=a.calls,
                total_ms=a.total_ms,
                max_ms=a.max_ms,
            )
            for k, a in sorted(calls.items())  # a stable order avoids deadlocks between flushing processes
        ]
        try:
            with self.sessions.begin() as session:
                add_api_calls(session, rows)
                for token_id, used_at in sorted(token_use.items()):
                    session.execute(
                        update(ApiToken)
                        .where(ApiToken.id == token_id)
                        .values(last_used_at=func.greatest(func.coalesce(ApiToken.last_used_at, used_at), used_at))
                    )
        except Exception:
            log.exception("usage flush failed; %d call rows put back", len(rows))
            with self._lock:
                for key, agg in calls.items():
                    merged = self._calls[key]
                    merged.calls += agg.calls
                    merged.total_ms += agg.total_ms
                    merged.max_ms = max(merged.max_ms, agg.max_ms)
                for token_id, used_at in token_use.items():
                    self._token_use.setdefault(token_id, used_at)


class UsageFlusher:
    """A daemon thread that flushes a recorder every `interval` seconds until stopped."""

    def __init__(self, recorder: UsageRecorder, interval: float) -> None:
        self.recorder = recorder
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="usage-flusher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.recorder.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.recorder.flush()


# ---- reading ---------------------------------------------------------------------------------


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


def _success_calls():
    return func.sum(case((ApiUsageDaily.status_class.in_(("2xx", "3xx")), ApiUsageDaily.calls), else_=0))


def client_metrics(session: Session, ctx: TenantContext, period: str, start: date, end: date) -> dict:
    where = (
        ApiUsageDaily.sponsor_id == ctx.sponsor_id,
        ApiUsageDaily.client_id == ctx.client_id,
        ApiUsageDaily.day.between(start, end),
    )
    rows = session.execute(
        select(
            ApiUsageDaily.day,
            ApiUsageDaily.area,
            ApiUsageDaily.endpoint,
            func.sum(ApiUsageDaily.calls),
            _success_calls(),
            func.sum(ApiUsageDaily.total_ms),
            func.max(ApiUsageDaily.max_ms),
        )
        .where(*where)
        .group_by(ApiUsageDaily.day, ApiUsageDaily.area, ApiUsageDaily.endpoint)
    ).all()

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
        "counters": _counters(session, ctx.sponsor_id, [ctx.client_id], start, end).get(
            ctx.client_id, _zero_counters()
        ),
        "generated_at": clock.now(),
    }


def _zero_counters() -> dict[str, int]:
    return {name: 0 for name in DOMAIN_COUNTERS}


def _counters(
    session: Session, sponsor_id: str, client_ids: list[str] | None, start: date, end: date
) -> dict[str, dict]:
    stmt = (
        select(UsageCounter.client_id, UsageCounter.counter, func.sum(UsageCounter.value))
        .where(UsageCounter.sponsor_id == sponsor_id, UsageCounter.day.between(start, end))
        .group_by(UsageCounter.client_id, UsageCounter.counter)
    )
    if client_ids is not None:
        stmt = stmt.where(UsageCounter.client_id.in_(client_ids))
    result: dict[str, dict] = defaultdict(_zero_counters)
    for client_id, counter, value in session.execute(stmt):
        if counter in DOMAIN_COUNTERS:
            result[client_id][counter] = int(value)
    return result


def client_summary(session: Session, ctx: TenantContext, today: date) -> dict:
    this_month = today.replace(day=1)
    previous_month = (this_month - timedelta(days=1)).replace(day=1)
    where = (ApiUsageDaily.sponsor_id == ctx.sponsor_id, ApiUsageDaily.client_id == ctx.client_id)

    def calls_between(a: date, b: date) -> int:
        return int(
            session.scalar(
                select(func.coalesce(func.sum(ApiUsageDaily.calls), 0)).where(*where, ApiUsageDaily.day.between(a, b))
            )
        )

    current = calls_between(this_month, today)
    previous = calls_between(previous_month, this_month - timedelta(days=1))
    per_endpoint = session.execute(
        select(ApiUsageDaily.endpoint, func.sum(ApiUsageDaily.calls).label("n"))
        .where(*where, ApiUsageDaily.day.between(this_month, today))
        .group_by(ApiUsageDaily.endpoint)
        .order_by(func.sum(ApiUsageDaily.calls).desc(), ApiUsageDaily.endpoint)
    ).all()
    peak = session.execute(
        select(ApiUsageDaily.day, func.sum(ApiUsageDaily.calls))
        .where(*where, ApiUsageDaily.day.between(this_month, today))
        .group_by(ApiUsageDaily.day)
        .order_by(func.sum(ApiUsageDaily.calls).desc(), ApiUsageDaily.day)
        .limit(1)
    ).first()
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


def billing_rows(session: Session, sponsor_id: str, month: str) -> list[dict]:
    """One row per client of the sponsor (plus sponsor-level calls) for a calendar month."""
    start, end = month_bounds(month)
    calls = {
        client_id: (int(n), int(ok))
        for client_id, n, ok in session.execute(
            select(ApiUsageDaily.client_id, func.sum(ApiUsageDaily.calls), _success_calls())
            .where(ApiUsageDaily.sponsor_id == sponsor_id, ApiUsageDaily.day.between(start, end))
            .group_by(ApiUsageDaily.client_id)
        )
    }
    counters = _counters(session, sponsor_id, None, start, end)
    clients = session.execute(
        select(Client.id, Client.external_ref, Client.organization_name)
        .where(Client.sponsor_id == sponsor_id)
        .order_by(Client.created_at, Client.id)
    ).all()
    known = [(c.id, c.external_ref, c.organization_name) for c in clients]
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
