"""Enqueue a job in the caller's transaction, by task name: committed with the state it follows, or
not at all.

Services name a task (`defer(session, "invoicing.route", invoice_id=…)`) instead of importing it,
so they never depend on `jobs/`. A task's queue is the first part of its name; `jobs.app.task`
declares every task that way, and a test checks that every name deferred is a declared task.
"""

import procrastinate
from procrastinate.jobs import Job, JobDeferrer
from procrastinate.manager import JobManager
from sqlalchemy.orm import Session

# Writes job rows on a connection it is handed and never opens one of its own, so deferring works
# the same whether or not this process has the app open for a worker (which uses an async pool).
_ON_CALLER_CONNECTION = JobManager(procrastinate.SyncPsycopgConnector())


def queue_of(task_name: str) -> str:
    return task_name.partition(".")[0]


def defer(session: Session, task_name: str, *, lock: str | None = None, **task_kwargs) -> int:
    """Write the job row on the session's own connection; returns the job id.

    Jobs sharing a `lock` run one at a time, in the order they were deferred (a retried job keeps
    its place: the later ones wait for it).
    """
    psycopg_connection = session.connection().connection.driver_connection
    job = Job(task_name=task_name, queue=queue_of(task_name), lock=lock, queueing_lock=None)
    return JobDeferrer(_ON_CALLER_CONNECTION, job, connection=psycopg_connection).defer(**task_kwargs)
