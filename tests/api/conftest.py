"""A webhook receiver: a small threaded HTTP server on 127.0.0.1 that records what it gets and
answers as the test decides (a status, or hanging until released)."""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HANG = "hang"


@dataclass
class Received:
    headers: dict
    body: bytes
    status: int | None = None  # None while hanging, or when the connection was dropped

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    # answer(number of this request from 0, request) -> a status, or HANG
    answer: Callable[[int, Received], int | str]
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def delivered(self) -> list[Received]:
        """Requests answered 2xx, in the order they arrived."""
        with self.lock:
            return [r for r in self.requests if r.status is not None and 200 <= r.status < 300]

    def wait_for(self, condition: Callable[["Receiver"], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received {[(r.webhook_id, r.status) for r in self.requests]}")
            time.sleep(0.05)


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            received = Received({k.lower(): v for k, v in self.headers.items()}, body)
            with receiver.lock:
                number = len(receiver.requests)
                receiver.requests.append(received)
            answer = receiver.answer(number, received)
            if answer == HANG:
                receiver.released.wait(60)
                return  # no answer: the connection closes
            received.status = answer
            self.send_response(answer)
            self.send_header("content-type", "text/plain")
            self.end_headers()
            self.wfile.write(f"answered {answer}".encode())

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def webhook_receiver():
    """webhook_receiver(answer=lambda n, request: 200) -> a running Receiver (its `url`)."""
    servers: list[tuple[ThreadingHTTPServer, Receiver]] = []

    def start(answer: Callable[[int, Received], int | str] = lambda n, request: 200) -> Receiver:
        receiver = Receiver(answer)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/coursier"
        servers.append((server, receiver))
        return receiver

    yield start
    for server, receiver in servers:
        receiver.released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def private_webhooks(monkeypatch):
    """private_webhooks(runtime): let this runtime's webhooks reach the loopback receiver."""

    def allow(runtime) -> None:
        monkeypatch.setattr(runtime.settings, "webhook_allow_private", True)

    return allow


@pytest.fixture
def process_env(live_server, sandbox_server, tmp_path) -> dict:
    """The environment of a `coursier` process on the live server's database and sandbox."""
    import os

    _, runtime = live_server
    return {
        **os.environ,
        "DATABASE_URL": runtime.database_url,
        "PPF_URL": sandbox_server.url,
        "PPF_TOKEN": sandbox_server.token,
        "COURSIER_PA_MATRICULE": sandbox_server.platform_id,
        "COURSIER_DATA_DIR": str(tmp_path),
        **{f"PPF_SFTP_{name.upper()}": str(value) for name, value in _sftp(sandbox_server).items()},
        "COURSIER_PPF_APPLICATION_CODE": sandbox_server.application_code,
        "COURSIER_PPF_BATCH_SECONDS": "0",
    }


def _sftp(sandbox_server) -> dict:
    settings = sandbox_server.sftp_settings()
    return {name: settings[f"ppf_sftp_{name}"] for name in ("host", "port", "key", "host_key")}


@pytest.fixture
def worker_process(process_env, tmp_path):
    """worker_process(**env) -> a real `coursier worker` (one job at a time) on the live server's
    database, logging to `tmp_path / "worker.log"`; stopped after the test if still running."""
    import signal
    import subprocess
    import sys

    started: list[subprocess.Popen] = []

    def start(**extra_env: str) -> subprocess.Popen:
        with (tmp_path / "worker.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "coursier", "worker", "--concurrency", "1"],
                env={**process_env, **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
