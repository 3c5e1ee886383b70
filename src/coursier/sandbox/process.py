"""The sandbox in a child process (`python -m coursier sandbox`), ready once /healthz answers.

For tests and local tooling that want the PPF stand-in exactly as Coursier meets it: a separate
process on its own port, reached over HTTP only.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class SandboxProcess:
    def __init__(
        self,
        *,
        database_url: str,
        platforms: Mapping[str, str],
        log_path: Path,
        seed_companies: int = 200,
        companies_csv: Path | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        self.log_path = log_path
        self._command = [
            sys.executable,
            "-m",
            "coursier",
            "sandbox",
            "--host",
            host,
            "--port",
            str(self.port),
            "--database-url",
            database_url,
            "--seed-companies",
            str(seed_companies),
        ]
        if companies_csv is not None:
            self._command += ["--companies", str(companies_csv)]
        self._environment = {
            **os.environ,
            "SANDBOX_PLATFORMS": ",".join(f"{matricule}:{token}" for token, matricule in platforms.items()),
        }
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> None:
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(self._command, env=self._environment, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {self._process.returncode}:\n{self._log_tail()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the sandbox did not answer within {timeout} s:\n{self._log_tail()}")

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()  # `coursier` exits cleanly on SIGTERM
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def __enter__(self) -> "SandboxProcess":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
