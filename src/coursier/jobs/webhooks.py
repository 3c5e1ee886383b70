"""Webhook deliveries: one job per delivery, deferred with its event (see services/webhook_fanout).

The job makes one attempt and says when to make the next one; procrastinate keeps the job's place
in its lock meanwhile, so the later events of the same object wait for it. A job left running by a
dead worker is put back by `maintenance.retry_stalled_jobs` and sends again (at least once).
"""

import functools
from datetime import datetime

import procrastinate
from procrastinate.jobs import Job

from coursier.jobs.app import task, task_session, task_settings
from coursier.network.webhooks import WebhookSender
from coursier.services import webhook_delivery


class TryAgain(Exception):
    """The delivery is not done: run the job again at `when`."""

    def __init__(self, when: datetime) -> None:
        super().__init__(f"next attempt at {when.isoformat()}")
        self.when = when


# Runs of one job, whatever their cause: far more than the ~30 attempts of 3 days of retries.
_MAX_RUNS = 200


class _AtTheTimeGiven(procrastinate.BaseRetryStrategy):
    """Retries when the delivery asks; after an unexpected failure (the database away), after a
    wait growing to an hour."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> procrastinate.RetryDecision | None:
        if job.attempts + 1 >= _MAX_RUNS:
            return None
        if isinstance(exception, TryAgain):
            return procrastinate.RetryDecision(retry_at=exception.when)
        return procrastinate.RetryDecision(retry_in={"seconds": min(2 ** min(job.attempts, 12), 3600)})


@functools.lru_cache(maxsize=2)
def _sender(allow_private: bool) -> WebhookSender:
    return WebhookSender(allow_private=allow_private)


@task("webhooks.deliver", retry=_AtTheTimeGiven())
def deliver(delivery_id: str) -> None:
    sender = _sender(task_settings().webhook_allow_private)
    with task_session() as session:
        next_attempt = webhook_delivery.deliver(session, delivery_id, sender)
    if next_attempt is not None:
        raise TryAgain(next_attempt)  # after the commit: the attempt stays in the log
