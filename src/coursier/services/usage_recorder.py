"""The API call recorder: every call counted per sponsor, client, day, area, endpoint and status class.

Calls are aggregated in memory and written in batches by a background thread, so counting costs a
request a dictionary update, not a database write. A process killed without a chance to flush
loses at most one flush interval of call counts (domain counters, which bill, are written in the
transaction of the action they count: `services.usage.count`). The same flush moves the tokens'
`last_used_at` forward.
"""

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from coursier.db.sponsors import SponsorRepository
from coursier.db.usage import NO_CLIENT, ApiUsageRepository
from coursier.kit import clock

log = logging.getLogger(__name__)


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
                ApiUsageRepository(session).add_calls(rows)
                tokens = SponsorRepository(session)
                for token_id, used_at in sorted(token_use.items()):
                    tokens.mark_used(token_id, used_at)
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


class Periodic:
    """A daemon thread that runs `action` every `interval` seconds until stopped, and once more
    at stop (the usage recorder's flush, the rate limiter's sync)."""

    def __init__(self, name: str, action: Callable[[], None], interval: float) -> None:
        self.action = action
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.action()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.action()
