"""Ingest throughput and latency of POST /api/invoicing/files/submit, against bare validation.

Usage: python bench/ingest.py [N] [--concurrency C]

Starts `coursier serve --no-worker --with-sandbox` on a temporary data dir (embedded PostgreSQL,
the PPF sandbox as the directory), creates a sponsor and clients with active mandates, then
uploads N real invoices at full speed (C at once) and N more paced at half the rate reached,
and prints invoices/s, p50/p99 latency, errors, and the time per invoice against the bare
`coursier.validation.validate` time of the same files, measured in this process in the same run.

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
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

import httpx

from coursier.sandbox.process import free_port
from coursier.sandbox.register import generated_company
from coursier.validation import validate

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("cii", "ubl", "facturx")
CLIENT_PAIRS = 8  # sellers and as many buyers: deposits spread over clients as real traffic does
SIGNED_PDF = base64.b64encode(b"%PDF-1.7\n% consent signed for the bench\n%%EOF\n").decode()


def _factories():
    """The invoice factories of the tests (tests/invoicing/factories.py), loaded by path."""
    spec = importlib.util.spec_from_file_location("factories", ROOT / "tests" / "invoicing" / "factories.py")
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


def bare_validation_seconds(files) -> float:
    """Mean time of `validate` on the files, each artefact compiled beforehand."""
    for _, _, content in files[: len(FORMATS) * 3]:
        validate(content)
    started = time.perf_counter()
    for _, _, content in files:
        validate(content)
    return (time.perf_counter() - started) / len(files)


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


def run_phase(urls: list[str], files, *, concurrency: int, rate: float | None = None) -> dict:
    """Upload `files` C at once (rate None), or at `rate` per second on schedule (open loop), the
    API processes taking them in turn."""
    local = threading.local()
    start = time.perf_counter()

    def send(indexed):
        index, item = indexed
        if rate is not None:
            time.sleep(max(0.0, start + index / rate - time.perf_counter()))
        if not hasattr(local, "http"):
            local.http = httpx.Client(timeout=60)
        return upload(local.http, urls[index % len(urls)], item)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(send, enumerate(files)))
    elapsed = time.perf_counter() - start
    latencies = sorted(latency for latency, _ in results)
    errors = [error for _, error in results if error]
    return {
        "rate": len(files) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors,
    }


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
    parser.add_argument("n", nargs="?", type=int, default=300, help="uploads per timed phase")
    parser.add_argument("--concurrency", type=int, default=4, help="uploads at once in the peak phase")
    parser.add_argument("--api-processes", type=int, default=os.cpu_count(), help="coursier serve processes")
    args = parser.parse_args()
    factories = _factories()
    data_dir = Path(tempfile.mkdtemp(prefix="coursier-bench-"))
    platform = Platform(data_dir, args.api_processes)
    try:
        platform.start()
        companies = _companies(2 * CLIENT_PAIRS)
        clients = set_up_clients(platform, platform.sponsor_token(), companies)
        pairs = [(clients[i], companies[i], companies[CLIENT_PAIRS + i]) for i in range(CLIENT_PAIRS)]
        print(f"generating {2 * args.n + 27} invoices ({', '.join(FORMATS)})...", flush=True)
        warm_up = make_files(factories, pairs, 27, "W")
        peak_files = make_files(factories, pairs, args.n, "P")
        paced_files = make_files(factories, pairs, args.n, "Q")
        bare = bare_validation_seconds(peak_files)
        urls = [url + "/api/invoicing/files/submit" for url in platform.urls]
        run_phase(urls, warm_up, concurrency=len(urls))
        peak = run_phase(urls, peak_files, concurrency=args.concurrency)
        paced = run_phase(urls, paced_files, concurrency=4 * args.concurrency, rate=peak["rate"] / 2)
        routing = wait_for_routing(platform, clients)
    finally:
        platform.close()
        shutil.rmtree(data_dir, ignore_errors=True)

    per_invoice = 1 / peak["rate"]
    print(
        f"{args.n} uploads per phase, {os.cpu_count()} CPUs, {args.api_processes} API processes, "
        f"files: {', '.join(FORMATS)} x 3 fixtures"
    )
    print(f"bare validate():        {bare * 1000:7.1f} ms per invoice ({1 / bare:6.1f} invoices/s)")
    print(
        f"peak ({args.concurrency} at once):      {peak['rate']:7.1f} invoices/s, p50 {peak['p50'] * 1000:.0f} ms, "
        f"p99 {peak['p99'] * 1000:.0f} ms, errors {len(peak['errors'])}"
    )
    print(
        f"paced at 50% of peak:   {paced['rate']:7.1f} invoices/s, p50 {paced['p50'] * 1000:.0f} ms, "
        f"p99 {paced['p99'] * 1000:.0f} ms (target <= 250), errors {len(paced['errors'])}"
    )
    print(f"API time / bare validation: {per_invoice / bare:.2f}x (target <= 1.5x)")
    print(f"routing afterwards:     {2 * args.n + 27} invoices in {routing:.1f} s by one worker")
    for error in (peak["errors"] + paced["errors"])[:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
