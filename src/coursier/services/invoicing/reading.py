"""Reading invoices: the client's list, filtered as the Seqino API filters it, and one invoice with
its history."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, false, or_
from sqlalchemy.orm import Session

from coursier.db.invoices import INBOUND, OUTBOUND, Invoice, InvoiceRepository
from coursier.db.lifecycle import LifecycleEvent
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.services.invoicing.statuses import NOT_DELIVERED

# A list filtered by issue dates up to a year apart walks only their stretch of the creation order
# (`InvoiceRepository.creation_stretch`, a few index probes per day of the range); a wider range
# is most of a client's invoices, found soon enough by walking the whole order.
_BOUNDED_ISSUE_DATES = timedelta(days=366)


@dataclass(frozen=True)
class InvoiceFilters:
    direction: str | None = None
    status: str | None = None  # a Seqino status (validated, processed, rejected) or a numeric code
    date_from: date | None = None
    date_to: date | None = None
    counterparty: str | None = None  # a SIREN, or part of a name
    number: str | None = None  # part of the invoice number (BT-1)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None


def list_invoices_query(session: Session, ctx: TenantContext, filters: InvoiceFilters) -> Select[tuple[Invoice]]:
    """The caller's invoices the filters keep, without their JSON (each filter has its index, db/invoices.py).

    Issue dates up to a year apart are also turned into the stretch of creation they span, read
    first: the page then walks that stretch only, and the planner, given the instants, knows it.
    """
    invoices = InvoiceRepository(session)
    stmt = InvoiceRepository.listable(ctx)
    if filters.direction:
        stmt = stmt.where(Invoice.direction == filters.direction)
    if filters.status:
        stmt = stmt.where(_status_condition(filters.status))
    issued = Invoice.issue_date
    if ctx.client_id and _bounded(filters.date_from, filters.date_to):
        stretch = invoices.creation_stretch(ctx, filters.date_from, filters.date_to)
        stmt = stmt.where(Invoice.created_at.between(*stretch) if stretch else false())
        # Within the stretch the dates only sift: `+ 0` keeps the planner from taking them for an
        # index range (it would read every invoice of the range to sort them, having no way to know
        # how closely issue and creation go together).
        issued = Invoice.issue_date + 0
    if filters.date_from:
        stmt = stmt.where(issued >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(issued <= filters.date_to)
    if filters.amount_min is not None:
        stmt = stmt.where(Invoice.total_with_vat >= filters.amount_min)
    if filters.amount_max is not None:
        stmt = stmt.where(Invoice.total_with_vat <= filters.amount_max)
    if filters.counterparty:
        stmt = stmt.where(_counterparty_condition(invoices, filters.counterparty.strip(), filters.direction))
    if filters.number:
        stmt = stmt.where(invoices.text_contains(Invoice.number, filters.number.strip()))
    return stmt


def _bounded(first: date | None, last: date | None) -> bool:
    if first is None:
        return False
    return (last or clock.today()) - first <= _BOUNDED_ISSUE_DATES


def _status_condition(status: str):
    if status.isdigit():
        return Invoice.status_code == int(status)
    refused = Invoice.status_code.in_([int(s) for s in NOT_DELIVERED])
    conditions = {
        "rejected": refused,
        "validated": Invoice.status_code == InvoiceStatus.DEPOSITED,
        "processed": ~refused & (Invoice.status_code != InvoiceStatus.DEPOSITED),
    }
    if status not in conditions:
        raise InvalidInput(
            "status is validated, processed, rejected or a status code such as 213", code="invalid_status_filter"
        )
    return conditions[status]


def _counterparty_condition(invoices: InvoiceRepository, counterparty: str, direction: str | None):
    """The other party: the buyer of what the client sent, the seller of what it received."""

    def party(siren_column, name_column):
        if counterparty.isdigit():
            return siren_column == counterparty
        return invoices.text_contains(name_column, counterparty)

    buyer = party(Invoice.buyer_siren, Invoice.buyer_name)
    seller = party(Invoice.seller_siren, Invoice.seller_name)
    if direction == OUTBOUND:
        return buyer
    if direction == INBOUND:
        return seller
    return or_((Invoice.direction == OUTBOUND) & buyer, (Invoice.direction == INBOUND) & seller)


def get_invoice(session: Session, ctx: TenantContext, invoice_id: str) -> Invoice:
    return InvoiceRepository(session).get_or_404(ctx, invoice_id)


def history(session: Session, ctx: TenantContext, invoice: Invoice) -> list[LifecycleEvent]:
    """The invoice's lifecycle events, oldest first.

    Events of one transaction share its timestamp; among them, statuses advance in code order
    (202 then 203), which is the order they were written in.
    """
    events = InvoiceRepository(session).events(ctx, invoice)
    return sorted(events, key=lambda e: (e.created_at, e.details.get("status_code", 0), e.id))
