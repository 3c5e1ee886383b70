"""Fairness between sponsors: rate limits per minute, hour and day, and a cap on the heavy requests
(uploads, draft validation and finalization, PDF renderings) a sponsor runs at once.

Rate limits hold across processes with PostgreSQL as the only shared state, without a round trip
per request: each process counts calls in memory and, every `rate_limit_sync_seconds`, adds its
new counts to the shared windows and reads back every sponsor's totals. A call is admitted while
the totals last read plus this process's calls since then stay under the limit. The
approximation: what the other processes admitted since the last sync is not seen yet, so with N
processes a sponsor may pass a limit by what N-1 of them admit in one sync interval. Windows are
fixed (UTC minute, hour and day), so a burst across a window's end can reach twice a limit.

The heavy-request cap is a number of slots per sponsor, PostgreSQL advisory locks held by the
request's transaction: they count across processes, and are freed when the transaction ends,
however it ends.
"""

import logging
import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.db.usage import (
    ApiUsageRepository,
    RateWindowRepository,
    heavy_slots_in_use,
    take_free_heavy_slots,
    try_heavy_slot,
)
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext

log = logging.getLogger(__name__)

PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
# Windows older than this are deleted by the sync (at most once an hour per process).
_KEPT_WINDOWS = timedelta(days=2)
_PURGE_EVERY = timedelta(hours=1)


def window_start(period: str, now: datetime) -> datetime:
    if period == "minute":
        return now.replace(second=0, microsecond=0)
    if period == "hour":
        return now.replace(minute=0, second=0, microsecond=0)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def limits_of(settings: Settings) -> dict[str, int]:
    """Period → calls allowed in it (0: no limit)."""
    return {
        "minute": settings.rate_limit_per_minute,
        "hour": settings.rate_limit_per_hour,
        "day": settings.rate_limit_per_day,
    }


@dataclass(frozen=True)
class Refusal:
    period: str
    limit: int
    retry_after: int  # seconds until the window ends


@dataclass(frozen=True)
class WindowUsage:
    period: str
    limit: int | None
    used: int
    remaining: int | None
    resets_at: datetime


class RateLimiter:
    """One per process: `admit` decides in memory; `sync` (a timer thread) reconciles with the database."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self._known: dict[tuple[str, str, datetime], int] = {}
        self._pending: dict[tuple[str, str, datetime], int] = defaultdict(int)
        # Counts being written by a sync: still this process's calls until the totals come back.
        self._in_flight: dict[tuple[str, str, datetime], int] = {}
        self._lock = threading.Lock()
        self._purged_at: datetime | None = None

    def _used(self, key: tuple[str, str, datetime]) -> int:
        return self._known.get(key, 0) + self._in_flight.get(key, 0) + self._pending.get(key, 0)

    def admit(self, sponsor_id: str, calls: int = 1) -> Refusal | None:
        """Count `calls` of the sponsor (a bulk deposit is a call per file), or say which limit
        refuses them (they are then not counted)."""
        now = clock.now()
        limits = limits_of(self.settings)
        keys = {period: (sponsor_id, period, window_start(period, now)) for period in PERIODS}
        with self._lock:
            for period, limit in limits.items():
                if limit and self._used(keys[period]) + calls > limit:
                    window_end = keys[period][2] + PERIODS[period]
                    return Refusal(period, limit, max(1, math.ceil((window_end - now).total_seconds())))
            for key in keys.values():
                self._pending[key] += calls
        return None

    def usage(self, sponsor_id: str) -> list[WindowUsage]:
        now = clock.now()
        result = []
        with self._lock:
            for period, limit in limits_of(self.settings).items():
                start = window_start(period, now)
                used = self._used((sponsor_id, period, start))
                result.append(
                    WindowUsage(
                        period=period,
                        limit=limit or None,
                        used=used,
                        remaining=max(0, limit - used) if limit else None,
                        resets_at=start + PERIODS[period],
                    )
                )
        return result

    def sync(self) -> None:
        now = clock.now()
        with self._lock:
            pending, self._pending = self._pending, defaultdict(int)
            self._in_flight = pending
        rows = [
            {"sponsor_id": sponsor_id, "period": period, "window_start": start, "calls": calls}
            for (sponsor_id, period, start), calls in sorted(pending.items())  # a stable order: no deadlocks
        ]
        purge = self._purged_at is None or now - self._purged_at > _PURGE_EVERY
        try:
            with self.sessions.begin() as session:
                windows = RateWindowRepository(session)
                windows.add(rows)
                totals = windows.totals([(period, window_start(period, now)) for period in PERIODS])
                if purge:
                    windows.purge_before(now - _KEPT_WINDOWS)
        except Exception:
            log.exception("rate-limit sync failed; %d window counts put back", len(rows))
            with self._lock:
                self._in_flight = {}
                for key, calls in pending.items():
                    self._pending[key] += calls
            return
        if purge:
            self._purged_at = now
        with self._lock:
            self._known = {(sponsor_id, period, start): calls for sponsor_id, period, start, calls in totals}
            self._in_flight = {}


def take_heavy_slot(session: Session, sponsor_id: str, slots: int) -> bool:
    """A heavy request of the sponsor may start (slots: the cap; 0 means none)."""
    return slots <= 0 or try_heavy_slot(session, sponsor_id, slots)


def take_more_heavy_slots(session: Session, sponsor_id: str, slots: int, wanted: int) -> int:
    """How many of `wanted` more slots a heavy request holding one already could take (as many
    as wanted when there is no cap): a request doing the work of several runs as several."""
    if slots <= 0:
        return wanted
    return take_free_heavy_slots(session, sponsor_id, slots, wanted) if wanted > 0 else 0


def heavy_requests_running(session: Session, sponsor_id: str, slots: int) -> int:
    return heavy_slots_in_use(session, sponsor_id, slots) if slots > 0 else 0


def limits_report(session: Session, limiter: RateLimiter, ctx: TenantContext) -> dict:
    """The sponsor's limits and what it used of each, as this process knows it (other processes'
    calls since the last sync are not in it); the month has no limit and is read from usage."""
    today = clock.today()
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    month_calls = ApiUsageRepository(session).calls_between(
        TenantContext(sponsor_id=ctx.sponsor_id), month_start, today
    )
    slots = limiter.settings.heavy_requests_per_sponsor
    return {
        "sponsor_id": ctx.sponsor_id,
        "limits": [
            *(vars(window) for window in limiter.usage(ctx.sponsor_id)),
            {
                "period": "month",
                "limit": None,
                "used": month_calls,
                "remaining": None,
                "resets_at": clock.start_of(next_month),
            },
        ],
        "heavy_requests": {"limit": slots or None, "running": heavy_requests_running(session, ctx.sponsor_id, slots)},
    }
