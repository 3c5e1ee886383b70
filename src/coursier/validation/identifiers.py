"""Coursier's checks of the identifiers an invoice carries where the official rules stop short:
the VAT identifiers' check keys (`rules.VAT_IDENTIFIER_KEY`), on the EN 16931 model, so that a
draft's report and a deposit tell the same thing."""

from dataclasses import dataclass

from coursier.model import Invoice, path_for_term
from coursier.model.identifiers import vat_identifier_problem
from coursier.validation.rules import VAT_IDENTIFIER_KEY

# Seller (BT-31), buyer (BT-48), seller's tax representative (BT-63).
VAT_IDENTIFIER_TERMS = ("BT-31", "BT-48", "BT-63")


@dataclass(frozen=True)
class IdentifierFinding:
    rule: str
    term: str
    path: str  # where in the model, e.g. buyer.vat_identifier
    message: str


def vat_identifier_findings(invoice: Invoice) -> list[IdentifierFinding]:
    """A finding for each VAT identifier of `invoice` whose format or check key is wrong."""
    findings = []
    for term in VAT_IDENTIFIER_TERMS:
        path = path_for_term(term)
        value = _value_at(invoice, path)
        problem = vat_identifier_problem(value) if value else None
        if problem is not None:
            findings.append(IdentifierFinding(VAT_IDENTIFIER_KEY.id, term, path, f"{term}: {problem}"))
    return findings


def _value_at(invoice: Invoice, path: str) -> str | None:
    value = invoice
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value
