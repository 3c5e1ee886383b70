"""Sending finalized drafts through the invoicing pipeline, against the PPF sandbox."""

import pytest

from coursier.kit import clock
from coursier.kit.errors import Unavailable
from coursier.services.drafts import finalizing
from support import factories


@pytest.fixture
def draft_between(api, seller):
    """draft_between(buyer_company) -> the id of a complete draft from the seller to that company."""

    def create(buyer_company) -> str:
        invoice = factories.french_invoice(seller.company, buyer_company, number="not used")
        data = invoice.model_dump(mode="json", exclude_none=True, exclude={"number", "totals", "vat_breakdown"})
        r = api.post("/api/drafts", json=data, headers=seller.headers)
        assert r.status_code == 201 and r.json()["report"]["valid"], r.text
        return r.json()["draft_id"]

    return create


def test_finalize_sends_at_once(api, ppf, seller, buyer_elsewhere, draft_between):
    draft_id = draft_between(buyer_elsewhere)
    r = api.post(f"/api/drafts/{draft_id}/validate", headers=seller.headers)
    assert r.status_code == 200, r.text
    sent = r.json()
    assert sent["invoice_status"] == "validated" and sent["invoice_id"] and sent["rejection_reason"] is None
    assert sent["number"] == f"F{clock.today().year}-000001" and sent["output_format"] == "facturx"
    invoice = api.get(f"/api/invoicing/invoices/{sent['invoice_id']}", headers=seller.headers).json()
    assert invoice["extracted_data"]["invoice_number"] == sent["number"] and invoice["status"] == "validated"
    assert api.get(f"/api/drafts/{draft_id}", headers=seller.headers).json()["invoice_id"] == sent["invoice_id"]
    r = api.post(f"/api/drafts/{draft_id}/send", headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "draft_already_sent"


def test_a_draft_kept_ready_is_sent_later(api, ppf, seller, buyer_elsewhere, draft_between):
    draft_id = draft_between(buyer_elsewhere)
    kept = api.post(
        f"/api/drafts/{draft_id}/validate", json={"send": False, "output_format": "ubl"}, headers=seller.headers
    ).json()
    assert kept["invoice_id"] is None and kept["invoice_status"] is None
    r = api.post(f"/api/drafts/{draft_id}/send/", headers=seller.headers)
    assert r.status_code == 200, r.text
    assert r.json()["invoice_status"] == "validated" and r.json()["number"] == kept["number"]
    assert r.json()["output_format"] == "ubl"


def test_a_refused_sending_can_be_tried_again(
    api, ppf, seller, sandbox_companies, sandbox_server, draft_between, monkeypatch
):
    monkeypatch.setattr(api.app.state.settings, "directory_cache_seconds", 0)  # "not listed" is not kept
    unlisted = sandbox_companies.pop()
    draft_id = draft_between(unlisted)
    # Finalizing with send=true is refused while the buyer is unknown (test_recipient.py); kept ready,
    # the draft is numbered, and its sending refused.
    kept = api.post(f"/api/drafts/{draft_id}/validate", json={"send": False}, headers=seller.headers).json()
    refused = api.post(f"/api/drafts/{draft_id}/send", headers=seller.headers).json()
    assert refused["invoice_status"] == "rejected" and refused["rejection_reason"] == "DEST_INC"
    assert api.get(f"/api/drafts/{draft_id}", headers=seller.headers).json()["status"] == "finalized"

    with sandbox_server.ppf(sandbox_server.competitor_id) as competitor:
        competitor.create_line(
            siren=unlisted.siren, platform_id=sandbox_server.competitor_id, effective_from=clock.today()
        )
    again = api.post(f"/api/drafts/{draft_id}/send", headers=seller.headers).json()
    assert again["invoice_status"] == "validated" and again["invoice_id"] != refused["invoice_id"]
    assert again["number"] == refused["number"] == kept["number"]


def test_a_sending_that_fails_gives_its_number_back(api, ppf, seller, buyer_elsewhere, draft_between, monkeypatch):
    draft_id = draft_between(buyer_elsewhere)  # its report found the buyer, and the directory's line is cached

    def unreachable(*args, **kwargs):  # the deposit, once the number is taken, meets an unreachable service
        raise Unavailable("The national directory cannot be reached", code="ppf_unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(finalizing, "deposit", unreachable)
        r = api.post(f"/api/drafts/{draft_id}/validate", headers=seller.headers)
    assert r.status_code == 503, r.text
    draft = api.get(f"/api/drafts/{draft_id}", headers=seller.headers).json()
    assert (draft["status"], draft["number"], draft["document_url"]) == ("draft", None, None)
    r = api.post(f"/api/drafts/{draft_id}/validate", headers=seller.headers)
    assert r.json()["number"] == f"F{clock.today().year}-000001" and r.json()["invoice_status"] == "validated"
