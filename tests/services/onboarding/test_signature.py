"""The mandate PDF, its signature, and the evidence kept in the database and in the signed PDF."""

import hashlib
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from coursier.db.documents import Document
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.mandates import Mandate
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.services.onboarding import identification, kyc, links, signing
from coursier.services.onboarding.signing import EVIDENCE_FORMAT, EVIDENCE_METADATA_KEY

EMAIL = "marie.dupont@acme.example"


@pytest.fixture
def link(session, tenant_a, ppf, mailer, runtime):
    """Tenant A's link, KYC done, at the signature step, for one establishment of ACME."""
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    link, _ = links.create_link(session, ctx, links.LinkRequest(), base_url="https://pa.example")
    company = identification.identify_company(ppf, siren="812345676", siret="81234567600017", routing_code="COMPTA-1")
    identification.confirm_company(session, link, company, ppf=ppf, settings=runtime.settings)
    kyc.start_email_check(
        session,
        link,
        first_name="Élodie",
        last_name="Martin-Dupont",
        role="DAF",
        email=EMAIL,
        mailer=mailer,
    )
    kyc.verify_code(session, link, ppf.last_code(EMAIL))
    return link


def _text(pdf: bytes, pages=slice(None)) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages[pages])


def test_the_mandate_names_the_parties_the_line_and_the_terms(session, link, runtime):
    document = signing.mandate_pdf(session, link, settings=runtime.settings)
    assert document.kind == "mandate_unsigned" and document.sha256 == hashlib.sha256(document.content).hexdigest()
    content = _text(document.content)
    for expected in (
        "Acme Onboarding SA",
        "SIREN 812345676",
        "81234567600017",
        "12 rue de la Paix, 75002 Paris",
        f"matricule {runtime.settings.pa_matricule}",
        "sponsor-a",
        "COMPTA-1",
        "812345676_81234567600017_COMPTA-1",
        "Sans date de fin",
        "révoquer le mandat à tout moment",
        "annuaire national",
        link.mandate_id,
    ):
        assert expected in content, expected
    # Rendered once: the signer signs the document that was shown.
    assert signing.mandate_pdf(session, link, settings=runtime.settings).id == document.id


def test_switching_language_shows_the_mandate_again_in_that_language(session, link, runtime):
    french = signing.mandate_pdf(session, link, settings=runtime.settings)
    links.switch_language(link, "en")
    english = signing.mandate_pdf(session, link, settings=runtime.settings)
    assert english.id != french.id and "Mandate to receive e-invoices" in _text(english.content)


def test_signing_keeps_the_evidence_and_starts_the_registration(session, link, runtime):
    shown = signing.mandate_pdf(session, link, settings=runtime.settings)
    mandate = signing.sign_mandate(
        session,
        link,
        full_name="elodie  MARTIN-DUPONT",
        consent=True,
        document_sha256=shown.sha256,
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 (test)",
        settings=runtime.settings,
    )
    assert mandate.status == "processing" and link.signed_at is not None and link.completed_at == link.signed_at
    assert links.status_of(link, clock.now()) == "signed"

    signed = session.get(Document, mandate.signed_document_id)
    assert signed.kind == "mandate_signed" and link.signed_document_id == signed.id
    assert signed.sha256 == hashlib.sha256(signed.content).hexdigest()
    evidence = link.evidence
    assert evidence["format"] == EVIDENCE_FORMAT
    assert evidence["signer_name"] == "elodie MARTIN-DUPONT" and evidence["signer_role"] == "DAF"
    assert evidence["signer_email"] == EMAIL
    assert evidence["email_verified_at"] == link.email_verified_at.isoformat()
    assert evidence["signed_at"] == link.signed_at.isoformat()
    assert (evidence["ip"], evidence["user_agent"]) == ("203.0.113.7", "Mozilla/5.0 (test)")
    assert evidence["document_sha256"] == shown.sha256
    assert evidence["signed_document_sha256"] == signed.sha256 and evidence["mandate_id"] == mandate.id

    # The signed PDF: the pages shown, unchanged, then the evidence page; the evidence as metadata too.
    pages_shown = len(PdfReader(io.BytesIO(shown.content)).pages)
    assert _text(signed.content, slice(0, pages_shown)) == _text(shown.content)
    stamped = _text(signed.content, slice(pages_shown, None))
    for expected in (
        "Preuve de signature électronique",
        "elodie MARTIN-DUPONT",
        "DAF",
        EMAIL,
        "203.0.113.7",
        "Mozilla/5.0 (test)",
        mandate.id,
        link.id,
    ):
        assert expected in stamped, expected
    assert shown.sha256 in stamped.replace(" ", "")
    metadata = json.loads(PdfReader(io.BytesIO(signed.content)).metadata[EVIDENCE_METADATA_KEY])
    assert metadata == {k: v for k, v in evidence.items() if not k.startswith("signed_document")}

    events = session.scalars(
        select(LifecycleEvent).where(LifecycleEvent.object_id == mandate.id, LifecycleEvent.status_code.like("%SIGNED"))
    ).all()
    assert [e.details["signed_document_sha256"] for e in events] == [signed.sha256]
    jobs = session.execute(
        text("SELECT task_name, args FROM procrastinate_jobs WHERE args->>'mandate_id' = :id"), {"id": mandate.id}
    ).all()
    assert len(jobs) == 1 and jobs[0].task_name.endswith("register_line")


@pytest.mark.parametrize(
    "change,code",
    [
        ({"consent": False}, "signature_consent_missing"),
        ({"full_name": "Jean Dupont"}, "signature_name_mismatch"),
        ({"full_name": "  "}, "field_required"),
        ({"document_sha256": "0" * 64}, "signature_document_changed"),
    ],
)
def test_a_signature_is_refused_when_something_is_missing(session, link, runtime, change, code):
    shown = signing.mandate_pdf(session, link, settings=runtime.settings)
    values = {"full_name": "Élodie Martin-Dupont", "consent": True, "document_sha256": shown.sha256, **change}
    with pytest.raises(InvalidInput) as refusal:
        signing.sign_mandate(session, link, ip=None, user_agent=None, settings=runtime.settings, **values)
    assert refusal.value.code == code
    assert link.signed_at is None and session.get(Mandate, link.mandate_id).status == "created"
