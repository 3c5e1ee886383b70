"""Webhook fixtures: a receiver, a small threaded HTTP server on 127.0.0.1 that records what it gets
and answers as the test decides (a status, or hanging until released), and a switch letting a
runtime's webhooks reach it. Registered as a pytest plugin by tests/conftest.py."""

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
                receiver.released.wait()  # set by the test, or at the latest when the fixture ends
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
