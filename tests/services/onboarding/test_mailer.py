"""E-mail delivery: SMTP when configured, else the log and the sandbox mailbox."""

import logging
import smtplib

import pytest

from coursier.config import Settings
from coursier.network.mail import Mail, MailboxError, MailNotSent, SandboxMailer, SmtpMailer, mailer_for

MAIL = Mail(
    to="marie@acme.example",
    subject="123456 : votre code",
    text="Code 123456",
    html="<p>123456</p>",
    sender_name="Mon ERP",
)


class RecordingSMTP:
    """Stands for smtplib.SMTP: records the conversation instead of opening a socket."""

    sessions: list["RecordingSMTP"] = []
    refuse = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address, self.timeout, self.calls, self.messages = (host, port), timeout, [], []
        RecordingSMTP.sessions.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.calls.append("quit")

    def starttls(self, context) -> None:
        self.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", user, password))

    def send_message(self, message) -> None:
        if self.refuse:
            raise smtplib.SMTPRecipientsRefused({MAIL.to: (550, b"no")})
        self.messages.append(message)


@pytest.fixture
def smtp(monkeypatch):
    RecordingSMTP.sessions, RecordingSMTP.refuse = [], False
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    return RecordingSMTP


def test_smtp_with_starttls_and_login(smtp):
    settings = Settings(
        smtp_host="mail.example",
        smtp_port=2525,
        smtp_username="coursier",
        smtp_password="secret",
        COURSIER_MAIL_FROM="Coursier <no-reply@pa.example>",
    )
    SmtpMailer(settings).send(MAIL)
    [session] = smtp.sessions
    assert session.address == ("mail.example", 2525)
    assert session.calls == ["starttls", ("login", "coursier", "secret"), "quit"]
    [message] = session.messages
    assert message["From"] == "Mon ERP <no-reply@pa.example>" and message["To"] == MAIL.to
    assert message["Subject"] == MAIL.subject and message["Message-ID"].endswith("@pa.example>")
    assert message.get_body(("plain",)).get_content().strip() == "Code 123456"
    assert "<p>123456</p>" in message.get_body(("html",)).get_content()


def test_smtp_without_starttls_nor_login(smtp):
    SmtpMailer(Settings(smtp_host="localhost", smtp_starttls=False)).send(MAIL)
    assert smtp.sessions[0].calls == ["quit"]


def test_a_refused_delivery_is_a_typed_error(smtp):
    smtp.refuse = True
    with pytest.raises(MailNotSent) as failure:
        SmtpMailer(Settings(smtp_host="localhost")).send(MAIL)
    assert failure.value.status == 503 and failure.value.code == "mail_not_sent"


class Mailbox:
    def __init__(self, down: bool = False) -> None:
        self.down, self.received = down, []

    def send_mail(self, to, subject, text, html=None):
        if self.down:
            raise MailboxError("the sandbox is unreachable")
        self.received.append((to, subject, text, html))
        return "mail_1"


def test_without_smtp_the_mail_is_logged_and_dropped_in_the_sandbox(caplog):
    mailbox = Mailbox()
    with caplog.at_level(logging.INFO, logger="coursier.network.mail"):
        SandboxMailer(lambda: mailbox).send(MAIL)
    assert mailbox.received == [(MAIL.to, MAIL.subject, MAIL.text, MAIL.html)]
    assert "Code 123456" in caplog.text


def test_without_smtp_a_sandbox_that_is_down_leaves_the_log(caplog):
    with caplog.at_level(logging.INFO, logger="coursier.network.mail"):
        SandboxMailer(lambda: Mailbox(down=True)).send(MAIL)
    assert "Code 123456" in caplog.text and "did not take" in caplog.text


def test_the_process_mails_through_smtp_only_when_a_server_is_configured():
    mailbox = Mailbox()
    assert isinstance(mailer_for(Settings(smtp_host="mail.example"), mailbox=lambda: mailbox), SmtpMailer)
    assert isinstance(mailer_for(Settings(smtp_host=None), mailbox=lambda: mailbox), SandboxMailer)
