"""E-reporting: every few minutes, the reports whose time has come are built and queued to the PPF.

A period's first report leaves once its deadline day is over (the platform then has until 08:00,
DG §3.7.7), a corrective one as soon as a period's data changes after an answer. Each period is
handled in its own transaction, locked: two workers never send one report twice, and a worker
killed midway leaves nothing half-done (the flow seam then deposits each queued flow once).
"""

import logging

from coursier.jobs.app import job_app, task, task_session, task_settings
from coursier.services.reporting import transmission

log = logging.getLogger(__name__)


@job_app.periodic(cron="*/5 * * * *")
@task("reporting.transmit_due", queueing_lock="reporting_transmit_due")
def transmit_due(timestamp: int) -> int:
    """Queue every report that is due; returns how many left."""
    settings = task_settings()
    with task_session() as session:
        period_ids = transmission.periods_to_transmit(session)
    sent = 0
    for period_id in period_ids:
        with task_session() as session:
            if transmission.transmit_due(session, period_id, settings=settings) is not None:
                sent += 1
    if sent:
        log.info("%d e-reporting report(s) queued to the PPF", sent)
    return sent
