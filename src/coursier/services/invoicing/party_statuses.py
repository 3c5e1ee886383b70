"""The statuses a party sets on its invoice (the API, the dashboard): checked, then recorded.

The client is the seller of what it sent and the buyer of what it received. A status is refused
when the sequence rules refuse the move (409 with the rule's id, `model.lifecycle_rules`) or when
what it carries does not fit it (422, naming the allowed reasons). A 212 "Encaissée" comes from a
payment, spread over the invoice's VAT rates (`model.collections`), or from amounts per rate;
collections accumulate, a negative amount is a refund, and a `payment_id` makes it idempotent.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.invoice_statuses import BUYER, SELLER, InvoiceStatusRecord, InvoiceStatusRepository
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice, InvoiceRepository
from coursier.kit import clock
from coursier.kit.errors import Conflict, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice as InvoiceModel
from coursier.model.collections import (
    CENT,
    CollectionRefused,
    RateAmount,
    add_up,
    check_parts,
    gross_by_rate,
    split_payment,
)
from coursier.model.lifecycle import InvoiceStatus, RequestedAction
from coursier.model.lifecycle_rules import DetailsRefused, MoveRefused, check_details, check_move, moves_allowed
from coursier.services.invoicing.statuses import (
    RULE_SIDES,
    Author,
    StatusDetails,
    change_status,
    past_statuses,
)
from coursier.services.reporting.payments import Collected, report_collections

Money = Annotated[Decimal, Field(max_digits=17, decimal_places=2)]


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Money = Field(description="Collected, VAT included; negative: money paid back (a refund)")
    date: dt.date = Field(description="When the money was received (or paid back)")
    currency: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="ISO 4217; the invoice's currency (BT-5) when left out"
    )
    payment_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Your id of the payment: sent again, the status already recorded for it is answered",
    )


class RateAmountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vat_rate: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] = Field(
        description="A VAT rate of the invoice (BT-119), percent"
    )
    amount: Money = Field(description="Collected at that rate, VAT included; negative: paid back")


class StatusRequest(BaseModel):
    """A status the calling client sets on its invoice."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: InvoiceStatus = Field(
        description="The buyer sets 204–208, 210, 211, 214 on what it received; the seller 209, 211 (a refund), "
        "212, 220, 224–228 on what it sent. 200–203, 213, 221 and 501 are the platforms'."
    )
    reason_code: str | None = Field(
        default=None,
        max_length=40,
        description="Required for 206, 207, 208 and 210, from the list of the status (BR-FR-CDV-CL-09)",
    )
    comment: str | None = Field(default=None, max_length=1000, description="Required for 208 and 210 (A7 G7.25)")
    requested_action: RequestedAction | None = Field(
        default=None, description="What the other party is asked to do (MDT-121)"
    )
    payment: PaymentIn | None = Field(
        default=None, description="212: the payment, spread over the invoice's VAT rates by the platform"
    )
    amounts: list[RateAmountIn] | None = Field(
        default=None, max_length=50, description="212: the amounts per VAT rate, instead of a payment"
    )


class StatusNotAllowed(Conflict):
    """The sequence rules refuse the move; `rule` names the one that does."""

    code = "status_not_allowed"


class StatusDetailsRefused(Unprocessable):
    code = "status_details_invalid"


class CollectionNotAllowed(Conflict):
    code = "collection_not_allowed"


def set_status(
    session: Session, ctx: TenantContext, invoice_id: str, request: StatusRequest, *, settings: Settings
) -> tuple[InvoiceStatusRecord, bool]:
    """Record the status the client asks for on its invoice; also whether it repeats a payment
    already recorded (then nothing is written, the first record is answered)."""
    invoice = _locked(session, InvoiceRepository(session).get_or_404(ctx, invoice_id))
    side = _side(invoice)
    statuses = InvoiceStatusRepository(session)
    payment_id = request.payment.payment_id if request.payment else None
    if payment_id is not None and (earlier := statuses.by_payment(invoice.id, payment_id)) is not None:
        return _same_payment(earlier, request), True
    history = statuses.history(invoice.id)
    try:
        check_move(request.status, RULE_SIDES[side], past_statuses(history))
    except MoveRefused as refused:
        raise StatusNotAllowed(f"{refused.message} (rule {refused.rule})", extra={"rule": refused.rule}) from None
    _check_details(request)
    details = StatusDetails(requested_action=request.requested_action)
    if request.status == InvoiceStatus.COLLECTED:
        details = _collection(invoice, request, history)
    record = change_status(
        session,
        ctx,
        invoice,
        request.status,
        by=Author(side, settings.pa_matricule),
        reason_code=request.reason_code,
        message=request.comment,
        details=details,
    )
    if record.status_code == InvoiceStatus.COLLECTED:
        _report_collections(session, ctx, invoice, [*history, record])
    return record, False


def _report_collections(
    session: Session, ctx: TenantContext, invoice: Invoice, history: list[InvoiceStatusRecord]
) -> None:
    """The day of the latest 212, net per VAT rate over that day's 212s, to e-reporting when the
    invoice is e-reported (an invoice with a buyer abroad, 10.2), replacing what the day's entry
    said. A refund that cancels the day's payments makes it 0.00, not left as it was; a net below
    zero (a refund on a later day) is not sent: the official Flux10 schematron refuses a minus sign
    on TT-95 (G1.16 of annex 7 v1.8), though annex 6 v1.10 has since replaced that rule by G7.07."""
    collections = [record for record in history if record.status_code == InvoiceStatus.COLLECTED]
    day = _collection_day(collections[-1])
    net: dict[Decimal, Decimal] = {}
    for record in collections:
        if _collection_day(record) == day:
            for part in record.amounts:
                rate = Decimal(part["vat_rate"])
                net[rate] = net.get(rate, Decimal(0)) + Decimal(part["amount"])
    amounts = [Collected(rate=rate, amount=amount) for rate, amount in net.items() if amount >= 0]
    if amounts:
        report_collections(session, ctx, invoice.id, day, amounts)


def _collection_day(record: InvoiceStatusRecord) -> dt.date:
    """When the money came: the payment's date, else the day the 212 was set (French calendar)."""
    if record.payment is not None:
        return dt.date.fromisoformat(record.payment["date"])
    return clock.paris_date(record.at)


def list_statuses(session: Session, ctx: TenantContext, invoice_id: str) -> list[InvoiceStatusRecord]:
    """The invoice's whole history, both sides' statuses, oldest first."""
    invoice = InvoiceRepository(session).get_or_404(ctx, invoice_id)
    return InvoiceStatusRepository(session).for_scope(ctx, invoice.id)


def statuses_allowed_now(session: Session, ctx: TenantContext, invoice_id: str) -> list[InvoiceStatus]:
    """The statuses the client may set on its invoice now, as its side (seller or buyer): the ones
    `set_status` would not refuse for the sequence rules."""
    invoice = InvoiceRepository(session).get_or_404(ctx, invoice_id)
    history = past_statuses(InvoiceStatusRepository(session).history(invoice.id))
    return moves_allowed(RULE_SIDES[_side(invoice)], history)


def _side(invoice: Invoice) -> str:
    """The client is the seller of what it sent, the buyer of what it received."""
    return SELLER if invoice.direction == OUTBOUND else BUYER


def _locked(session: Session, invoice: Invoice) -> Invoice:
    """The invoice locked, after the seller's row when the buyer's copy is here: both sides take
    their locks in one order, so concurrent statuses from the two parties queue instead of deadlocking."""
    invoices = InvoiceRepository(session)
    if invoice.direction == INBOUND and invoice.source_invoice_id:
        invoices.get_for_job(invoice.source_invoice_id)
    return invoices.get_for_job(invoice.id)


def _check_details(request: StatusRequest) -> None:
    try:
        check_details(
            request.status,
            reason_code=request.reason_code,
            comment=request.comment,
            requested_action=request.requested_action,
            has_amounts=request.payment is not None or bool(request.amounts),
        )
    except DetailsRefused as refused:
        extra = {"allowed_reasons": refused.allowed} if refused.code.startswith("reason_") else {}
        raise StatusDetailsRefused(refused.message, code=refused.code, extra=extra) from None
    if request.payment is not None and request.amounts:
        raise StatusDetailsRefused("Give a payment or amounts per VAT rate, not both", code="payment_and_amounts")


def _collection(invoice: Invoice, request: StatusRequest, history: list[InvoiceStatusRecord]) -> StatusDetails:
    """A 212's amounts per VAT rate, against what earlier ones collected (A7 G7.45, P1.15)."""
    model = InvoiceModel.model_validate(invoice.model)
    currency = invoice.currency or model.currency_code  # BT-5: rows written without the column have it here
    given_currency = request.payment.currency if request.payment else None
    if given_currency is not None and given_currency != currency:
        raise StatusDetailsRefused(
            f"The payment is in {given_currency}; the invoice is in {currency}", code="currency_mismatch"
        )
    gross = gross_by_rate(model)
    collected = add_up(
        RateAmount(Decimal(part["vat_rate"]), Decimal(part["amount"]))
        for record in history
        if record.status_code == InvoiceStatus.COLLECTED
        for part in record.amounts
    )
    try:
        if request.payment is not None:
            parts = split_payment(request.payment.amount, gross, collected)
        else:
            parts = check_parts([RateAmount(item.vat_rate, item.amount) for item in request.amounts], gross, collected)
    except CollectionRefused as refused:
        if refused.code in ("collection_above_total", "refund_above_collected"):
            raise CollectionNotAllowed(str(refused), code=refused.code) from None
        raise StatusDetailsRefused(str(refused), code=refused.code) from None
    payment = None
    if request.payment is not None:
        payment = {
            "amount": str(request.payment.amount.quantize(CENT)),
            "date": request.payment.date.isoformat(),
            "currency": currency,
        }
    return StatusDetails(
        requested_action=request.requested_action,
        amounts=tuple(parts),
        currency=currency,
        payment=payment,
        payment_id=request.payment.payment_id if request.payment else None,
    )


def _same_payment(earlier: InvoiceStatusRecord, request: StatusRequest) -> InvoiceStatusRecord:
    payment = request.payment
    same = (
        request.status == earlier.status_code
        and earlier.payment is not None
        and Decimal(earlier.payment["amount"]) == payment.amount
        and earlier.payment["date"] == payment.date.isoformat()
    )
    if not same:
        raise Conflict(
            f"Payment {payment.payment_id} was already recorded with other values ({earlier.id})",
            code="payment_id_reused",
        )
    return earlier
