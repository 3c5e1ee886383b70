"""E-mails about what a person must act on, to the client's notification address."""

from coursier.kit.tenancy import TenantContext
from coursier.network.mail import Mail
from coursier.services.lifecycle import record_event
from coursier.services.notifications import send_about
from coursier.services.settings import update_client_settings


class RecordingMailer:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def _event(session, ctx, status_code: str, **fields) -> str:
    return record_event(session, ctx, object_type="mandate", object_id="mdt_n1", status_code=status_code, **fields).id


def test_a_mandate_in_error_and_a_rejected_status_are_mailed_in_the_clients_language(session, tenant_a):
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    mailer = RecordingMailer()
    failed = _event(session, ctx, "MandateLifecycleStatus.ERROR", reason="The company is not in the register")
    assert not send_about(session, failed, mailer=mailer)  # no address yet: nobody to tell
    update_client_settings(session, ctx, {"notification_email": "ops@client.fr"})
    assert send_about(session, failed, mailer=mailer)
    [mail] = mailer.sent
    assert mail.to == "ops@client.fr" and "sponsor-a client" in mail.subject
    assert "mdt_n1" in mail.text and "The company is not in the register" in mail.text
    update_client_settings(session, ctx, {"language": "en"})
    rejected = record_event(
        session,
        ctx,
        object_type="lifecycle_status",
        object_id="inv_n1",
        status_code="LifecycleStatusReporting.REJECTED",
        rejection_reason="REJ_ENCAISSEMENT",
    ).id
    assert send_about(session, rejected, mailer=mailer)
    assert mailer.sent[1].subject == "Status rejected by the PPF for sponsor-a client"
    assert "REJ_ENCAISSEMENT" in mailer.sent[1].text


def test_only_what_needs_a_person_is_mailed_and_the_job_is_deferred_with_the_event(session, tenant_a):
    from sqlalchemy import text

    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    update_client_settings(session, ctx, {"notification_email": "ops@client.fr"})
    mailer = RecordingMailer()
    active = _event(session, ctx, "MandateLifecycleStatus.ACTIVE")
    assert not send_about(session, active, mailer=mailer) and mailer.sent == []
    failed = _event(session, ctx, "MandateLifecycleStatus.ERROR", reason="x")
    jobs = session.scalars(
        text("SELECT args->>'event_id' FROM procrastinate_jobs WHERE task_name = 'notifications.send'")
    ).all()
    assert failed in jobs and active not in jobs
