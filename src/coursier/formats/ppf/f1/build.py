"""`build_f1(invoice, profile=..., issuer_platform_id=...)`: the F1 file of an invoice.

The content is chosen on the EN 16931 model (`f1_content`), written by the CII writer of
`coursier.formats.cii` (D22B, in the order of the CII D22B XSD), then cut to what the F1 schema
of the profile declares (`layout`). Every term of the invoice that F1 does not carry is reported
once as a `not-in-profile` warning; every value F1 needs in another form as `replaced-value`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from lxml import etree
from pydantic import BaseModel

from coursier.formats import cii
from coursier.formats.base import NOT_IN_PROFILE, REPLACED_VALUE, FormatWarning, present, serialize
from coursier.formats.cii.profiles import EN16931, EXTENDED_CTC_FR
from coursier.kit import clock
from coursier.kit.xml import parse_xml
from coursier.model import (
    AllowanceCharge,
    Buyer,
    Delivery,
    DocumentAllowanceCharge,
    DocumentTotals,
    Identifier,
    Invoice,
    InvoiceLine,
    Item,
    PrecedingInvoice,
    PriceDetails,
    Seller,
    VatBreakdown,
    term_for_path,
    term_name,
)
from coursier.model.calc import allowance_charge_amount, implied_gross_price
from coursier.model.identifiers import SCHEME_FR_SINGLE_VAT_GROUP, SCHEME_SIREN, SCHEME_SIRET, siren_of

from .layout import GUIDELINE, remove_misplaced
from .profiles import BASE, FILE_PREFIXES, FULL, PROFILES

_MATRICULE = re.compile(r"^[A-Za-z0-9]{4}$")  # a PA's registration number, ICD 0238
_PRICE_PRECISION = Decimal("0.000001")  # G1.16: six decimals at most
# What the CII writer adds that F1 drops without losing data: BT-6 lives on as the currencyID of
# the total VAT in euros (G1.12), and a line's VAT holder only says "VAT" once F1's lines carry no
# VAT group.
_SYNTAX_ONLY = ("/ram:TaxCurrencyCode", "/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")


@dataclass(frozen=True)
class F1Document:
    filename: str
    xml: bytes
    profile: str  # "base" or "full"
    warnings: list[FormatWarning] = field(default_factory=list)


class _Notes:
    """The replaced-value warnings `f1_content` collects."""

    def __init__(self) -> None:
        self.warnings: list[FormatWarning] = []

    def replaced(self, origin: str, message: str) -> None:
        self.warnings.append(FormatWarning(REPLACED_VALUE, term_for_path(origin), origin, message))


def _siren(legal: Identifier | None, others: list[str | None], origin: str, notes: _Notes) -> Identifier | None:
    """BT-30 / BT-47 as flow 1 wants it, a SIREN (scheme 0002), read from the legal identifier,
    a SIRET or a French VAT number when the invoice gives it another way."""
    if legal is not None and legal.scheme_id == SCHEME_SIREN:
        return legal
    for candidate in [legal.value if legal else None, *others]:
        siren = candidate and siren_of(candidate)
        if siren:
            notes.replaced(origin, f"SIREN {siren} given, read from {candidate!r}")
            return Identifier(value=siren, scheme_id=SCHEME_SIREN)
    return legal


def _seller(invoice: Invoice, notes: _Notes) -> Seller | None:
    seller = invoice.seller
    if seller is None:
        return None
    sirets = [identifier.value for identifier in seller.identifiers if identifier.scheme_id == SCHEME_SIRET]
    return Seller(
        name=seller.name,
        legal_registration_identifier=_siren(
            seller.legal_registration_identifier,
            [*sirets, seller.vat_identifier],
            "seller.legal_registration_identifier",
            notes,
        ),
        vat_identifier=seller.vat_identifier,
        postal_address=seller.postal_address,
        # The one seller identifier F1 carries: its single VAT group (S1.14).
        identifiers=[
            identifier for identifier in seller.identifiers if identifier.scheme_id == SCHEME_FR_SINGLE_VAT_GROUP
        ][:1],
    )


def _buyer(invoice: Invoice, notes: _Notes) -> Buyer | None:
    buyer = invoice.buyer
    if buyer is None:
        return None
    siret = buyer.identifier.value if buyer.identifier and buyer.identifier.scheme_id == SCHEME_SIRET else None
    return Buyer(
        name=buyer.name,
        legal_registration_identifier=_siren(
            buyer.legal_registration_identifier,
            [siret, buyer.vat_identifier],
            "buyer.legal_registration_identifier",
            notes,
        ),
        vat_identifier=buyer.vat_identifier,
        postal_address=buyer.postal_address,
    )


def _breakdown(invoice: Invoice, notes: _Notes) -> list[VatBreakdown]:
    """BG-23 whole; F1 wants a rate on every entry (G6.08), 0 where EN 16931 has none (category O)."""
    entries = []
    for index, entry in enumerate(invoice.vat_breakdown):
        if entry.rate is None:
            notes.replaced(f"vat_breakdown[{index}].rate", "flow 1 wants a VAT rate in every breakdown: 0 written")
            entry = entry.model_copy(update={"rate": Decimal(0)})
        entries.append(entry)
    return entries


def _amount(entry: AllowanceCharge, origin: str, notes: _Notes) -> Decimal | None:
    """F1 carries an allowance or charge by its amount alone (BT-92, BT-99, BT-136, BT-141)."""
    if entry.amount is None and (amount := allowance_charge_amount(entry)) is not None:
        notes.replaced(f"{origin}.amount", f"amount {amount} written, from its base and percentage")
        return amount
    return entry.amount


def _document_allowances(entries: list[DocumentAllowanceCharge], origin: str, notes: _Notes):
    return [
        DocumentAllowanceCharge(
            amount=_amount(entry, f"{origin}[{index}]", notes),
            vat_category_code=entry.vat_category_code,
            vat_rate=entry.vat_rate,
        )
        for index, entry in enumerate(entries)
    ]


def _unit_prices(price: PriceDetails | None, origin: str, notes: _Notes) -> PriceDetails | None:
    """BT-146, BT-147 and BT-148 for one unit of the invoiced quantity.

    The Full schema wants a gross price (the net one when no discount is given) and has no base
    quantity (BT-149), so prices given for several units are divided down to one.
    """
    if price is None or price.net_price is None:
        return price and PriceDetails(net_price=price.net_price, gross_price=price.gross_price, discount=price.discount)
    gross = price.gross_price if price.gross_price is not None else implied_gross_price(price)
    if gross is None:
        gross = price.net_price
        notes.replaced(f"{origin}.gross_price", f"flow 1 wants a gross price: the net price {gross} written")
    discount = price.discount if price.discount is not None else (gross - price.net_price or None)
    base = price.base_quantity
    if base is None or base == 1:
        return PriceDetails(net_price=price.net_price, gross_price=gross, discount=discount)
    notes.replaced(f"{origin}.net_price", f"prices given for {base} units written for one unit")

    def per_unit(value: Decimal | None) -> Decimal | None:
        return None if value is None else (value / base).quantize(_PRICE_PRECISION)

    return PriceDetails(net_price=per_unit(price.net_price), gross_price=per_unit(gross), discount=per_unit(discount))


def _line(line: InvoiceLine, origin: str, notes: _Notes) -> InvoiceLine:
    return InvoiceLine(
        note=line.note,
        quantity=line.quantity,
        unit_code=line.unit_code,
        period=line.period,
        allowances=[
            AllowanceCharge(amount=_amount(entry, f"{origin}.allowances[{index}]", notes))
            for index, entry in enumerate(line.allowances)
        ],
        charges=[
            AllowanceCharge(amount=_amount(entry, f"{origin}.charges[{index}]", notes))
            for index, entry in enumerate(line.charges)
        ],
        price_details=_unit_prices(line.price_details, f"{origin}.price_details", notes),
        item=Item(name=line.item.name) if line.item else None,
    )


def f1_content(invoice: Invoice, profile: str) -> tuple[Invoice, list[FormatWarning]]:
    """The invoice cut to the terms flow 1 carries, and the values it had to give in another form."""
    notes = _Notes()
    totals = invoice.totals
    specification = invoice.specification_identifier
    if specification is None:
        specification = EN16931.guideline
        notes.replaced("specification_identifier", f"flow 1 wants BT-24: {specification!r} written")
    full = profile == FULL
    content = Invoice(
        number=invoice.number,
        issue_date=invoice.issue_date,
        type_code=invoice.type_code,
        currency_code=invoice.currency_code,
        # Not an F1 element: kept so that the total VAT in that currency is labelled with it (G1.12).
        tax_currency_code=invoice.tax_currency_code,
        value_added_tax_point_date=invoice.value_added_tax_point_date,
        due_date=invoice.due_date,
        notes=invoice.notes,
        business_process_type=invoice.business_process_type,
        specification_identifier=specification,
        preceding_invoices=[
            preceding if full else PrecedingInvoice(number=preceding.number) for preceding in invoice.preceding_invoices
        ],
        seller=_seller(invoice, notes),
        buyer=_buyer(invoice, notes),
        tax_representative=invoice.tax_representative,
        delivery=invoice.delivery
        and present(
            Delivery(actual_delivery_date=invoice.delivery.actual_delivery_date, address=invoice.delivery.address)
        ),
        invoicing_period=invoice.invoicing_period,
        totals=totals
        and DocumentTotals(
            total_without_vat=totals.total_without_vat,
            total_vat=totals.total_vat,
            total_vat_accounting_currency=totals.total_vat_accounting_currency,
        ),
        vat_breakdown=_breakdown(invoice, notes),
        allowances=_document_allowances(invoice.allowances, "allowances", notes) if full else [],
        charges=_document_allowances(invoice.charges, "charges", notes) if full else [],
        lines=[_line(line, f"lines[{index}]", notes) for index, line in enumerate(invoice.lines)] if full else [],
    )
    return content, notes.warnings


def _dropped(original: BaseModel, kept: BaseModel | None, prefix: str = "") -> Iterator[str]:
    """Model paths of what `original` holds and `kept` does not: a group left out as a whole is
    named once (`lines[]`, `seller.contact`), not term by term."""
    for name, value in original:
        path = f"{prefix}{name}"
        kept_value = getattr(kept, name, None)
        if value in (None, []):
            continue
        if kept_value in (None, []):
            yield f"{path}[]" if isinstance(value, list) else path
        elif isinstance(value, BaseModel):
            yield from _dropped(value, kept_value, f"{path}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                kept_item = kept_value[index] if index < len(kept_value) else None
                if kept_item is None:
                    yield f"{path}[{index}]"
                elif isinstance(item, BaseModel):
                    yield from _dropped(item, kept_item, f"{path}[{index}].")


def _left_out(invoice: Invoice, content: Invoice, profile: str) -> list[FormatWarning]:
    """One warning per term or group the invoice gives and the F1 content does not hold."""
    first_path: dict[str, str] = {}
    for path in _dropped(invoice, content):
        first_path.setdefault(term_for_path(path) or path, path)
    return [
        FormatWarning(
            NOT_IN_PROFILE,
            term,
            path,
            f"flow 1 {profile.title()} does not carry {term} {term_name(term) or ''}".rstrip() + "; left out",
        )
        for term, path in first_path.items()
    ]


def _file_name(content: Invoice, profile: str, issuer_platform_id: str, created_at: datetime) -> str:
    """`Base_0042_732829320_F2025-0042_20250314101500123456.xml`: profile prefix (S1.06), sending
    platform, seller SIREN, invoice number and creation time, so that a file traces back to its
    invoice and two sendings of one invoice never share a name."""
    legal = content.seller and content.seller.legal_registration_identifier
    siren = legal.value if legal and legal.scheme_id == SCHEME_SIREN else "NOSIREN"
    number = re.sub(r"[^A-Za-z0-9-]+", "-", content.number or "").strip("-") or "NONUMBER"
    return f"{FILE_PREFIXES[profile]}{issuer_platform_id}_{siren}_{number}_{created_at:%Y%m%d%H%M%S%f}.xml"


def build_f1(
    invoice: Invoice, *, profile: str = BASE, issuer_platform_id: str, created_at: datetime | None = None
) -> F1Document:
    """The F1 file of `invoice` for the PPF, in CII D22B, Base or Full profile.

    `issuer_platform_id` is the matricule of the platform sending it (named in the file name);
    `created_at` (default: now, UTC) makes the name unique. Whether the result passes is
    `check_f1`'s to say (`coursier.validation.f1`): a missing SIREN or VAT breakdown is reported
    there, not raised here.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown F1 profile {profile!r}; choose base or full")
    if not _MATRICULE.match(issuer_platform_id):
        raise ValueError(f"{issuer_platform_id!r} is not the 4-character matricule of a platform")
    content, warnings = f1_content(invoice, profile)
    warnings += _left_out(invoice, content, profile)
    # The widest CII profile, so that the writer keeps all the content; BT-24 is put back after.
    written = cii.write(content, profile=EXTENDED_CTC_FR.name)
    warnings += [
        warning
        for warning in written.warnings
        if not (warning.code == REPLACED_VALUE and warning.path == "specification_identifier")
    ]
    root = parse_xml(written.xml).getroot()
    root.xpath(GUIDELINE, namespaces=root.nsmap)[0].text = content.specification_identifier
    for misplaced in remove_misplaced(root, profile):
        if not misplaced.path.endswith(_SYNTAX_ONLY):
            warnings.append(
                FormatWarning(
                    NOT_IN_PROFILE,
                    None,
                    misplaced.path,
                    f"flow 1 {profile.title()} cannot carry it ({misplaced.reason}); left out",
                )
            )
    etree.indent(root)  # what was removed left its white space behind
    filename = _file_name(content, profile, issuer_platform_id, created_at or clock.now())
    return F1Document(filename, serialize(root), profile, warnings)
