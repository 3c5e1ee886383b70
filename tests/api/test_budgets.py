"""Budgets at the API's edge (body and headers) and bad input of any kind: 4xx problems, never a 500."""

import pytest

NEW_CLIENT = {"organization_name": "Scierie Dubois", "contact_email": "a@dubois.fr", "external_ref": "budget-1"}
PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


def test_a_json_body_over_its_budget_is_a_413_problem(app, api, tenant_a):
    app.state.settings.max_json_bytes = 1000
    big = {**NEW_CLIENT, "organization_name": "x" * 2000}
    assert _problem(api.post("/api/clients", json=big, headers=tenant_a.auth), 413)["code"] == "payload_too_large"
    # Without a Content-Length (chunked), the body is counted as it arrives.
    chunks = (b'{"organization_name": "' + b"x" * 500, b"x" * 600 + b'"}')
    r = api.post("/api/clients", content=iter(chunks), headers={**tenant_a.auth, "Content-Type": "application/json"})
    assert _problem(r, 413)["code"] == "payload_too_large"
    assert api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth).status_code == 201


def test_an_upload_over_its_budget_is_a_413_problem(api, tenant_a, monkeypatch):
    from coursier.api.middleware import budgets

    monkeypatch.setattr(budgets, "UPLOAD_BUDGET", 10_000)
    r = api.post(
        "/api/invoicing/files/submit",
        files={"file": ("big.xml", b"<x>" + b"a" * 20_000 + b"</x>", "application/xml")},
        headers=tenant_a.headers,
    )
    assert _problem(r, 413)["code"] == "payload_too_large"
    # Uploads have their own budget, larger than the JSON one.
    monkeypatch.setattr(api.app.state.settings, "max_json_bytes", 100)
    r = api.post(
        "/api/invoicing/files/submit",
        files={"file": ("small.xml", b"<x>" + b"a" * 1000 + b"</x>", "application/xml")},
        headers=tenant_a.headers,
    )
    assert r.status_code == 201, r.text


def test_too_many_or_too_large_headers_are_a_431_problem(api, tenant_a):
    many = {f"X-Extra-{i}": "1" for i in range(200)}
    assert _problem(api.get("/api/clients", headers={**tenant_a.auth, **many}), 431)["code"] == "headers_too_large"
    large = {"X-Extra": "y" * 40_000}
    assert _problem(api.get("/api/clients", headers={**tenant_a.auth, **large}), 431)["code"] == "headers_too_large"


@pytest.mark.parametrize(
    "params",
    [{"external_ref": "a\x00b"}, {"external_ref": "\x00"}],
)
def test_nul_bytes_in_a_query_filter_are_a_400(api, tenant_a, params):
    assert _problem(api.get("/api/clients", params=params, headers=tenant_a.auth), 400)["code"] == "invalid_characters"


def test_nul_bytes_in_a_body_field_are_a_400(api, tenant_a):
    r = api.post("/api/clients", json={**NEW_CLIENT, "organization_name": "a\x00b"}, headers=tenant_a.auth)
    assert _problem(r, 400)["code"] == "invalid_characters"


@pytest.mark.parametrize("amount", ["1e999999", "-1e999999", "1e-999999"])
def test_absurd_numbers_in_a_query_are_a_4xx(api, tenant_a, amount):
    r = api.get("/api/invoicing/invoices", params={"amount_min": amount}, headers=tenant_a.headers)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == PROBLEM


def test_a_multipart_retry_with_a_new_boundary_replays(api, tenant_a):
    headers = {**tenant_a.headers, "Idempotency-Key": "upload-retry"}
    content = b"<not-an-invoice/>"

    def upload(boundary: str):
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xml"\r\n'
                f"Content-Type: application/xml\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return api.post(
            "/api/invoicing/files/submit",
            content=body,
            headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    first, second = upload("boundary-one"), upload("another-boundary-2")
    assert first.status_code == second.status_code == 201, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["invoice_id"] == first.json()["invoice_id"]
    # Other file bytes under the same key: still a conflict.
    content = b"<another-file/>"
    assert upload("boundary-three").status_code == 409


def test_docs_are_served_without_internet(api):
    page = api.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text.split("<body")[0].lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        r = api.get(f"/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 1000
