"""Enqueue a job in the caller's transaction, by task name: committed with the state it follows, or
not at all.

Services name a task (`defer(session, "invoicing.route", invoice_id=…)`) instead of importing it,
so they never depend on `jobs/`. A task's queue is the first part of its name; `jobs.app.task`
declares every task that way, and a test checks that every name deferred is a declared task.

Work on many objects at once (a bulk deposit) wraps itself in `together(session)`: the jobs its
steps defer are written in one statement when the block ends, still in the caller's transaction.
"""

from contextlib import AbstractContextManager

import procrastinate
from procrastinate.jobs import Job
from procrastinate.manager import JobManager
from sqlalchemy.orm import Session

from coursier.kit.held import held_together, hold

# Writes job rows on a connection it is handed and never opens one of its own, so deferring works
# the same whether or not this process has the app open for a worker (which uses an async pool).
_ON_CALLER_CONNECTION = JobManager(procrastinate.SyncPsycopgConnector())
# session.info key of the jobs a `together` block holds back.
_HELD = "coursier.deferred_jobs"


def queue_of(task_name: str) -> str:
    return task_name.partition(".")[0]


def defer(session: Session, task_name: str, *, lock: str | None = None, **task_kwargs) -> int | None:
    """Write the job row on the session's own connection; its id, or None when a `together`
    block holds it back to write it when it ends.

    Jobs sharing a `lock` run one at a time, in the order they were deferred (a retried job keeps
    its place: the later ones wait for it).
    """
    job = Job(task_name=task_name, queue=queue_of(task_name), lock=lock, queueing_lock=None, task_kwargs=task_kwargs)
    held = hold(session, _HELD)
    if held is not None:
        held.append(job)
        return None
    return _write(session, [job])[0]


def together(session: Session) -> AbstractContextManager[None]:
    """Jobs deferred within the block are written together, in order, in one statement when it
    ends (see `kit.held`)."""
    return held_together(session, _HELD, _write)


def _write(session: Session, jobs: list[Job]) -> list[int]:
    psycopg_connection = session.connection().connection.driver_connection
    return [job.id for job in _ON_CALLER_CONNECTION.batch_defer_jobs(jobs=jobs, connection=psycopg_connection)]
