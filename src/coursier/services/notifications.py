"""E-mails to a client's notification address (its `notification_email` setting) about what a
person must act on: an endpoint disabled, a status rejected by the PPF (601), a mandate in error.

The event types that need one say so in `webhook_events.EVENT_TYPES`; `record_event` defers the
`notifications.send` job in the event's transaction, and the job sends through the mailer.
"""

import logging

from sqlalchemy.orm import Session

from coursier.db.clients import ClientRepository, ClientSettingsRepository
from coursier.db.lifecycle import LifecycleEventRepository
from coursier.kit.texts import parse_language, text
from coursier.network.mail import Mail, Mailer
from coursier.services import webhook_events

log = logging.getLogger(__name__)


def send_about(session: Session, event_id: str, *, mailer: Mailer) -> bool:
    """Mail the client of the event, if it has a notification address; `MailNotSent` propagates."""
    event = LifecycleEventRepository(session).get_for_job(event_id, for_update=False)
    key = webhook_events.type_of(event.status_code).attention_mail if event else None
    # A sponsor-wide endpoint's events have no client, and so no address.
    if key is None or event.client_id is None:
        return False
    settings = ClientSettingsRepository(session).get_for_job(event.client_id, for_update=False)
    if settings is None or not settings.notification_email:
        log.info("event %s (%s): no notification address to tell", event.id, event.status_code)
        return False
    client = ClientRepository(session).get_for_job(event.client_id, for_update=False)
    language = parse_language(settings.language)
    values = {
        "client": client.organization_name,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason or event.rejection_reason or "-",
        "url": event.details.get("url", ""),
    }
    mailer.send(
        Mail(
            to=settings.notification_email,
            subject=text(language, f"{key}.subject", **values),
            text=text(language, f"{key}.body", **values),
        )
    )
    return True
