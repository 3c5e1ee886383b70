"""The deposit checks: what a PA checks on a deposited file, in the order a receiving platform
meets the problems (XP Z12-012; reasons of BR-FR-CDV-CL-09). The first that fails refuses it.

1. The document (`read_invoice_file`): a readable container (501 IRR_*), no active content in a
   PDF (JavaScript, launch actions, embedded programs: 501 IRR_ANTIVIRUS), a profile the reform
   accepts (MINIMUM and BASIC WL are refused before any artefact runs), the schema (501
   IRR_SYNTAX), then EN 16931 and the French rules (213 REJ_SEMAN). The file is read once (a PDF
   opened once, the XML parsed once): the validation (native rules where they are proven identical
   to the official artefacts, see `coursier.validation.native`) runs once on that tree, its report
   read in that order, and the same tree gives the model. A share of deposits is validated again
   by the official artefacts afterwards (`shadow`).
2. The platform's data (`check_deposits`): the seller is the calling client (213 REJ_COH), the
   invoice is no duplicate of the same seller, number and year (213 DOUBLON), the buyer is in the
   directory (213 DEST_INC).
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.db.mandates import MandateRepository
from coursier.formats import convert
from coursier.formats.base import FormatError
from coursier.formats.detect import Container, Profile, is_pdf
from coursier.formats.facturx import FacturXError, FacturXErrorCode
from coursier.kit import memory
from coursier.kit.tenancy import TenantContext
from coursier.kit.xml import MAX_DOCUMENT_BYTES
from coursier.model import Invoice as InvoiceModel
from coursier.model.lifecycle import REASONS, Reason
from coursier.network.ppf import PPF
from coursier.services.invoicing.parties import find_recipients, seller_siren
from coursier.validation import InputError, Issue, Stage, ValidationReport
from coursier.validation import engine as validation_engine
from coursier.validation.artefacts import BR_FR_CII, BR_FR_UBL
from coursier.validation.engine import ParsedDocument, identify, read_document, validate_document
from coursier.validation.identifiers import vat_identifier_findings
from coursier.validation.rules import NOT_A_DUPLICATE, RECIPIENT_IN_DIRECTORY, SELLER_IS_CLIENT

# The largest invoice file accepted: the validator's own bound (a few hundred kB is a big invoice).
MAX_INVOICE_BYTES = MAX_DOCUMENT_BYTES

# How many findings a refusal message quotes; the response lists every blocking one.
_QUOTED_FINDINGS = 3

# Factur-X profiles without lines or VAT breakdown per line: not invoices under the reform
# (XP Z12-012; shared/spec/french-einvoicing.md, Formats).
_NOT_INVOICES = {
    Profile.MINIMUM: "Factur-X MINIMUM",
    Profile.BASIC_WL: "Factur-X BASIC WL",
}
_FRENCH_RULES = frozenset({BR_FR_CII.key, BR_FR_UBL.key})

_XML_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Finding:
    """One blocking problem, as the API reports it."""

    rule: str | None
    stage: str
    message: str
    severity: str = "fatal"
    bt: tuple[str, ...] = ()
    location: str | None = None

    @classmethod
    def of(cls, issue: Issue) -> "Finding":
        return cls(
            rule=issue.rule,
            stage=str(issue.stage),
            message=issue.message,
            severity=str(issue.severity),
            bt=issue.bt,
            location=issue.location,
        )

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "stage": self.stage,
            "severity": self.severity,
            "message": self.message,
            "bt": list(self.bt),
            "location": self.location,
        }


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    message: str
    findings: tuple[Finding, ...] = ()


def refusal(code: str, summary: str, findings: list[Finding] | tuple[Finding, ...] = ()) -> Refusal:
    """A refusal whose message is `summary` followed by the first findings, in plain words."""
    quoted = "; ".join(f"[{f.rule}] {f.message}" if f.rule else f.message for f in findings[:_QUOTED_FINDINGS])
    more = len(findings) - _QUOTED_FINDINGS
    message = f"{summary}: {quoted}" if quoted else summary
    if more > 0:
        message += f" (and {more} more)"
    return Refusal(REASONS[code], message, tuple(findings))


def duplicate_refusal(number: str, year: int, seller_siren: str) -> Refusal:
    return refusal(
        NOT_A_DUPLICATE.id,
        f"Invoice {number} of {year} was already deposited by seller {seller_siren}",
        [Finding(NOT_A_DUPLICATE.id, "duplicate", "Same seller, number and year", bt=("BT-1", "BT-2", "BT-30"))],
    )


UNKNOWN_RECIPIENT = refusal(
    RECIPIENT_IN_DIRECTORY.id,
    "No directory line covers the buyer",
    [
        Finding(
            RECIPIENT_IN_DIRECTORY.id,
            "directory",
            "The buyer's electronic address (BT-49, scheme 0225) or SIREN/SIRET (BT-47, BT-46) "
            "is in no line of the national directory",
            bt=("BT-49", "BT-47", "BT-46"),
        )
    ],
)


@dataclass
class Reading:
    """What the document checks learned: the refusal if one failed, and whatever could be read."""

    container: Container | None = None
    report: ValidationReport | None = None
    invoice: InvoiceModel | None = None
    refusal: Refusal | None = None
    warnings: list[Finding] = field(default_factory=list)


def preload() -> None:
    """What reading the first invoice would load, loaded now: a CPU worker runs this as it starts
    (importing this module brings the reading code with it)."""
    validation_engine.preload()
    memory.settle()  # what it loaded stays for good: out of the collector's walks


def read_invoice_file(content: bytes) -> Reading:
    """Run the document checks on `content`; the model is read whenever the XML parses."""
    container_refusal = _container_refusal(content)
    if container_refusal is not None:
        return Reading(refusal=container_refusal)
    try:
        document = read_document(content, limit=MAX_INVOICE_BYTES)
    except InputError as exc:
        # Only a PDF gets here (XML within the size limit always reaches the parser).
        cause = exc.__cause__
        if isinstance(cause, FacturXError) and cause.code is FacturXErrorCode.TOO_LARGE:
            return Reading(container=Container.PDF, refusal=refusal("IRR_TAILLE_F", cause.message))
        return Reading(
            container=Container.PDF, refusal=refusal("IRR_SYNTAX", f"The PDF holds no readable invoice: {exc}")
        )
    if document.detection.profile in _NOT_INVOICES:
        # Refused on what it is, before any artefact runs (whatever else may be wrong with it).
        reading = Reading(container=document.container, report=identify(document))
        reading.refusal = _not_an_invoice(document.detection.profile)
        if document.tree is not None:
            reading.invoice = _model(document)
        return reading
    report = validate_document(document)
    reading = Reading(
        container=report.container, report=report, warnings=[Finding.of(issue) for issue in report.warnings]
    )
    # Refused, not stripped of it: the platform keeps and forwards what it received, byte for byte
    # (the original is the evidence), so it cannot hand on a cleaned copy as the same invoice.
    active = [Finding.of(issue) for issue in report.errors if issue.stage is Stage.CONTENT]
    if active:
        reading.refusal = refusal(
            "IRR_ANTIVIRUS",
            "The PDF carries active content (JavaScript, a launch action or an embedded program), which no invoice may",
            active,
        )
        return reading
    parse_errors = [Finding.of(issue) for issue in report.errors if issue.stage is Stage.XML]
    if parse_errors:
        reading.refusal = refusal("IRR_SYNTAX", "The invoice XML cannot be read", parse_errors)
        return reading
    reading.invoice = _model(document)
    if reading.invoice is not None:
        reading.warnings += [
            Finding(found.rule, "identifiers", found.message, severity="warning", bt=(found.term,))
            for found in vat_identifier_findings(reading.invoice)
        ]
    reading.refusal = report_refusal(report)
    if reading.refusal is None and reading.invoice is None:
        reading.refusal = refusal("IRR_SYNTAX", "The invoice XML cannot be mapped to EN 16931")
    return reading


def read_invoice_files(contents: list[bytes]) -> list[Reading]:
    """`read_invoice_file` of each, in order: several files in one worker task."""
    return [read_invoice_file(content) for content in contents]


def _container_refusal(content: bytes) -> Refusal | None:
    if not content.strip():
        return refusal("IRR_VIDE_F", "The file is empty")
    if not (is_pdf(content) or _looks_like_xml(content)):
        return refusal("IRR_TYPE_F", "The file is neither XML (CII, UBL) nor a PDF (Factur-X)")
    if len(content) > MAX_INVOICE_BYTES:
        return refusal("IRR_TAILLE_F", f"The file is larger than the {MAX_INVOICE_BYTES} bytes accepted")
    return None


def _looks_like_xml(content: bytes) -> bool:
    head = content[:64]
    if head.startswith(_XML_BYTE_ORDER_MARKS):
        return True
    return head.lstrip().startswith(b"<")


def _not_an_invoice(profile: Profile) -> Refusal:
    return refusal(
        "REJ_SEMAN",
        f"{_NOT_INVOICES[profile]} is not an invoice under the French reform: it carries no invoice "
        "lines; send BASIC, EN 16931 or EXTENDED (or CII / UBL EN 16931)",
    )


def report_refusal(report: ValidationReport) -> Refusal | None:
    """The first failed check of the report: profile, schema, EN 16931, French rules."""
    if report.profile in _NOT_INVOICES:
        return _not_an_invoice(report.profile)
    schema_errors = [Finding.of(i) for i in report.errors if i.stage is Stage.XSD]
    if schema_errors:
        return refusal("IRR_SYNTAX", "The invoice does not follow its XML schema", schema_errors)
    en16931_errors = [
        Finding.of(i) for i in report.errors if i.stage is Stage.SCHEMATRON and i.artefact not in _FRENCH_RULES
    ]
    if en16931_errors:
        return refusal("REJ_SEMAN", "The invoice breaks EN 16931 rules", en16931_errors)
    french_errors = [Finding.of(i) for i in report.errors if i.artefact in _FRENCH_RULES]
    if french_errors:
        return refusal("REJ_SEMAN", "The invoice breaks French rules (BR-FR)", french_errors)
    return None


def _model(document: ParsedDocument) -> InvoiceModel | None:
    """The EN 16931 model of an invoice whose XML parsed, or None when it does not map."""
    try:
        return convert.parse_element(document.tree.getroot(), document.detection.syntax).invoice
    except (FormatError, ValueError):
        return None


# ---- the platform's data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    refusal: Refusal | None = None
    recipient: dict | None = None  # the buyer's directory entry, once every check passed


def check_deposits(
    session: Session,
    ctx: TenantContext,
    invoices: list[Invoice],
    readings: list[Reading],
    *,
    ppf: PPF,
    settings: Settings,
) -> list[Verdict]:
    """Each invoice's verdict, as if it came alone: the document's, then the checks on the
    platform's data in order (seller, duplicate, recipient), each asked of the database once for all.

    An invoice that passes the seller check is inserted here, with its recipient when the
    directory knows one: the insert is the duplicate check (`InvoiceRepository.add_unless_duplicates`),
    so it is the one a duplicate fails although the directory is asked first. Raises
    `coursier.kit.errors.Unavailable` when the directory cannot be reached.
    """
    refusals = [reading.refusal for reading in readings]
    sellers = {seller_siren(r.invoice) for r, refused in zip(readings, refusals, strict=True) if refused is None}
    clients_sirens = MandateRepository(session).active_sirens(ctx, sellers - {None})
    for index, reading in enumerate(readings):
        refusals[index] = refusals[index] or _seller_refusal(seller_siren(reading.invoice), clients_sirens)
    passed = [index for index, refused in enumerate(refusals) if refused is None]
    entries = find_recipients(session, ppf, [readings[index].invoice for index in passed], settings)
    for index, entry in zip(passed, entries, strict=True):
        invoices[index].recipient_platform_id = entry["platform_id"] if entry else None
    inserted = InvoiceRepository(session).add_unless_duplicates([invoices[index] for index in passed])
    verdicts = [Verdict(refused) for refused in refusals]
    for index, entry, went_in in zip(passed, entries, inserted, strict=True):
        invoice = invoices[index]
        if not went_in:
            verdicts[index] = Verdict(duplicate_refusal(invoice.number, invoice.issue_date.year, invoice.seller_siren))
        else:
            verdicts[index] = Verdict(UNKNOWN_RECIPIENT) if entry is None else Verdict(recipient=entry)
    return verdicts


def _seller_refusal(siren: str | None, clients_sirens: set[str]) -> Refusal | None:
    """The seller must be the calling client: a SIREN one of its active mandates covers."""
    if siren is None:
        return refusal(
            SELLER_IS_CLIENT.id,
            "The seller has no SIREN: give BT-30 with scheme 0002",
            [Finding(SELLER_IS_CLIENT.id, "seller", "No valid SIREN in BT-30, BT-29 or BT-34", bt=("BT-30",))],
        )
    if siren not in clients_sirens:
        return refusal(
            SELLER_IS_CLIENT.id,
            f"The seller {siren} is not the calling client",
            [
                Finding(
                    SELLER_IS_CLIENT.id,
                    "seller",
                    f"The client has no active mandate for SIREN {siren}: it can send only its own invoices",
                    bt=("BT-30",),
                )
            ],
        )
    return None


def claim_number(session: Session, invoice: Invoice) -> bool:
    """Insert the accepted invoice; False, and nothing written, when the same seller, number and
    year is taken (`InvoiceRepository.add_unless_duplicates`: the partial unique index decides)."""
    return InvoiceRepository(session).add_unless_duplicates([invoice])[0]
