"""The procrastinate app: its tasks, its connection, and the session every task runs in.

Task modules register on `job_app` at import; `connect()` returns the same app bound to our
database. Tasks take ids, reload what they need, and are idempotent; `task_session` opens the one
transaction a task runs in (commit on success, rollback on error), as the API middleware does.
"""

import contextlib
from collections.abc import Iterator

import procrastinate
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings

job_app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(),
    import_paths=["coursier.jobs.maintenance", "coursier.jobs.directory", "coursier.jobs.invoices",
                  "coursier.jobs.onboarding"],
)

# Set by the process that runs workers (serve / worker): tasks need sessions and settings.
_sessions: sessionmaker[Session] | None = None
_settings: Settings | None = None


def psycopg_conninfo(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


def connect(sqlalchemy_url: str, sessions: sessionmaker[Session], settings: Settings) -> procrastinate.App:
    global _sessions, _settings
    _sessions, _settings = sessions, settings
    return job_app.with_connector(
        procrastinate.PsycopgConnector(conninfo=psycopg_conninfo(sqlalchemy_url), min_size=1, max_size=4)
    )


def task_settings() -> Settings:
    if _settings is None:
        raise RuntimeError("jobs are not connected (coursier.jobs.app.connect)")
    return _settings


@contextlib.contextmanager
def task_session() -> Iterator[Session]:
    if _sessions is None:
        raise RuntimeError("jobs are not connected to a database (coursier.jobs.app.connect)")
    with _sessions.begin() as session:
        yield session
