"""Periodic housekeeping."""

from datetime import UTC, datetime, timedelta

from coursier.config import get_settings
from coursier.db.idempotency import IdempotencyRepository
from coursier.jobs.app import job_app, task_session


@job_app.periodic(cron="17 * * * *")
@job_app.task(name="maintenance.purge_idempotency_keys", queueing_lock="purge_idempotency_keys")
def purge_idempotency_keys(timestamp: int) -> int:
    """Stored idempotent responses live 24 h (COURSIER_IDEMPOTENCY_TTL_HOURS); drop the older ones."""
    cutoff = datetime.now(UTC) - timedelta(hours=get_settings().idempotency_ttl_hours)
    with task_session() as session:
        return IdempotencyRepository(session).purge_older_than(cutoff)
