"""International invoices (10.1): the exempt ones a client reports, and those this platform
exchanges with a counterparty abroad.

An invoice outside the domestic exchange (DG §3.7.3) is e-reported by the party subject to French
VAT: the seller for a sale abroad (B2Bi, role SE), the buyer for a purchase from abroad (Bi2B,
role BY) (DG §3.7.7 note 123). B2C invoices are not sent one by one (A7 G6.28): they join the day's
B2C totals of their category (10.3, DG §3.7.5 and note 118).

An exempt invoice is checked with the rules that apply to it: EN 16931 on the invoice, then its
F10 entry against the e-reporting XSD and the Flux10 schematron (annex 7), before anything is
stored; a refusal lists every finding.
"""

from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice, InvoiceRepository
from coursier.db.reporting import (
    DEPOSITED,
    QUEUED,
    ReportingItemRepository,
    ReportingPeriodRepository,
    ReportingTransmissionRepository,
)
from coursier.formats import cii
from coursier.formats.ppf.f10 import build_f10
from coursier.kit import clock, cpu
from coursier.kit.errors import Conflict, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice as InvoiceModel
from coursier.model import calc
from coursier.model.identifiers import french_vat_number
from coursier.model.lifecycle import InvoiceStatus
from coursier.model.reporting import (
    EU_COUNTRIES,
    PARTY_ID_MAX,
    SCHEME_EU_VAT,
    SCHEME_OUTSIDE_EU,
    SCHEME_SIREN,
    VAT_ON_DEBITS_CODE,
    Category,
    DailyTransactions,
    DataKind,
    DeclarantRole,
    InvoiceTaxSubtotal,
    RateTotals,
    ReferencedInvoice,
    Report,
    ReportDocument,
    ReportedInvoice,
    ReportParty,
    ReportType,
    TransactionsReport,
)
from coursier.services.invoicing.checks import Finding, claim_number
from coursier.services.invoicing.parties import FRANCE, buyer_siren, counterparty_abroad, seller_siren
from coursier.services.lifecycle import record_event
from coursier.services.reporting.aggregation import B2C_INVOICE, INVOICE
from coursier.services.reporting.b2c import due_date_code
from coursier.services.reporting.checks import check_date, check_rates
from coursier.services.reporting.declarants import Declarant, declarant, sirens_of
from coursier.services.reporting.items import Recorded, record_item, withdraw_item
from coursier.validation import RuleSet, validate
from coursier.validation.f10 import check_f10

EUR = "EUR"
# Billing frames (BT-23, A7 G1.02): B goods, S services, M both.
_FRAME_CATEGORY = {"B": Category.GOODS, "S": Category.SERVICES, "M": Category.SERVICES}
NOT_REPORTED = "TransactionDataStatus.NOT_REPORTED"
EN16931 = "urn:cen.eu:en16931:2017"  # BT-24 when the invoice names no specification


def refused(message: str, code: str, findings: list[Finding] = ()) -> Unprocessable:
    return Unprocessable(message, code=code, extra={"errors": [finding.to_dict() for finding in findings]})


# ---- the F10 entry of an invoice ---------------------------------------------------------------------


def category_of_frame(frame: str | None) -> Category | None:
    return _FRAME_CATEGORY.get((frame or " ")[0].upper())


def _party(name: str | None, country: str | None, vat_id: str | None, siren: str | None, role: str) -> ReportParty:
    """A party as F10 identifies it (A7 G2.19, G2.33): a French company by its SIREN and VAT number,
    an EU one by its VAT number, another by its country and the start of its name."""
    if country == FRANCE or (country is None and siren):
        if siren is None:
            raise refused(f"The {role} is in France but gives no SIREN (BT-30 / BT-47)", "party_identifier_missing")
        return ReportParty(
            company_id=siren, scheme=SCHEME_SIREN, vat_id=vat_id or french_vat_number(siren), country=FRANCE
        )
    if country is None:
        raise refused(f"The {role}'s country is missing (BT-40 / BT-55)", "party_country_missing")
    if country in EU_COUNTRIES:
        if not vat_id:
            raise refused(
                f"The {role} in {country} is identified by its VAT number in e-reporting (BT-31 / BT-48; A7 G2.19)",
                "party_identifier_missing",
            )
        return ReportParty(company_id=vat_id[:PARTY_ID_MAX], scheme=SCHEME_EU_VAT, vat_id=vat_id, country=country)
    if not name:
        raise refused(f"The {role}'s name is missing (BT-27 / BT-44)", "party_identifier_missing")
    return ReportParty(company_id=(country + name)[:PARTY_ID_MAX], scheme=SCHEME_OUTSIDE_EU, country=country)


def check_complete(model: InvoiceModel) -> None:
    """What an e-reported invoice cannot go without, said at once."""
    missing = [
        term
        for term, value in (
            ("number (BT-1)", model.number),
            ("issue_date (BT-2)", model.issue_date),
            ("type_code (BT-3)", model.type_code),
            ("currency_code (BT-5)", model.currency_code),
            ("business_process_type (BT-23, the billing frame B1, S1, M1…: A7 G1.02)", model.business_process_type),
            ("seller (BG-4)", model.seller),
            ("buyer (BG-7)", model.buyer),
        )
        if not value
    ]
    if missing:
        raise refused(f"An e-reported invoice needs {', '.join(missing)}", "invoice_incomplete")


def reported_invoice(model: InvoiceModel, *, vat_on_debits: bool) -> ReportedInvoice:
    """The 10.1 entry of a complete invoice (`calc.complete` ran on it); `Unprocessable` says what
    it lacks."""
    check_complete(model)
    seller, buyer, totals = model.seller, model.buyer, model.totals
    if model.currency_code == EUR:
        vat_eur = totals.total_vat
    elif model.tax_currency_code == EUR:
        vat_eur = totals.total_vat_accounting_currency  # BT-111
    else:
        vat_eur = None
    if vat_eur is None:
        raise refused(
            f"An invoice in {model.currency_code} is reported with its VAT total in euros: give tax_currency_code "
            "EUR (BT-6) and the VAT total in euros (BT-111) (A7 G6.23)",
            "vat_total_in_euros_missing",
        )
    check_rates(entry.rate or Decimal(0) for entry in model.vat_breakdown)
    seller_address, buyer_address = seller.postal_address, buyer.postal_address
    frame = model.business_process_type
    return ReportedInvoice(
        id=model.number,
        issue_date=model.issue_date,
        type_code=model.type_code,
        currency=model.currency_code,
        due_date=model.due_date,
        tax_due_date_type_code=model.value_added_tax_point_date
        or (VAT_ON_DEBITS_CODE if vat_on_debits and category_of_frame(frame) is Category.SERVICES else None),
        business_process=frame,
        referenced=[ReferencedInvoice(id=p.number, issue_date=p.issue_date) for p in model.preceding_invoices],
        seller=_party(
            seller.name,
            seller_address.country_code if seller_address else None,
            seller.vat_identifier,
            seller_siren(model),
            "seller",
        ),
        buyer=_party(
            buyer.name,
            buyer_address.country_code if buyer_address else None,
            buyer.vat_identifier,
            buyer_siren(model),
            "buyer",
        ),
        delivery_date=model.delivery.actual_delivery_date if model.delivery else None,
        period_start=model.invoicing_period.start_date if model.invoicing_period else None,
        period_end=model.invoicing_period.end_date if model.invoicing_period else None,
        tax_exclusive_amount=totals.total_without_vat,
        tax_amount_eur=vat_eur,
        subtotals=[
            InvoiceTaxSubtotal(
                taxable_amount=entry.taxable_amount,
                tax_amount=entry.tax_amount,
                category_code=entry.category_code,
                rate=entry.rate or Decimal(0),
                exemption_reason=entry.exemption_reason,
                exemption_reason_code=entry.exemption_reason_code,
            )
            for entry in model.vat_breakdown
        ],
    )


def operation_date(model: InvoiceModel):
    """The tax point that decides the period: the delivery date when given, else the issue date
    (DG §3.7.7 note 125: the date the operation was carried out)."""
    delivered = model.delivery.actual_delivery_date if model.delivery else None
    return delivered or model.issue_date


def rule_findings(model: InvoiceModel, entry: ReportedInvoice | None) -> list[Finding]:
    """EN 16931 on the invoice, and the F10 artefacts on its entry (in a CPU worker: `kit.cpu`)."""
    stated = model.model_copy(update={"specification_identifier": model.specification_identifier or EN16931})
    validation = validate(cii.write(stated, profile="en16931").xml, rules=[RuleSet.EN16931])
    findings = [Finding.of(issue) for issue in validation.errors]
    if entry is not None:
        sample = Report(
            document=ReportDocument(
                id="CHECK",
                issued_at=clock.now(),
                type_code=ReportType.INITIAL,
                sender_id="0000",
                sender_name="check",
                declarant_siren="000000000",
                declarant_name="check",
                role=DeclarantRole.SELLER,
            ),
            transactions=TransactionsReport(start=entry.issue_date, end=entry.issue_date, invoices=[entry]),
        )
        checked = check_f10(build_f10(sample).xml)
        # The period of this one-entry sample is no period: only the entry's own findings count.
        findings += [Finding.of(issue) for issue in checked.errors if issue.location and "/Invoice" in issue.location]
    return findings


# ---- exempt invoices (POST /api/reporting/exempt-invoices) -----------------------------------------


def report_exempt_invoice(
    session: Session,
    ctx: TenantContext,
    *,
    direction: str,
    country_code: str,
    data: dict,
    b2c: bool = False,
    category: Category | None = None,
) -> Recorded:
    """Check an invoice outside the domestic exchange and put it in its period; returns its item
    (`invoice_id` names the invoice's row).

    `direction` outgoing: the client sold (to a company abroad, or to a private person with `b2c`);
    incoming: the client bought from a company abroad.
    """
    outgoing = direction == "outgoing"
    if not b2c and country_code == FRANCE:
        raise refused(
            "The counterparty is in France: a domestic B2B invoice is exchanged as an e-invoice "
            "(POST /api/invoicing/files/submit), not e-reported",
            "domestic_counterparty",
        )
    if b2c and not outgoing:
        raise refused("A B2C invoice is one the client issued: direction is outgoing", "b2c_incoming")
    if b2c and category is None:
        raise refused("A B2C invoice joins the day's totals of its category: give category", "category_missing")
    try:
        model = calc.complete(InvoiceModel.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise refused(f"model.{where}: {first['msg']}", "invoice_invalid") from None
    except ArithmeticError:
        raise refused("The invoice's amounts are too large to compute", "amount_out_of_range") from None
    check_complete(model)
    own_siren = seller_siren(model) if outgoing else buyer_siren(model)
    if own_siren is None:
        raise refused(
            f"The {'seller' if outgoing else 'buyer'} of the invoice is the client: give its SIREN (BT-30 / BT-47)",
            "declarant_not_client",
        )
    reporter = declarant(session, ctx, own_siren)
    if model.issue_date:
        check_date(operation_date(model), "operation")
    if b2c:
        content, entry = _b2c_content(model, category, reporter), None
    else:
        entry = reported_invoice(model, vat_on_debits=reporter.vat_on_debits and outgoing)
        entry = _with_counterparty_country(entry, country_code, outgoing)
        content = entry.model_dump(mode="json")
    findings = cpu.run(rule_findings, model, entry)
    if findings:
        raise refused(
            f"The invoice breaks {len(findings)} rule(s): "
            + "; ".join(f"[{f.rule}] {f.message}" for f in findings[:3]),
            "invoice_invalid",
            findings,
        )
    invoice = _invoice_row(ctx, model, outgoing)
    # A number the seller already sent or reported this year is taken (A7 G1.42).
    if outgoing and not claim_number(session, invoice):
        raise Conflict(
            f"Invoice {model.number} of {model.issue_date.year} of seller {invoice.seller_siren} was already reported",
            code="duplicate_invoice",
        )
    session.add(invoice)
    session.flush()
    return record_item(
        session,
        ctx,
        reporter,
        role=DeclarantRole.SELLER if outgoing else DeclarantRole.BUYER,
        kind=DataKind.TRANSACTIONS,
        item_type=B2C_INVOICE if b2c else INVOICE,
        key=f"invoice|{invoice.id}",
        day=operation_date(model),
        content=content,
        invoice_id=invoice.id,
    )


def _with_counterparty_country(entry: ReportedInvoice, country: str, outgoing: bool) -> ReportedInvoice:
    """The counterparty's country as the client states it, where the invoice gives none."""
    side = "buyer" if outgoing else "seller"
    party = getattr(entry, side)
    if party.country:
        return entry
    return entry.model_copy(update={side: party.model_copy(update={"country": country})})


def _b2c_content(model: InvoiceModel, category: Category, reporter: Declarant) -> dict:
    if model.currency_code != EUR:
        raise refused("A B2C invoice joins the day's totals in euros: its currency is EUR", "currency_not_eur")
    check_rates(entry.rate or Decimal(0) for entry in model.vat_breakdown)
    rates: dict[Decimal, list[Decimal]] = {}
    for entry in model.vat_breakdown:
        totals = rates.setdefault((entry.rate or Decimal(0)).normalize(), [Decimal(0), Decimal(0)])
        totals[0] += entry.taxable_amount or 0
        totals[1] += entry.tax_amount or 0
    return DailyTransactions(
        date=operation_date(model),
        currency=EUR,
        tax_due_date_type_code=due_date_code(category, reporter.vat_on_debits),
        category=category,
        tax_exclusive_amount=model.totals.total_without_vat,
        tax_total=model.totals.total_vat or Decimal(0),
        count=1,
        subtotals=[RateTotals(rate=rate, taxable_amount=t, tax_amount=v) for rate, (t, v) in rates.items()],
    ).model_dump(mode="json")


def _invoice_row(ctx: TenantContext, model: InvoiceModel, outgoing: bool) -> Invoice:
    totals = model.totals
    seller, buyer = seller_siren(model), buyer_siren(model)
    return Invoice(
        id=new_id("inv"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        direction=OUTBOUND if outgoing else INBOUND,
        # Checked and compliant (200) on the seller's side, received (202) on the buyer's: it is
        # e-reported, never delivered nor routed.
        status_code=InvoiceStatus.DEPOSITED if outgoing else InvoiceStatus.RECEIVED_BY_PLATFORM,
        model=model.model_dump(mode="json"),
        number=model.number[:200],
        type_code=model.type_code[:3],
        issue_date=model.issue_date,
        due_date=model.due_date,
        currency=model.currency_code[:3],
        total_without_vat=totals.total_without_vat,
        total_vat=totals.total_vat,
        total_with_vat=totals.total_with_vat,
        amount_due=totals.amount_due,
        seller_siren=seller,
        seller_name=(model.seller.name or "")[:300] or None,
        buyer_siren=buyer,
        buyer_name=(model.buyer.name or "")[:300] or None,
        duplicate_key=f"{seller}|{model.number}|{model.issue_date.year}" if outgoing and seller else None,
        processed_at=clock.now(),
    )


def withdraw_exempt_invoice(session: Session, ctx: TenantContext, invoice_id: str) -> None:
    """Take an exempt invoice out of e-reporting while the PPF has not accepted it; once it has, it
    is corrected by a credit note or a corrective invoice, as any invoice."""
    invoice = InvoiceRepository(session).get_or_404(ctx, invoice_id)
    items = [
        item
        for item in ReportingItemRepository(session).of_invoice(invoice.id)
        if item.item_type in (INVOICE, B2C_INVOICE)
    ]
    if not items:
        raise refused(f"Invoice {invoice_id} is not an e-reported invoice", "not_reported")
    item = items[0]
    period = ReportingPeriodRepository(session).get(ctx, item.period_id, for_update=True)
    carried = [t for t in ReportingTransmissionRepository(session).of_period(period.id) if item.id in t.item_ids]
    if any(t.state == DEPOSITED for t in carried):
        raise refused(
            f"Invoice {invoice.number} was accepted by the tax administration in the period {period.start_date} to "
            f"{period.end_date}, which is closed for a direct change: correct it with a credit note or a "
            "corrective invoice",
            "period_closed",
        )
    if any(t.state == QUEUED for t in carried):
        raise Conflict(
            "The report carrying this invoice waits for the PPF's answer; try again once it has come",
            code="transmission_in_progress",
        )
    withdraw_item(session, ctx, item, period)
    invoice.duplicate_key = None  # withdrawn: its number may be reported again


# ---- invoices exchanged through this platform ---------------------------------------------------------


def report_exchanged_invoice(session: Session, ctx: TenantContext, invoice: Invoice) -> None:
    """An invoice this platform sent (201) or made available (203) to the client goes to 10.1 by
    itself when its counterparty is abroad (DG §3.7.3); one it cannot describe is noted on it."""
    country = counterparty_abroad(invoice)
    if country is None:
        return
    model = InvoiceModel.model_validate(invoice.model)
    outgoing = invoice.direction == OUTBOUND
    own_siren = invoice.seller_siren if outgoing else invoice.buyer_siren
    try:
        if own_siren not in sirens_of(session, ctx):
            raise refused(f"The client holds no active mandate for SIREN {own_siren}", "declarant_not_client")
        reporter = declarant(session, ctx, own_siren)
        entry = reported_invoice(calc.complete(model), vat_on_debits=reporter.vat_on_debits and outgoing)
    except Unprocessable as exc:
        record_event(
            session,
            ctx,
            object_type="invoice",
            object_id=invoice.id,
            status_code=NOT_REPORTED,
            reason=f"Its counterparty is abroad ({country}) but it cannot be e-reported: {exc.message}"[:1000],
            rejection_reason=exc.code[:40],
        )
        return
    record_item(
        session,
        ctx,
        reporter,
        role=DeclarantRole.SELLER if outgoing else DeclarantRole.BUYER,
        kind=DataKind.TRANSACTIONS,
        item_type=INVOICE,
        key=f"invoice|{invoice.id}",
        day=operation_date(model),
        content=entry.model_dump(mode="json"),
        invoice_id=invoice.id,
    )
