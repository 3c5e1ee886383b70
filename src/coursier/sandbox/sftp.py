"""The sandbox's SFTP server: one space per partner, as on the PPF's exchange system (DG §3.4.1).

Layout under `SandboxConfig.sftp_root`:
- `host_key`, `host_key.pub`: the server's key, made on first start (partners pin the public half);
- `authorized_keys/<APPLICATION CODE>`: the public keys (OpenSSH lines) that may log in as that
  partner; the user name is the application code;
- `spaces/<APPLICATION CODE>/in`: where the partner deposits flows, `out`: what it collects.

A partner writes a flow under any temporary name, then renames it to its envelope name; the
rename is the deposit. The sandbox refuses a flow id it already holds (FX_FILE_ALREADY_EXISTS),
else takes the flow (`flows.receive`), answers it in `out` and drops it from `in`. A collected
file is gone once the partner removes it; files left more than 7 days are purged (the PPF's rule,
issue 15) whenever the partner logs in.
"""

import asyncio
import logging
import os
import time
from pathlib import Path

from sqlalchemy import Engine

from coursier.kit.ssh import asyncssh
from coursier.sandbox import flows
from coursier.sandbox.config import SandboxConfig

log = logging.getLogger(__name__)

DEPOSIT_DIR = "in"
COLLECT_DIR = "out"
KEPT_SECONDS = 7 * 24 * 3600


def host_key(root: Path) -> asyncssh.SSHKey:
    """The server's key, made on first start; its public half is `host_key.pub` beside it."""
    path = root / "host_key"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        key.write_private_key(str(path))
        key.write_public_key(str(path) + ".pub")
    return asyncssh.read_private_key(str(path))


def authorize(root: Path, application_code: str, public_key: str) -> None:
    """Let `public_key` (an OpenSSH line) log in as `application_code`."""
    folder = root / "authorized_keys"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / application_code
    lines = path.read_text().splitlines() if path.exists() else []
    if public_key.strip() not in lines:
        path.write_text("\n".join([*lines, public_key.strip()]) + "\n")


def space(root: Path, application_code: str) -> Path:
    folder = root / "spaces" / application_code
    for sub in (DEPOSIT_DIR, COLLECT_DIR):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return folder


def put_collectable(folder: Path, name: str, content: bytes) -> None:
    """Leave a flow in a partner's `out`: written under a hidden name, then renamed, so a partner
    listing its space never sees half a file."""
    temporary = folder / COLLECT_DIR / f".{name}.part"
    temporary.write_bytes(content)
    temporary.rename(folder / COLLECT_DIR / name)


def purge_collectable(folder: Path, now: float | None = None) -> int:
    cutoff = (now or time.time()) - KEPT_SECONDS
    purged = 0
    for path in (folder / COLLECT_DIR).iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink()
            purged += 1
    return purged


class _Server(asyncssh.SSHServer):
    def __init__(self, root: Path, applications) -> None:
        self._root = root
        self._applications = applications

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        path = self._root / "authorized_keys" / username
        if username not in self._applications or not path.is_file():
            return False
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        return any(asyncssh.import_public_key(line).public_data == key.public_data for line in lines)


class PartnerSpace(asyncssh.SFTPServer):
    """One partner's view: chrooted to its space; a rename into `in` deposits a flow."""

    def __init__(self, chan, *, root: Path, engine: Engine, applications) -> None:
        self.application_code = chan.get_extra_info("username")
        self._folder = space(root, self.application_code)
        purge_collectable(self._folder)
        self._engine = engine
        self._matricule = applications[self.application_code]
        super().__init__(chan, chroot=str(self._folder).encode())

    def _deposit_name(self, path: bytes) -> str | None:
        local = Path(os.fsdecode(self.map_path(path)))
        return local.name if local.parent == self._folder / DEPOSIT_DIR else None

    async def rename(self, oldpath: bytes, newpath: bytes) -> None:
        name = self._deposit_name(newpath)
        if name is None or name.startswith("."):
            return await asyncio.to_thread(super().rename, oldpath, newpath)
        if flows.readable_interface(name) is None:
            raise asyncssh.SFTPPermissionDenied(f"{name}: not the envelope of a flow (DG §3.4.5)")
        source = Path(os.fsdecode(self.map_path(oldpath)))
        await asyncio.to_thread(self._receive, source, name)

    async def posix_rename(self, oldpath: bytes, newpath: bytes) -> None:
        await self.rename(oldpath, newpath)

    def _receive(self, source: Path, name: str) -> None:
        with self._engine.begin() as conn:
            if flows.flow_held(conn, self.application_code, name):
                raise asyncssh.SFTPFileAlreadyExists(f"{name}: this flow id was received already")
            content = source.read_bytes()
            answers = flows.receive(
                conn,
                application_code=self.application_code,
                matricule=self._matricule,
                name=name,
                content=content,
            )
        source.unlink()
        for answer_name, answer in answers:
            put_collectable(self._folder, answer_name, answer)
        log.info("flow %s from %s received", name, self.application_code)


async def start_sftp_server(config: SandboxConfig, engine: Engine) -> asyncssh.SSHAcceptor:
    root = config.sftp_root
    key = host_key(root)
    for code in config.applications:
        space(root, code)
    return await asyncssh.listen(
        config.sftp_host,
        config.sftp_port,
        server_host_keys=[key],
        server_factory=lambda: _Server(root, config.applications),
        sftp_factory=lambda chan: PartnerSpace(chan, root=root, engine=engine, applications=config.applications),
        allow_scp=False,
        sftp_version=6,  # so that "already exists" reaches the partner as such (`PartnerSpace._receive`)
    )
