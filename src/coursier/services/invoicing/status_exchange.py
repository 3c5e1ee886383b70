"""Statuses exchanged with other platforms (PA to PA): ours sent as CDAR, theirs received and applied.

Sending (job `invoicing.send_status`): a status our client sets on an invoice another platform
received, or sent us, goes to that platform in the CDAR form between platforms (`formats.cdar.for_peer`,
guideline CDV:invoice), checked by `validation.cdar` (D22B XSD, BR-FR-CDV) before it leaves. The
network takes a message once per id: a run repeated after a crash gets the first receipt back.

Receiving (job `invoicing.receive_statuses`, every minute, on a network that keeps messages for us
until we read them, the sandbox's; Peppol AS4 pushes them to our endpoint, `services.network`,
which hands each one here in the request's transaction): each status message is read, checked
the same way, matched to our client's invoice (the seller's SIREN, the number and the date it
names) exchanged with the sending platform, both ways: an invoice we delivered to it (its buyer's
side speaks: the buyer's statuses and its platform's 202, 203, 213, 221) or one it delivered to us
(its seller's side speaks: the seller's 209, 211 refund, 212, 220, 224-228 and its platform's 213).
DG §3.2 (F6): the lifecycle flow is sent by the supplier to the PAE, by the buyer to the PAR, or
made by either platform, for every actor of the chain; DG §3.6.4 table 8 says who sets which.
The status is then checked against the sequence rules as that side's, and applied through
`statuses.change_status`; a message that fails any of it is refused with its reason and changes
nothing. Each message is kept by its delivery id with what became of it, so it is handled once; a
message id already applied to the invoice is a repeat.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.as4_messages import As4MessageRepository
from coursier.db.invoice_statuses import (
    BUYER,
    ISSUER_PLATFORM,
    RECEIVER_PLATFORM,
    SELLER,
    InvoiceStatusRecord,
    InvoiceStatusRepository,
    ReceivedStatusMessage,
    ReceivedStatusMessageRepository,
)
from coursier.db.invoices import OUTBOUND, Invoice, InvoiceRepository
from coursier.formats import cdar
from coursier.kit.errors import Unavailable
from coursier.model import Invoice as InvoiceModel
from coursier.model.collections import RateAmount
from coursier.model.lifecycle import AmountType, InvoiceStatus
from coursier.model.lifecycle_rules import MoveRefused, check_move
from coursier.network.peers.pki import matricule_of
from coursier.network.peers.transport import (
    PeerInbox,
    PeerTransport,
    ReceivedMessage,
    TransportRejected,
    TransportUnavailable,
)
from coursier.services.invoicing.f6 import invoice_reference, party_of
from coursier.services.invoicing.parties import buyer_electronic_address, seller_address
from coursier.services.invoicing.statuses import (
    RULE_SIDES,
    Author,
    Received,
    StatusDetails,
    change_status,
    goes_to_other_platform,
    past_statuses,
    sender_context,
)
from coursier.validation.cdar import check_cdar

log = logging.getLogger(__name__)

APPLIED, REFUSED, REPEATED = "applied", "refused", "repeated"
# The statuses the receiver's platform sets itself and may send us about an invoice we delivered.
RECEIVER_PLATFORM_STATUSES = frozenset(
    {
        InvoiceStatus.RECEIVED_BY_PLATFORM,
        InvoiceStatus.MADE_AVAILABLE,
        InvoiceStatus.REJECTED,
        InvoiceStatus.ROUTING_ERROR,
    }
)
# The one status the issuer's platform sets that may concern an invoice it already delivered: 213, a
# functional check of the PAE or the PAR that found an anomaly (DG §3.6.4 table 8). Its 200 and 201
# come before the delivery that brought us the invoice (which is the 201's news), and Coursier's
# issuer side sends neither (`statuses.goes_to_other_platform`): they would set a received invoice
# back to "deposited".
ISSUER_PLATFORM_STATUSES = frozenset({InvoiceStatus.REJECTED})
# Messages accepted at the same instant may straddle two readings of the inbox: read a little back.
_OVERLAP = timedelta(seconds=5)


class StatusNotSent(Exception):
    """Our own message failed its checks: a defect to fix, never sent as it is."""


# ---- sending ---------------------------------------------------------------------------------------


def status_to_send(session: Session, status_id: str) -> InvoiceStatusRecord | None:
    """The status, locked, if it still waits to go to the counterpart's platform."""
    record = InvoiceStatusRepository(session).get_for_job(status_id)
    if record is None or record.received_from or record.peer_delivery_id:
        return None
    return record


def send_status(session: Session, record: InvoiceStatusRecord, *, peers: PeerTransport, settings: Settings) -> None:
    """Send the status to the platform that received the invoice; `Unavailable` when it cannot be
    reached now (worth retrying)."""
    invoice = InvoiceRepository(session).get_for_job(record.invoice_id, for_update=False)
    platform_id = counterpart_platform(session, invoice)
    if platform_id is None:
        raise StatusNotSent(f"status {record.id}: no platform is known to have sent invoice {invoice.id}")
    earlier = _earlier_unsent(session, record, invoice)
    if earlier is not None:
        # The other platform checks each status against those before it: they go first (a retry).
        raise Unavailable(f"status {record.id} waits for status {earlier.id} to go first", code="earlier_status_unsent")
    content = cdar.write(peer_message(record, invoice, platform_id, settings))
    report = check_cdar(content)
    if not report.valid_apart_from_matricule:
        problems = "; ".join(f"{issue.rule}: {issue.message}" for issue in report.errors)
        raise StatusNotSent(f"status {record.id} would leave invalid: {problems}")
    model = InvoiceModel.model_validate(invoice.model)
    seller = seller_address(model) or invoice.seller_siren or ""
    buyer = buyer_electronic_address(model) or invoice.buyer_siren or ""
    try:
        receipt = peers.deliver(
            platform_id=platform_id,
            invoice_id=record.message_id,
            filename=f"{record.message_id}.xml",
            content=content,
            media_type="application/xml",
            # To the other party's line: its platform finds it through the SMP (AS4) or by matricule.
            recipient=buyer if invoice.direction == OUTBOUND else seller,
            sender=seller if invoice.direction == OUTBOUND else buyer,
        )
    except TransportUnavailable as exc:
        raise Unavailable(f"The platform {platform_id} cannot be reached: {exc}", code="peer_unavailable") from exc
    except TransportRejected as exc:
        log.error("status %s: the network refused it (%s): %s", record.id, exc.code, exc.message)
        raise StatusNotSent(f"status {record.id} refused by the network: {exc.code}") from exc
    record.peer_delivery_id = receipt.delivery_id
    session.flush()


def _earlier_unsent(session: Session, record: InvoiceStatusRecord, invoice) -> InvoiceStatusRecord | None:
    for earlier in InvoiceStatusRepository(session).history(invoice.id):
        if earlier.id == record.id:
            return None
        waits = not earlier.received_from and not earlier.peer_delivery_id
        if waits and goes_to_other_platform(invoice, earlier.emitter_role, earlier.emitter_platform):
            return earlier
    return None


def counterpart_platform(session: Session, invoice) -> str | None:
    """The other party's platform: the one we delivered a sent invoice to, or the one that sent us a
    received invoice (the matricule in its access point's id, Peppol AS4 being how invoices reach us)."""
    if invoice.direction == OUTBOUND:
        return invoice.recipient_platform_id
    sender_party = As4MessageRepository(session).sender_party_of(invoice.id)
    return matricule_of(sender_party) if sender_party else None


def peer_message(record: InvoiceStatusRecord, invoice, platform_id: str, settings: Settings) -> cdar.StatusMessage:
    """The status as the other platform receives it: to that platform (role WK), the PPF among the
    recipients of a mandatory one (XP Z12-012 example, see `for_peer`)."""
    details = []
    if record.reason_code or record.comment or record.requested_action or record.amounts:
        details.append(
            cdar.StatusDetail(
                reason=record.reason_code,
                comment=record.comment,
                requested_action=record.requested_action,
                amounts=tuple(
                    cdar.Amount(
                        AmountType.COLLECTED,
                        Decimal(part["amount"]),
                        record.currency,
                        Decimal(part["vat_rate"]),
                    )
                    for part in record.amounts
                ),
            )
        )
    return cdar.for_peer(
        InvoiceStatus(record.status_code),
        invoice_reference(invoice),
        message_id=record.message_id,
        platform_matricule=settings.pa_matricule,
        recipient=cdar.platform(platform_id),
        ppf_matricule=settings.ppf_matricule,
        status_at=record.at,
        issuer=party_of(invoice, record.emitter_role),
        details=details,
    )


# ---- receiving -------------------------------------------------------------------------------------


def waiting_messages(session: Session, peers: PeerInbox, settings: Settings) -> list[ReceivedMessage]:
    """The status messages of our inbox not handled yet, oldest first (a network that keeps them for
    us; over Peppol AS4 they are pushed to our endpoint)."""
    received = ReceivedStatusMessageRepository(session)
    latest = received.latest_accepted_at()
    since = latest - _OVERLAP if latest else None
    return [
        message
        for message in peers.received_statuses(settings.pa_matricule, since=since, limit=500)
        if received.get(message.delivery_id) is None
    ]


def receive_status(
    session: Session, message: ReceivedMessage, content: bytes, *, settings: Settings
) -> ReceivedStatusMessage:
    """Check one status message from another platform and apply it, or refuse it with its reason."""
    received = ReceivedStatusMessageRepository(session)
    kept = received.get(message.delivery_id)
    if kept is not None:
        return kept
    outcome = ReceivedStatusMessage(
        delivery_id=message.delivery_id,
        sender_platform=message.sender_platform_id,
        message_id=message.invoice_id[:64],
        accepted_at=message.accepted_at,
        outcome=APPLIED,
    )
    try:
        outcome.invoice_id, outcome.outcome = _apply(session, message, content, settings)
    except _Refusal as refusal:
        log.warning("status message %s from %s refused: %s", message.delivery_id, message.sender_platform_id, refusal)
        outcome.outcome, outcome.reason, outcome.invoice_id = REFUSED, str(refusal)[:1000], refusal.invoice_id
    return received.add(outcome)


class _Refusal(Exception):
    def __init__(self, reason: str, invoice_id: str | None = None) -> None:
        super().__init__(reason)
        self.invoice_id = invoice_id


@dataclass(frozen=True)
class OtherSide:
    """The other side of an invoice exchanged with another platform: the party and the platform
    whose statuses that platform sends us (roles of `db.invoice_statuses`), and what it sets itself."""

    party: str
    party_role: cdar.PartyRole  # how a status message names that party as its issuer
    platform: str
    platform_statuses: frozenset[InvoiceStatus]


# We delivered the invoice: the buyer's side speaks. It delivered the invoice to us: the seller's.
BUYER_SIDE = OtherSide(BUYER, cdar.PartyRole.BUYER, RECEIVER_PLATFORM, RECEIVER_PLATFORM_STATUSES)
SELLER_SIDE = OtherSide(SELLER, cdar.PartyRole.SELLER, ISSUER_PLATFORM, ISSUER_PLATFORM_STATUSES)


def _apply(session: Session, message: ReceivedMessage, content: bytes, settings: Settings) -> tuple[str, str]:
    report = check_cdar(content)
    if not report.valid_apart_from_matricule:
        raise _Refusal("invalid: " + "; ".join(f"{issue.rule}: {issue.message}" for issue in report.errors[:10]))
    try:
        status_message = cdar.parse(content)
    except cdar.CdarError as exc:
        raise _Refusal(f"unreadable ({exc.code}): {exc.message}") from None
    if status_message.guideline is not cdar.Guideline.PEER:
        raise _Refusal(f"not a message between platforms (guideline {status_message.guideline})")
    sender = status_message.sender.id.value if status_message.sender.id else None
    if sender != message.sender_platform_id:
        raise _Refusal(f"sent by {message.sender_platform_id} in the name of platform {sender}")
    reference = status_message.invoice
    found = exchanged_invoice(session, reference, message.sender_platform_id)
    if found is None:
        raise _Refusal(
            f"no invoice {reference.number} of {reference.seller_siren} was exchanged with platform "
            f"{message.sender_platform_id}"
        )
    invoice, other = found
    statuses = InvoiceStatusRepository(session)
    if statuses.by_message(invoice.id, status_message.message_id) is not None:
        return invoice.id, REPEATED
    status = status_message.status
    role = _role(status_message, status, other)
    if role is None:
        issuer = status_message.issuer.role.name.lower()
        raise _Refusal(f"status {int(status)} from the {issuer} is not one the {other.party}'s side sets", invoice.id)
    history = statuses.history(invoice.id)
    if role == other.party:
        try:
            check_move(status, RULE_SIDES[role], past_statuses(history))
        except MoveRefused as refused:
            raise _Refusal(f"rule {refused.rule}: {refused.message}", invoice.id) from None
    details = status_message.details[0] if status_message.details else cdar.StatusDetail()
    change_status(
        session,
        sender_context(invoice),
        invoice,
        status,
        by=Author(role, message.sender_platform_id),
        reason_code=details.reason,
        message=details.comment,
        details=StatusDetails(
            requested_action=details.requested_action,
            amounts=tuple(RateAmount(amount.vat_rate, amount.value) for amount in status_message.amounts),
            currency=status_message.amounts[0].currency if status_message.amounts else None,
        ),
        # The receiver's platform speaks of our delivery of the invoice; the others, of the invoice.
        transmission_id=_delivery_of(history) if role == RECEIVER_PLATFORM else None,
        at=status_message.status_at or status_message.issued_at,
        # Received: never sent back, and the platform that sent it reports it to the PPF (`statuses._reporting`).
        received=Received(message.sender_platform_id, status_message.message_id),
    )
    return invoice.id, APPLIED


def exchanged_invoice(
    session: Session, reference: cdar.InvoiceReference, platform_id: str
) -> tuple[Invoice, OtherSide] | None:
    """Our client's invoice exchanged with platform `platform_id` that a status message names, locked,
    and the side that platform speaks for: one we delivered to it (its buyer's), else one it
    delivered to us (its seller's; known by the access point that brought it, as `counterpart_platform`
    knows it)."""
    invoices = InvoiceRepository(session)
    named = {"seller_siren": reference.seller_siren, "number": reference.number, "issue_date": reference.issue_date}
    sent = invoices.sent_to_platform(**named, platform_id=platform_id)
    if sent is not None:
        return sent, BUYER_SIDE
    received = invoices.received_from_peers(**named)
    return next(
        ((invoice, SELLER_SIDE) for invoice, access_point in received if matricule_of(access_point) == platform_id),
        None,
    )


def _delivery_of(history: list[InvoiceStatusRecord]) -> str | None:
    """The delivery our 201 concerns (the network's receipt)."""
    return next(
        (record.transmission_id for record in history if record.status_code == InvoiceStatus.TRANSMITTED_BY_PLATFORM),
        None,
    )


def _role(message: cdar.StatusMessage, status: InvoiceStatus, other: OtherSide) -> str | None:
    """Who set the status on the other side: its platform, or its party (through it); None when
    that side does not set it."""
    if cdar.issued_by_platform(status):
        return other.platform if status in other.platform_statuses else None
    return other.party if message.issuer.role is other.party_role else None
