"""French invoices between two companies of the sandbox register, from the model fixtures.

The fixtures' seller and buyer are replaced by the two companies (SIREN, SIRET, VAT number,
electronic address, name): what the platform checks against its mandates and the directory.
Also used by bench/ingest.py.
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from coursier.formats import cii, facturx, ubl
from coursier.kit import clock
from coursier.model import Invoice

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
TEMPLATES = ("fr-b2b-invoice.json", "fr-credit-note.json", "allowances-charges-multi-vat.json")


def vat_number(siren: str) -> str:
    """The French VAT number of a SIREN: FR, a two-digit key, the SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _party(party: dict, company, *, identifier_field: str) -> None:
    siret = company.establishments[0].siret
    party["name"] = company.legal_name
    party["legal_registration_identifier"] = {"value": company.siren, "scheme_id": "0002"}
    party["vat_identifier"] = vat_number(company.siren)
    party["electronic_address"] = {"value": company.siren, "scheme_id": "0225"}
    siret_identifier = {"value": siret, "scheme_id": "0009"}
    party[identifier_field] = [siret_identifier] if identifier_field == "identifiers" else siret_identifier
    party.pop("additional_legal_information", None)


def french_invoice(
    seller, buyer, *, number: str, issue_date: date | None = None, template: str = TEMPLATES[0]
) -> Invoice:
    """An invoice of `template` from `seller` to `buyer` (sandbox register companies)."""
    data = json.loads((TEMPLATES_DIR / template).read_text(encoding="utf-8"))
    issued = issue_date or clock.today()
    data["number"] = number
    data["issue_date"] = issued.isoformat()
    if data.get("due_date"):
        data["due_date"] = (issued + timedelta(days=30)).isoformat()
    if data.get("payment_instructions", {}).get("remittance_information"):
        data["payment_instructions"]["remittance_information"] = number
    _party(data["seller"], seller, identifier_field="identifiers")
    _party(data["buyer"], buyer, identifier_field="identifier")
    return Invoice.model_validate(data)


def as_file(invoice: Invoice, fmt: str) -> tuple[str, bytes]:
    """The invoice written as `fmt` (cii, ubl or facturx): a file name and its content."""
    if fmt == "cii":
        return f"{invoice.number}.xml", cii.write(invoice).xml
    if fmt == "ubl":
        return f"{invoice.number}.xml", ubl.write(invoice).xml
    return f"{invoice.number}.pdf", facturx.to_pdf(invoice)


def two_rate_invoice(seller, buyer, *, number: str) -> Invoice:
    """The B2B invoice with its second line at 5.5 % instead of 20 %: two VAT rates, totals recomputed."""
    from coursier.model.calc import complete

    invoice = french_invoice(seller, buyer, number=number)
    invoice.lines[1].vat.rate = Decimal("5.5")
    return complete(invoice.model_copy(update={"vat_breakdown": [], "totals": None}))
