"""What a deposited file is, and the document checks a PA runs on it before anything else.

The checks run in the order a receiving platform meets the problems (XP Z12-012; reasons of
BR-FR-CDV-CL-09): a readable container (501 IRR_*), a profile the reform accepts, the schema
(501 IRR_SYNTAX), then EN 16931 and the French rules (213 REJ_SEMAN). The official validation
runs once on the document; its report is read in that order. The checks that need the platform's
data (seller, duplicate, recipient) are in `services.invoices`.
"""

from dataclasses import dataclass, field

from coursier.formats import convert
from coursier.formats.base import FormatError
from coursier.formats.detect import Container, Profile, is_pdf
from coursier.formats.facturx import FacturXError, FacturXErrorCode, extract
from coursier.kit.xml import MAX_DOCUMENT_BYTES
from coursier.model import Invoice as InvoiceModel
from coursier.model.identifiers import (
    SCHEME_FR_ELECTRONIC_ADDRESS,
    SCHEME_SIREN,
    SCHEME_SIRET,
    valid_siren,
    valid_siret,
)
from coursier.model.lifecycle import REASONS, Reason
from coursier.services.directory import LookupQuery
from coursier.validation import InputError, Issue, Stage, ValidationReport, validate
from coursier.validation.artefacts import BR_FR_CII, BR_FR_UBL

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
        "DOUBLON",
        f"Invoice {number} of {year} was already deposited by seller {seller_siren}",
        [Finding("DOUBLON", "duplicate", "Same seller, number and year", bt=("BT-1", "BT-2", "BT-30"))],
    )


UNKNOWN_RECIPIENT = refusal(
    "DEST_INC",
    "No directory line covers the buyer",
    [
        Finding(
            "DEST_INC",
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


def read_invoice_file(content: bytes) -> Reading:
    """Run the document checks on `content`; the model is read whenever the XML parses."""
    container_refusal = _container_refusal(content)
    if container_refusal is not None:
        return Reading(refusal=container_refusal)
    try:
        report = validate(content, limit=MAX_INVOICE_BYTES)
    except InputError as exc:
        # Only a PDF gets here (XML within the size limit always reaches the parser).
        cause = exc.__cause__
        if isinstance(cause, FacturXError) and cause.code is FacturXErrorCode.TOO_LARGE:
            return Reading(container=Container.PDF, refusal=refusal("IRR_TAILLE_F", cause.message))
        return Reading(
            container=Container.PDF, refusal=refusal("IRR_SYNTAX", f"The PDF holds no readable invoice: {exc}")
        )
    reading = Reading(
        container=report.container, report=report, warnings=[Finding.of(issue) for issue in report.warnings]
    )
    parse_errors = [Finding.of(issue) for issue in report.errors if issue.stage is Stage.XML]
    if parse_errors:
        reading.refusal = refusal("IRR_SYNTAX", "The invoice XML cannot be read", parse_errors)
        return reading
    reading.invoice = _model(content, report.container)
    reading.refusal = _report_refusal(report)
    if reading.refusal is None and reading.invoice is None:
        reading.refusal = refusal("IRR_SYNTAX", "The invoice XML cannot be mapped to EN 16931")
    return reading


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


def _report_refusal(report: ValidationReport) -> Refusal | None:
    """The first failed check of the report: profile, schema, EN 16931, French rules."""
    if report.profile in _NOT_INVOICES:
        name = _NOT_INVOICES[report.profile]
        return refusal(
            "REJ_SEMAN",
            f"{name} is not an invoice under the French reform: it carries no invoice "
            "lines; send BASIC, EN 16931 or EXTENDED (or CII / UBL EN 16931)",
        )
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


def _model(content: bytes, container: Container) -> InvoiceModel | None:
    """The EN 16931 model of a file whose XML parsed, or None when it does not map."""
    try:
        xml = extract(content).xml if container is Container.PDF else content
        return convert.parse(xml).invoice
    except (FacturXError, FormatError, ValueError):
        return None


# ---- identifiers the platform's checks need ------------------------------------------------------


def seller_siren(invoice: InvoiceModel) -> str | None:
    """BT-30 with scheme 0002, else the SIREN of a BT-29 SIRET, else of the BT-34 address (0225)."""
    seller = invoice.seller
    if seller is None:
        return None
    candidates = [seller.legal_registration_identifier, *seller.identifiers, seller.electronic_address]
    return _first_siren(candidates)


def buyer_siren(invoice: InvoiceModel) -> str | None:
    buyer = invoice.buyer
    if buyer is None:
        return None
    return _first_siren([buyer.legal_registration_identifier, buyer.identifier, buyer.electronic_address])


def buyer_siret(invoice: InvoiceModel) -> str | None:
    buyer = invoice.buyer
    identifier = buyer.identifier if buyer else None
    if identifier is None or identifier.scheme_id != SCHEME_SIRET:
        return None
    return valid_siret(identifier.value)


def buyer_electronic_address(invoice: InvoiceModel) -> str | None:
    """BT-49 when it is a French directory address (scheme 0225)."""
    address = invoice.buyer.electronic_address if invoice.buyer else None
    if address is None or address.scheme_id != SCHEME_FR_ELECTRONIC_ADDRESS:
        return None
    return address.value


def recipient_query(invoice: InvoiceModel) -> LookupQuery | None:
    """Where the directory is asked for the buyer: BT-49 (scheme 0225), else its SIREN / SIRET."""
    address = buyer_electronic_address(invoice)
    if address:
        return LookupQuery(electronic_address=address)
    siret = buyer_siret(invoice)
    siren = buyer_siren(invoice)
    if siret is None and siren is None:
        return None
    return LookupQuery(siren=siren or siret[:9], siret=siret)


def _first_siren(identifiers) -> str | None:
    for identifier in identifiers:
        if identifier is None:
            continue
        value = identifier.value.replace(" ", "")
        if identifier.scheme_id == SCHEME_SIREN or (identifier.scheme_id is None and len(value) == 9):
            found = valid_siren(value)
        elif identifier.scheme_id == SCHEME_SIRET:
            found = valid_siren(value[:9]) if valid_siret(value) else None
        elif identifier.scheme_id == SCHEME_FR_ELECTRONIC_ADDRESS:
            found = valid_siren(value[:9])
        else:
            found = None
        if found:
            return found
    return None
