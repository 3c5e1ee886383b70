"""/peers/{platform_id}/inbox: the PA-to-PA network, store and forward."""

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request, Response, UploadFile, status

from coursier.sandbox import peers
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.errors import MessageTooLarge
from coursier.sandbox.schemas import PeerKind, PeerMessage, PeerReceipt, StatusEmission, StatusSent
from coursier.sandbox.uploads import read_upload

router = APIRouter(prefix="/peers", tags=["PA-to-PA network"])

Matricule = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4}$", description="A platform's matricule (ICD 0238)")]


@router.post(
    "/{platform_id}/inbox",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Deliver a file to another platform; repeating a delivery answers its first receipt",
)
def deliver(
    platform_id: Matricule,
    request: Request,
    response: Response,
    conn: Db,
    caller: Caller,
    file: UploadFile,
    invoice_id: Annotated[
        str, Form(min_length=1, max_length=200, description="The invoice's id, or the status message's id")
    ],
) -> PeerReceipt:
    filename, content = read_upload(file, MessageTooLarge, "message")
    receipt, replayed = peers.deliver(
        conn,
        caller,
        platform_id=platform_id,
        known_platforms=_known(request),
        invoice_id=invoice_id,
        filename=filename,
        media_type=file.content_type or "application/octet-stream",
        content=content,
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return receipt


@router.get("/{platform_id}/inbox", summary="What your platform has received, oldest first")
def inbox(
    platform_id: Matricule,
    conn: Db,
    caller: Caller,
    since: Annotated[datetime | None, Query(description="Only what was accepted after this instant")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    kind: Annotated[PeerKind | None, Query(description="Only invoices, or only status messages")] = None,
) -> list[PeerMessage]:
    return peers.inbox(conn, caller, platform_id, since=since, limit=limit, kind=kind)


@router.post(
    "/{platform_id}/statuses",
    status_code=status.HTTP_202_ACCEPTED,
    summary="As the buyer's platform, set a status on an invoice the platform delivered to you and send it",
)
def emit_status(platform_id: Matricule, body: StatusEmission, request: Request, conn: Db, caller: Caller) -> StatusSent:
    """The sandbox writes the status message (CDAR, checked against the D22B XSD and BR-FR-CDV) from the
    invoice as it was delivered to you, and delivers it to `platform_id` like any other message."""
    return peers.emit_status(conn, caller, platform_id=platform_id, known_platforms=_known(request), emission=body)


def _known(request: Request) -> set[str]:
    return set(request.app.state.config.platforms.values())


@router.get(
    "/{platform_id}/inbox/{delivery_id}/content",
    summary="The file of one message of your inbox",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def message_content(platform_id: Matricule, delivery_id: str, conn: Db, caller: Caller) -> Response:
    filename, media_type, content = peers.content(conn, caller, platform_id, delivery_id)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
