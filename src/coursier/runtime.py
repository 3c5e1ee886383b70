"""What a Coursier process holds: settings, database engine, sessions, job queue."""

from dataclasses import dataclass

import procrastinate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.db import migrate
from coursier.db.session import make_engine, make_sessionmaker, resolve_database_url
from coursier.jobs.app import connect


def ppf_client(settings: Settings):
    """The connector to the PPF (directory, register, flow intake) this process is configured for."""
    from coursier.network.ppf import PPFClient

    return PPFClient(settings.ppf_url, settings.ppf_token, timeout=settings.ppf_timeout_seconds)


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
        return cls(settings=settings, database_url=url, engine=engine, sessions=sessions,
                   jobs=connect(url, sessions, settings))

    def ppf(self):
        return ppf_client(self.settings)

    def close(self) -> None:
        self.engine.dispose()
