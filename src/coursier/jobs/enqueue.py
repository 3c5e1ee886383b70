"""Enqueue a job in the caller's transaction: committed with the state it follows, or not at all."""

import procrastinate
from sqlalchemy.orm import Session


def defer(session: Session, task: procrastinate.tasks.Task, **task_kwargs) -> int:
    """Write the job row on the session's own connection (procrastinate's `connection` option)."""
    psycopg_connection = session.connection().connection.driver_connection
    return task.configure(connection=psycopg_connection).defer(**task_kwargs)
