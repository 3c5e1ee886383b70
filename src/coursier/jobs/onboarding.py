"""Onboarding housekeeping."""

from coursier.jobs.app import job_app, task, task_session
from coursier.kit import clock
from coursier.services.onboarding.links import release_expired_links


@job_app.periodic(cron="23 * * * *")
@task("onboarding.release_expired_links", queueing_lock="release_expired_links")
def release_abandoned_lines(timestamp: int) -> int:
    """A link that expired unsigned gives back the directory line its unsigned mandate reserved."""
    with task_session() as session:
        return release_expired_links(session, clock.now())
