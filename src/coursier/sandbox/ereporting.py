"""The PPF's e-reporting desk: an F10 file judged, answered 300 or 301, and what it declares kept.

A flow of F10 files (interface FFE1025A) is first checked as any flow (`sandbox.flows`): each file
against the e-reporting XSD, an applicative check (DG §3.4.3 note 68) whose failure makes the whole
flow 501 IRR_SYNTAX (`schema_errors`). Each file of a receivable flow is then judged here and
answered by its own lifecycle message, 300 or 301 (`answer`, interface FFE0624A).

The judgement, in the order of DG §3.7.8 (its functional checks) and the reasons of §3.7.10:
1. the official artefacts (`coursier.validation.f10`: XSD v3.2 and the Flux10 schematron): any
   fatal finding is REJ_SEMAN;
2. the period (REJ_PER): the period has begun (A7 G6.24), has ended before the control and the
   transmission was created after its end and not in the future (G7.43);
3. coherence (REJ_COH): the file comes from the platform that deposits it (G6.22); invoice,
   transaction and payment dates are not in the future (G1.07); transactions and payments fall
   in the declared period (their tax point decides it: COURSIER-F10-01);
4. uniqueness (REJ_UNI): the transmission id with the declarant and the period (DG note 131,
   G8.05) and each international invoice by seller SIREN, number and year (G1.42), among what
   was accepted before and is not replaced by this file.
An accepted file is kept; a corrective one (RE) replaces everything held for its declarant, role,
kind and period (DG §3.7.7, note 127). `held_totals` is what the PPF then holds.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, select, update

from coursier.formats.ppf import flow_status
from coursier.formats.ppf.f10 import parse_f10
from coursier.kit import clock
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.sandbox.schemas import Finding
from coursier.sandbox.storage import PPF_APPLICATION_CODE
from coursier.sandbox.storage import ereporting_transmissions as held
from coursier.validation.artefacts import EREPORTING_XSD
from coursier.validation.f10 import ROOT, read_f10
from coursier.validation.rules import REPORTED_IN_ITS_PERIOD
from coursier.validation.xsd import validate_xsd

DEPOSITED, REJECTED = "300", "301"
SEMANTICS, UNIQUENESS, COHERENCE, PERIOD = "REJ_SEMAN", "REJ_UNI", "REJ_COH", "REJ_PER"


@dataclass(frozen=True)
class F10Verdict:
    status: str  # 300 deposited, 301 rejected (DG §3.7.9, table 5)
    # (REJ_* reason of DG §3.7.10 table 6, the finding that gives it), in the order of the checks
    findings: list[tuple[str, Finding]] = field(default_factory=list)
    transmission_id: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status == DEPOSITED

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(reason for reason, _ in self.findings))

    @property
    def rules(self) -> list[str]:
        return [finding.rule for _, finding in self.findings]


def _finding(rule: str, message: str, location: str | None = None) -> Finding:
    return Finding(rule=rule, severity="fatal", message=message, location=location)


def schema_errors(content: bytes) -> list[str]:
    """What the e-reporting XSD (and the XML reader before it) finds wrong in one file."""
    try:
        tree = parse_xml(content)
    except XMLRejected as exc:
        return [exc.message]
    if tree.getroot().tag != ROOT:
        return [f"the root element {tree.getroot().tag} is not {ROOT}"]
    return [f"{issue.message} ({issue.location})" for issue in validate_xsd(tree, EREPORTING_XSD)]


def answer(conn: Connection, caller: str, content: bytes) -> tuple[F10Verdict, bytes]:
    """Judge one file and write the PPF's lifecycle message about it: 300, or 301 with a reason
    and a comment for each finding."""
    verdict = judge_report(conn, caller, content)
    message = flow_status.FlowStatusMessage(
        message_id=f"{PPF_APPLICATION_CODE}-{verdict.transmission_id}",
        flow_id=verdict.transmission_id or "",
        code=int(verdict.status),
        received_at=clock.now(),
        recipient_matricule=caller,
        reasons=tuple((reason, f"[{finding.rule}] {finding.message}") for reason, finding in verdict.findings),
        guideline=flow_status.EREPORTING_GUIDELINE,
    )
    return verdict, flow_status.write(message)


def judge_report(conn: Connection, caller: str, content: bytes, *, now: datetime | None = None) -> F10Verdict:
    """Judge one F10 file deposited by platform `caller`; keep it when accepted."""
    now = now or clock.now()
    checked, tree = read_f10(content)
    if not checked.valid:
        findings = [
            (SEMANTICS, _finding(issue.rule or "XSD", issue.message, issue.location)) for issue in checked.errors
        ]
        return F10Verdict(REJECTED, findings)
    report = parse_f10(tree)
    found = {
        PERIOD: _period_findings(report, now),
        COHERENCE: _coherence_findings(report, caller, now),
        UNIQUENESS: _uniqueness_findings(conn, report),
    }
    findings = [(reason, finding) for reason, listed in found.items() for finding in listed]
    if findings:
        return F10Verdict(REJECTED, findings, report.document.id)
    _keep(conn, caller, report, now)
    return F10Verdict(DEPOSITED, transmission_id=report.document.id)


def _period_findings(report, now: datetime) -> list[Finding]:
    period, today = report.period, clock.paris_date(now)
    issued = report.document.issued_at
    findings = []
    if period.start > today:
        findings.append(_finding("G6.24", f"The period starts on {period.start}, after the day of the control"))
    if period.end >= today:
        findings.append(_finding("G7.43", f"The period ends on {period.end}: it is not over at the control"))
    if clock.paris_date(issued) <= period.end:
        findings.append(
            _finding("G7.43", f"The transmission was created on {issued:%Y-%m-%d}, before the period ended")
        )
    if issued > now:
        findings.append(_finding("G7.43", "The transmission was created after the control"))
    return findings


def _dates(report) -> list[tuple[str, date]]:
    """(what, date) of every dated item, with the date that decides its period."""
    if report.transactions is not None:
        body = report.transactions
        return [(f"invoice {invoice.id}", invoice.issue_date) for invoice in body.invoices] + [
            (f"transactions of {day.date}", day.date) for day in body.transactions
        ]
    body = report.payments
    return [(f"payment of invoice {payment.invoice_id}", payment.date) for payment in body.invoices] + [
        (f"payments of {day.date}", day.date) for day in body.transactions
    ]


def _coherence_findings(report, caller: str, now: datetime) -> list[Finding]:
    findings = []
    if report.document.sender_id != caller:
        findings.append(
            _finding("G6.22", f"The sender {report.document.sender_id} is not the platform {caller} that deposits it")
        )
    today, period = clock.paris_date(now), report.period
    for what, day in _dates(report):
        if day > today:
            findings.append(_finding("G1.07", f"The date of the {what}, {day}, is after the day of the control"))
    # International invoices keep their issue date whatever their tax point: only aggregated data
    # and payments are held to the period.
    dated = _dates(report)
    if report.transactions is not None:
        dated = dated[len(report.transactions.invoices) :]
    for what, day in dated:
        if day not in period:
            findings.append(
                _finding(
                    REPORTED_IN_ITS_PERIOD.id, f"The {what} falls outside the period {period.start} to {period.end}"
                )
            )
    return findings


def _same_stream(report):
    document, period = report.document, report.period
    return and_(
        held.c.declarant_siren == document.declarant_siren,
        held.c.role == document.role.value,
        held.c.kind == report.kind.value,
        held.c.period_start == period.start,
        held.c.period_end == period.end,
    )


def _uniqueness_findings(conn: Connection, report) -> list[Finding]:
    document, period = report.document, report.period
    findings = []
    taken = conn.execute(
        select(held.c.row_id).where(
            held.c.transmission_id == document.id,
            held.c.declarant_siren == document.declarant_siren,
            held.c.period_start == period.start,
            held.c.period_end == period.end,
        )
    ).first()
    if taken:
        findings.append(_finding("G8.05", f"The transmission {document.id} was already received for this period"))
    if report.transactions is not None and report.transactions.invoices:
        findings += _invoice_duplicates(conn, report)
    return findings


def _invoice_key(invoice) -> tuple[str, str, int]:
    return (invoice.seller.company_id, invoice.id, invoice.issue_date.year)


def _invoice_duplicates(conn: Connection, report) -> list[Finding]:
    """G1.42: seller SIREN, number and year identify an invoice; what this file replaces does not count."""
    keys = [_invoice_key(invoice) for invoice in report.transactions.invoices]
    findings = [
        _finding("G1.42", f"Invoice {number} of {year} of seller {seller} appears twice in the file")
        for (seller, number, year), count in _counts(keys).items()
        if count > 1
    ]
    query = select(held.c.report).where(held.c.replaced_at.is_(None), held.c.kind == "transactions")
    if report.document.type_code.value == "RE":
        query = query.where(~_same_stream(report))
    wanted = set(keys)
    for (stored,) in conn.execute(query):
        for invoice in stored["transactions"]["invoices"]:
            key = (invoice["seller"]["company_id"], invoice["id"], int(invoice["issue_date"][:4]))
            if key in wanted:
                findings.append(
                    _finding("G1.42", f"Invoice {key[1]} of {key[2]} of seller {key[0]} was already reported")
                )
    return findings


def _counts(keys):
    counts = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return counts


def _keep(conn: Connection, caller: str, report, now: datetime) -> None:
    if report.document.type_code.value == "RE":
        conn.execute(update(held).where(_same_stream(report), held.c.replaced_at.is_(None)).values(replaced_at=now))
    period = report.period
    conn.execute(
        held.insert().values(
            transmission_id=report.document.id,
            platform_id=caller,
            declarant_siren=report.document.declarant_siren,
            role=report.document.role.value,
            kind=report.kind.value,
            period_start=period.start,
            period_end=period.end,
            type_code=report.document.type_code.value,
            report=report.model_dump(mode="json"),
            accepted_at=now,
        )
    )


# ---- what the PPF holds ------------------------------------------------------------------------------


def held_totals(conn: Connection, caller: str, *, siren: str, start: date, end: date) -> dict:
    """The data held for a declarant over the periods within [start, end], sent by `caller`:
    the transmissions in force and their totals per role, by category and rate."""
    rows = conn.execute(
        select(held)
        .where(
            held.c.platform_id == caller,
            held.c.declarant_siren == siren,
            held.c.replaced_at.is_(None),
            held.c.period_start >= start,
            held.c.period_end <= end,
        )
        .order_by(held.c.period_start, held.c.row_id)
    ).all()
    roles: dict[str, dict] = {}
    for row in rows:
        totals = roles.setdefault(row.role, _empty_totals())
        totals["transmissions"].append(
            {
                "id": row.transmission_id,
                "kind": row.kind,
                "type_code": row.type_code,
                "start": row.period_start,
                "end": row.period_end,
            }  # fmt: skip
        )
        _add(totals, row.report)
    return {"siren": siren, "start": start, "end": end, "roles": {role: _plain(t) for role, t in roles.items()}}


def _empty_totals() -> dict:
    return {
        "transmissions": [],
        "invoices": {"count": 0, "tax_exclusive_amount": Decimal(0), "tax_amount_eur": Decimal(0), "numbers": []},
        "transactions": defaultdict(lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])),
        "invoice_payments": defaultdict(Decimal),
        "daily_payments": defaultdict(Decimal),
    }


def _add(totals: dict, report: dict) -> None:
    if report.get("transactions"):
        body = report["transactions"]
        for invoice in body["invoices"]:
            totals["invoices"]["count"] += 1
            totals["invoices"]["numbers"].append(invoice["id"])
            totals["invoices"]["tax_exclusive_amount"] += Decimal(invoice["tax_exclusive_amount"] or 0)
            totals["invoices"]["tax_amount_eur"] += Decimal(invoice["tax_amount_eur"])
        for day in body["transactions"]:
            for subtotal in day["subtotals"]:
                entry = totals["transactions"][day["category"]][_rate_key(subtotal["rate"])]
                entry[0] += Decimal(subtotal["taxable_amount"])
                entry[1] += Decimal(subtotal["tax_amount"])
    if report.get("payments"):
        body = report["payments"]
        for kind, entries in (("invoice_payments", body["invoices"]), ("daily_payments", body["transactions"])):
            for entry in entries:
                for subtotal in entry["subtotals"]:
                    totals[kind][_rate_key(subtotal["rate"])] += Decimal(subtotal["amount"])


def _rate_key(rate: str) -> str:
    value = Decimal(rate).normalize()
    return format(value.quantize(Decimal(1)) if value == value.to_integral() else value, "f")


def _plain(totals: dict) -> dict:
    """Amounts as strings, as in every answer of the sandbox."""
    return {
        "transmissions": totals["transmissions"],
        "invoices": {
            "count": totals["invoices"]["count"],
            "numbers": sorted(totals["invoices"]["numbers"]),
            "tax_exclusive_amount": str(totals["invoices"]["tax_exclusive_amount"]),
            "tax_amount_eur": str(totals["invoices"]["tax_amount_eur"]),
        },
        "transactions": {
            category: {rate: {"taxable_amount": str(t), "tax_amount": str(v)} for rate, (t, v) in rates.items()}
            for category, rates in totals["transactions"].items()
        },
        "invoice_payments": {rate: str(amount) for rate, amount in totals["invoice_payments"].items()},
        "daily_payments": {rate: str(amount) for rate, amount in totals["daily_payments"].items()},
    }
