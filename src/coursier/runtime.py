"""What a Coursier process holds: settings, database engine, sessions, job queue, connectors."""

import functools
from dataclasses import dataclass
from pathlib import Path

import procrastinate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.db import migrate
from coursier.db.sealed import process_keyring
from coursier.db.session import make_engine, make_sessionmaker, resolve_database_url
from coursier.jobs.app import connect
from coursier.kit.errors import ConfigurationError
from coursier.network.connectors import Connectors
from coursier.network.http import ClientCredentials
from coursier.network.mail import SandboxMailboxClient
from coursier.network.peers.as4 import As4Endpoint, As4Transport
from coursier.network.peers.pki import Credentials, load_anchors
from coursier.network.peers.sandbox import SandboxNetworkTransport
from coursier.network.peers.smp import FixedSmp, SmlLocator, SmpClient, SmpPublisher
from coursier.network.ppf import PPF, PPFClient
from coursier.network.ppf_flows import SFTPFlowExchange, SFTPSettings


@dataclass(frozen=True)
class DirectoryAccess:
    """The PPF's directory API and this platform's PISTE application."""

    url: str
    token_url: str
    client_id: str
    client_secret: str


def connectors_for(settings: Settings) -> Connectors:
    """The PPF this process is configured for (its directory API with PISTE credentials, its SFTP
    server), the sandbox's mailbox, and the network to the other platforms: the sandbox's at the
    PPF's URL with the sandbox token, or Peppol AS4 (COURSIER_PEER_TRANSPORT=as4) with this
    platform's credentials, its SMP or SML, and the local SMP to publish in.

    One set, and so one connection pool each (and one PISTE token), per configuration and
    process: httpx clients are safe to share between threads.
    """
    directory = DirectoryAccess(
        settings.directory_url, settings.oauth_token_url, settings.ppf_client_id, settings.ppf_client_secret
    )
    as4 = None
    if settings.peer_transport == "as4":
        as4 = As4Setup(
            key=settings.as4_key_file,
            certificate=settings.as4_certificate_file,
            anchors=settings.as4_trust_anchors_file,
            smp_url=settings.smp_url,
            smp_anchors=settings.smp_trust_anchors_file,
            sml_zone=settings.sml_zone,
            max_payload_bytes=settings.as4_max_payload_bytes,
            timeout=settings.as4_timeout_seconds,
        )
    return _shared_connectors(
        directory, settings.ppf_url, settings.ppf_token, settings.ppf_timeout_seconds, sftp_settings(settings), as4
    )


def sftp_settings(settings: Settings) -> SFTPSettings:
    return SFTPSettings(
        host=settings.ppf_sftp_host,
        port=settings.ppf_sftp_port,
        username=settings.ppf_application_code,
        client_key=settings.ppf_sftp_key or settings.data_dir / "ppf" / "sftp_key",
        host_key=settings.ppf_sftp_host_key,
        host_key_file=settings.data_dir / "sandbox" / "sftp" / "host_key.pub",
        deposit_dir=settings.ppf_sftp_deposit_dir,
        collect_dir=settings.ppf_sftp_collect_dir,
        timeout_seconds=settings.ppf_timeout_seconds,
    )


@dataclass(frozen=True)
class As4Setup:
    key: Path | None
    certificate: Path | None
    anchors: Path | None
    smp_url: str | None
    smp_anchors: Path | None
    sml_zone: str | None
    max_payload_bytes: int
    timeout: float


@functools.lru_cache(maxsize=8)
def _shared_connectors(
    directory: DirectoryAccess, url: str, token: str, timeout: float, sftp: SFTPSettings, as4: As4Setup | None
) -> Connectors:
    credentials = ClientCredentials(directory.token_url, directory.client_id, directory.client_secret, timeout=timeout)
    common = {
        "ppf": PPFClient(directory.url, credentials, timeout=timeout),
        "flows": SFTPFlowExchange(sftp),
        "mailbox": SandboxMailboxClient(url, token, timeout=timeout),
    }
    if as4 is None:
        return Connectors(**common, peers=SandboxNetworkTransport(url, token, timeout=timeout))
    if not (as4.key and as4.certificate and as4.anchors):
        raise ConfigurationError(
            "COURSIER_PEER_TRANSPORT=as4 needs COURSIER_AS4_KEY, COURSIER_AS4_CERTIFICATE and "
            "COURSIER_AS4_TRUST_ANCHORS (`coursier network init DIR` makes a test set)"
        )
    if not (as4.smp_url or as4.sml_zone):
        raise ConfigurationError("COURSIER_PEER_TRANSPORT=as4 needs COURSIER_SMP_URL or COURSIER_SML_ZONE")
    if not as4.smp_anchors:
        # An SMP answer names where invoices go and whom they are encrypted for: never used unchecked.
        raise ConfigurationError(
            "COURSIER_PEER_TRANSPORT=as4 needs COURSIER_SMP_TRUST_ANCHORS, the SMP CA the SMPs' answers must be "
            "signed under (`coursier network init DIR` makes a test set)"
        )
    keys = Credentials.load(as4.key, as4.certificate, as4.anchors)
    smp_anchors = load_anchors(as4.smp_anchors)
    locator = FixedSmp(as4.smp_url) if as4.smp_url else SmlLocator(as4.sml_zone)
    return Connectors(
        **common,
        peers=As4Transport(keys, SmpClient(locator, smp_anchors, timeout=timeout), timeout=as4.timeout),
        as4=As4Endpoint(keys, max_payload_bytes=as4.max_payload_bytes),
        smp=SmpPublisher(as4.smp_url, token, timeout=timeout) if as4.smp_url else None,
    )


@dataclass
class Runtime:
    settings: Settings
    database_url: str
    engine: Engine
    sessions: sessionmaker[Session]
    jobs: procrastinate.App
    connectors: Connectors

    @classmethod
    def start(cls, settings: Settings, *, apply_migrations: bool = True) -> "Runtime":
        process_keyring()  # keys that cannot work stop the process now, not its first request
        url = resolve_database_url(settings)
        engine = make_engine(url, pool_size=settings.db_pool_size)
        if apply_migrations:
            migrate.upgrade(engine)
        return cls.assemble(settings, url, engine, make_sessionmaker(engine))

    @classmethod
    def assemble(
        cls, settings: Settings, database_url: str, engine: Engine, sessions: sessionmaker[Session]
    ) -> "Runtime":
        """The runtime on a database already there; its connectors go to the jobs as well."""
        connectors = connectors_for(settings)
        return cls(
            settings=settings,
            database_url=database_url,
            engine=engine,
            sessions=sessions,
            jobs=connect(database_url, sessions, settings, connectors),
            connectors=connectors,
        )

    def ppf(self) -> PPF:
        return self.connectors.ppf

    def close(self) -> None:
        self.engine.dispose()
