"""The procrastinate app: its tasks, its connection, and the session every task runs in.

Task modules register on `job_app` at import. There is one app: tasks and their periodic
deferrer keep a reference to the app they were declared on, so a copy made for another connector
would leave them on an app nobody opened. `connect()` points its connection pool at our database
and hands over the process's settings and connectors, which tasks get from `task_settings()` and
`task_connectors()`. Tasks take ids, reload what they need, and are idempotent; `task_session`
opens the one transaction a task runs in (commit on success, rollback on error), as the API
middleware does.
"""

import contextlib
from collections.abc import Iterator

import procrastinate
import psycopg_pool
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.kit.defer import queue_of
from coursier.network.connectors import Connectors


def _pool_on_connected_database(**pool_options) -> psycopg_pool.AsyncConnectionPool:
    """Procrastinate's pool, created when the app opens, on the database `connect()` named."""
    if _conninfo is None:
        raise RuntimeError("jobs are not connected (coursier.jobs.app.connect)")
    return psycopg_pool.AsyncConnectionPool(_conninfo, min_size=1, max_size=4, **pool_options)


job_app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(pool_factory=_pool_on_connected_database),
    import_paths=[
        "coursier.jobs.maintenance",
        "coursier.jobs.mandates",
        "coursier.jobs.invoicing",
        "coursier.jobs.onboarding",
        "coursier.jobs.webhooks",
        "coursier.jobs.notifications",
        "coursier.jobs.reporting",
        "coursier.jobs.network",
        "coursier.jobs.ppf",
    ],
)


def task(name: str, **options):
    """Declare a task on `job_app`, in the queue its name gives (see `coursier.kit.defer`)."""
    return job_app.task(name=name, queue=queue_of(name), **options)


# Jobs that call another system (the PPF, a peer platform, the SMP) retry with waits doubling from
# 2 s (procrastinate: 2 ** attempts); 14 runs wait about 4.5 hours in all, so an afternoon's outage
# delays but loses nothing. COURSIER_PPF_RETRY_ATTEMPTS may lower it (tests do).
NETWORK_ATTEMPTS = 14


def network_retry(*retryable: type[Exception]) -> procrastinate.RetryStrategy:
    # procrastinate's max_attempts counts the retries, after the first run.
    return procrastinate.RetryStrategy(
        max_attempts=NETWORK_ATTEMPTS - 1, exponential_wait=2, retry_exceptions=set(retryable)
    )


def last_network_attempt(context: procrastinate.JobContext) -> bool:
    """Whether this run of a `network_retry` job is its last: past it, the job records the failure."""
    return context.job.attempts + 1 >= min(NETWORK_ATTEMPTS, task_settings().ppf_retry_attempts)


# Set by the process that runs workers (serve / worker): tasks need sessions, settings, connectors.
_sessions: sessionmaker[Session] | None = None
_settings: Settings | None = None
_connectors: Connectors | None = None
_conninfo: str | None = None


def psycopg_conninfo(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


def connect(
    sqlalchemy_url: str, sessions: sessionmaker[Session], settings: Settings, connectors: Connectors
) -> procrastinate.App:
    global _sessions, _settings, _connectors, _conninfo
    _sessions, _settings, _connectors = sessions, settings, connectors
    _conninfo = psycopg_conninfo(sqlalchemy_url)
    return job_app


def task_settings() -> Settings:
    if _settings is None:
        raise RuntimeError("jobs are not connected (coursier.jobs.app.connect)")
    return _settings


def task_connectors() -> Connectors:
    if _connectors is None:
        raise RuntimeError("jobs are not connected (coursier.jobs.app.connect)")
    return _connectors


@contextlib.contextmanager
def task_session() -> Iterator[Session]:
    if _sessions is None:
        raise RuntimeError("jobs are not connected to a database (coursier.jobs.app.connect)")
    with _sessions.begin() as session:
        yield session
