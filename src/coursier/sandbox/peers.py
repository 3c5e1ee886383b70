"""The PA-to-PA network, played by the sandbox: store and forward.

A platform delivers a file to another platform's inbox: an invoice, or a lifecycle message (CDAR)
about one; the receiving platform lists its inbox and fetches the files. Delivery is idempotent
on (sender, kind, document id): repeating it answers the first receipt and stores nothing; the
same key with another recipient or another file is a conflict, as a reused Idempotency-Key with
another body is in Coursier's API.

The sandbox also plays the other platforms' side of the lifecycle: `emit_status` has a platform
(0099 in the tests) set a status on an invoice it received, as that buyer's platform would, and
sends the message (`formats.cdar.for_peer`, checked by `validation.cdar`) to the invoice's sender.
"""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from coursier.formats import cdar, convert, facturx
from coursier.formats.cdar.document import ROOT as CDAR_ROOT
from coursier.formats.detect import is_pdf
from coursier.kit import clock
from coursier.kit.errors import Conflict, NotFound, Unprocessable
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.sandbox.errors import Forbidden
from coursier.sandbox.schemas import PeerMessage, PeerReceipt, StatusEmission, StatusSent
from coursier.sandbox.storage import peer_messages
from coursier.validation.cdar import check_cdar

INVOICE, STATUS = "invoice", "status"


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
    """The receipt of the delivery, and whether it repeats an earlier one. A lifecycle message (a
    CDAR document) is a status, anything else an invoice."""
    kind = STATUS if _is_cdar(content) else INVOICE
    if platform_id not in known_platforms:
        raise NotFound(f"No platform {platform_id} on the network", code="platform_not_found")
    digest = hashlib.sha256(content).hexdigest()
    # ON CONFLICT waits for a concurrent delivery of the same key and then inserts nothing.
    row = conn.execute(
        insert(peer_messages)
        .values(
            delivery_id="dlv_" + secrets.token_hex(8),
            sender_platform_id=sender,
            kind=kind,
            invoice_id=invoice_id,
            platform_id=platform_id,
            filename=filename,
            media_type=media_type,
            content=content,
            content_sha256=digest,
            accepted_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["sender_platform_id", "kind", "invoice_id"])
        .returning(peer_messages)
    ).first()
    if row is not None:
        return _receipt(row), False
    first = conn.execute(
        select(peer_messages).where(
            peer_messages.c.sender_platform_id == sender,
            peer_messages.c.kind == kind,
            peer_messages.c.invoice_id == invoice_id,
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


def inbox(
    conn: Connection, caller: str, platform_id: str, *, since: datetime | None, limit: int, kind: str | None = None
) -> list[PeerMessage]:
    """What `platform_id` has received, oldest first (`since`: only what came after; `kind`: only invoices
    or only statuses)."""
    _own_inbox(caller, platform_id)
    query = select(peer_messages).where(peer_messages.c.platform_id == platform_id)
    if kind is not None:
        query = query.where(peer_messages.c.kind == kind)
    if since is not None:
        query = query.where(peer_messages.c.accepted_at > since)
    query = query.order_by(peer_messages.c.accepted_at, peer_messages.c.delivery_id).limit(limit)
    return [
        PeerMessage(
            delivery_id=row.delivery_id,
            platform_id=row.platform_id,
            accepted_at=row.accepted_at,
            sender_platform_id=row.sender_platform_id,
            kind=row.kind,
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


def emit_status(
    conn: Connection, caller: str, *, platform_id: str, known_platforms: set[str], emission: StatusEmission
) -> StatusSent:
    """Platform `caller` sets a status on the invoice `platform_id` delivered to it, as its buyer's
    platform, and delivers the status message to `platform_id`."""
    row = conn.execute(
        select(peer_messages.c.content).where(
            peer_messages.c.sender_platform_id == platform_id,
            peer_messages.c.platform_id == caller,
            peer_messages.c.kind == INVOICE,
            peer_messages.c.invoice_id == emission.invoice_id,
        )
    ).first()
    if row is None:
        raise NotFound(
            f"{platform_id} delivered no invoice {emission.invoice_id} to {caller}", code="invoice_not_found"
        )
    invoice = _invoice_of(row.content)
    try:
        status = cdar.InvoiceStatus(emission.status)
        message = cdar.for_peer(
            status,
            cdar.InvoiceReference(invoice.number, invoice.type_code, invoice.issue_date, _siren(invoice.seller)),
            message_id=f"{caller}-{secrets.token_hex(8)}",
            platform_matricule=caller,
            recipient=cdar.platform(platform_id),
            ppf_matricule=cdar.DGFIP_PPF_MATRICULE,
            status_at=clock.now(),
            issuer=None if cdar.issued_by_platform(status) else _buyer(invoice),
            details=[cdar.StatusDetail(reason=emission.reason_code, comment=emission.comment)]
            if emission.reason_code or emission.comment
            else [],
        )
    except (ValueError, cdar.CdarError) as exc:
        raise Unprocessable(f"Status {emission.status} cannot be sent: {exc}", code="status_not_sendable") from None
    content = cdar.write(message)
    report = check_cdar(content)
    if not report.valid_apart_from_matricule:
        problems = "; ".join(f"{issue.rule}: {issue.message}" for issue in report.errors)
        raise Unprocessable(f"The status message would not be valid: {problems}", code="status_not_valid")
    receipt, _ = deliver(
        conn,
        caller,
        platform_id=platform_id,
        known_platforms=known_platforms,
        invoice_id=message.message_id,
        filename=f"{message.message_id}.xml",
        media_type="application/xml",
        content=content,
    )
    return StatusSent(**receipt.model_dump(), message_id=message.message_id)


def _is_cdar(content: bytes) -> bool:
    if is_pdf(content):
        return False
    try:
        return parse_xml(content).getroot().tag == CDAR_ROOT
    except XMLRejected:
        return False


def _invoice_of(content: bytes):
    """The EN 16931 model of a delivered invoice file (Factur-X, CII or UBL)."""
    xml = facturx.extract(content).xml if is_pdf(content) else content
    return convert.parse(xml).invoice


def _siren(party) -> str:
    identifier = party.legal_registration_identifier if party else None
    if identifier is None:
        raise Unprocessable("The invoice names no SIREN for this party", code="status_not_sendable")
    return identifier.value


def _buyer(invoice) -> cdar.Party:
    address = invoice.buyer.electronic_address
    return cdar.Party(
        cdar.PartyRole.BUYER,
        cdar.Identifier(_siren(invoice.buyer), cdar.SIREN_SCHEME),
        invoice.buyer.name,
        cdar.Identifier(address.value, address.scheme_id) if address else None,
    )
