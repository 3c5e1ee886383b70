"""The mandate as a PDF: rendered from an HTML template by WeasyPrint for the signer to read, then,
once signed, the same pages with an evidence page appended (a simple electronic signature)."""

import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from coursier.services.directory import DirectoryScope
from coursier.web.i18n import Language
from coursier.web.templating import render, stylesheet

EVIDENCE_FORMAT = "coursier-simple-signature/1"
# The PDF metadata key under which the signed PDF carries its evidence as JSON.
EVIDENCE_METADATA_KEY = "/CoursierSignatureEvidence"


@dataclass(frozen=True)
class MandateTerms:
    """Everything the mandate says: who, which directory line, for how long."""

    mandate_id: str
    company_name: str
    company_address: dict | None  # {line1, postal_code, city, country_code}
    scope: DirectoryScope
    sponsor_name: str
    pa_matricule: str
    start_date: date
    end_date: date | None
    issued_at: datetime


@dataclass(frozen=True)
class SignatureEvidence:
    """What shows who signed what, when, from where: kept as JSON and printed on the evidence page."""

    link_id: str
    mandate_id: str
    signed_at: datetime
    signer_name: str
    signer_role: str | None
    signer_email: str | None
    email_verified_at: datetime | None
    ip: str | None
    user_agent: str | None
    document_sha256: str
    consent: str

    def as_record(self) -> dict:
        record = asdict(self)
        for key in ("signed_at", "email_verified_at"):
            record[key] = record[key].isoformat() if record[key] else None
        return {"format": EVIDENCE_FORMAT, **record}


def render_mandate(terms: MandateTerms, language: Language) -> bytes:
    html = render("mandate/mandate.html.j2", language, terms=terms, stylesheet=stylesheet("mandate.css"))
    return HTML(string=html).write_pdf()


def sign(unsigned_pdf: bytes, evidence: SignatureEvidence, language: Language) -> bytes:
    """The pages that were shown, unchanged, followed by the evidence page; the evidence is also in
    the PDF's metadata, for software that checks it."""
    evidence_html = render(
        "mandate/evidence.html.j2", language, evidence=evidence, stylesheet=stylesheet("mandate.css")
    )
    evidence_pdf = HTML(string=evidence_html).write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(unsigned_pdf)))
    writer.append(PdfReader(io.BytesIO(evidence_pdf)))
    writer.add_metadata({EVIDENCE_METADATA_KEY: json.dumps(evidence.as_record(), ensure_ascii=False)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
