"""Step 3 of a link: the mandate as a PDF, and its simple electronic signature.

The mandate is rendered from an HTML template for the signer to read and kept, so that the signer
signs what was shown; once signed, it is the same pages with an evidence page appended, the
evidence also carried as JSON in the PDF's metadata.
"""

import hmac
import io
import json
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime

from pypdf import PdfReader, PdfWriter
from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.documents import Document, DocumentRepository
from coursier.db.mandates import Mandate
from coursier.db.onboarding import OnboardingLink
from coursier.db.sponsors import SponsorRepository
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.render import html_to_pdf, render, stylesheet
from coursier.kit.texts import Language, parse_language, text
from coursier.services import mandates
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event
from coursier.services.onboarding.kyc import required_field
from coursier.services.onboarding.links import complete_when_done, link_context, mandate_of

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
    return html_to_pdf(render("mandate/mandate.html.j2", language, terms=terms, stylesheet=stylesheet("mandate.css")))


def append_evidence(unsigned_pdf: bytes, evidence: SignatureEvidence, language: Language) -> bytes:
    """The pages that were shown, unchanged, followed by the evidence page; the evidence is also in
    the PDF's metadata, for software that checks it."""
    evidence_html = render(
        "mandate/evidence.html.j2", language, evidence=evidence, stylesheet=stylesheet("mandate.css")
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(unsigned_pdf)))
    writer.append(PdfReader(io.BytesIO(html_to_pdf(evidence_html))))
    writer.add_metadata({EVIDENCE_METADATA_KEY: json.dumps(evidence.as_record(), ensure_ascii=False)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mandate_terms(session: Session, link: OnboardingLink, *, settings: Settings) -> MandateTerms:
    """What the mandate of this link says, from its reserved mandate and the confirmed company."""
    mandate = mandate_of(session, link)
    return MandateTerms(
        mandate_id=mandate.id,
        company_name=link.company["name"],
        company_address=link.company["address"],
        scope=DirectoryScope(
            siren=mandate.siren, suffix=mandate.suffix, siret=mandate.siret, routing_code=mandate.routing_code
        ),
        sponsor_name=SponsorRepository(session).get(link.sponsor_id).name,
        pa_matricule=settings.pa_matricule,
        start_date=mandate.start_date,
        end_date=mandate.end_date,
        issued_at=clock.now(),
    )


def mandate_pdf(session: Session, link: OnboardingLink, *, settings: Settings) -> Document:
    """The mandate to show: rendered once per language and kept, so the signer signs what was shown."""
    ctx = link_context(link)
    documents = DocumentRepository(session)
    if link.unsigned_document_id is not None:
        return documents.get(ctx, link.unsigned_document_id)
    terms = mandate_terms(session, link, settings=settings)
    content = render_mandate(terms, parse_language(link.language))
    document = documents.store(
        ctx,
        kind="mandate_unsigned",
        media_type="application/pdf",
        filename=f"mandate-{terms.mandate_id}.pdf",
        content=content,
    )
    link.unsigned_document_id = document.id
    session.flush()
    return document


def _comparable_name(name: str) -> str:
    """Case, accents and spacing aside: "Élodie  MARTIN" signs for "elodie martin"."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sign_mandate(
    session: Session,
    link: OnboardingLink,
    *,
    full_name: str,
    consent: bool,
    document_sha256: str,
    ip: str | None,
    user_agent: str | None,
    settings: Settings,
) -> Mandate:
    if not consent:
        raise InvalidInput("The signer must tick the consent box", code="signature_consent_missing")
    full_name = required_field(full_name, 200)
    signatory = link.signatory
    if signatory is not None:
        expected = f"{signatory['first_name']} {signatory['last_name']}"
        if _comparable_name(full_name) != _comparable_name(expected):
            raise InvalidInput(
                "The name typed is not the signatory's", code="signature_name_mismatch", extra={"expected": expected}
            )
    shown = mandate_pdf(session, link, settings=settings)
    if not hmac.compare_digest(shown.sha256, document_sha256 or ""):
        raise InvalidInput("The mandate shown has changed", code="signature_document_changed")

    ctx = link_context(link)
    mandate = mandates.get_mandate(session, ctx, link.mandate_id, for_update=True)
    language = parse_language(link.language)
    now = clock.now()
    evidence = SignatureEvidence(
        link_id=link.id,
        mandate_id=mandate.id,
        signed_at=now,
        signer_name=full_name,
        signer_role=signatory["role"] if signatory else None,
        signer_email=signatory["email"] if signatory else None,
        email_verified_at=link.email_verified_at,
        ip=ip,
        user_agent=(user_agent or "")[:500] or None,
        document_sha256=shown.sha256,
        consent=text(language, "onboarding.signature.consent"),
    )
    signed_pdf = append_evidence(shown.content, evidence, language)
    mandates.mark_signed(session, ctx, mandate, signed_pdf, filename=f"mandate-{mandate.id}-signed.pdf")
    signed = DocumentRepository(session).get(ctx, mandate.signed_document_id)
    link.evidence = {**evidence.as_record(), "signed_document_id": signed.id, "signed_document_sha256": signed.sha256}
    link.signed_document_id, link.signed_at = signed.id, now
    # The event names the evidence; who signed from where stays in the link's evidence record.
    record_event(
        session,
        ctx,
        object_type="mandate",
        object_id=mandate.id,
        status_code="MandateLifecycleStatus.SIGNED",
        details={
            "onboarding_link_id": link.id,
            "evidence_format": EVIDENCE_FORMAT,
            "document_sha256": shown.sha256,
            "signed_document_sha256": signed.sha256,
        },
    )
    complete_when_done(link, now)
    session.flush()
    return mandate
