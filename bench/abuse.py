"""/healthz latency while hostile traffic is sent in parallel, against the same server idle.

Usage: python bench/abuse.py [--seconds S] [--rate-limit N] [--kinds oversized,storms,drafts,headers,flood]

Starts `coursier serve --no-worker --with-sandbox` on a temporary data dir (embedded PostgreSQL;
the platform of bench/ingest.py), creates a sponsor and a client, measures /healthz idle, then
again while, for S seconds (default 20) and on loopback only, threads send: JSON bodies over the
body budget, floods of calls over the sponsor's per-minute limit (set to N, default 300), storms
of 50 concurrent POSTs under one Idempotency-Key, large drafts (thousands of lines) and requests
with too many headers. Prints both p99 latencies, their ratio, and the statuses each kind of
traffic got (a 500 among them is a bug).
"""

import argparse
import importlib.util
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

OVERSIZED_BYTES = 8 * 1024 * 1024  # over the default JSON budget (5 MiB)
DRAFT_LINES = 3000
STORM = 50


def _ingest():
    """bench/ingest.py, loaded by path: its Platform starts and stops the server processes."""
    spec = importlib.util.spec_from_file_location("ingest", Path(__file__).with_name("ingest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98] * 1000 if len(samples) >= 2 else float("nan")


def probe_health(url: str, stop: threading.Event, samples: list[float], pause: float = 0.02) -> None:
    with httpx.Client(timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            http.get(url + "/healthz").raise_for_status()
            samples.append(time.perf_counter() - started)
            time.sleep(pause)


def large_draft() -> dict:
    line = {
        "quantity": "1",
        "unit_code": "C62",
        "net_amount": "10.00",
        "price_details": {"net_price": "10.00"},
        "vat": {"category_code": "S", "rate": "20"},
        "item": {"name": "x" * 200},
    }
    lines = [dict(line, identifier=str(i)) for i in range(DRAFT_LINES)]
    return {"type_code": "380", "currency_code": "EUR", "lines": lines}


class Hostile:
    """The kinds of hostile traffic, each a loop until `stop`; statuses are tallied per kind."""

    def __init__(self, api: str, headers: dict, stop: threading.Event) -> None:
        self.api, self.headers, self.stop = api, headers, stop
        self.statuses: dict[str, Counter] = {}
        self._lock = threading.Lock()

    def _tally(self, kind: str, response: httpx.Response | None) -> None:
        with self._lock:
            self.statuses.setdefault(kind, Counter())[response.status_code if response else "error"] += 1

    def _loop(self, kind: str, send) -> None:
        with httpx.Client(base_url=self.api, headers=self.headers, timeout=60) as http:
            while not self.stop.is_set():
                try:
                    self._tally(kind, send(http))
                except httpx.HTTPError:
                    self._tally(kind, None)

    def oversized_bodies(self) -> None:
        def send(http):
            chunk = b"x" * (1024 * 1024)
            body = b'{"organization_name": "' + chunk * (OVERSIZED_BYTES // len(chunk)) + b'"}'
            return http.post("/clients", content=iter([body]), headers={"Content-Type": "application/json"})

        self._loop("oversized body", send)

    def rate_flood(self) -> None:
        self._loop("flood over the rate limit", lambda http: http.get("/clients"))

    def idempotency_storms(self) -> None:
        rounds = iter(range(10**9))

        def send(http):
            key = f"storm-{next(rounds)}-{time.monotonic_ns()}"
            body = {"organization_name": "Storm", "contact_email": "s@storm.fr", "external_ref": key}
            with ThreadPoolExecutor(max_workers=STORM) as pool:
                responses = list(
                    pool.map(lambda _: http.post("/clients", json=body, headers={"Idempotency-Key": key}), range(STORM))
                )
            for response in responses[1:]:
                self._tally("idempotency storm", response)
            return responses[0]

        self._loop("idempotency storm", send)

    def large_drafts(self) -> None:
        draft = large_draft()
        self._loop("large draft", lambda http: http.post("/drafts", json=draft))

    def header_bombs(self) -> None:
        bomb = {f"X-Bomb-{i}": "b" * 50 for i in range(300)}
        self._loop("too many headers", lambda http: http.get("/clients", headers=bomb))

    def run(self, kinds: list[str]) -> list[threading.Thread]:
        loops = {
            "oversized": [self.oversized_bodies],
            "storms": [self.idempotency_storms],
            "drafts": [self.large_drafts],
            "headers": [self.header_bombs],
            "flood": [self.rate_flood] * 4,
        }
        threads = [threading.Thread(target=loop, daemon=True) for kind in kinds for loop in loops[kind]]
        for thread in threads:
            thread.start()
        return threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate-limit", type=int, default=300)
    parser.add_argument(
        "--kinds", default="oversized,storms,drafts,headers,flood", help="the hostile traffic to send, comma apart"
    )
    args = parser.parse_args()

    ingest = _ingest()
    data_dir = Path(tempfile.mkdtemp(prefix="coursier-abuse-"))
    platform = ingest.Platform(data_dir, api_processes=1)
    platform.env["COURSIER_RATE_LIMIT_PER_MINUTE"] = str(args.rate_limit)
    try:
        platform.start()
        token = platform.sponsor_token()
        client = httpx.post(
            platform.url + "/api/clients",
            headers={"Authorization": token},
            json={"organization_name": "Abuse", "contact_email": "a@abuse.fr", "external_ref": "abuse"},
            timeout=30,
        ).json()["client"]
        headers = {"Authorization": token, "X-PDP-Client-Id": client["client_id"]}

        stop = threading.Event()
        idle: list[float] = []
        prober = threading.Thread(target=probe_health, args=(platform.url, stop, idle))
        prober.start()
        time.sleep(min(args.seconds, 10))
        stop.set()
        prober.join()

        stop = threading.Event()
        hostile = Hostile(platform.url + "/api", headers, stop)
        busy: list[float] = []
        prober = threading.Thread(target=probe_health, args=(platform.url, stop, busy))
        threads = hostile.run(args.kinds.split(","))
        prober.start()
        time.sleep(args.seconds)
        stop.set()
        prober.join()
        for thread in threads:
            thread.join(timeout=120)

        idle_p99, busy_p99 = p99(idle), p99(busy)
        print(f"/healthz p99 idle:    {idle_p99:8.1f} ms  ({len(idle)} probes)")
        print(f"/healthz p99 hostile: {busy_p99:8.1f} ms  ({len(busy)} probes)")
        print(f"ratio:                {busy_p99 / idle_p99:8.1f}")
        for kind, statuses in sorted(hostile.statuses.items()):
            print(f"  {kind:28} {dict(sorted(statuses.items(), key=str))}")
        if any(500 in statuses for statuses in hostile.statuses.values()):
            print("a hostile request got a 500: see", data_dir / "serve.log")
    finally:
        platform.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
