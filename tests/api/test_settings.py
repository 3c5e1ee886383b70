import pytest

DEFAULTS = {
    "received_invoice_format": "original",
    "language": "fr",
    "invoice_number_pattern": "F{YYYY}-{SEQ:6}",
    "auto_acknowledge_received": False,
    "notification_email": None,
    "vat_regime": "normal_monthly",
    "vat_on_debits": False,
}


def test_a_new_client_has_the_documented_defaults(api, tenant_a):
    r = api.get("/api/settings", headers=tenant_a.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["client_id"] == tenant_a.client_id
    assert {k: body[k] for k in DEFAULTS} == DEFAULTS


def test_patch_changes_given_fields_and_keeps_the_rest(api, tenant_a):
    changes = {
        "received_invoice_format": "ubl",
        "language": "en",
        "invoice_number_pattern": "INV-{YY}{MM}-{SEQ:4}",
        "auto_acknowledge_received": True,
        "notification_email": "factures@martin.fr",
        "vat_regime": "simplified",
        "vat_on_debits": True,
    }
    r = api.patch("/api/settings/", json=changes, headers=tenant_a.headers)
    assert r.status_code == 200
    got = api.get("/api/settings", headers=tenant_a.headers).json()
    assert got["language"] == "en" and got["received_invoice_format"] == "ubl"
    assert got["invoice_number_pattern"] == "INV-{YY}{MM}-{SEQ:4}"
    assert (got["vat_regime"], got["vat_on_debits"]) == ("simplified", True)
    assert "webhook_endpoints" not in got  # endpoints are /api/webhooks
    api.patch("/api/settings", json={"language": "fr"}, headers=tenant_a.headers)
    again = api.get("/api/settings", headers=tenant_a.headers).json()
    assert again["language"] == "fr" and again["received_invoice_format"] == "ubl"
    # notification_email is the one setting that may be cleared.
    assert (
        api.patch("/api/settings", json={"notification_email": None}, headers=tenant_a.headers).json()[
            "notification_email"
        ]
        is None
    )


@pytest.mark.parametrize(
    "body",
    [
        {"received_invoice_format": "docx"},
        {"language": "de"},
        {"notification_email": "nope"},
        {"webhook_endpoints": [{"url": "https://erp.example.com/hook"}]},
        {"language": None},
        {"colour": "blue"},
        {"vat_regime": "monthly"},
        {"vat_regime": None},
    ],
)
def test_invalid_values_are_422(api, tenant_a, body):
    r = api.patch("/api/settings", json=body, headers=tenant_a.headers)
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error"


@pytest.mark.parametrize("pattern", ["F{YYYY}", "{SEQ}-{SEQ}", "F{YYYY}-{SEQ}-{HOUR}", "F {SEQ}", "F" * 40 + "{SEQ}"])
def test_bad_numbering_patterns_are_refused(api, tenant_a, pattern):
    r = api.patch("/api/settings", json={"invoice_number_pattern": pattern}, headers=tenant_a.headers)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_number_pattern"
    assert api.get("/api/settings", headers=tenant_a.headers).json()["invoice_number_pattern"] == "F{YYYY}-{SEQ:6}"


def test_the_client_header_is_required(api, tenant_a):
    r = api.get("/api/settings", headers=tenant_a.auth)
    assert r.status_code == 400
    assert r.json()["code"] == "client_header_missing"


def test_another_sponsor_cannot_read_or_change_settings(api, tenant_a, tenant_b):
    foreign = {"Authorization": tenant_b.token, "X-PDP-Client-Id": tenant_a.client_id}
    unknown = {"Authorization": tenant_b.token, "X-PDP-Client-Id": "cli_doesnotexist00"}
    for headers in (foreign, unknown):
        assert api.get("/api/settings", headers=headers).json()["code"] == "client_not_found"
        r = api.patch("/api/settings", json={"language": "en"}, headers=headers)
        assert r.status_code == 404
    assert api.get("/api/settings", headers=tenant_a.headers).json()["language"] == "fr"
