"""Ingest throughput and latency of the API, single uploads and bulk, against bare validation.

Usage: python bench/ingest.py [N] [--concurrency C] [--batch B] [--api-processes P]

Starts `coursier serve --no-worker --with-sandbox` processes (one per core) on a temporary data dir
(embedded PostgreSQL, the PPF sandbox as the directory), creates a sponsor and clients with active
mandates, then, with real invoices:
- single uploads (POST /api/invoicing/files/submit): N at full speed (C at once), then N more paced
  at half the rate reached (open loop): invoices/s, p50/p99 latency, errors;
- bulk (POST /api/invoicing/files/submit-batch): N files in batches of B, one batch per API
  process at once: invoices/s;
- the bare `coursier.validation.validate` of the same files in the same run, on every core (a
  process pool, stylesheets compiled beforehand), by the official artefacts (the baseline of the
  ratios) and by the native engine the API runs: invoices/s;
- the CPU each phase cost per invoice: the API processes handling the requests, their CPU workers
  reading and validating the files, and PostgreSQL, from /proc (psutil).
Rate limits are off (the bench measures throughput); the heavy-request cap is the default.

The invoices are the French model fixtures (tests/fixtures/invoices, three documents) written as
CII, UBL and Factur-X, with unique numbers, between companies of the sandbox register: the
official samples in ../shared/samples have sellers outside that register (and most are not French
invoices), so no mandate could make their sellers this platform's clients.

Routing is left out of the timed phases (no worker runs then); afterwards a worker is started and
the time it takes to route every accepted invoice is printed too.
"""

import argparse
import base64
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

import httpx
import psutil

from coursier.sandbox.process import free_port
from coursier.sandbox.register import generated_company
from coursier.validation import Engine, validate

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("cii", "ubl", "facturx")
CLIENT_PAIRS = 8  # sellers and as many buyers: deposits spread over clients as real traffic does
SIGNED_PDF = base64.b64encode(b"%PDF-1.7\n% consent signed for the bench\n%%EOF\n").decode()


def _factories():
    """The invoice factories of the tests (tests/support/factories.py), loaded by path."""
    spec = importlib.util.spec_from_file_location("factories", ROOT / "tests" / "support" / "factories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Platform:
    """`coursier serve` processes (the first with the sandbox), and workers on demand, on one
    temporary data dir: the scale-out the README describes, one API process per core."""

    def __init__(self, data_dir: Path, api_processes: int) -> None:
        self.data_dir = data_dir
        self.urls = [f"http://127.0.0.1:{free_port()}" for _ in range(api_processes)]
        self.url = self.urls[0]
        self.env = {
            **os.environ,
            "COURSIER_DATA_DIR": str(data_dir),
            "PPF_URL": f"http://127.0.0.1:{free_port()}",
            # The sandbox of --with-sandbox routes to a line the day it is registered: so do all.
            "COURSIER_PPF_LINE_NOTICE_DAYS": "0",
            "COURSIER_LOG_LEVEL": "WARNING",
            "COURSIER_RATE_LIMIT_PER_MINUTE": "0",
            "COURSIER_RATE_LIMIT_PER_HOUR": "0",
            "COURSIER_RATE_LIMIT_PER_DAY": "0",
        }
        self.env.pop("DATABASE_URL", None)
        self.processes: list[subprocess.Popen] = []

    def spawn(self, *arguments: str, port: str | None = None) -> subprocess.Popen:
        env = {**self.env, "PORT": port} if port else self.env
        with (self.data_dir / f"{arguments[0]}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "coursier", *arguments],
                env=env,
                cwd=self.data_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def start(self) -> None:
        for index, url in enumerate(self.urls):
            sandbox = ("--with-sandbox",) if index == 0 else ()
            self.spawn("serve", "--no-worker", *sandbox, port=url.rsplit(":", 1)[1])
            deadline = time.monotonic() + 120
            while not self._answers(url):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"coursier serve did not start; see {self.data_dir / 'serve.log'}")
                time.sleep(0.2)

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            return httpx.get(url + "/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def sponsor_token(self) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "coursier", "sponsors", "create", "bench", "--json"],
            env=self.env,
            cwd=self.data_dir,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out)["token"]

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                self.stop(process)

    def cpu_seconds(self) -> tuple[float, float, float]:
        """CPU used so far by the API processes, by their children (the CPU workers that read and
        validate the files, the sandbox), and by PostgreSQL."""
        trees = [_cpu_of_tree(process.pid) for process in self.processes if process.poll() is None]
        api, children = sum(own for own, _ in trees), sum(below for _, below in trees)
        cluster = str(self.data_dir)
        database = 0.0
        for process in psutil.process_iter(["name", "cmdline"]):
            try:
                if process.info["name"] == "postgres" and cluster in " ".join(process.info["cmdline"] or ()):
                    database += sum(_cpu_of_tree(process.pid))
            except psutil.Error:
                continue
        return api, children, database


def _cpu_of_tree(pid: int) -> tuple[float, float]:
    """CPU seconds of process `pid` itself, and of its children (the database's: all in the first)."""
    try:
        root = psutil.Process(pid)
        children = root.children(recursive=True)
        return _cpu_of(root), sum(_cpu_of(child) for child in children)
    except psutil.Error:
        return 0.0, 0.0


def _cpu_of(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


def _companies(count: int) -> list:
    """Active register companies of the sandbox's seed, each with an active site."""
    found = []
    for index in range(200):
        company = generated_company(index)
        sites = [site for site in company.establishments if site.administrative_status == "A"]
        if company.status == "A" and sites:
            found.append(company.model_copy(update={"establishments": sites}))
        if len(found) == count:
            return found
    raise RuntimeError("not enough active companies in the sandbox seed")


def set_up_clients(platform: Platform, token: str, companies: list) -> list[dict]:
    """One client per company, each with an active SIREN mandate (registered by a worker)."""
    api = httpx.Client(base_url=platform.url + "/api", headers={"Authorization": token}, timeout=60)
    clients = []
    for company in companies:
        client = api.post(
            "/clients",
            json={
                "organization_name": company.legal_name,
                "contact_email": "b@bench.fr",
                "external_ref": company.siren,
            },
        ).json()["client"]
        headers = {"X-PDP-Client-Id": client["client_id"]}
        mandate = api.post("/mandates", headers=headers, json={"siren": company.siren, "file_attachment": SIGNED_PDF})
        mandate.raise_for_status()
        clients.append({"headers": {"Authorization": token, **headers}, "mandate": mandate.json()["id"]})
    worker = platform.spawn("worker")
    deadline = time.monotonic() + 120
    while any(api.get(f"/mandates/{c['mandate']}", headers=c["headers"]).json()["status"] != "active" for c in clients):
        if time.monotonic() > deadline:
            raise RuntimeError("mandates did not become active")
        time.sleep(0.5)
    platform.stop(worker)
    return clients


def make_files(factories, pairs: list[tuple], count: int, prefix: str) -> list[tuple[dict, str, bytes]]:
    """`count` invoices (seller headers, file name, content), templates and formats in turn."""
    files = []
    kinds = cycle([(template, fmt) for template in factories.TEMPLATES for fmt in FORMATS])
    for index in range(count):
        (seller_client, seller, buyer), (template, fmt) = pairs[index % len(pairs)], next(kinds)
        invoice = factories.french_invoice(seller, buyer, number=f"{prefix}{index:05d}", template=template)
        name, content = factories.as_file(invoice, fmt)
        files.append((seller_client["headers"], name, content))
    return files


def _warm(contents: list[bytes], engine: Engine) -> None:
    for content in contents:
        validate(content, engine=engine)


def _validate_all(contents: list[bytes], engine: Engine) -> tuple[int, float]:
    started = time.process_time()
    for content in contents:
        validate(content, engine=engine)
    return len(contents), time.process_time() - started


def bare_validation(files, engine: Engine) -> tuple[float, float]:
    """Invoices/s of `validate` by `engine` on the files over every core (one process per core,
    each with its stylesheets compiled before the timing), and the CPU it spends per invoice, in ms."""
    cores = os.cpu_count() or 1
    contents = [content for _, _, content in files]
    warm_up = contents[: len(FORMATS) * 3]
    with ProcessPoolExecutor(max_workers=cores, initializer=_warm, initargs=(warm_up, engine)) as pool:
        list(pool.map(_warm, [[]] * cores, [engine] * cores))  # every worker started (and warmed) before the timing
        started = time.perf_counter()
        shares = [contents[index::cores] for index in range(cores)]
        results = list(pool.map(_validate_all, shares, [engine] * cores))
        elapsed = time.perf_counter() - started
    done = sum(count for count, _ in results)
    return done / elapsed, sum(cpu for _, cpu in results) / done * 1000


def upload(http: httpx.Client, url: str, item) -> tuple[float, str | None]:
    headers, name, content = item
    started = time.perf_counter()
    try:
        r = http.post(url, headers=headers, files={"file": (name, content)})
        ok = r.status_code == 201 and r.json()["status"] == "validated"
        error = None if ok else f"{r.status_code} {r.text[:200]}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - started, error


def upload_batch(http: httpx.Client, url: str, items) -> tuple[float, str | None]:
    """One bulk deposit of `items` (all of one seller); an error unless every file is accepted."""
    headers = items[0][0]
    started = time.perf_counter()
    try:
        r = http.post(url, headers=headers, files=[("files", (name, content)) for _, name, content in items])
        ok = r.status_code == 201 and r.json()["accepted"] == len(items)
        error = None if ok else f"{r.status_code} {r.text[:300]}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - started, error


def run_phase(
    platform: Platform, urls: list[str], items, *, concurrency: int, rate: float | None = None, send=upload, files=None
) -> dict:
    """Send `items` C at once (rate None), or at `rate` per second on schedule (open loop), the
    API processes taking them in turn; `files` is how many invoices they hold (one each by default)."""
    local = threading.local()
    cpu_before = platform.cpu_seconds()
    start = time.perf_counter()

    def one(indexed):
        index, item = indexed
        if rate is not None:
            time.sleep(max(0.0, start + index / rate - time.perf_counter()))
        if not hasattr(local, "http"):
            local.http = httpx.Client(timeout=600)
        return send(local.http, urls[index % len(urls)], item)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, enumerate(items)))
    elapsed = time.perf_counter() - start
    cpu_after = platform.cpu_seconds()
    files = files or len(items)
    latencies = sorted(latency for latency, _ in results)
    return {
        "rate": files / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": [error for _, error in results if error],
        "handling_cpu_ms": (cpu_after[0] - cpu_before[0]) / files * 1000,
        "workers_cpu_ms": (cpu_after[1] - cpu_before[1]) / files * 1000,
        "db_cpu_ms": (cpu_after[2] - cpu_before[2]) / files * 1000,
    }


def batches(files, size: int) -> list[list]:
    """`files` in batches of `size`, each of one seller (a batch is one client's request)."""
    by_seller: dict[str, list] = {}
    for item in files:
        by_seller.setdefault(item[0]["X-PDP-Client-Id"], []).append(item)
    return [group[i : i + size] for group in by_seller.values() for i in range(0, len(group), size)]


def wait_for_routing(platform: Platform, clients: list[dict]) -> float:
    """Seconds a worker takes to route everything accepted (no invoice left `validated`)."""
    worker = platform.spawn("worker")
    started = time.perf_counter()
    with httpx.Client(base_url=platform.url + "/api", timeout=60) as api:
        while any(
            api.get("/invoicing/invoices", headers=c["headers"], params={"status": "validated", "limit": 1}).json()
            for c in clients
        ):
            time.sleep(0.5)
    elapsed = time.perf_counter() - started
    platform.stop(worker)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=300, help="invoices per timed phase")
    parser.add_argument("--concurrency", type=int, default=4, help="single uploads at once in the peak phase")
    parser.add_argument("--batch", type=int, default=50, help="files per bulk deposit")
    parser.add_argument("--api-processes", type=int, default=os.cpu_count(), help="coursier serve processes")
    parser.add_argument("--single-only", action="store_true", help="no bulk phase (a server without bulk deposit)")
    args = parser.parse_args()
    factories = _factories()
    data_dir = Path(tempfile.mkdtemp(prefix="coursier-bench-"))
    platform = Platform(data_dir, args.api_processes)
    try:
        platform.start()
        companies = _companies(2 * CLIENT_PAIRS)
        clients = set_up_clients(platform, platform.sponsor_token(), companies)
        pairs = [(clients[i], companies[i], companies[CLIENT_PAIRS + i]) for i in range(CLIENT_PAIRS)]
        print(f"generating {3 * args.n + 27} invoices ({', '.join(FORMATS)})...", flush=True)
        warm_up = make_files(factories, pairs, 27, "W")
        peak_files = make_files(factories, pairs, args.n, "P")
        paced_files = make_files(factories, pairs, args.n, "Q")
        bulk_files = make_files(factories, pairs, args.n, "B")
        bare, bare_cpu_ms = bare_validation(peak_files, Engine.OFFICIAL)
        native, native_cpu_ms = bare_validation(peak_files, Engine.NATIVE)
        urls = [url + "/api/invoicing/files/submit" for url in platform.urls]
        batch_urls = [url + "/api/invoicing/files/submit-batch" for url in platform.urls]
        run_phase(platform, urls, warm_up, concurrency=len(urls))
        peak = run_phase(platform, urls, peak_files, concurrency=args.concurrency)
        paced = run_phase(platform, urls, paced_files, concurrency=4 * args.concurrency, rate=peak["rate"] / 2)
        bulk = None
        if not args.single_only:
            bulk = run_phase(
                platform,
                batch_urls,
                batches(bulk_files, args.batch),
                concurrency=len(batch_urls),
                send=upload_batch,
                files=len(bulk_files),
            )
        routing = wait_for_routing(platform, clients)
    finally:
        platform.close()
        shutil.rmtree(data_dir, ignore_errors=True)

    cores = os.cpu_count()
    print(
        f"{args.n} invoices per phase, {cores} CPUs, {args.api_processes} API processes, "
        f"files: {', '.join(FORMATS)} x 3 fixtures"
    )
    print(f"bare official validation on {cores} cores: {bare:7.1f} invoices/s, CPU per invoice {bare_cpu_ms:.1f} ms")
    print(
        f"bare native validation on {cores} cores:   {native:7.1f} invoices/s, CPU per invoice {native_cpu_ms:.1f} ms "
        f"= {native / bare:4.2f}x bare official"
    )
    phases = [(f"single, peak ({args.concurrency} at once)", peak), ("single, paced at 50% of peak", paced)]
    if bulk is not None:
        phases.append((f"bulk ({args.batch} files per request)", bulk))
    for name, phase in phases:
        print(
            f"{name:<34}{phase['rate']:7.1f} invoices/s = {phase['rate'] / bare:4.2f}x bare, "
            f"CPU per invoice {phase['handling_cpu_ms'] + phase['workers_cpu_ms']:.1f} ms API "
            f"({phase['handling_cpu_ms']:.1f} requests + {phase['workers_cpu_ms']:.1f} reading in CPU workers) "
            f"+ {phase['db_cpu_ms']:.1f} ms PostgreSQL, "
            f"request p50 {phase['p50'] * 1000:.0f} ms p99 {phase['p99'] * 1000:.0f} ms, errors {len(phase['errors'])}"
        )
    bulk_ratio = f"{bulk['rate'] / bare:.2f}x" if bulk else "not run"
    print(
        f"targets: single >= 3x bare ({peak['rate'] / bare:.2f}x), bulk >= 10x bare ({bulk_ratio}), "
        f"single p99 at half the peak rate <= 100 ms ({paced['p99'] * 1000:.0f} ms), moonshot 1000/s in bulk"
    )
    print(f"routing afterwards:     {3 * args.n + 27} invoices in {routing:.1f} s by one worker")
    for error in [error for _, phase in phases for error in phase["errors"]][:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
