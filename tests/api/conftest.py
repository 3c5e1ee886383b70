"""The API tests' own fixtures: `coursier` processes on the live server's database."""

import pytest


@pytest.fixture
def process_env(live_server, sandbox_server, tmp_path) -> dict:
    """The environment of a `coursier` process on the live server's database and sandbox."""
    import os

    _, runtime = live_server
    return {
        **os.environ,
        "DATABASE_URL": runtime.database_url,
        **sandbox_server.directory_environment(),
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
