"""E-mails to clients' notification addresses, deferred with the event they are about."""

import procrastinate

from coursier.jobs.app import task, task_connectors, task_session, task_settings
from coursier.network.mail import MailNotSent, mailer_for
from coursier.services import notifications

# Waits of 3, 9, 27 s… about an hour in all.
_MAIL_RETRY = procrastinate.RetryStrategy(max_attempts=8, exponential_wait=3, retry_exceptions={MailNotSent})


@task("notifications.send", retry=_MAIL_RETRY)
def send(event_id: str) -> None:
    settings = task_settings()
    mailer = mailer_for(settings, mailbox=lambda: task_connectors().mailbox)
    with task_session() as session:
        notifications.send_about(session, event_id, mailer=mailer)
