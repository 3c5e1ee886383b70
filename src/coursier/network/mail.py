"""Outgoing e-mail, a connector like the others: through an SMTP server when one is configured; in
development, into the log and the PPF sandbox's mailbox, where people and tests read one-time codes.

Services send through a `Mailer` they are handed; the process builds one with `mailer_for`.
"""

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Protocol

import httpx

from coursier.config import Settings
from coursier.kit.errors import CoursierError
from coursier.network.http import BearerClient, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    # Shown as the sender's name (the sponsor's, on white-labelled onboarding).
    sender_name: str | None = None


class MailNotSent(CoursierError):
    status = 503
    code = "mail_not_sent"
    title = "The e-mail could not be sent"


class Mailer(Protocol):
    def send(self, mail: Mail) -> None:
        """Deliver `mail`, or raise `MailNotSent`."""


class MailboxError(Exception):
    """The sandbox's mailbox did not take a mail."""


class SandboxMailbox(Protocol):
    def send_mail(self, to: str, subject: str, text: str, html: str | None = None) -> str:
        """Drop a mail in the mailbox; its id. Raises `MailboxError`."""


class SandboxMailboxClient(BearerClient):
    """The PPF sandbox's development mailbox (`/sandbox/mailbox`, one of the sandbox's own extras),
    with the platform's sandbox token."""

    def _unreachable(self, exc: httpx.TransportError) -> MailboxError:
        return MailboxError(f"the sandbox is unreachable: {exc}")

    def _refused(self, problem: Problem) -> MailboxError:
        return MailboxError(f"{problem.status} {problem.message}")

    def send_mail(self, to: str, subject: str, text: str, html: str | None = None) -> str:
        body = {"to": to, "subject": subject, "text": text, **({"html": html} if html is not None else {})}
        return self._request("POST", "/sandbox/mailbox", json=body).json()["mail_id"]


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, mail: Mail) -> None:
        settings = self.settings
        message = EmailMessage()
        message["From"] = _from_header(settings.mail_from, mail.sender_name)
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2].strip("> ") or None)
        message.set_content(mail.text)
        if mail.html is not None:
            message.add_alternative(mail.html, subtype="html")
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("SMTP delivery to %s failed: %s", settings.smtp_host, exc)
            raise MailNotSent("The e-mail could not be sent; try again in a moment") from exc


def _from_header(mail_from: str, sender_name: str | None) -> str:
    """The configured address, under the sponsor's name when there is one."""
    if sender_name is None:
        return mail_from
    address = mail_from.rpartition("<")[2].rstrip(">").strip() if "<" in mail_from else mail_from.strip()
    return formataddr((sender_name, address))


class SandboxMailer:
    """Development delivery: the log, which is enough to go on when the sandbox is not running, and
    the sandbox's mailbox. `mailbox` gives the mailbox client of the moment, asked at each send."""

    def __init__(self, mailbox: Callable[[], SandboxMailbox]) -> None:
        self.mailbox = mailbox

    def send(self, mail: Mail) -> None:
        log.info(
            "e-mail to %s: %s\n%s",
            mail.to,
            mail.subject,
            mail.text,
            extra={"mail_to": mail.to, "mail_subject": mail.subject},
        )
        try:
            self.mailbox().send_mail(mail.to, mail.subject, mail.text, html=mail.html)
        except MailboxError as exc:
            log.warning("the sandbox mailbox did not take the e-mail to %s: %s", mail.to, exc)


def mailer_for(settings: Settings, *, mailbox: Callable[[], SandboxMailbox]) -> Mailer:
    """SMTP when a server is configured, else the sandbox's mailbox."""
    return SmtpMailer(settings) if settings.smtp_host else SandboxMailer(mailbox)
