"""The report of a draft: what is wrong or missing, where in the draft, and the amounts it will carry.

Layers, each issue saying which:
- `structure`: the draft does not fit the JSON invoice model (unknown field, text where a number
  goes, a date that is not one); nothing else can be judged until it does.
- `rules`: once it fits, the draft is written as CII (EN 16931 profile) and the official EN 16931
  and BR-FR rules run on it, in one validation run. That also lists what a partial draft lacks
  (BR-02 "An Invoice shall have an Invoice number"...). Each finding is taken back to the draft:
  its business term gives the JSON path (`path_for_term`), the XPath gives the list indices.
  The line arithmetic the official rules leave out (BT-131) is checked here too.
  Coursier's own checks run on the model beside them (a VAT identifier's check key, COURSIER-VAT-01).
- `format`: what the EN 16931 profile could not carry and would be left out.
- `directory`: whether the buyer can receive invoices (`recipient`): asked of the national
  directory on the request side, never in the worker process `assess` runs in.

Amounts the draft leaves out (line net amounts, VAT breakdown, totals) are computed by
`model.calc` and filled in before the rules run; stated amounts are kept, so a wrong one is
reported rather than silently corrected. The computed amounts are returned beside the issues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from coursier.formats import cii
from coursier.kit import clock
from coursier.model import DocumentTotals, Invoice, VatBreakdown, calc, path_for_term, term_for_path
from coursier.model.values import Amount, decimal_text
from coursier.services.drafts.numbering import render_number
from coursier.validation import InputError, Issue, RuleSet, Severity, validate
from coursier.validation.identifiers import IdentifierFinding, vat_identifier_findings
from coursier.validation.rules import LINE_NET_AMOUNT, NUMBER_ASSIGNED

# Written into BT-24 when the draft names no specification: the EN 16931 core, which is what
# the rules run here check.
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
VALIDATION_PROFILE = "en16931"
RULES = (RuleSet.EN16931, RuleSet.BR_FR)

Layer = Literal["structure", "rules", "format", "directory"]


class IssueExplanation(BaseModel):
    en: str
    fr: str


class DraftIssue(BaseModel):
    layer: Layer
    rule: str | None = Field(description="Official rule id (BR-06, BR-FR-10_BT-30...), or Coursier's own")
    severity: Literal["error", "warning"] = Field(description="Errors block finalization, warnings do not")
    bt: list[str] = Field(description="Business terms and groups concerned (BT-n, BG-n), subject first")
    path: str | None = Field(description="Where in the draft, e.g. lines[1].price_details.net_price")
    location: str | None = Field(description="XPath in the CII the rules ran on, for findings of the rules")
    message: str
    explanation: IssueExplanation | None = Field(description="What to fix, in plain words, where available")


class ComputedAmounts(BaseModel):
    """What EN 16931 arithmetic gives from the lines and the document allowances and charges."""

    line_net_amounts: list[Amount | None] = Field(description="BT-131 of each line, stated or computed")
    vat_breakdown: list[VatBreakdown] = Field(description="BG-23")
    totals: DocumentTotals = Field(description="BG-22")


class DraftReport(BaseModel):
    valid: bool = Field(description="No errors: the draft can be finalized")
    errors: list[DraftIssue]
    warnings: list[DraftIssue]
    computed: ComputedAmounts | None = Field(description="Absent while the draft does not fit the model")


@dataclass(frozen=True)
class Assessment:
    report: DraftReport
    # The invoice the draft makes, amounts filled in; None while the draft does not fit the model.
    invoice: Invoice | None


def assess(data: dict[str, Any], *, number_pattern: str) -> Assessment:
    """Report on draft `data`. Its number (BT-1) is only assigned at finalization: the rules see
    the first one `number_pattern` gives, so a pattern that makes invalid numbers shows here."""
    try:
        stated = Invoice.model_validate(data)
    except ValidationError as exc:
        return Assessment(_report([_structure_issue(error) for error in exc.errors()], None), None)
    issues = [_number_replaced(stated)] if stated.number is not None else []
    try:
        completed = calc.complete(stated)
        filled = _fill_in(stated, completed)
        issues += _line_amount_issues(stated)
    except ArithmeticError:  # a product or sum beyond Decimal's 28 digits
        return _unjudged(
            issues,
            "amount_out_of_range",
            "Quantities, prices or amounts are too large to compute the invoice's amounts",
        )
    placeholder = render_number(number_pattern, sequence=1, issue_date=stated.issue_date or clock.today())
    invoice = filled.model_copy(
        update={
            "number": placeholder,
            "specification_identifier": stated.specification_identifier or EN16931_GUIDELINE,
        }
    )
    written = cii.write(invoice, profile=VALIDATION_PROFILE)
    issues += [_format_issue(warning) for warning in written.warnings]
    try:
        validation = validate(written.xml, rules=RULES)
    except InputError as exc:  # an invoice beyond the validator's size limit
        return _unjudged(issues, "invoice_too_large", f"The invoice this draft makes is too large to check: {exc}")
    issues += [_rule_issue(finding) for finding in validation.errors + validation.warnings]
    issues += [_identifier_issue(finding) for finding in vat_identifier_findings(invoice)]
    computed = ComputedAmounts(
        line_net_amounts=[line.net_amount for line in completed.lines],
        vat_breakdown=completed.vat_breakdown,
        totals=completed.totals,
    )
    return Assessment(_report(issues, computed), invoice)


def _report(issues: list[DraftIssue], computed: ComputedAmounts | None) -> DraftReport:
    errors = [issue for issue in issues if issue.severity == "error"]
    warnings = [issue for issue in issues if issue.severity == "warning"]
    return DraftReport(valid=not errors, errors=errors, warnings=warnings, computed=computed)


def _fill_in(stated: Invoice, completed: Invoice) -> Invoice:
    """`stated` with the amounts it leaves out taken from `completed`, field by field for BG-22."""
    invoice = stated.model_copy(
        update={"lines": completed.lines, "vat_breakdown": stated.vat_breakdown or completed.vat_breakdown}
    )
    # Totals follow the breakdown the invoice will carry: a wrong stated breakdown is reported
    # once, by its own rules, not again through every total.
    totals = calc.document_totals(invoice)
    if stated.totals is not None:
        totals = totals.model_copy(update=stated.totals.model_dump(exclude_none=True))
    return invoice.model_copy(update={"totals": totals})


def _line_amount_issues(invoice: Invoice) -> list[DraftIssue]:
    """BT-131 as stated against BT-131 as computed, for the lines that state both."""
    issues = []
    for index, line in enumerate(invoice.lines):
        expected = calc.line_net_amount(line)
        if line.net_amount is not None and expected is not None and line.net_amount != expected:
            issues.append(_line_amount_issue(index, stated=line.net_amount, expected=expected))
    return issues


def _line_amount_issue(index: int, *, stated: Decimal, expected: Decimal) -> DraftIssue:
    return DraftIssue(
        layer="rules",
        rule=LINE_NET_AMOUNT.id,
        severity="error",
        bt=["BT-131", "BT-129", "BT-146", "BT-149"],
        path=f"lines[{index}].net_amount",
        location=None,
        message=(
            f"[{LINE_NET_AMOUNT.id}]-Invoice line net amount (BT-131) = Invoiced quantity (BT-129) x Item net "
            f"price (BT-146) / Item price base quantity (BT-149) + line charges - line allowances: "
            f"{decimal_text(expected)} expected, {decimal_text(stated)} stated."
        ),
        explanation=IssueExplanation(
            en=f"The line amount does not match quantity x price: {decimal_text(expected)} expected. "
            "Correct the quantity, the net price or the line net amount.",
            fr=f"Le montant de la ligne ne correspond pas à quantité x prix : {decimal_text(expected)} attendu. "
            "Corrigez la quantité, le prix net ou le montant net de la ligne.",
        ),
    )


def _number_replaced(stated: Invoice) -> DraftIssue:
    return DraftIssue(
        layer="structure",
        rule=NUMBER_ASSIGNED.id,
        severity="warning",
        bt=["BT-1"],
        path="number",
        location=None,
        message=f"The invoice number (BT-1) is assigned at finalization from the numbering pattern; "
        f"{stated.number!r} will be replaced.",
        explanation=None,
    )


def _unjudged(issues: list[DraftIssue], rule: str, message: str) -> Assessment:
    """The report of a draft that cannot be judged further, for a reason at no one place of it."""
    problem = DraftIssue(
        layer="structure",
        rule=rule,
        severity="error",
        bt=[],
        path=None,
        location=None,
        message=message,
        explanation=None,
    )
    return Assessment(_report([*issues, problem], None), None)


def _structure_issue(error: dict[str, Any]) -> DraftIssue:
    path = json_path(error["loc"])
    term = term_for_path(path) if path else None
    return DraftIssue(
        layer="structure",
        rule=error["type"],
        severity="error",
        bt=[term] if term else [],
        path=path or None,
        location=None,
        message=error["msg"],
        explanation=None,
    )


def json_path(loc: tuple[str | int, ...]) -> str:
    """('lines', 1, 'price_details') -> lines[1].price_details"""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path


def _format_issue(warning) -> DraftIssue:
    return DraftIssue(
        layer="format",
        rule=warning.code,
        severity="warning",
        bt=[warning.term] if warning.term else [],
        path=warning.path,
        location=None,
        message=warning.message,
        explanation=None,
    )


def _identifier_issue(finding: IdentifierFinding) -> DraftIssue:
    return DraftIssue(
        layer="rules",
        rule=finding.rule,
        severity="warning",
        bt=[finding.term],
        path=finding.path,
        location=None,
        message=finding.message,
        explanation=None,
    )


def _rule_issue(finding: Issue) -> DraftIssue:
    return DraftIssue(
        layer="rules",
        rule=finding.rule,
        severity="error" if finding.severity is Severity.FATAL else "warning",
        bt=list(finding.bt),
        path=draft_path(finding.bt, finding.location),
        location=finding.location,
        message=finding.message,
        explanation=IssueExplanation(en=finding.explanation.en, fr=finding.explanation.fr)
        if finding.explanation
        else None,
    )


# Where the CII writer puts the n-th element of a model list (in model order), as XPath steps;
# the validator writes `[1]` on every step, the XSD only where siblings share a name.
_LIST_STEPS = {
    "lines": re.compile(r"/ram:IncludedSupplyChainTradeLineItem(?:\[(\d+)\])?(?:/|$)"),
    "vat_breakdown": re.compile(r"/ram:ApplicableHeaderTradeSettlement(?:\[1\])?/ram:ApplicableTradeTax(?:\[(\d+)\])?"),
    "notes": re.compile(r"/rsm:ExchangedDocument(?:\[1\])?/ram:IncludedNote(?:\[(\d+)\])?"),
}
_LIST_MARK = "[]"


def draft_path(terms: tuple[str, ...], location: str | None) -> str | None:
    """The JSON path of a finding: its subject term (the first BT it cites, else the first BG)
    placed in the draft, list indices read from the XPath. A list whose index the XPath does not
    tell is named as a whole (`notes`); a finding without a placed term points at the list entry
    its XPath is in (`lines[0]`), if any."""
    places = [path_for_term(term) for term in terms]
    placed = [(term, place) for term, place in zip(terms, places, strict=True) if place]
    subject = next((place for term, place in placed if term.startswith("BT")), None)
    template = subject or next((place for _, place in placed), None)
    if template is None:
        return _enclosing_entry(location)
    resolved = ""
    for part in template.split("."):
        if part.endswith(_LIST_MARK):
            name = part[: -len(_LIST_MARK)]
            index = _list_index(f"{resolved}{name}", location)
            if index is None:
                return f"{resolved}{name}"
            part = f"{name}[{index}]"
        resolved += f"{part}."
    return resolved.rstrip(".")


def _list_index(list_path: str, location: str | None) -> int | None:
    step = _LIST_STEPS.get(list_path)
    found = step.search(location) if step and location else None
    return int(found.group(1) or 1) - 1 if found else None


def _enclosing_entry(location: str | None) -> str | None:
    for list_path in _LIST_STEPS:
        index = _list_index(list_path, location)
        if index is not None:
            return f"{list_path}[{index}]"
    return None
