"""Enqueue a job in the caller's transaction: committed with the state it follows, or not at all."""

import procrastinate
from procrastinate.jobs import JobDeferrer
from procrastinate.manager import JobManager
from sqlalchemy.orm import Session

# Writes job rows on a connection it is handed and never opens one of its own, so deferring works
# the same whether or not this process has the app open for a worker (which uses an async pool).
_ON_CALLER_CONNECTION = JobManager(procrastinate.SyncPsycopgConnector())


def defer(session: Session, task: procrastinate.tasks.Task, **task_kwargs) -> int:
    """Write the job row on the session's own connection."""
    psycopg_connection = session.connection().connection.driver_connection
    job = task.configure().job
    return JobDeferrer(_ON_CALLER_CONNECTION, job, connection=psycopg_connection).defer(**task_kwargs)
