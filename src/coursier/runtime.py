"""What a Coursier process holds: settings, database engine, sessions, job queue."""

import functools
from dataclasses import dataclass

import procrastinate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.db import migrate
from coursier.db.session import make_engine, make_sessionmaker, resolve_database_url
from coursier.jobs.app import connect


def ppf_client(settings: Settings):
    """The connector to the PPF (directory, register, flow intake) this process is configured for.

    One client, and so one connection pool, per configuration and process: httpx clients are
    safe to share between threads.
    """
    return _shared_ppf_client(settings.ppf_url, settings.ppf_token, settings.ppf_timeout_seconds)


@functools.lru_cache(maxsize=8)
def _shared_ppf_client(url: str, token: str, timeout: float):
    from coursier.network.ppf import PPFClient

    return PPFClient(url, token, timeout=timeout)


def peer_transport(settings: Settings):
    """How this process delivers invoices to other platforms: the sandbox's store-and-forward
    network at the PPF URL, with the PPF token (one client per configuration and process)."""
    return _shared_peer_transport(settings.ppf_url, settings.ppf_token, settings.ppf_timeout_seconds)


@functools.lru_cache(maxsize=8)
def _shared_peer_transport(url: str, token: str, timeout: float):
    from coursier.network.transport import SandboxPeerTransport

    return SandboxPeerTransport(url, token, timeout=timeout)


@dataclass
class Runtime:
    settings: Settings
    database_url: str
    engine: Engine
    sessions: sessionmaker[Session]
    jobs: procrastinate.App

    @classmethod
    def start(cls, settings: Settings, *, apply_migrations: bool = True) -> "Runtime":
        url = resolve_database_url(settings)
        engine = make_engine(url, pool_size=settings.db_pool_size)
        if apply_migrations:
            migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)
        return cls(
            settings=settings, database_url=url, engine=engine, sessions=sessions, jobs=connect(url, sessions, settings)
        )

    def ppf(self):
        return ppf_client(self.settings)

    def close(self) -> None:
        self.engine.dispose()
