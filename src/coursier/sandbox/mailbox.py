"""A development mailbox: e-mails Coursier would send (one-time codes...) land here, readable as
JSON or as a plain HTML page, instead of leaving the machine."""

import secrets
from html import escape

from sqlalchemy import Connection, func, select

from coursier.kit import clock
from coursier.sandbox.schemas import Mail, MailCreate
from coursier.sandbox.storage import mails


def _mail(row) -> Mail:
    return Mail(
        mail_id=row.mail_id,
        platform_id=row.platform_id,
        to=row.recipient,
        subject=row.subject,
        text=row.text,
        html=row.html,
        sent_at=row.sent_at,
    )


def post_mail(conn: Connection, caller: str, mail: MailCreate) -> Mail:
    row = conn.execute(
        mails.insert()
        .values(
            mail_id="mail_" + secrets.token_hex(8),
            platform_id=caller,
            recipient=mail.to,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            sent_at=clock.now(),
        )
        .returning(mails)
    ).one()
    return _mail(row)


def list_mails(conn: Connection, *, to: str | None, limit: int) -> list[Mail]:
    """Newest first; `to` matches the recipient whatever its case."""
    query = select(mails)
    if to is not None:
        query = query.where(func.lower(mails.c.recipient) == to.strip().lower())
    query = query.order_by(mails.c.sent_at.desc(), mails.c.mail_id.desc()).limit(limit)
    return [_mail(row) for row in conn.execute(query)]


def mailbox_page(received: list[Mail]) -> str:
    """Every mail escaped; an HTML body is shown in a sandboxed frame, so it runs no script."""
    items = []
    for mail in received:
        html_part = (
            f'<iframe sandbox srcdoc="{escape(mail.html, quote=True)}" title="HTML body"></iframe>' if mail.html else ""
        )
        items.append(
            f"<article><h2>{escape(mail.subject)}</h2>"
            f"<p>To <b>{escape(mail.to)}</b>, {mail.sent_at:%Y-%m-%d %H:%M:%S} UTC, from platform "
            f"{escape(mail.platform_id)}</p><pre>{escape(mail.text)}</pre>{html_part}</article>"
        )
    body = "\n".join(items) or "<p>No mail yet.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox mailbox</title>'
        "<style>body{font-family:sans-serif;max-width:60rem;margin:auto}article{border-bottom:1px solid #ccc}"
        "pre{white-space:pre-wrap}iframe{width:100%;height:20rem;border:1px solid #ddd}</style></head>"
        f"<body><h1>Sandbox mailbox</h1>\n{body}\n</body></html>"
    )
