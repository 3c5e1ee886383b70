"""/sandbox/mailbox: the development mailbox (posting needs a platform token; reading is open, for people)."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import HTMLResponse

from coursier.sandbox import mailbox
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.schemas import Mail, MailCreate

router = APIRouter(prefix="/sandbox", tags=["Sandbox: mailbox"])

Recipient = Annotated[str | None, Query(description="Only the mails to this address")]
Limit = Annotated[int, Query(ge=1, le=500)]


@router.post("/mailbox", status_code=status.HTTP_201_CREATED, summary="Drop an e-mail in the mailbox")
def post_mail(body: MailCreate, conn: Db, caller: Caller) -> Mail:
    return mailbox.post_mail(conn, caller, body)


@router.get("/mailbox", summary="The mails, newest first")
def list_mails(conn: Db, to: Recipient = None, limit: Limit = 50) -> list[Mail]:
    return mailbox.list_mails(conn, to=to, limit=limit)


@router.get("/mailbox.html", response_class=HTMLResponse, summary="The mails as a web page")
def mailbox_page(conn: Db, to: Recipient = None, limit: Limit = 50) -> str:
    return mailbox.mailbox_page(mailbox.list_mails(conn, to=to, limit=limit))
