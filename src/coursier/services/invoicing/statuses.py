"""Invoice statuses: the one path every status change takes, and the names the API gives them.

`change_status` records a status on an invoice: its row in `invoice_statuses` (with who set it,
when, its details), the invoice's current status, its lifecycle event (Seqino name, webhooks),
and what follows from it: the same on the other side's invoice when both parties are clients of
this platform (one transaction, as delivery is), the message to the counterpart's platform when
it is elsewhere (a job), and its reporting to the PPF when it is mandatory (F6, batched by a job).
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.invoice_statuses import (
    BUYER,
    ISSUER_PLATFORM,
    PPF_OTHER_PLATFORM,
    PPF_PENDING,
    PPF_UNREPORTABLE,
    RECEIVER_PLATFORM,
    SELLER,
    InvoiceStatusRecord,
    InvoiceStatusRepository,
)
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice, InvoiceRepository
from coursier.kit import clock
from coursier.kit.defer import defer
from coursier.kit.held import held_together, hold
from coursier.kit.tenancy import TenantContext
from coursier.model import lifecycle
from coursier.model.collections import RateAmount
from coursier.model.lifecycle import MANDATORY, REFUSAL_STATUSES, Emitter, InvoiceStatus, event_code
from coursier.model.lifecycle_rules import PastStatus
from coursier.services.invoicing.parties import counterparty_abroad
from coursier.services.lifecycle import record_event

# Refused, or accepted but not routable: what the Seqino API calls `rejected`.
NOT_DELIVERED = REFUSAL_STATUSES | {InvoiceStatus.ROUTING_ERROR}
# The lifecycle events' emitter (Seqino): the issuer's platform carries the seller's statuses,
# the receiver's platform the buyer's.
EVENT_EMITTERS = {ISSUER_PLATFORM: "PDPE", SELLER: "PDPE", RECEIVER_PLATFORM: "PDPR", BUYER: "PDPR"}
# A party's statuses as the sequence rules know their side.
RULE_SIDES = {SELLER: Emitter.SELLER, BUYER: Emitter.BUYER}
# The parties' roles: their statuses go to the other party, here or through its platform.
PARTY_ROLES = frozenset({SELLER, BUYER})
DUPLICATE_REASON = "DOUBLON"
# Statuses whose reason the invoice shows as its refusal (`rejection_reason`).
REFUSALS = NOT_DELIVERED | {InvoiceStatus.REFUSED}


@dataclass(frozen=True)
class Author:
    """Who sets a status (a role of `db.invoice_statuses`) and the platform that carries it (matricule)."""

    role: str
    platform: str


@dataclass(frozen=True)
class Received:
    """A status that came from another platform, in its message `message_id`."""

    platform: str
    message_id: str


@dataclass(frozen=True)
class StatusDetails:
    """What a party's status carries beyond its code and its reason and comment (model.lifecycle:
    who requires what); `event_details` go to its lifecycle event."""

    requested_action: str | None = None
    amounts: tuple[RateAmount, ...] = ()  # 212: VAT included, per rate
    currency: str | None = None
    payment: dict | None = None  # 212 from a payment: amount, date, currency
    payment_id: str | None = None
    event_details: dict = field(default_factory=dict)


NO_DETAILS = StatusDetails()
# session.info key of the status records a `statuses_recorded_together` block holds back.
_HELD_RECORDS = "held_invoice_statuses"


def issuer_platform(settings: Settings) -> Author:
    """This platform, as the seller's (PDPE)."""
    return Author(ISSUER_PLATFORM, settings.pa_matricule)


def receiver_platform(settings: Settings) -> Author:
    """This platform, as the buyer's (PDPR)."""
    return Author(RECEIVER_PLATFORM, settings.pa_matricule)


def change_status(
    session: Session,
    ctx: TenantContext,
    invoice: Invoice,
    status: InvoiceStatus,
    *,
    by: Author,
    reason_code: str | None = None,
    message: str | None = None,
    details: StatusDetails = NO_DETAILS,
    transmission_id: str | None = None,
    at: datetime | None = None,
    received: Received | None = None,
    first: bool = False,
) -> InvoiceStatusRecord:
    """Record `status` on `invoice` (its side, tenant `ctx`), and on the other side's invoice when it is here.

    `message` is the free text that goes with it: the comment of a party's status, or what a
    platform's refusal says. A 213 DOUBLON from the receiver's platform after it made the invoice
    available refuses a repeated delivery: it is kept, and the invoice keeps its status.
    `first`: the first status of an invoice created in this transaction, which no other side's
    copy can refer to yet (nothing to look up).
    """
    repeat_delivery = _refuses_a_repeat(session, invoice, status, reason_code, by)
    if not repeat_delivery:
        _set_current(invoice, status, reason_code, message)
    session.flush()  # the invoice row first: its statuses refer to it
    record = InvoiceStatusRecord(
        id=new_id("ist"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        invoice_id=invoice.id,
        status_code=int(status),
        emitter_role=by.role,
        emitter_platform=by.platform,
        at=(at or clock.now()),
        reason_code=reason_code,
        comment=clip(message, 2000),
        requested_action=details.requested_action,
        currency=details.currency,
        amounts=[{"vat_rate": format(part.rate, "f"), "amount": str(part.amount)} for part in details.amounts],
        payment=details.payment,
        payment_id=details.payment_id,
        transmission_id=transmission_id,
        repeat_delivery=repeat_delivery,
        message_id=received.message_id if received else new_id("cdv"),
        received_from=received.platform if received else None,
        **_reporting(invoice, status, reason_code, received, repeat_delivery),
    )
    held = hold(session, _HELD_RECORDS)
    if held is None:
        InvoiceStatusRepository(session).add(record)
    else:
        held.append(record)
    _event(session, ctx, invoice, record, reason_code, message, details.event_details)
    if record.ppf_reporter:
        defer(session, "invoicing.report_status", status_id=record.id)
    counterpart = None if first else counterpart_here(session, invoice)
    if counterpart is not None:
        mirror_status(session, counterpart, record, event=by.role in PARTY_ROLES)
    elif received is None and goes_to_other_platform(invoice, by.role, by.platform):
        defer(session, "invoicing.send_status", status_id=record.id)
    return record


def statuses_recorded_together(session: Session) -> AbstractContextManager[None]:
    """The status records made within the block are inserted together when it ends (see
    `kit.held`): for work on many invoices that records one status on each."""
    return held_together(session, _HELD_RECORDS, _insert_records)


def _insert_records(session: Session, records: list[InvoiceStatusRecord]) -> None:
    InvoiceStatusRepository(session).add_all(records)


def mirror_status(
    session: Session, invoice: Invoice, original: InvoiceStatusRecord, *, event: bool
) -> InvoiceStatusRecord:
    """The other side's copy of a status: the same message, in that side's tenant; the PPF is told once.

    With `event`, that side gets its lifecycle event too: for the parties' statuses. The other
    side's platform statuses (the seller's 200/201, the buyer's 202/203) join its history without
    one, since their event types speak for the side that holds them ("invoice.received"…).
    """
    copy = InvoiceStatusRecord(
        **{column: getattr(original, column) for column in _COPIED_COLUMNS},
        id=new_id("ist"),
        sponsor_id=invoice.sponsor_id,
        client_id=invoice.client_id,
        invoice_id=invoice.id,
        ppf_reporter=False,
    )
    if not copy.repeat_delivery:
        _set_current(invoice, InvoiceStatus(copy.status_code), copy.reason_code, copy.comment)
    InvoiceStatusRepository(session).add(copy)
    if event:
        ctx = TenantContext(sponsor_id=invoice.sponsor_id, client_id=invoice.client_id)
        _event(session, ctx, invoice, copy, copy.reason_code, copy.comment, {})
    return copy


_COPIED_COLUMNS = (
    "status_code",
    "emitter_role",
    "emitter_platform",
    "at",
    "reason_code",
    "comment",
    "requested_action",
    "currency",
    "amounts",
    "payment",
    "payment_id",
    "transmission_id",
    "repeat_delivery",
    "message_id",
    "received_from",
    "ppf_state",
    "ppf_flow_id",
    "ppf_queued_at",
    "ppf_reason",
    "ppf_detail",
)


def _event(
    session: Session,
    ctx: TenantContext,
    invoice: Invoice,
    record: InvoiceStatusRecord,
    reason_code: str | None,
    message: str | None,
    more_details: dict,
) -> None:
    """The lifecycle event of one side's record (Seqino name, webhooks)."""
    status = InvoiceStatus(record.status_code)
    record_event(
        session,
        ctx,
        object_type="invoice",
        object_id=invoice.id,
        status_code=event_code(status),
        emitter=EVENT_EMITTERS[record.emitter_role],
        reason=clip(message, 1000),
        rejection_reason=reason_code,
        is_mandatory=status in MANDATORY,
        details={
            "status_code": int(status),
            "status_id": record.id,
            "emitter_role": record.emitter_role,
            "platform": record.emitter_platform,
            **({"repeat_delivery": True} if record.repeat_delivery else {}),
            **more_details,
        },
    )


def _set_current(invoice: Invoice, status: InvoiceStatus, reason_code: str | None, message: str | None) -> None:
    invoice.status_code = status
    if status in REFUSALS:
        invoice.rejection_reason = reason_code
        invoice.rejection_message = clip(message, 2000)


def _reporting(
    invoice: Invoice,
    status: InvoiceStatus,
    reason_code: str | None,
    received: Received | None,
    repeat_delivery: bool,
) -> dict:
    """Whether this platform reports the status to the PPF (F6).

    Every platform passes on the mandatory statuses it carries (DG §3.2, flow F6); Coursier's reading,
    so that the PPF holds each status once: the platform whose client or checks set it reports it,
    and a status received from another platform is that platform's to report. A 213 DOUBLON refusing
    a repeated deposit or delivery is not reported: it concerns a transmission, and the PPF would read
    it as the rejection of the invoice already held (same number, seller and year; DG §3.6.7). (choice)
    """
    if status not in MANDATORY or counterparty_abroad(invoice):
        return {"ppf_state": None, "ppf_reporter": False}
    if received is not None:
        return {"ppf_state": PPF_OTHER_PLATFORM, "ppf_reporter": False}
    if repeat_delivery or (status == InvoiceStatus.REJECTED and reason_code == DUPLICATE_REASON):
        return {"ppf_state": None, "ppf_reporter": False}
    # A status message names the invoice by number, type, date and seller's SIREN (A7 G7.17, P1.14):
    # a file refused before they could be read cannot be reported.
    if not (invoice.number and invoice.type_code and invoice.issue_date and invoice.seller_siren):
        return {"ppf_state": PPF_UNREPORTABLE, "ppf_reporter": False}
    return {"ppf_state": PPF_PENDING, "ppf_reporter": True}


def _refuses_a_repeat(
    session: Session, invoice: Invoice, status: InvoiceStatus, reason_code: str | None, by: Author
) -> bool:
    """A 213 DOUBLON from the receiver's platform once it made the invoice available: it refuses a
    repeated delivery, never the invoice it holds (spec: "Lifecycle statuses", Dolibarr issue 985)."""
    if status != InvoiceStatus.REJECTED or reason_code != DUPLICATE_REASON or by.role != RECEIVER_PLATFORM:
        return False
    return InvoiceStatusRepository(session).has_status(invoice.id, (InvoiceStatus.MADE_AVAILABLE,))


def counterpart_here(session: Session, invoice: Invoice) -> Invoice | None:
    """The other side's row of an invoice exchanged between two clients of this platform."""
    invoices = InvoiceRepository(session)
    if invoice.direction == INBOUND and invoice.source_invoice_id:
        return invoices.get_for_job(invoice.source_invoice_id)
    if invoice.direction == OUTBOUND:
        return invoices.delivered_copy(invoice.id)
    return None


def goes_to_other_platform(invoice: Invoice, role: str, platform: str) -> bool:
    """Whether a status set here goes to the other side's platform: a seller's on an invoice
    delivered to another platform; on an invoice another platform sent us (no copy of a row here),
    the buyer's and ours as its receiver (202, 203...: the issuer's platform follows them, DG §3.6.4 table 8)."""
    if invoice.direction == INBOUND:
        return invoice.source_invoice_id is None and role in (*PARTY_ROLES, RECEIVER_PLATFORM)
    return role in PARTY_ROLES and bool(invoice.recipient_platform_id) and invoice.recipient_platform_id != platform


def past_statuses(records: list[InvoiceStatusRecord]) -> list[PastStatus]:
    """A history as the sequence rules read it: each status and the side it came from."""
    return [
        PastStatus(InvoiceStatus(record.status_code), RULE_SIDES.get(record.emitter_role, Emitter.PLATFORM))
        for record in records
        if not record.repeat_delivery
    ]


def sender_context(invoice: Invoice) -> TenantContext:
    """The tenant of an invoice's row (the sending side of an outbound one), for jobs that work on it."""
    return TenantContext(sponsor_id=invoice.sponsor_id, client_id=invoice.client_id)


def seqino_status(status_code: int) -> str:
    """The Seqino API's status: `validated` once accepted, `processed` once routed, `rejected` if
    refused or if it could not be routed."""
    if status_code in NOT_DELIVERED:
        return "rejected"
    return "validated" if status_code == InvoiceStatus.DEPOSITED else "processed"


def status_label(status_code: int, language: str = "fr") -> str:
    return lifecycle.status_label(InvoiceStatus(status_code), language)


def clip(text: str | None, length: int) -> str | None:
    """`text` cut to the length of the column it goes into."""
    return text[:length] if text else text
