"""What a sandbox process starts with: its database, the platforms it knows, its company register."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coursier.kit.embedded import default_data_dir

# A PA is identified by a 4-character matricule (ICD scheme 0238); 0000 is the PPF itself.
PPF_MATRICULE = "0000"
_MATRICULE = re.compile(r"^[A-Za-z0-9]{4}$")

# Without SANDBOX_PLATFORMS: Coursier's own matricule in development, and a competitor, so that
# "this line is held by another platform" can be tried out of the box.
DEFAULT_PLATFORMS: Mapping[str, str] = {"sandbox-token": "0042", "sandbox-token-0099": "0099"}


class ConfigError(ValueError):
    """A sandbox setting cannot be understood."""


def parse_platforms(spec: str) -> dict[str, str]:
    """`0042:token-a,0099:token-b` as {token: matricule}."""
    platforms: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        matricule, separator, token = entry.partition(":")
        matricule, token = matricule.strip(), token.strip()
        if not separator or not token:
            raise ConfigError(f"platform entry {entry!r} is not MATRICULE:TOKEN")
        if not _MATRICULE.match(matricule) or matricule == PPF_MATRICULE:
            raise ConfigError(f"{matricule!r} is not the 4-character matricule of a PA")
        if token in platforms:
            raise ConfigError(f"token of platform {matricule} is already given to {platforms[token]}")
        platforms[token] = matricule
    if not platforms:
        raise ConfigError("no platform given")
    return platforms


# Without SANDBOX_APPLICATIONS: the application codes (DG §3.4.5) of the same two platforms at the
# exchange system; each has its partner space on the sandbox's SFTP server.
DEFAULT_APPLICATIONS: Mapping[str, str] = {"CRS042": "0042", "CRS099": "0099"}
_APPLICATION_CODE = re.compile(r"^[A-Z0-9]{6}$")


def parse_applications(spec: str) -> dict[str, str]:
    """`CRS042:0042,CRS099:0099` as {application code: matricule}."""
    applications: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        code, separator, matricule = (part.strip() for part in entry.partition(":"))
        if not separator or not _APPLICATION_CODE.match(code) or not _MATRICULE.match(matricule):
            raise ConfigError(f"application entry {entry!r} is not CODE:MATRICULE (6 capitals or digits, then 4)")
        applications[code] = matricule
    if not applications:
        raise ConfigError("no application given")
    return applications


# PISTE, the State's API gateway, gives each application OAuth2 client credentials; the directory
# API takes the access tokens it issues (client-credentials grant). Without SANDBOX_PISTE_CLIENTS:
# one application for each of the two default platforms.
@dataclass(frozen=True)
class PisteClient:
    secret: str
    matricule: str


DEFAULT_PISTE_CLIENTS: Mapping[str, PisteClient] = {
    "coursier-0042": PisteClient("sandbox-secret", "0042"),
    "coursier-0099": PisteClient("sandbox-secret-0099", "0099"),
}


def parse_piste_clients(spec: str) -> dict[str, PisteClient]:
    """`client-a:secret-a:0042,client-b:secret-b:0099` as {client id: PisteClient}."""
    clients: dict[str, PisteClient] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        parts = [part.strip() for part in entry.split(":")]
        if len(parts) != 3 or not all(parts):
            raise ConfigError(f"PISTE client entry {entry!r} is not CLIENT_ID:SECRET:MATRICULE")
        client_id, secret, matricule = parts
        if not _MATRICULE.match(matricule) or matricule == PPF_MATRICULE:
            raise ConfigError(f"{matricule!r} is not the 4-character matricule of a PA")
        if client_id in clients:
            raise ConfigError(f"PISTE client {client_id!r} is given twice")
        clients[client_id] = PisteClient(secret, matricule)
    if not clients:
        raise ConfigError("no PISTE client given")
    return clients


def piste_clients_from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, PisteClient]:
    spec = environ.get("SANDBOX_PISTE_CLIENTS", "").strip()
    return parse_piste_clients(spec) if spec else dict(DEFAULT_PISTE_CLIENTS)


def applications_from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    spec = environ.get("SANDBOX_APPLICATIONS", "").strip()
    return parse_applications(spec) if spec else dict(DEFAULT_APPLICATIONS)


def platforms_from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The platforms of SANDBOX_PLATFORMS, or the default pair when it is unset or empty."""
    spec = environ.get("SANDBOX_PLATFORMS", "").strip()
    return parse_platforms(spec) if spec else dict(DEFAULT_PLATFORMS)


@dataclass(frozen=True)
class SandboxConfig:
    # Any PostgreSQL URL; None: a database `coursier_sandbox` on the embedded cluster of data_dir.
    database_url: str | None = None
    data_dir: Path = field(default_factory=default_data_dir)
    platforms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PLATFORMS))
    # Generated companies added to the fixed ones of `register.FIXED_COMPANIES`.
    seed_companies: int = 200
    companies_csv: Path | None = None
    # The flow exchange: application code -> matricule, and the SFTP server (None: not started).
    applications: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_APPLICATIONS))
    sftp_host: str = "127.0.0.1"
    sftp_port: int | None = None
    # Host key, partners' authorized keys and spaces; None: DATA_DIR/sandbox/sftp.
    sftp_dir: Path | None = None
    # The directory API's applications at PISTE: client id -> secret and matricule.
    piste_clients: Mapping[str, PisteClient] = field(default_factory=lambda: dict(DEFAULT_PISTE_CLIENTS))
    # How many days ahead a directory line may start or end at the earliest: 1 is the rule (annex 7
    # G1.87, G1.88, G1.85: "J+1"); 0 lets a demo or a test route to a line the day it is created.
    line_notice_days: int = 1
    # The daily F14 exports of the directory (DG §3.5.4) at midnight in France; tests trigger theirs.
    directory_exports: bool = True
    # The local SMP's signing key and certificate (PEM); None: its answers go unsigned.
    smp_key: Path | None = None
    smp_certificate: Path | None = None

    @property
    def registered_matricules(self) -> frozenset[str]:
        """The PAs whose registration is in force (annex 7 G1.94)."""
        return frozenset(self.platforms.values()) | {client.matricule for client in self.piste_clients.values()}

    @property
    def sftp_root(self) -> Path:
        return self.sftp_dir or self.data_dir / "sandbox" / "sftp"
