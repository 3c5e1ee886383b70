"""E-reporting (`/api/reporting`, X-PDP-Client-Id): international invoices, B2C days, payments, and
the periods they are reported in to the PPF (flow 10)."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from coursier.api.deps import ClientCtx, DbSession, Settings
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.reporting import ReportingPeriod, ReportingPeriodRepository, ReportingTransmission
from coursier.kit import clock
from coursier.model.reporting import Category, DeclarantRole
from coursier.model.values import Amount, Percentage
from coursier.services.reporting import b2c, invoices, payments, periods, transmission
from coursier.services.reporting.aggregation import B2C_DAY, B2C_INVOICE, DAY_PAYMENT, INVOICE, INVOICE_PAYMENT
from coursier.services.reporting.items import Recorded

router = Router(
    prefix="/reporting",
    tags=["Reporting"],
    responses={
        404: {"description": "`client_not_found`, `period_not_found`, `invoice_not_found`"},
        422: {
            "description": "`validation_error` (unknown category, malformed body) or a refusal saying why, nothing "
            "stored: `rate_not_accepted`, `date_in_future`, `payment_data_not_due`, `period_closed`, "
            "`invoice_invalid` (with `errors`), `declarant_not_client`…"
        },
    },
)

CategoryCode = Literal[tuple(category.value for category in Category)]
Siren = Annotated[
    str | None, Field(default=None, pattern=r"^\d{9}$", description="The declarant, when the client has several")
]
ROLES = {DeclarantRole.SELLER.value: "seller", DeclarantRole.BUYER.value: "buyer"}
BLOCKS = {
    INVOICE: "10.1",
    B2C_DAY: "10.3",
    B2C_INVOICE: "10.3",
    INVOICE_PAYMENT: "10.2",
    DAY_PAYMENT: "10.4",
}


# ---- schemas -------------------------------------------------------------------------------------


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExemptInvoiceIn(Body):
    direction: Literal["incoming", "outgoing"] = Field(
        description="outgoing: the client sold (it declares as seller); incoming: it bought from abroad (as buyer)"
    )
    country_code: str = Field(pattern=r"^[A-Z]{2}$", description="The counterparty's country (ISO 3166 alpha-2)")
    model: dict = Field(description="The invoice, in the draft model (the fields of POST /api/drafts)")
    b2c: bool = Field(
        default=False,
        description="An invoice to a private person: it joins the day's B2C totals of its category (10.3), "
        "B2C invoices are not reported one by one",
    )
    category: CategoryCode | None = Field(default=None, description="For a B2C invoice: TLB1, TPS1, TNT1 or TMA1")


class VatLineIn(Body):
    rate: Percentage = Field(description="VAT rate in percent, from the accepted list: 0 0.9 1.05 … 20 20.6")
    taxable_amount: Amount = Field(description="Total excluding VAT at this rate, in euros (for TMA1: the margin)")
    tax_amount: Amount = Field(description="VAT at this rate, in euros")


class B2CDayIn(Body):
    date: dt.date = Field(description="The day of the transactions")
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$", description="Currency of the transactions (TT-78)")
    category: CategoryCode = Field(
        description="TLB1 goods, TPS1 services, TNT1 not subject to French VAT, TMA1 margin schemes"
    )
    vat: list[VatLineIn] = Field(min_length=1, max_length=20, description="One entry per VAT rate, amounts in euros")
    count: int | None = Field(default=None, ge=0, le=10**9, description="Number of transactions (optional)")
    siren: Siren


class CollectedIn(Body):
    rate: Percentage = Field(description="VAT rate in percent, from the accepted list")
    amount: Amount = Field(description="Amount collected at this rate, VAT included, in euros")


class PaymentIn(Body):
    date: dt.date = Field(description="The day the payment was collected")
    invoice_id: str | None = Field(
        default=None, max_length=32, description="An e-reported invoice of the client (10.2); none: a day of B2C (10.4)"
    )
    category: CategoryCode | None = Field(
        default=None, description="Without invoice_id: the category of the operations paid (only TPS1 is due)"
    )
    amounts: list[CollectedIn] = Field(min_length=1, max_length=20)
    siren: Siren


class ReportedOut(BaseModel):
    id: str = Field(description="This version of the item; its events: object_type transaction_data, or invoice")
    invoice_id: str | None = Field(description="The invoice it is (10.1, B2C invoice) or is the payment of (10.2)")
    block: str = Field(description="The F10 block it feeds: 10.1, 10.2, 10.3 or 10.4")
    period_id: str
    operation_date: dt.date = Field(description="The date that decides its period")
    replaces: str | None = Field(description="The version it replaces (the same day sent again…)")
    late: bool = Field(description="Its period was already reported: it goes into a corrective report (RE)")


class TransmissionOut(BaseModel):
    id: str = Field(description="The transmission's id (TT-1)")
    type_code: Literal["IN", "RE"] = Field(description="IN initial, RE corrective (replaces the period's data)")
    state: Literal["queued", "deposited", "rejected"] = Field(description="Waiting for the PPF, 300, 301")
    reasons: list[str] = Field(description="REJ_SEMAN, REJ_UNI, REJ_COH, REJ_PER (or IRR_* for a refused flow)")
    findings: list[dict]
    flow_id: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None


class PeriodOut(BaseModel):
    id: str
    kind: Literal["transactions", "payments"]
    declarant_role: Literal["seller", "buyer"]
    siren: str
    start: dt.date
    end: dt.date
    deadline: dt.date = Field(description="The last day its data reaches the platform; it is sent in the 8 hours after")
    state: Literal["open", "due", "sent", "accepted", "rejected"]
    transmissions: list[TransmissionOut]


class PreviewOut(BaseModel):
    period_id: str
    due: bool = Field(description="Whether it would be sent now")
    why: str
    report: dict = Field(description="The report as it would leave now (its id and time are given when it does)")


# ---- endpoints -----------------------------------------------------------------------------------


def _reported(recorded: Recorded) -> ReportedOut:
    item = recorded.item
    return ReportedOut(
        id=item.id,
        invoice_id=item.invoice_id,
        block=BLOCKS[item.item_type],
        period_id=item.period_id,
        operation_date=item.operation_date,
        replaces=recorded.replaces,
        late=recorded.late,
    )


def _transmission_out(sent: ReportingTransmission) -> TransmissionOut:
    return TransmissionOut(
        id=sent.document_id,
        type_code=sent.type_code,
        state=sent.state,
        reasons=sent.reasons,
        findings=sent.findings,
        flow_id=sent.flow_id,
        created_at=sent.created_at,
        answered_at=sent.answered_at,
    )


@router.post(
    "/exempt-invoices",
    status_code=201,
    response_model=ReportedOut,
    summary="Report an invoice outside the domestic exchange (international, or B2C)",
    responses={409: {"description": "`duplicate_invoice`: the seller already reported this number this year"}},
)
def report_exempt_invoice(body: ExemptInvoiceIn, ctx: ClientCtx, session: DbSession) -> ReportedOut:
    """Checked with the rules that apply to it (EN 16931, then its F10 entry against the official
    e-reporting XSD and Flux10 rules); it then feeds 10.1 (10.3 for a B2C invoice) in its period,
    and 10.2 as it is paid (`POST /api/reporting/payments` with its `invoice_id`). Follow it with
    the lifecycle events of `object_type=invoice`."""
    item = invoices.report_exempt_invoice(
        session,
        ctx,
        direction=body.direction,
        country_code=body.country_code,
        data=body.model,
        b2c=body.b2c,
        category=Category(body.category) if body.category else None,
    )
    return _reported(item)


@router.delete(
    "/exempt-invoices/{invoice_id}",
    status_code=204,
    summary="Withdraw an exempt invoice not yet accepted by the PPF",
    responses={409: {"description": "`transmission_in_progress`"}},
)
def withdraw_exempt_invoice(invoice_id: str, ctx: ClientCtx, session: DbSession) -> Response:
    """Before the PPF accepted its period's report; after, the period is closed for a direct change
    (422 `period_closed`): correct the invoice with a credit note or a corrective invoice."""
    invoices.withdraw_exempt_invoice(session, ctx, invoice_id)
    return Response(status_code=204)


@router.post(
    "/b2c-transactions",
    status_code=201,
    response_model=ReportedOut,
    summary="Report a day's B2C totals of one currency and category (10.3)",
)
def report_b2c_day(body: B2CDayIn, ctx: ClientCtx, session: DbSession) -> ReportedOut:
    """The same day, currency and category sent again replaces it: before its period is reported,
    in place; after, in a corrective report."""
    item = b2c.record_b2c_day(
        session,
        ctx,
        day=body.date,
        currency=body.currency,
        category=Category(body.category),
        vat=[b2c.VatLine(line.rate, line.taxable_amount, line.tax_amount) for line in body.vat],
        count=body.count,
        siren=body.siren,
    )
    return _reported(item)


@router.post(
    "/payments",
    status_code=201,
    response_model=ReportedOut,
    summary="Report payments received: on an invoice (10.2) or in a day of B2C (10.4)",
)
def report_payment(body: PaymentIn, ctx: ClientCtx, session: DbSession) -> ReportedOut:
    """Only where payment data is due: services, not under reverse charge, and not with the option
    for VAT on debits (the client's `vat_on_debits` setting); the rest is refused, saying why. The
    same invoice and date, or the same day, sent again replaces it."""
    item = payments.record_payment(
        session,
        ctx,
        day=body.date,
        amounts=[payments.Collected(entry.rate, entry.amount) for entry in body.amounts],
        invoice_id=body.invoice_id,
        category=Category(body.category) if body.category else None,
        siren=body.siren,
    )
    return _reported(item)


def _period_out(session, period: ReportingPeriod) -> PeriodOut:
    sent = transmission.transmissions_of(session, period)
    return PeriodOut(
        id=period.id,
        kind=period.kind,
        declarant_role=ROLES[period.role],
        siren=period.siren,
        start=period.start_date,
        end=period.end_date,
        deadline=period.deadline,
        state=periods.shown_state(period, clock.today()),
        transmissions=[_transmission_out(t) for t in sent],
    )


@router.get("/periods", response_model=list[PeriodOut], summary="The client's reporting periods")
def list_periods(
    ctx: ClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    kind: Literal["transactions", "payments"] | None = None,
) -> list[PeriodOut]:
    """Each period of each declarant, role and kind of data the client has reported in, oldest
    first, with its transmissions."""
    rows = paginate(
        session, ReportingPeriodRepository(session).listing(ctx, kind=kind), ReportingPeriod, page, request, response
    )
    return [_period_out(session, period) for period in rows]


@router.get("/periods/{period_id}", response_model=PeriodOut, summary="One reporting period")
def get_period(period_id: str, ctx: ClientCtx, session: DbSession) -> PeriodOut:
    return _period_out(session, periods.get_period(session, ctx, period_id))


@router.get(
    "/periods/{period_id}/preview",
    response_model=PreviewOut,
    summary="Exactly what the period's next report contains",
    responses={200: {"content": {"application/json": {}, "application/xml": {}}}},
)
def preview_period(
    period_id: str,
    ctx: ClientCtx,
    session: DbSession,
    settings: Settings,
    format: Annotated[Literal["json", "xml"], Query(description="json, or xml: the F10 file")] = "json",
):
    pending = transmission.preview(session, ctx, period_id, settings=settings)
    if format == "xml":
        return Response(transmission.preview_xml(pending), media_type="application/xml")
    return PreviewOut(period_id=period_id, **pending.to_dict())


@router.post(
    "/periods/{period_id}/resend",
    status_code=202,
    response_model=TransmissionOut,
    summary="Send a period's report again (after a rejection, once corrected)",
    responses={
        409: {"description": "`not_sent_yet`, `transmission_in_progress`, `nothing_to_correct`, `nothing_to_send`"}
    },
)
def resend_period(period_id: str, ctx: ClientCtx, session: DbSession, settings: Settings) -> TransmissionOut:
    """A rejected period is sent again by itself once its data changes; this sends it now (as it is,
    after a rejection that did not come from its data), or a due one without waiting for the job."""
    return _transmission_out(transmission.resend(session, ctx, period_id, settings=settings))
