"""A draft's buyer in the national directory: told in the report, checked before a number is taken."""

import pytest

from coursier.kit import clock
from coursier.network.ppf import PPFClient
from coursier.validation.rules import RECIPIENT_UNCHECKED, RECIPIENT_UNKNOWN
from support import factories


@pytest.fixture
def draft_data(seller):
    """draft_data(buyer_company) -> complete draft data from the seller to that company."""

    def make(buyer_company) -> dict:
        invoice = factories.french_invoice(seller.company, buyer_company, number="not used")
        return invoice.model_dump(mode="json", exclude_none=True, exclude={"number", "totals", "vat_breakdown"})

    return make


def _directory_warnings(report: dict) -> list[dict]:
    return [issue for issue in report["warnings"] if issue["layer"] == "directory"]


def test_a_buyer_the_directory_knows_draws_no_warning(api, ppf, seller, buyer_elsewhere, draft_data):
    r = api.post(
        "/api/drafts/validate-data", json={"invoice_data": draft_data(buyer_elsewhere)}, headers=seller.headers
    )
    assert r.status_code == 200 and r.json()["valid"], r.text
    assert _directory_warnings(r.json()) == []


def test_an_unknown_buyer_is_a_warning_and_sending_takes_no_number(
    api, ppf, seller, sandbox_companies, sandbox_server, draft_data
):
    unlisted = sandbox_companies.pop()
    r = api.post("/api/drafts", json=draft_data(unlisted), headers=seller.headers)
    assert r.status_code == 201, r.text
    draft_id, report = r.json()["draft_id"], r.json()["report"]
    assert report["valid"] and report["errors"] == []  # a warning: the buyer may register before sending
    [warning] = _directory_warnings(report)
    assert (warning["rule"], warning["severity"], warning["bt"]) == (
        RECIPIENT_UNKNOWN.id,
        "warning",
        ["BT-49", "BT-47", "BT-46"],
    )
    assert warning["path"] == "buyer.electronic_address" and "DEST_INC" in warning["message"]
    assert warning["explanation"]["fr"] and warning["explanation"]["en"]

    r = api.post(f"/api/drafts/{draft_id}/validate", headers=seller.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert (r.json()["code"], r.json()["rule"]) == ("recipient_unknown", RECIPIENT_UNKNOWN.id)
    draft = api.get(f"/api/drafts/{draft_id}", headers=seller.headers).json()
    assert (draft["status"], draft["number"], draft["invoice_id"]) == ("draft", None, None)
    assert api.get("/api/invoicing/invoices", headers=seller.headers).json() == []  # no refused invoice either

    with PPFClient(sandbox_server.url, sandbox_server.competitor_token) as competitor:
        competitor.create_line(
            siren=unlisted.siren, platform_id=sandbox_server.competitor_id, effective_from=clock.today()
        )
    assert _directory_warnings(api.get(f"/api/drafts/{draft_id}", headers=seller.headers).json()["report"]) == []
    sent = api.post(f"/api/drafts/{draft_id}/validate", headers=seller.headers).json()
    # The refusal used no number: the first invoice of the series is this one.
    assert (sent["number"], sent["invoice_status"]) == (f"F{clock.today().year}-000001", "validated")


def test_an_unknown_buyer_may_be_finalized_without_sending(api, ppf, seller, sandbox_companies, draft_data):
    draft_id = api.post("/api/drafts", json=draft_data(sandbox_companies.pop()), headers=seller.headers).json()[
        "draft_id"
    ]
    r = api.post(f"/api/drafts/{draft_id}/validate", json={"send": False}, headers=seller.headers)
    assert r.status_code == 200 and r.json()["invoice_id"] is None, r.text


def test_a_buyer_without_identifiers_is_told_so(api, ppf, seller, buyer_elsewhere, draft_data):
    data = draft_data(buyer_elsewhere)
    for term in ("identifier", "legal_registration_identifier", "electronic_address"):
        del data["buyer"][term]
    r = api.post("/api/drafts/validate-data", json={"invoice_data": data}, headers=seller.headers)
    [warning] = _directory_warnings(r.json())
    assert warning["rule"] == RECIPIENT_UNKNOWN.id and "no identifier" in warning["message"]


def test_an_unreachable_directory_is_its_own_finding_and_no_failure(
    api, ppf, seller, buyer_elsewhere, sandbox_server, draft_data
):
    sandbox_server.set_available(False)
    try:
        r = api.post("/api/drafts", json=draft_data(buyer_elsewhere), headers=seller.headers)
        assert r.status_code == 201, r.text
        [warning] = _directory_warnings(r.json()["report"])
        assert warning["rule"] == RECIPIENT_UNCHECKED.id and "could not be checked" in warning["message"]
        # Sending needs the answer: a 503 before any number is taken, as the deposit would answer.
        finalize = api.post(f"/api/drafts/{r.json()['draft_id']}/validate", headers=seller.headers)
        assert finalize.status_code == 503 and finalize.json()["code"] == "ppf_unavailable", finalize.text
    finally:
        sandbox_server.set_available(True)
    draft = api.get(f"/api/drafts/{r.json()['draft_id']}", headers=seller.headers).json()
    assert draft["status"] == "draft" and _directory_warnings(draft["report"]) == []


def test_another_sponsor_cannot_finalize_the_draft(api, ppf, seller, tenant_b, sandbox_companies, draft_data):
    draft_id = api.post("/api/drafts", json=draft_data(sandbox_companies.pop()), headers=seller.headers).json()[
        "draft_id"
    ]
    r = api.post(f"/api/drafts/{draft_id}/validate", headers=tenant_b.headers)
    assert r.status_code == 404 and r.json()["code"] == "draft_not_found"
