"""The shadow check: a share of deposits validated again by the official artefacts, after the fact.

Deposits are judged by the native rules (`coursier.validation.native`) wherever the differential
harness proved them identical to the official artefacts. To keep watching that proof at run time,
the deposit defers `invoicing.shadow_check` in its own transaction for a share of the invoices judged on their content
(`COURSIER_VALIDATION_SHADOW_SHARE`, chosen from the invoice id, so the same invoice always is or
is not). The job runs the official artefacts on the stored file and compares every finding (artefact,
rule, severity, location, message) with the report the deposit kept.

A disagreement is an incident: a lifecycle event on the invoice (`invoice.validation_incident`,
both sides' findings in its details), the usage counter `validation_incidents`, a warning in the
log. The official verdict wins for that invoice:
- its report becomes the official one (the stored `validation.report`, `warnings`, `errors`);
- accepted wrongly and still "Déposée" (200): refused as the official report refuses it (213
  REJ_SEMAN, or 501 IRR_SYNTAX), with its own status event; routing, which waits for the row this
  job locks, then skips it;
- accepted wrongly but already routed (201 and after), or refused since (by the buyer's platform…):
  the status stays, the incident says so (`already_routed`, `already_refused`);
- refused wrongly (213 is final): the refusal stays and its findings with it (`refusal_kept`); the
  sender may deposit the file again once the native rule is fixed.
Where the official artefacts give no verdict (Saxon stops on a value it cannot evaluate, where the
native rules report each assertion; the time limit), there is nothing to compare: the invoice notes
it, and no incident is raised.
"""

import hashlib
import logging
from collections import Counter

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.documents import DocumentRepository
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.kit import cpu
from coursier.kit.defer import defer
from coursier.model.lifecycle import REFUSAL_STATUSES, InvoiceStatus
from coursier.services import usage
from coursier.services.invoicing.checks import MAX_INVOICE_BYTES, Finding, Reading, report_refusal
from coursier.services.invoicing.statuses import StatusDetails, change_status, clip, issuer_platform, sender_context
from coursier.services.lifecycle import record_event
from coursier.services.webhook_events import VALIDATION_INCIDENT
from coursier.validation import Engine, InputError, ValidationReport
from coursier.validation.engine import read_document, validate_document
from coursier.validation.schematron import STOPPED

log = logging.getLogger(__name__)

TASK = "invoicing.shadow_check"  # deferred by this name; declared in jobs/invoicing.py
COUNTER = "validation_incidents"
_PARTS = ("errors", "warnings", "advisories")
_RULES_REFUSAL = "REJ_SEMAN"  # what a refusal by the schematron findings says (checks.report_refusal)


def selected(invoice_id: str, share: float) -> bool:
    """Whether the invoice falls in the share checked: from a hash of its id, the same every time."""
    if share <= 0:
        return False
    draw = int.from_bytes(hashlib.sha256(invoice_id.encode()).digest()[:8], "big") / 2**64
    return draw < share


def consider(session: Session, invoice: Invoice, reading: Reading, settings: Settings) -> bool:
    """Defer the shadow check of a deposit, in its transaction, when native rules judged it and it
    falls in the share; True when deferred. A file refused on something else than its business
    rules (active content, its schema...) is not: the official artefacts could not change that."""
    report = reading.report
    if report is None or invoice.document_id is None:
        return False
    if reading.refusal is not None and reading.refusal.reason.code != _RULES_REFUSAL:
        return False
    if not any(run.engine == Engine.NATIVE for run in report.artefacts):
        return False
    if not selected(invoice.id, settings.validation_shadow_share):
        return False
    defer(session, "invoicing.shadow_check", invoice_id=invoice.id)
    return True


def official_report(content: bytes) -> ValidationReport | None:
    """The official artefacts' report on a stored file (run in a CPU worker), or None when the
    file cannot be read again."""
    try:
        return validate_document(read_document(content, limit=MAX_INVOICE_BYTES), engine=Engine.OFFICIAL)
    except InputError:
        return None


def _without_verdict(official: ValidationReport, stored: dict) -> bool:
    """Whether an artefact the native rules replaced stopped in Saxon (on a value it cannot
    evaluate): there is no official verdict to hold them to."""
    stopped = {issue.artefact for issue in official.errors + official.advisories if issue.rule == STOPPED}
    native = {run["artefact"] for run in stored.get("artefacts") or () if run.get("engine") == Engine.NATIVE}
    return bool(stopped & native)


def check(session: Session, invoice_id: str, *, settings: Settings) -> dict | None:
    """Validate a deposited invoice again with the official artefacts. Returns the incident's
    details when they disagree with the stored report (recorded, counted, the official verdict
    applied), else None. Idempotent: an invoice is checked once."""
    invoice = InvoiceRepository(session).get_for_job(invoice_id)  # locked: routing waits for the verdict
    if invoice is None or invoice.document_id is None:
        return None
    validation = dict(invoice.validation or {})
    stored = validation.get("report")
    if not stored or "shadow" in validation:
        return None
    document = DocumentRepository(session).get_for_job(invoice.document_id, for_update=False)
    try:
        official = cpu.run(official_report, document.content) if document is not None else None
    except cpu.CpuTimeExceeded:
        official = None
    if official is None or _without_verdict(official, stored):
        invoice.validation = {**validation, "shadow": {"outcome": "no_official_verdict"}}
        return None
    native_only, official_only = differences(stored, official.to_dict())
    if not native_only and not official_only:
        invoice.validation = {**validation, "shadow": {"outcome": "agreed"}}
        return None
    incident = {
        "native_valid": bool(stored.get("valid")),
        "official_valid": official.valid,
        "native_only": native_only,
        "official_only": official_only,
    }
    refused = report_refusal(official)
    incident["outcome"] = _official_verdict(invoice, official, validation, incident)
    ctx = sender_context(invoice)
    record_event(
        session,
        ctx,
        object_type="invoice",
        object_id=invoice.id,
        status_code=VALIDATION_INCIDENT,
        reason=clip(_summary(incident), 1000),
        details=incident,
    )
    usage.count(session, ctx, COUNTER)
    log.warning("validation incident on invoice %s: %s", invoice.id, _summary(incident))
    if incident["outcome"] == "refused":
        change_status(
            session,
            ctx,
            invoice,
            refused.reason.status,
            reason_code=refused.reason.code,
            by=issuer_platform(settings),
            message=refused.message,
            details=StatusDetails(event_details={"shadow_check": True}),
            transmission_id=invoice.id,
        )
    return incident


def differences(native: dict, official: dict) -> tuple[list[dict], list[dict]]:
    """The findings only the native report has, and those only the official one has."""
    mine, theirs = _findings(native), _findings(official)
    return _listed(mine - theirs), _listed(theirs - mine)


def _findings(report: dict) -> Counter:
    return Counter(
        (finding["artefact"], finding["rule"], finding["severity"], finding["location"], finding["message"])
        for part in _PARTS
        for finding in report.get(part) or ()
    )


def _listed(findings: Counter) -> list[dict]:
    keys = ("artefact", "rule", "severity", "location", "message")
    return [dict(zip(keys, finding, strict=True)) for finding in sorted(findings.elements(), key=str)]


def _official_verdict(invoice: Invoice, official: ValidationReport, validation: dict, incident: dict) -> str:
    """Put the official report on the invoice, and say what becomes of its status (the outcome)."""
    refused = report_refusal(official)
    validation |= {"report": official.to_dict(), "warnings": [Finding.of(i).to_dict() for i in official.warnings]}
    status, native_refused = invoice.status_code, incident["native_valid"] is False
    if refused is None:
        # A refusal is final: its findings stay, to explain it.
        outcome = "refusal_kept" if native_refused else "report_replaced"
    elif status == InvoiceStatus.DEPOSITED:
        outcome = "refused"
    elif status in REFUSAL_STATUSES and native_refused:
        outcome = "report_replaced"
        invoice.rejection_message = clip(refused.message, 2000)
    else:
        outcome = "already_refused" if status in REFUSAL_STATUSES else "already_routed"
    if outcome in ("refused", "report_replaced") and refused is not None:
        validation["errors"] = [finding.to_dict() for finding in refused.findings]
    invoice.validation = validation | {"shadow": {"outcome": outcome}}
    return outcome


def _summary(incident: dict) -> str:
    return (
        f"The official artefacts disagree with the native rules ({len(incident['native_only'])} finding(s) "
        f"only native, {len(incident['official_only'])} only official; native "
        f"{'valid' if incident['native_valid'] else 'invalid'}, official "
        f"{'valid' if incident['official_valid'] else 'invalid'}): the official verdict wins ({incident['outcome']})"
    )
