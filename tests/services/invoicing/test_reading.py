"""Uploading as a raw body, listing with filters and pages, reading and downloading, and what
another sponsor sees of it all (nothing)."""

from datetime import timedelta

import pytest


@pytest.fixture
def deposited(submit, seller, buyer_elsewhere, sandbox_companies, french_invoice, as_file):
    """Three deposits of the seller: two accepted (different totals and dates), one refused."""
    first = french_invoice(seller.company, buyer_elsewhere, number="R-1")
    second = french_invoice(
        seller.company,
        buyer_elsewhere,
        number="R-2",
        template="allowances-charges-multi-vat.json",
        issue_date=first.issue_date - timedelta(days=40),
    )
    unknown_buyer = french_invoice(seller.company, sandbox_companies.pop(), number="R-3")
    answers = [
        submit(seller, as_file(invoice, "cii")[1], f"{invoice.number}.xml").json()
        for invoice in (first, second, unknown_buyer)
    ]
    assert [a["status"] for a in answers] == ["validated", "validated", "rejected"]
    return answers


def _numbers(r) -> list[str]:
    assert r.status_code == 200, r.text
    return sorted(i["extracted_data"]["invoice_number"] for i in r.json())


def test_a_raw_body_is_an_upload_too(api, ppf, seller, buyer_elsewhere, french_invoice, as_file):
    _, xml = as_file(french_invoice(seller.company, buyer_elsewhere, number="RAW-1"), "ubl")
    r = api.post(
        "/api/invoicing/files/submit",
        params={"filename": "raw.xml"},
        content=xml,
        headers={**seller.headers, "Content-Type": "application/xml; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["file_name"], r.json()["file_size"]) == ("validated", "raw.xml", len(xml))
    r = api.post(
        "/api/invoicing/files/submit", content=b"{}", headers={**seller.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
    r = api.post("/api/invoicing/files/submit", files={"other": ("a.xml", xml)}, headers=seller.headers)
    assert r.status_code == 400 and r.json()["code"] == "file_missing"


def test_filters_and_pages(api, seller, deposited):
    get = lambda **params: api.get("/api/invoicing/invoices", headers=seller.headers, params=params)  # noqa: E731
    assert _numbers(get()) == ["R-1", "R-2", "R-3"]
    assert _numbers(get(direction="outbound")) == ["R-1", "R-2", "R-3"]
    assert _numbers(get(direction="inbound")) == []
    assert _numbers(get(status="validated")) == ["R-1", "R-2"]
    assert _numbers(get(status="rejected")) == _numbers(get(status="213")) == ["R-3"]
    assert _numbers(get(status="processed")) == []
    assert get(status="sent").json()["code"] == "invalid_status_filter"
    issued = deposited[0]["extracted_data"]["issue_date"]
    assert _numbers(get(date_from=issued)) == ["R-1", "R-3"]
    assert _numbers(get(date_to=issued, date_from="2000-01-01")) == ["R-1", "R-2", "R-3"]
    r2_total = deposited[1]["extracted_data"]["total_with_vat"]
    assert _numbers(get(amount_min=r2_total, amount_max=r2_total)) == ["R-2"]
    buyer = deposited[0]["extracted_data"]
    assert _numbers(get(counterparty=buyer["buyer_siren"])) == ["R-1", "R-2"]
    # Part of a name, any case; the refused invoice's generated buyer may share it, so the expected
    # list comes from the names themselves.
    needle = buyer["buyer_name"][3:12]
    named = sorted(
        a["extracted_data"]["invoice_number"] for a in deposited if needle in a["extracted_data"]["buyer_name"]
    )
    assert {"R-1", "R-2"} <= set(named)
    assert _numbers(get(counterparty=needle.upper(), direction="outbound")) == named
    assert _numbers(get(counterparty="%")) == []

    first = get(limit=2)
    assert len(first.json()) == 2 and first.headers["X-Next-Cursor"]
    rest = get(limit=2, cursor=first.headers["X-Next-Cursor"])
    assert len(rest.json()) == 1 and "X-Next-Cursor" not in rest.headers
    assert sorted(_numbers(first) + _numbers(rest)) == ["R-1", "R-2", "R-3"]


def test_reading_a_refused_invoice(api, seller, deposited, submit):
    refused = deposited[2]
    invoice = api.get(f"/api/invoicing/invoices/{refused['invoice_id']}", headers=seller.headers).json()
    assert (invoice["status_code"], invoice["rejection_reason"]) == (213, "DEST_INC")
    assert invoice["errors"][0]["stage"] == "directory"
    assert [(e["status_code"], e["rejection_reason"]) for e in invoice["history"]] == [(213, "DEST_INC")]
    original = api.get(f"/api/invoicing/invoices/{refused['invoice_id']}/download", headers=seller.headers)
    assert original.status_code == 200 and original.content.startswith(b"<?xml")
    as_ubl = api.get(
        f"/api/invoicing/invoices/{refused['invoice_id']}/download", headers=seller.headers, params={"format": "ubl"}
    )
    assert as_ubl.status_code == 200 and b"<Invoice" in as_ubl.content
    data = api.get(f"/api/invoicing/invoice_data/{refused['invoice_id']}", headers=seller.headers).json()
    assert data["number"] == "R-3" and data["processed_at"] is None

    unreadable = submit(seller, b"<Invoice><broken></Invoice>").json()
    for path, code in (
        (f"/api/invoicing/invoice_data/{unreadable['invoice_id']}", "invoice_data_not_found"),
        (f"/api/invoicing/invoices/{unreadable['invoice_id']}/download?format=pdf", "invoice_not_readable"),
    ):
        r = api.get(path, headers=seller.headers)
        assert r.status_code in (404, 409) and r.json()["code"] == code
    assert (
        api.get(f"/api/invoicing/invoices/{unreadable['invoice_id']}/download", headers=seller.headers).content
        == b"<Invoice><broken></Invoice>"
    )
    r = api.get(
        f"/api/invoicing/invoices/{unreadable['invoice_id']}/download",
        headers=seller.headers,
        params={"format": "docx"},
    )
    assert r.status_code == 422


def test_conversion_warnings_come_in_a_header(api, submit, seller, buyer_elsewhere, french_invoice, as_file):
    # A UBL invoice that names the Factur-X BASIC profile (BT-24): its CII is written for BASIC,
    # which cannot carry the contacts and item details the UBL has.
    invoice = french_invoice(seller.company, buyer_elsewhere, number="W-1")
    invoice.specification_identifier = "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"
    sent = submit(seller, as_file(invoice, "ubl")[1]).json()
    assert sent["status"] == "validated", sent
    r = api.get(
        f"/api/invoicing/invoices/{sent['invoice_id']}/download", headers=seller.headers, params={"format": "cii"}
    )
    assert r.status_code == 200 and r.headers["content-disposition"].endswith("W-1.cii.xml")
    assert "not-in-profile BT-154" in r.headers["X-Conversion-Warnings"].split("; ")
    readable = api.get(
        f"/api/invoicing/invoices/{sent['invoice_id']}/download", headers=seller.headers, params={"format": "pdf"}
    )
    assert readable.content.startswith(b"%PDF-") and "X-Conversion-Warnings" not in readable.headers


def test_another_sponsor_sees_nothing(api, seller, deposited, tenant_b):
    invoice_id = deposited[0]["invoice_id"]
    assert api.get("/api/invoicing/invoices", headers=tenant_b.headers).json() == []
    for path in (
        f"/api/invoicing/invoices/{invoice_id}",
        f"/api/invoicing/invoice_data/{invoice_id}",
        f"/api/invoicing/invoices/{invoice_id}/download",
    ):
        r = api.get(path, headers=tenant_b.headers)
        assert r.status_code == 404 and r.json()["code"] == "invoice_not_found"
        r = api.get(path, headers={**tenant_b.headers, "X-PDP-Client-Id": seller.tenant.client_id})
        assert r.status_code == 404 and r.json()["code"] == "client_not_found"


def test_a_worker_preloads_validation_and_keeps_it_out_of_the_collectors_walks(monkeypatch):
    import gc

    from coursier.services.invoicing import checks

    loaded = []
    monkeypatch.setattr(checks.validation_engine, "preload", lambda: loaded.append(True))
    gc.unfreeze()
    try:
        checks.preload()
        assert loaded == [True] and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
