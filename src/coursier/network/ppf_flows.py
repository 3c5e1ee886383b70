"""The flow exchange with the PPF (DG §3.4): our partner space on its SFTP server.

A flow is deposited under a temporary name, then renamed to its envelope name: the PPF takes a
flow when it appears under its name, whole (a deposit cut midway leaves only a temporary file).
The PPF refuses a flow id it already holds; the rename is then answered "already exists", and
`deposit` says so (False) instead of failing, which is how a deposit repeated after a crash ends.
Files the PPF leaves for us (500/501 answers, 601 statuses, F14 exports...) are read from the
collection folder and removed once kept.

Authentication is by key only, and the server's host key is pinned: a server showing another key
is refused before anything is sent (`FlowExchangeUnavailable`).
AS2 and AS4, the other protocols of DG §3.4.1, would be other `FlowExchange`s.
"""

import asyncio
import contextlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coursier.kit.ssh import asyncssh


class FlowExchangeUnavailable(Exception):
    """The PPF's exchange server could not be reached or refused us: worth trying again later."""


class FlowSpace(Protocol):
    """Our partner space, open for one run of the exchange."""

    def deposit(self, name: str, content: bytes) -> bool:
        """Put a flow; False when the PPF already holds a flow of that id (deposited before)."""

    def collectable(self) -> list[str]:
        """The names of the files waiting for us, oldest name first."""

    def read(self, name: str) -> bytes: ...

    def remove(self, name: str) -> None: ...


class FlowExchange(Protocol):
    def open(self) -> contextlib.AbstractContextManager[FlowSpace]: ...


@dataclass(frozen=True)
class SFTPSettings:
    host: str
    port: int
    username: str  # our application code
    client_key: Path  # our private key (OpenSSH); made (ed25519) if missing
    host_key: str | None  # the server's public key, OpenSSH line ("ssh-ed25519 AAAA…"): pinned
    host_key_file: Path | None = None  # where to read it when `host_key` is not given
    deposit_dir: str = "in"
    collect_dir: str = "out"
    # Connecting and logging in; then a silent server is given up after 3 keep-alives this far apart.
    timeout_seconds: float = 10.0


TEMPORARY_PREFIX = "."
TEMPORARY_SUFFIX = ".part"


class _SFTPSpace:
    """Runs each call on a private event loop: callers are plain threads (jobs, commands)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, client: asyncssh.SFTPClient, settings: SFTPSettings) -> None:
        self._loop = loop
        self._client = client
        self._settings = settings

    def _run(self, coroutine):
        try:
            return self._loop.run_until_complete(coroutine)
        except (OSError, asyncssh.Error, TimeoutError) as exc:
            if isinstance(exc, asyncssh.SFTPFileAlreadyExists):
                raise
            raise FlowExchangeUnavailable(f"SFTP: {type(exc).__name__}: {exc}") from exc

    def deposit(self, name: str, content: bytes) -> bool:
        final = posixpath.join(self._settings.deposit_dir, name)
        temporary = posixpath.join(self._settings.deposit_dir, TEMPORARY_PREFIX + name + TEMPORARY_SUFFIX)

        async def put() -> bool:
            async with self._client.open(temporary, "wb") as handle:
                await handle.write(content)
            try:
                await self._client.rename(temporary, final)
            except asyncssh.SFTPFileAlreadyExists:
                await self._client.remove(temporary)
                return False
            return True

        return self._run(put())

    def collectable(self) -> list[str]:
        names = self._run(self._client.listdir(self._settings.collect_dir))
        return sorted(name for name in names if name not in (".", "..") and not name.startswith(TEMPORARY_PREFIX))

    def read(self, name: str) -> bytes:
        async def get() -> bytes:
            async with self._client.open(posixpath.join(self._settings.collect_dir, name), "rb") as handle:
                return await handle.read()

        return self._run(get())

    def remove(self, name: str) -> None:
        self._run(self._client.remove(posixpath.join(self._settings.collect_dir, name)))


class SFTPFlowExchange:
    def __init__(self, settings: SFTPSettings) -> None:
        self.settings = settings

    def pinned_host_key(self) -> str:
        if self.settings.host_key:
            return self.settings.host_key
        path = self.settings.host_key_file
        if path is None or not path.is_file():
            raise FlowExchangeUnavailable(f"no SFTP host key to pin (PPF_SFTP_HOST_KEY, or {path})")
        return path.read_text().strip()

    def client_key(self) -> Path:
        """Our key, made on first use: the public half (`.pub` beside it) goes to the PPF."""
        path = self.settings.client_key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = asyncssh.generate_private_key("ssh-ed25519")
            key.write_private_key(str(path))
            key.write_public_key(str(path) + ".pub")
        return path

    @contextlib.contextmanager
    def open(self) -> Iterator[FlowSpace]:
        settings = self.settings
        host_key, client_key = self.pinned_host_key(), self.client_key()
        loop = asyncio.new_event_loop()
        try:
            try:
                host = settings.host if settings.port == 22 else f"[{settings.host}]:{settings.port}"
                known_hosts = asyncssh.import_known_hosts(f"{host} {host_key}\n")
                connection = loop.run_until_complete(
                    asyncssh.connect(
                        settings.host,
                        settings.port,
                        username=settings.username,
                        client_keys=[str(client_key)],
                        known_hosts=known_hosts,
                        password=None,
                        kbdint_auth=False,
                        agent_path=None,
                        connect_timeout=settings.timeout_seconds,
                        login_timeout=settings.timeout_seconds,
                        keepalive_interval=settings.timeout_seconds,
                        keepalive_count_max=3,
                    )
                )
                # Version 6 tells "already exists" apart from other failures (a flow id held: `deposit`).
                client = loop.run_until_complete(connection.start_sftp_client(sftp_version=6))
            except (OSError, asyncssh.Error, TimeoutError, ValueError) as exc:
                raise FlowExchangeUnavailable(
                    f"SFTP {settings.host}:{settings.port}: {type(exc).__name__}: {exc}"
                ) from exc
            try:
                yield _SFTPSpace(loop, client, settings)
            finally:
                client.exit()
                connection.close()
                loop.run_until_complete(connection.wait_closed())
        finally:
            loop.close()
