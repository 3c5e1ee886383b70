"""Periodic housekeeping."""

import logging
from datetime import timedelta

from coursier.db.idempotency import IdempotencyRepository
from coursier.jobs.app import job_app, task, task_session, task_settings
from coursier.kit import clock

log = logging.getLogger(__name__)


@job_app.periodic(cron="17 * * * *")
@task("maintenance.purge_idempotency_keys", queueing_lock="purge_idempotency_keys")
def purge_idempotency_keys(timestamp: int) -> int:
    """Stored idempotent responses live 24 h (COURSIER_IDEMPOTENCY_TTL_HOURS); drop the older ones."""
    cutoff = clock.now() - timedelta(hours=task_settings().idempotency_ttl_hours)
    with task_session() as session:
        return IdempotencyRepository(session).purge_older_than(cutoff)


# A worker silent this long is dead: procrastinate's own stalled-worker timeout (it beats every 10 s).
DEAD_WORKER_AFTER = timedelta(seconds=30)


@job_app.periodic(cron="* * * * * */10")
@task("maintenance.retry_stalled_jobs", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> int:
    """Put back the jobs of dead workers (killed, machine lost). Every task of ours reloads by id and
    is idempotent, so running one again from the start is safe; procrastinate does not do it itself."""
    manager = job_app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=DEAD_WORKER_AFTER.total_seconds())
    for job in stalled:
        log.warning("job %s (%s) of a dead worker runs again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)
