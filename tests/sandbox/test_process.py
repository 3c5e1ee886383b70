"""The sandbox as a child process: it does not outlive its parent, and a busy port is said plainly."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import psutil
import pytest
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.config import get_settings
from coursier.sandbox.process import PortInUse, SandboxProcess, free_port

_register_commands()


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_the_sandbox_dies_with_its_parent(fresh_database, worker_id, tmp_path):
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from coursier.sandbox.process import SandboxProcess
                process = SandboxProcess(
                    database_url={fresh_database(f"coursier_sandbox_orphan_{worker_id}")!r},
                    platforms={{"t": "0042"}},
                    log_path=Path({str(tmp_path / "sandbox.log")!r}),
                    seed_companies=0,
                )
                process.start()
                print(process.pid, flush=True)
                time.sleep(600)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        assert child.is_running()
    finally:
        parent.send_signal(signal.SIGKILL)  # no exit handler of the parent runs
        parent.wait(timeout=10)
    deadline = time.monotonic() + 30
    while child.is_running() and child.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.1)
    running = child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    if running:
        child.kill()
    assert not running, "the sandbox outlived its parent"


def test_a_busy_port_is_named_before_anything_starts(busy_port, tmp_path):
    process = SandboxProcess(
        database_url="postgresql://nowhere.invalid/db",
        platforms={"t": "0042"},
        log_path=tmp_path / "sandbox.log",
        port=busy_port,
    )
    with pytest.raises(PortInUse, match=f"port {busy_port} on 127.0.0.1 is already in use"):
        process.start()
    assert process.pid is None


def test_the_sandbox_command_refuses_a_busy_port(busy_port):
    result = CliRunner().invoke(
        app, ["sandbox", "--port", str(busy_port), "--database-url", "postgresql://nowhere.invalid/db"]
    )
    assert result.exit_code != 0
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr  # what to do


def test_serve_with_the_sandbox_on_a_busy_port_says_so(busy_port, database_url, monkeypatch):
    # Its JSON log handler would outlive the runner's stderr.
    monkeypatch.setattr("coursier.kit.logs.configure_logging", lambda level: None)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PPF_URL", f"http://127.0.0.1:{busy_port}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--with-sandbox", "--port", str(free_port())])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert "PPF_URL" in result.stderr  # what to do
    assert "Traceback" not in result.output


def test_serve_on_a_busy_port_says_so(busy_port, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--port", str(busy_port)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr


def test_a_stopped_sandbox_frees_its_port_at_once(fresh_database, worker_id, tmp_path):
    url = fresh_database(f"coursier_sandbox_restart_{worker_id}")
    first = SandboxProcess(database_url=url, platforms={"t": "0042"}, log_path=tmp_path / "1.log", seed_companies=0)
    with first:
        assert psutil.pid_exists(first.pid) and first.pid != os.getpid()
    again = SandboxProcess(
        database_url=url, platforms={"t": "0042"}, log_path=tmp_path / "2.log", seed_companies=0, port=first.port
    )
    with again:  # its connections left in TIME_WAIT do not count as a busy port
        assert again.pid != first.pid
