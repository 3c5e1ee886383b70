"""What a Coursier process holds: settings, database engine, sessions, job queue, connectors."""

import functools
from dataclasses import dataclass

import procrastinate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.db import migrate
from coursier.db.session import make_engine, make_sessionmaker, resolve_database_url
from coursier.jobs.app import connect
from coursier.network.connectors import Connectors
from coursier.network.peers.sandbox import SandboxNetworkTransport
from coursier.network.ppf import PPF, PPFClient
from coursier.network.ppf_flows import SFTPFlowExchange, SFTPSettings


def connectors_for(settings: Settings) -> Connectors:
    """The PPF this process is configured for, and the sandbox's network between platforms at the
    same URL with the same token.

    One set, and so one connection pool each, per configuration and process: httpx clients are
    safe to share between threads.
    """
    return _shared_connectors(
        settings.ppf_url, settings.ppf_token, settings.ppf_timeout_seconds, sftp_settings(settings)
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


@functools.lru_cache(maxsize=8)
def _shared_connectors(url: str, token: str, timeout: float, sftp: SFTPSettings) -> Connectors:
    return Connectors(
        ppf=PPFClient(url, token, timeout=timeout),
        peers=SandboxNetworkTransport(url, token, timeout=timeout),
        flows=SFTPFlowExchange(sftp),
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
