"""POST /api/clients/onboarding-link and GET /api/clients/onboarding-link/status."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from coursier.db.onboarding import OnboardingLink

LINK = "/api/clients/onboarding-link"


def test_a_link_with_defaults(api, tenant_a, new_link, runtime, session):
    before = datetime.now(UTC)
    link = new_link()
    assert set(link) == {"link_id", "url", "expires_at", "include_kyc", "include_signature", "language", "path"}
    assert link["include_kyc"] is link["include_signature"] is True and link["language"] == "fr"
    assert link["url"].startswith(runtime.settings.base_url + "/onboarding/")
    token = link["url"].rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url
    expires = datetime.fromisoformat(link["expires_at"])
    assert before + timedelta(hours=72) <= expires <= datetime.now(UTC) + timedelta(hours=72)

    row = session.get(OnboardingLink, link["link_id"])
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr([getattr(row, c.key) for c in OnboardingLink.__table__.columns])
    assert row.branding == {"name": "sponsor-a", "logo_url": None, "primary_color": None}

    status = api.get(f"{LINK}/status", headers=tenant_a.headers).json()
    assert status == {
        "link_id": link["link_id"],
        "status": "pending",
        "expires_at": link["expires_at"],
        "opened_at": None,
        "company": None,
        "kyc_completed_at": None,
        "signed_at": None,
        "mandate_id": None,
        "mandate_status": None,
    }


def test_options_and_the_clients_language(api, tenant_a, new_link, session):
    assert api.patch("/api/settings", json={"language": "en"}, headers=tenant_a.headers).status_code == 200
    link = new_link(
        include_kyc=False,
        include_signature=False,
        expires_in_hours=1,
        return_url="http://localhost:3000/back",
        branding={"name": "Mon ERP", "logo_url": "https://erp.example/logo.png", "primary_color": "#aa0011"},
    )
    assert (link["include_kyc"], link["include_signature"], link["language"]) == (False, False, "en")
    row = session.get(OnboardingLink, link["link_id"])
    assert row.branding == {"name": "Mon ERP", "logo_url": "https://erp.example/logo.png", "primary_color": "#aa0011"}
    assert row.return_url == "http://localhost:3000/back"
    assert new_link(language="fr")["language"] == "fr"


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"expires_in_hours": 0}, 422, "validation_error"),
        ({"expires_in_hours": 721}, 422, "validation_error"),
        ({"language": "de"}, 422, "validation_error"),
        ({"branding": {"primary_color": "red"}}, 422, "validation_error"),
        ({"unknown": 1}, 422, "validation_error"),
        ({"return_url": "http://erp.example/back"}, 400, "invalid_return_url"),
        ({"return_url": "javascript:alert(1)"}, 400, "invalid_return_url"),
        ({"branding": {"logo_url": "http://localhost/logo.png"}}, 400, "invalid_logo_url"),
    ],
)
def test_bad_options_are_refused_with_a_code(api, tenant_a, body, status, code, session):
    r = api.post(LINK, json=body, headers=tenant_a.headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["code"] == code
    assert session.scalar(select(func.count()).select_from(OnboardingLink)) == 0


def test_a_new_link_supersedes_the_unused_ones(api, tenant_a, new_link):
    first, second = new_link(), new_link()
    assert (
        api.get(f"{LINK}/status", params={"link_id": first["link_id"]}, headers=tenant_a.headers).json()["status"]
        == "superseded"
    )
    newest = api.get(f"{LINK}/status", headers=tenant_a.headers).json()
    assert (newest["link_id"], newest["status"]) == (second["link_id"], "pending")
    page = api.get(first["path"])
    assert page.status_code == 410 and "text/html" in page.headers["content-type"]
    assert "Un lien plus récent" in page.text
    assert api.get(second["path"]).status_code == 200


def test_an_expired_link(api, tenant_a, new_link, session):
    link = new_link(expires_in_hours=1)
    session.execute(
        update(OnboardingLink)
        .where(OnboardingLink.id == link["link_id"])
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    session.commit()
    assert api.get(f"{LINK}/status", headers=tenant_a.headers).json()["status"] == "expired"
    page = api.get(link["path"])
    assert page.status_code == 410 and "Ce lien a expiré" in page.text
    assert session.get(OnboardingLink, link["link_id"]).opened_at is None


def test_opening_the_page_is_reported(api, tenant_a, new_link):
    link = new_link()
    api.get(link["path"])
    status = api.get(f"{LINK}/status", headers=tenant_a.headers).json()
    assert status["status"] == "opened" and status["opened_at"] is not None


def test_status_without_a_link_or_of_an_unknown_one(api, tenant_a, new_link):
    r = api.get(f"{LINK}/status", headers=tenant_a.headers)
    assert r.status_code == 404 and r.json()["code"] == "onboarding_link_not_found"
    new_link()
    r = api.get(f"{LINK}/status", params={"link_id": "onb_nothing"}, headers=tenant_a.headers)
    assert r.status_code == 404 and r.json()["code"] == "onboarding_link_not_found"


def test_the_client_header_is_required(api, tenant_a):
    r = api.post(LINK, json={}, headers=tenant_a.auth)
    assert r.status_code == 400 and r.json()["code"] == "client_header_missing"


def test_another_sponsor_sees_nothing_and_changes_nothing(api, tenant_a, tenant_b, new_link, session):
    link_a = new_link()
    foreign = {**tenant_b.auth, "X-PDP-Client-Id": tenant_a.client_id}
    r = api.post(LINK, json={}, headers=foreign)
    assert r.status_code == 404 and r.json()["code"] == "client_not_found"
    r = api.get(f"{LINK}/status", params={"link_id": link_a["link_id"]}, headers=foreign)
    assert r.status_code == 404 and r.json()["code"] == "client_not_found"
    # B's own client cannot read A's link either.
    r = api.get(f"{LINK}/status", params={"link_id": link_a["link_id"]}, headers=tenant_b.headers)
    assert r.status_code == 404 and r.json()["code"] == "onboarding_link_not_found"
    # A's link is still the one in use, untouched.
    assert session.scalar(select(func.count()).select_from(OnboardingLink)) == 1
    assert api.get(f"{LINK}/status", headers=tenant_a.headers).json()["status"] == "pending"
