"""The onboarding pages through HTTP: steps, messages on the page, CSRF, escaping, gone links."""

import html
import re

import pytest
from sqlalchemy import select

from coursier.db.mandates import Mandate
from coursier.db.onboarding import OnboardingLink

EMAIL = "marie@acme.example"
SIGNATORY = {"first_name": "Marie", "last_name": "Dupont", "role": "gérante", "email": EMAIL}


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _says(page, phrase: str) -> bool:
    return phrase in html.unescape(page.text)


def _hidden(page, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page.text).group(1)


@pytest.fixture
def pages(api, new_link):
    """A link's pages: `get()`, `post(step, **fields)` with the page's CSRF token."""

    class Pages:
        def __init__(self, **options) -> None:
            self.link = new_link(**options)
            self.path = self.link["path"]
            self.csrf = _csrf(api.get(self.path))

        def get(self, suffix: str = "", **params):
            return api.get(self.path + suffix, params=params)

        def post(self, step: str, **fields):
            return api.post(f"{self.path}/{step}", data={"csrf_token": self.csrf, **fields})

    return Pages


def _sign_up_to_signature(flow, ppf):
    flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    flow.post("kyc", **SIGNATORY)
    return flow.post("kyc/code", code=ppf.last_code(EMAIL))


def test_the_whole_path_to_a_signed_mandate(api, pages, ppf, tenant_a, session):
    flow = pages(return_url="https://erp.example/onboarded")
    first = flow.get()
    assert first.status_code == 200 and first.headers["referrer-policy"] == "no-referrer"
    assert "Identifiez votre entreprise" in first.text and 'lang="fr"' in first.text

    found = flow.post("company", siren="812 345 676", siret="", routing_code="")
    assert "Acme Onboarding SA" in found.text and "12 rue de la Paix, 75002 Paris" in found.text
    assert _hidden(found, "siren") == "812345676"
    assert session.scalar(select(Mandate).where(Mandate.siren == "812345676")) is None  # nothing reserved yet

    kyc = flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    assert kyc.status_code == 200 and _says(kyc, "Qui signe pour l'entreprise")
    assert session.scalar(select(Mandate.status).where(Mandate.siren == "812345676")) == "pending_kyc"

    code_page = flow.post("kyc", **SIGNATORY)
    assert f"envoyé à {EMAIL}" in code_page.text
    signature = flow.post("kyc/code", code=ppf.last_code(EMAIL))
    assert "Signez le mandat" in signature.text
    pdf = flow.get("/mandate.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")

    done = flow.post(
        "sign", full_name="Marie Dupont", consent="yes", document_sha256=_hidden(signature, "document_sha256")
    )
    assert done.status_code == 200 and done.url.path.endswith("/done") and _says(done, "C'est fait")
    assert 'href="https://erp.example/onboarded"' in done.text
    assert flow.get("/signed.pdf").content.startswith(b"%PDF-")

    status = api.get("/api/clients/onboarding-link/status", headers=tenant_a.headers).json()
    assert status["status"] == "signed" and status["mandate_status"] == "processing"
    assert status["company"] == {"siren": "812345676", "siret": None, "name": "Acme Onboarding SA"}
    # Used to the end: the link opens no step again.
    again = flow.get()
    assert again.status_code == 410 and _says(again, "déjà été utilisé")
    assert flow.post("sign", full_name="Marie Dupont", consent="yes").status_code == 410


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"siren": "123456789"}, "Ce SIREN n'est pas valide"),
        ({"siren": "834567893"}, "Aucune entreprise n'est inscrite"),
        ({"siren": "823456785"}, "cessée"),
        ({"siren": "812345676", "siret": "81234567600025"}, "Cet établissement est fermé"),
        ({"siren": "812345676", "siret": "84567891100015"}, "appartient à une autre entreprise"),
        ({"siren": "812345676", "siret": "81234567600033"}, "n'est pas inscrit au répertoire"),
        ({"siren": "812345676", "routing_code": "COMPTA"}, "doit être accompagné du SIRET"),
    ],
)
def test_identification_problems_are_told_on_the_page(pages, ppf, fields, message):
    page = pages().post("company", **{"siret": "", "routing_code": "", **fields})
    assert page.status_code == 200 and _says(page, message)
    assert 'role="alert"' in page.text and f'value="{fields["siren"]}"' in page.text


def test_an_unreachable_register_is_told_on_the_page(pages, ppf):
    ppf.available = False
    assert "ne répond pas" in pages().post("company", siren="812345676").text


def test_a_line_served_by_another_client_is_told_on_the_page(pages, ppf, tenant_b, session):
    taken = pages()
    taken.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    flow = pages(tenant=tenant_b)
    page = flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    assert "déjà servie par une plateforme" in page.text
    assert session.scalar(select(OnboardingLink.mandate_id).where(OnboardingLink.id == flow.link["link_id"])) is None


def test_forms_need_the_links_csrf_token(api, pages, session):
    flow = pages()
    for token in ("", "forged"):
        r = api.post(f"{flow.path}/company", data={"csrf_token": token, "siren": "812345676", "confirm": "yes"})
        assert r.status_code == 403 and "Formulaire expiré" in r.text
    assert session.scalar(select(Mandate).where(Mandate.siren == "812345676")) is None


def test_a_wrong_code_is_counted_on_the_page(pages, ppf, session):
    flow = pages()
    flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    flow.post("kyc", **SIGNATORY)
    wrong = f"{(int(ppf.last_code(EMAIL)) + 1) % 10**6:06d}"
    page = flow.post("kyc/code", code=wrong)
    assert page.status_code == 200 and "Il vous reste 4 essai(s)" in page.text
    assert session.get(OnboardingLink, flow.link["link_id"]).otp_failed_attempts == 1  # committed


def test_english_and_white_label_output_is_escaped(pages):
    flow = pages(
        language="en",
        branding={
            "name": "<script>alert(1)</script>",
            "primary_color": "#123abc",
            "logo_url": "https://erp.example/logo.png?a=1&b=2",
        },
    )
    page = flow.get()
    assert "Identify your company" in page.text and 'lang="en"' in page.text
    assert "<script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "--brand: #123abc" in page.text and 'src="https://erp.example/logo.png?a=1&amp;b=2"' in page.text
    assert "Identifiez votre entreprise" in flow.get(lang="fr").text


def test_without_kyc_nor_signature_the_path_ends_at_identification(api, pages, ppf, tenant_a, session):
    flow = pages(include_kyc=False, include_signature=False)
    done = flow.post("company", confirm="yes", siren="812345676", siret="81234567600017", routing_code="")
    assert done.status_code == 200 and "finalisera le mandat" in done.text  # redirected to the root: used
    status = api.get("/api/clients/onboarding-link/status", headers=tenant_a.headers).json()
    assert status["status"] == "identified" and status["mandate_status"] == "created"


def test_signature_without_kyc_records_no_verified_email(pages, ppf, session):
    flow = pages(include_kyc=False)
    signature = flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    flow.post("sign", full_name="Paul Martin", consent="yes", document_sha256=_hidden(signature, "document_sha256"))
    link = session.get(OnboardingLink, flow.link["link_id"])
    session.refresh(link)
    assert link.evidence["signer_name"] == "Paul Martin" and link.evidence["email_verified_at"] is None


def test_a_new_link_releases_the_line_an_abandoned_one_reserved(pages, ppf, session):
    abandoned = pages()
    abandoned.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    flow = pages()
    assert _says(
        flow.post("company", confirm="yes", siren="812345676", siret="", routing_code=""), "Qui signe pour l'entreprise"
    )
    statuses = session.scalars(select(Mandate.status).where(Mandate.siren == "812345676")).all()
    assert sorted(statuses) == ["expired", "pending_kyc"]


def test_unknown_links_and_bad_requests_answer_pages(api):
    r = api.get("/onboarding/not-a-token")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and _says(r, "n'existe pas")
    r = api.post("/onboarding/not-a-token/company", data={"siren": "x" * 600})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]


def test_a_form_of_another_step_leads_to_the_current_one(pages, session):
    flow = pages()
    page = flow.post("kyc/code", code="123456")
    assert page.status_code == 200 and page.url.path == flow.path and "Identifiez votre entreprise" in page.text
    assert session.get(OnboardingLink, flow.link["link_id"]).otp_failed_attempts == 0


def test_a_mandate_revoked_meanwhile_cannot_be_signed(api, pages, ppf, tenant_a, session):
    flow = pages(include_kyc=False)
    signature = flow.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    link = session.get(OnboardingLink, flow.link["link_id"])
    assert api.delete(f"/api/mandates/{link.mandate_id}", headers=tenant_a.headers).status_code in (200, 204)
    page = flow.post(
        "sign", full_name="Paul Martin", consent="yes", document_sha256=_hidden(signature, "document_sha256")
    )
    assert page.status_code == 200 and _says(page, "il a été révoqué")


def test_a_link_that_expires_unsigned_gives_its_line_back(pages, session):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from coursier.services.onboarding.links import release_expired_links

    abandoned = pages()
    abandoned.post("company", confirm="yes", siren="812345676", siret="", routing_code="")
    now = datetime.now(UTC)
    assert release_expired_links(session, now) == 0  # still valid: the line stays reserved
    session.execute(update(OnboardingLink).values(expires_at=now - timedelta(minutes=1)))
    assert release_expired_links(session, now) == 1
    mandate = session.scalar(select(Mandate).where(Mandate.siren == "812345676"))
    assert mandate.status == "expired" and mandate.revoked_at is not None
