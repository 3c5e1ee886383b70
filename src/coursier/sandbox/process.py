"""The sandbox in a child process (`python -m coursier sandbox`), ready once /healthz answers.

For tests and local tooling that want the PPF stand-in exactly as Coursier meets it: a separate
process on its own port, reached over HTTP only. The child watches its parent and stops when it
is gone, even killed with SIGKILL, so no orphan keeps the port for the next start.
"""

import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import httpx
import psutil

from coursier.sandbox.config import PisteClient

# How often the child checks that its parent is alive: the port is free again within about this.
PARENT_CHECK_SECONDS = 0.5


class PortInUse(RuntimeError):
    """Something already listens on the port a server was to listen on."""

    def __init__(self, host: str, port: int) -> None:
        holders = _listeners(port)
        held = f" (by {', '.join(holders)})" if holders else ""
        super().__init__(f"port {port} on {host} is already in use{held}")
        self.host = host
        self.port = port


def _listeners(port: int) -> list[str]:
    """The processes of this user that listen on `port`, as `pid 123: command line`; best effort.

    URLs in the command line are left out: they may hold a database password."""
    found = []
    try:
        connections = psutil.net_connections(kind="tcp")
    except psutil.Error:
        return found
    for pid in {c.pid for c in connections if c.pid and c.status == psutil.CONN_LISTEN and c.laddr.port == port}:
        try:
            arguments = ("<url>" if "://" in argument else argument for argument in psutil.Process(pid).cmdline())
            found.append(f"pid {pid}: {' '.join(arguments)[:120]}")
        except psutil.Error:
            found.append(f"pid {pid}")
    return found


def check_port_free(host: str, port: int) -> None:
    """Raise `PortInUse` when a server could not listen on (host, port), before anything is started."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        # As uvicorn does: connections of a stopped server, left in TIME_WAIT, do not hold the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(host, port) from exc
            raise


def exit_with_parent(parent_pid: int) -> None:
    """Stop this process (SIGTERM: a clean shutdown) as soon as `parent_pid` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


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
        sftp_port: int | None = None,
        sftp_dir: Path | None = None,
        applications: Mapping[str, str] | None = None,
        piste_clients: Mapping[str, PisteClient] | None = None,
        line_notice_days: int | None = None,
        directory_exports: bool = True,
        smp_key: Path | None = None,
        smp_certificate: Path | None = None,
    ) -> None:
        """`sftp_port`, `sftp_dir`, `applications` (code -> matricule): the flow exchange's SFTP
        server (a free port when not given), its folder (host key, authorized keys, spaces);
        `piste_clients`, `line_notice_days`, `directory_exports`, `smp_key`, `smp_certificate`: as
        `SandboxConfig` has them."""
        self.host = host
        self.port = port or free_port(host)
        self.sftp_port = sftp_port or free_port(host)
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
            "--parent-pid",
            str(os.getpid()),
            "--sftp-port",
            str(self.sftp_port),
        ]
        if sftp_dir is not None:
            self._command += ["--sftp-dir", str(sftp_dir)]
        if companies_csv is not None:
            self._command += ["--companies", str(companies_csv)]
        if line_notice_days is not None:
            self._command += ["--line-notice-days", str(line_notice_days)]
        if not directory_exports:
            self._command.append("--no-directory-exports")
        if smp_key is not None:
            self._command += ["--smp-key", str(smp_key)]
        if smp_certificate is not None:  # one without the other: the sandbox says so
            self._command += ["--smp-certificate", str(smp_certificate)]
        self._environment = {
            **os.environ,
            "SANDBOX_PLATFORMS": ",".join(f"{matricule}:{token}" for token, matricule in platforms.items()),
        }
        if applications:
            self._environment["SANDBOX_APPLICATIONS"] = ",".join(f"{c}:{m}" for c, m in applications.items())
        if piste_clients:
            self._environment["SANDBOX_PISTE_CLIENTS"] = ",".join(
                f"{client_id}:{client.secret}:{client.matricule}" for client_id, client in piste_clients.items()
            )
        self._process: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, timeout: float = 30.0) -> None:
        """Start the child and wait until it answers; `PortInUse` when its port is taken."""
        check_port_free(self.host, self.port)
        check_port_free(self.host, self.sftp_port)
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
