"""/healthz latency while hostile traffic is sent in parallel, against the same server idle; then
the memory of the API process across large requests.

Usage: python bench/abuse.py [--seconds S] [--rate-limit N] [--kinds oversized,storms,drafts,headers,flood]
                             [--large-requests N]

Starts `coursier serve --no-worker --with-sandbox` on a temporary data dir (embedded PostgreSQL;
the platform of bench/ingest.py), creates a sponsor and a client, measures /healthz idle, then
again while, for S seconds (default 20) and on loopback only, threads send: JSON bodies over the
body budget, floods of calls over the sponsor's per-minute limit (set to N, default 300), storms
of 50 concurrent POSTs under one Idempotency-Key, large drafts (thousands of lines) and requests
with too many headers. Prints both p99 latencies, their ratio, and the statuses each kind of
traffic got (a 500 among them is a bug).

Memory: the resident size (RSS) of the API process, and of its CPU worker processes together, is
sampled before, during (peak) and after each of two rounds of N (default 20) uploads of a large
invoice (2,000 lines, about 3 MB) and N reports on a large draft (1,000 lines), two at a time,
once every worker is warm (modules loaded, artefacts compiled), and printed. Memory the requests
gave back shows as "after" close to "before"; a second round adding as much again would be a leak.
"""

import argparse
import importlib.util
import json
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

OVERSIZED_BYTES = 8 * 1024 * 1024  # over the default JSON budget (5 MiB)
DRAFT_LINES = 3000
STORM = 50
LARGE_INVOICE_LINES = 2000
LARGE_DRAFT_LINES = 1000
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "invoices" / "fr-b2b-invoice.json"


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


def large_invoice() -> bytes:
    """A valid CII invoice of `LARGE_INVOICE_LINES` lines (its seller is no client: refused after
    every document check, which is the work measured)."""
    from coursier.formats import cii
    from coursier.model import Invoice, calc

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    del data["totals"], data["vat_breakdown"]
    line = data["lines"][0]
    data["lines"] = [
        dict(line, identifier=str(i), item=dict(line["item"], name="x" * 200)) for i in range(LARGE_INVOICE_LINES)
    ]
    return cii.write(calc.complete(Invoice.model_validate(data))).xml


def large_report_draft() -> dict:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    del data["number"], data["totals"], data["vat_breakdown"]
    data["lines"] = [dict(data["lines"][0], identifier=str(i)) for i in range(LARGE_DRAFT_LINES)]
    return data


class Memory:
    """RSS of the API process and of its CPU workers (the spawned children; not the sandbox)."""

    def __init__(self, pid: int) -> None:
        self.api = psutil.Process(pid)
        self.peak = (0, 0)
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def now(self) -> tuple[int, int]:
        workers = 0
        for child in self.api.children(recursive=True):
            try:
                if "multiprocessing" in " ".join(child.cmdline()):
                    workers += child.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return self.api.memory_info().rss, workers

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            api, workers = self.now()
            self.peak = (max(self.peak[0], api), max(self.peak[1], workers))

    def __enter__(self) -> "Memory":
        self._sampler.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._sampler.join()


def measure_memory(api: str, headers: dict, pid: int, count: int) -> None:
    invoice, draft = large_invoice(), large_report_draft()

    def upload(http: httpx.Client) -> int:
        files = {"file": ("large.xml", invoice, "application/xml")}
        return http.post("/invoicing/files/submit", files=files).status_code

    def report(http: httpx.Client) -> int:
        return http.post("/drafts/validate-data", json={"invoice_data": draft}).status_code

    def run(work, times: int) -> Counter:
        with httpx.Client(base_url=api, headers=headers, timeout=300) as http, ThreadPoolExecutor(2) as pool:
            return Counter(pool.map(lambda _: work(http), range(times)))

    # Two at a time from the start: every CPU worker has loaded its modules and compiled its artefacts.
    statuses = run(upload, 2) + run(report, 2)
    time.sleep(2)
    memory = Memory(pid)
    before = memory.now()
    afters = []
    with memory:
        for _ in range(2):  # a second round tells memory held for good from memory that keeps growing
            statuses += run(upload, count) + run(report, count)
            time.sleep(2)  # idle: what is given back is given back by now
            afters.append(memory.now())
    mib = 1024 * 1024
    size = len(invoice) / mib
    print(
        f"memory across 2 rounds of {count} uploads of {size:.1f} MiB and {count} reports of {LARGE_DRAFT_LINES} lines:"
    )
    for label, index in (("API process", 0), ("CPU workers", 1)):
        rounds = ", ".join(
            f"after round {n} {after[index] / mib:6.1f} MiB ({(after[index] - before[index]) / mib:+.1f})"
            for n, after in enumerate(afters, start=1)
        )
        print(f"  {label}: before {before[index] / mib:6.1f} MiB, peak {memory.peak[index] / mib:6.1f} MiB, {rounds}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")


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


def new_client(platform) -> dict:
    """The headers of a new sponsor's client."""
    token = platform.sponsor_token()
    client = httpx.post(
        platform.url + "/api/clients",
        headers={"Authorization": token},
        json={"organization_name": "Abuse", "contact_email": "a@abuse.fr", "external_ref": "abuse"},
        timeout=30,
    ).json()["client"]
    return {"Authorization": token, "X-PDP-Client-Id": client["client_id"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate-limit", type=int, default=300)
    parser.add_argument(
        "--kinds", default="oversized,storms,drafts,headers,flood", help="the hostile traffic to send, comma apart"
    )
    parser.add_argument("--large-requests", type=int, default=20, help="large uploads and large reports (memory)")
    args = parser.parse_args()

    ingest = _ingest()
    data_dir = Path(tempfile.mkdtemp(prefix="coursier-abuse-"))
    platform = ingest.Platform(data_dir, api_processes=1)
    platform.env["COURSIER_RATE_LIMIT_PER_MINUTE"] = str(args.rate_limit)
    try:
        platform.start()
        headers = new_client(platform)

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
        if args.large_requests:
            # A sponsor of its own: the flood used up the first one's minute.
            measure_memory(platform.url + "/api", new_client(platform), platform.processes[0].pid, args.large_requests)
    finally:
        platform.close()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
