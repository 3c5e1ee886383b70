"""The PA-to-PA network, played by the sandbox: store and forward.

A platform delivers a file to another platform's inbox; the receiving platform lists its inbox
and fetches the files. Delivery is idempotent on (sender, invoice id): repeating it answers the
first receipt and stores nothing; the same key with another recipient or another file is a
conflict, as a reused Idempotency-Key with another body is in Coursier's API.
"""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from coursier.kit import clock
from coursier.kit.errors import Conflict, NotFound
from coursier.sandbox.errors import Forbidden
from coursier.sandbox.schemas import PeerMessage, PeerReceipt
from coursier.sandbox.storage import peer_messages


def _receipt(row) -> PeerReceipt:
    return PeerReceipt(delivery_id=row.delivery_id, platform_id=row.platform_id, accepted_at=row.accepted_at)


def deliver(
    conn: Connection,
    sender: str,
    *,
    platform_id: str,
    known_platforms: set[str],
    invoice_id: str,
    filename: str,
    media_type: str,
    content: bytes,
) -> tuple[PeerReceipt, bool]:
    """The receipt of the delivery, and whether it repeats an earlier one."""
    if platform_id not in known_platforms:
        raise NotFound(f"No platform {platform_id} on the network", code="platform_not_found")
    digest = hashlib.sha256(content).hexdigest()
    # ON CONFLICT waits for a concurrent delivery of the same key and then inserts nothing.
    row = conn.execute(
        insert(peer_messages)
        .values(
            delivery_id="dlv_" + secrets.token_hex(8),
            sender_platform_id=sender,
            invoice_id=invoice_id,
            platform_id=platform_id,
            filename=filename,
            media_type=media_type,
            content=content,
            content_sha256=digest,
            accepted_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["sender_platform_id", "invoice_id"])
        .returning(peer_messages)
    ).first()
    if row is not None:
        return _receipt(row), False
    first = conn.execute(
        select(peer_messages).where(
            peer_messages.c.sender_platform_id == sender, peer_messages.c.invoice_id == invoice_id
        )
    ).one()
    if (first.platform_id, first.filename, first.content_sha256) != (platform_id, filename, digest):
        raise Conflict(
            f"Invoice {invoice_id} was already delivered ({first.delivery_id}) with another recipient or file",
            code="delivery_conflict",
        )
    return _receipt(first), True


def _own_inbox(caller: str, platform_id: str) -> None:
    if caller != platform_id:
        raise Forbidden("A platform reads only its own inbox", code="platform_mismatch")


def inbox(conn: Connection, caller: str, platform_id: str, *, since: datetime | None, limit: int) -> list[PeerMessage]:
    """What `platform_id` has received, oldest first (`since`: only what came after)."""
    _own_inbox(caller, platform_id)
    query = select(peer_messages).where(peer_messages.c.platform_id == platform_id)
    if since is not None:
        query = query.where(peer_messages.c.accepted_at > since)
    query = query.order_by(peer_messages.c.accepted_at, peer_messages.c.delivery_id).limit(limit)
    return [
        PeerMessage(
            delivery_id=row.delivery_id,
            platform_id=row.platform_id,
            accepted_at=row.accepted_at,
            sender_platform_id=row.sender_platform_id,
            invoice_id=row.invoice_id,
            filename=row.filename,
            media_type=row.media_type,
            size=len(row.content),
        )
        for row in conn.execute(query)
    ]


def content(conn: Connection, caller: str, platform_id: str, delivery_id: str) -> tuple[str, str, bytes]:
    """File name, media type and bytes of one message of `platform_id`'s inbox."""
    _own_inbox(caller, platform_id)
    row = conn.execute(
        select(peer_messages.c.filename, peer_messages.c.media_type, peer_messages.c.content).where(
            peer_messages.c.delivery_id == delivery_id, peer_messages.c.platform_id == platform_id
        )
    ).first()
    if row is None:
        raise NotFound(f"No delivery {delivery_id} in the inbox of {platform_id}", code="delivery_not_found")
    return row.filename, row.media_type, row.content
