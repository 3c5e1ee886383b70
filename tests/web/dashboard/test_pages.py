"""The dashboard's pages through HTTP: what each shows and changes, the roles, and a sponsor seeing
nothing of another's."""

import re

import pytest

from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from support.dashboard import an_invoice, says

# ---- clients ---------------------------------------------------------------------------------------------


def test_clients_are_searched_created_and_changed(browser_for, person, tenant_a):
    browser = browser_for(person(tenant_a))
    listed = browser.get("/dashboard/clients")
    assert says(listed, "sponsor-a client")

    created = browser.form_post(
        "/dashboard/clients",
        "/dashboard/clients",
        organization_name="Boulangerie Martin",
        contact_email="compta@martin.fr",
        external_ref="erp-42",
    )
    assert created.status_code == 303
    client_path = created.headers["location"]
    page = browser.get(client_path)
    assert says(page, "Boulangerie Martin") and says(page, "Aucun mandat pour ce client.")

    taken = browser.form_post(
        "/dashboard/clients", "/dashboard/clients", organization_name="Autre", contact_email="", external_ref="erp-42"
    )
    assert taken.status_code == 422 and says(taken, "Un client a déjà cette référence.")
    assert says(taken, 'value="Autre"')  # the form is shown again as it was filled in
    bad_email = browser.form_post(
        "/dashboard/clients", "/dashboard/clients", organization_name="B", contact_email="nope", external_ref="erp-43"
    )
    assert bad_email.status_code == 422 and says(bad_email, "Cette adresse e-mail n'est pas valide.")

    found = browser.get("/dashboard/clients", params={"q": "boulanger"})
    assert says(found, "Boulangerie Martin") and not says(found, "sponsor-a client")
    # htmx asks for the results only.
    fragment = browser.get("/dashboard/clients", params={"q": "ERP-4"}, headers={"HX-Request": "true"})
    assert says(fragment, "Boulangerie Martin") and "<html" not in fragment.text
    assert says(browser.get("/dashboard/clients", params={"q": "zzz"}), "Aucun client ne correspond")

    assert browser.form_post(client_path, client_path + "/status", status="suspended").status_code == 303
    assert says(browser.get("/dashboard/clients", params={"status": "suspended"}), "Boulangerie Martin")

    saved = browser.form_post(
        client_path,
        client_path + "/settings",
        received_invoice_format="ubl",
        language="en",
        invoice_number_pattern="FA-{YYYY}-{SEQ:4}",
        notification_email="",
        auto_acknowledge_received="yes",
    )
    assert saved.status_code == 303
    settings = browser.get(client_path).text
    assert '<option value="ubl" selected>' in settings and 'value="FA-{YYYY}-{SEQ:4}"' in settings
    refused = browser.form_post(
        client_path,
        client_path + "/settings",
        received_invoice_format="ubl",
        language="en",
        invoice_number_pattern="no sequence",
    )
    assert refused.status_code == 422 and says(refused, "Ce modèle de numérotation n'est pas valide")


def test_onboarding_links_are_shown_once_and_revoked(browser_for, person, tenant_a, api):
    browser = browser_for(person(tenant_a))
    client_path = f"/dashboard/clients/{tenant_a.client_id}"
    assert says(browser.get(client_path), "Aucun lien d'onboarding pour ce client.")
    created = browser.form_post(
        client_path, client_path + "/onboarding-links", include_kyc="yes", expires_in_hours="24", language="en"
    )
    assert created.status_code == 200
    url = re.search(r'id="new-link" value="([^"]+)"', created.text).group(1)
    assert "/onboarding/" in url
    token_path = "/onboarding/" + url.rsplit("/onboarding/", 1)[1]
    assert api.get(token_path).status_code == 200
    # The page shows the link's state, not its token again.
    page = browser.get(client_path)
    assert url not in page.text and says(page, "Pas encore ouvert") is False and says(page, "Ouvert")

    link_id = re.search(r"/onboarding-links/(onb_[a-z0-9]+)/revoke", page.text).group(1)
    assert browser.form_post(client_path, f"{client_path}/onboarding-links/{link_id}/revoke").status_code == 303
    assert says(browser.get(client_path), "Expiré")
    assert api.get(token_path).status_code == 410


# ---- invoices and drafts ---------------------------------------------------------------------------------------


def test_invoices_are_filtered_and_shown_with_their_statuses(browser_for, person, tenant_a, session):
    from coursier.model.lifecycle import InvoiceStatus

    first = an_invoice(session, tenant_a, number="F2026-0001", buyer="Menuiserie Durand")
    an_invoice(session, tenant_a, number="F2026-0002", buyer="Garage Petit", status=InvoiceStatus.REJECTED)
    browser = browser_for(person(tenant_a))

    listed = browser.get("/dashboard/invoices")
    assert says(listed, "F2026-0001") and says(listed, "F2026-0002") and says(listed, "1234,50 EUR")
    for params, shown, hidden in (
        ({"number": "0002"}, "F2026-0002", "F2026-0001"),
        ({"counterparty": "durand"}, "F2026-0001", "F2026-0002"),
        ({"status": "rejected"}, "F2026-0002", "F2026-0001"),
        ({"status": "200"}, "F2026-0001", "F2026-0002"),
        ({"direction": "inbound"}, None, "F2026-0001"),
        ({"date_from": clock.today().isoformat(), "client": tenant_a.client_id}, "F2026-0001", None),
    ):
        page = browser.get("/dashboard/invoices", params=params)
        assert page.status_code == 200, params
        assert shown is None or says(page, shown), params
        assert hidden is None or not says(page, hidden), params
    assert says(browser.get("/dashboard/invoices", params={"number": "nothing"}), "Aucune facture ne correspond")
    assert browser.get("/dashboard/invoices", params={"date_from": "yesterday"}).status_code == 400

    detail = browser.get(f"/dashboard/invoices/{first.id}")
    assert says(detail, "Facture F2026-0001") and says(detail, "200 · Déposée")
    assert says(detail, "Plateforme de l'émetteur") and says(detail, "BR-FR-05") and says(detail, "Mention absente")
    original = browser.get(f"/dashboard/invoices/{first.id}/download", params={"format": "original"})
    assert original.status_code == 200 and original.content == b"<Invoice/>"
    assert original.headers["content-disposition"] == "attachment; filename*=UTF-8''F2026-0001.xml"
    assert browser.get(f"/dashboard/invoices/{first.id}/download", params={"format": "exe"}).status_code == 400


def test_drafts_are_listed_with_their_report(browser_for, person, tenant_a, session):
    from coursier.services.drafts.editing import create_draft

    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    browser = browser_for(person(tenant_a))
    assert says(browser.get("/dashboard/drafts"), "Aucun brouillon pour l'instant.")
    draft = create_draft(session, ctx, {"buyer": {"name": "Fromagerie Leroy"}})
    session.commit()
    assert says(browser.get("/dashboard/drafts"), "Fromagerie Leroy")
    page = browser.get(f"/dashboard/drafts/{draft.id}")
    assert page.status_code == 200 and says(page, "Erreurs (") and says(page, "BR-")
    assert browser.get(f"/dashboard/drafts/{draft.id}/document").status_code == 404


# ---- usage --------------------------------------------------------------------------------------------------------


def test_usage_is_charted_per_day_and_month_and_exported(browser_for, person, tenant_a, session):
    from coursier.db.usage import ApiUsageRepository, UsageCounterRepository

    today = clock.today()
    browser = browser_for(person(tenant_a))
    assert says(browser.get("/dashboard/usage"), "Aucune activité comptée")
    ApiUsageRepository(session).add_calls(
        [
            dict(
                sponsor_id=tenant_a.sponsor_id,
                client_id=tenant_a.client_id,
                day=today,
                area="invoicing",
                endpoint="GET /api/invoicing/invoices",
                status_class=status,
                calls=calls,
                total_ms=10,
                max_ms=5,
            )
            for status, calls in (("2xx", 7), ("4xx", 2))
        ],
    )
    UsageCounterRepository(session).increment(
        TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id),
        day=today,
        counter="invoices_sent",
        by=3,
    )
    session.commit()

    page = browser.get("/dashboard/usage")
    data = re.search(r'<script type="application/json" id="usage-data">(.*?)</script>', page.text).group(1)
    import json

    charted = json.loads(data)
    assert len(charted["daily"]) == 30 and len(charted["monthly"]) == 12
    assert charted["daily"][-1] | {"period_start": None} == {
        "period_start": None,
        "calls": 9,
        "successful": 7,
        "failed": 2,
        "invoices_sent": 3,
        "invoices_received": 0,
        "drafts_finalized": 0,
        "ereporting_items": 0,
        "lifecycle_events": 0,
        "webhook_deliveries": 0,
        "validation_incidents": 0,
    }
    assert charted["monthly"][-1]["period_start"] == today.replace(day=1).isoformat()
    assert charted["labels"]["invoices_sent"] == "Factures émises"
    assert "/dashboard/static/vendor/chart.js/chart.umd.js" in page.text
    assert browser.get("/dashboard/static/vendor/chart.js/chart.umd.js").status_code == 200

    client_page = browser.get("/dashboard/usage", params={"client": tenant_a.client_id})
    assert says(client_page, "Ce client seulement.")

    export = browser.get("/dashboard/usage/export", params={"month": today.strftime("%Y-%m")})
    assert export.headers["content-type"].startswith("text/csv")
    assert f"{tenant_a.client_id},sponsor-a-1,sponsor-a client,9,7,2,3," in export.text
    assert browser.get("/dashboard/usage/export", params={"month": "last"}).status_code == 400


# ---- admins: tokens and users -----------------------------------------------------------------------------------


def test_tokens_are_shown_once_and_revoked(browser_for, person, tenant_a, api):
    browser = browser_for(person(tenant_a, "admin"))
    created = browser.form_post("/dashboard/tokens", "/dashboard/tokens", name="ERP production")
    secret = re.search(r'id="new-token" value="(csk_[^"]+)"', created.text).group(1)
    assert api.get("/api/clients", headers={"Authorization": secret}).status_code == 200
    page = browser.get("/dashboard/tokens")
    assert secret not in page.text and says(page, "ERP production")
    token_id = re.findall(r"/dashboard/tokens/(tok_[a-z0-9]+)/revoke", page.text)
    assert len(token_id) == 2  # the sponsor's first token and this one
    for token in token_id:
        assert browser.form_post("/dashboard/tokens", f"/dashboard/tokens/{token}/revoke").status_code == 303
    assert api.get("/api/clients", headers={"Authorization": secret}).status_code == 401
    assert says(browser.form_post("/dashboard/tokens", "/dashboard/tokens", name=" "), "Donnez un nom au jeton.")


def test_admins_invite_change_roles_and_keep_one_admin(browser_for, person, tenant_a):
    admin = person(tenant_a, "admin")
    browser = browser_for(admin)
    invited = browser.form_post("/dashboard/users", "/dashboard/users", email="new.op@example.fr", role="operator")
    assert invited.status_code == 200
    link = re.search(r'id="invitation-url" value="([^"]+)"', invited.text).group(1)
    assert "/dashboard/invitation/" in link
    taken = browser.form_post("/dashboard/users", "/dashboard/users", email=admin.email, role="operator")
    assert taken.status_code == 422 and says(taken, "Cette adresse e-mail a déjà un compte.")

    page = browser.get("/dashboard/users")
    assert says(page, "new.op@example.fr") and says(page, "Invitation en attente")
    last = browser.form_post("/dashboard/users", f"/dashboard/users/{admin.user_id}/role", role="operator")
    assert last.status_code == 409 and says(last, "au moins un administrateur")
    new_id = re.search(r"/dashboard/users/(usr_[a-z0-9]+)/role", page.text.split("new.op@example.fr")[1]).group(1)
    assert browser.form_post("/dashboard/users", f"/dashboard/users/{new_id}/role", role="admin").status_code == 303
    assert browser.form_post("/dashboard/users", f"/dashboard/users/{new_id}/remove").status_code == 303
    assert not says(browser.get("/dashboard/users"), "new.op@example.fr")


def test_operators_cannot_open_the_admin_pages(browser_for, person, tenant_a):
    browser = browser_for(person(tenant_a, "operator"))
    page = browser.get("/dashboard/clients")
    assert "/dashboard/tokens" not in page.text and "/dashboard/users" not in page.text
    for path in ("/dashboard/tokens", "/dashboard/users"):
        r = browser.get(path)
        assert r.status_code == 403 and says(r, "réservée aux administrateurs")
    r = browser.form_post("/dashboard/clients", "/dashboard/tokens", name="sneaky")
    assert r.status_code == 403


def test_the_language_is_the_users_and_can_be_switched(browser_for, person, tenant_a):
    browser = browser_for(person(tenant_a))
    assert 'lang="fr"' in browser.get("/dashboard/clients").text
    switched = browser.form_post("/dashboard/clients", "/dashboard/language", language="en", next="/dashboard/usage")
    assert switched.headers["location"] == "/dashboard/usage"
    page = browser.get("/dashboard/clients")
    assert 'lang="en"' in page.text and says(page, "New client")
    assert browser_for().get("/dashboard/login", params={"lang": "en"}).text.count("Sign in") >= 1


# ---- tenancy ------------------------------------------------------------------------------------------------------


def test_another_sponsors_user_sees_nothing(browser_for, person, tenant_a, tenant_b, session):
    from coursier.services.drafts.editing import create_draft

    invoice = an_invoice(session, tenant_a, number="SECRET-1", buyer="Client secret")
    draft = create_draft(
        session, TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id), {"buyer": {"name": "X"}}
    )
    session.commit()
    owner, intruder = browser_for(person(tenant_a, "admin")), browser_for(person(tenant_b, "admin"))
    client = f"/dashboard/clients/{tenant_a.client_id}"
    pages = (
        client,
        f"/dashboard/invoices/{invoice.id}",
        f"/dashboard/invoices/{invoice.id}/download?format=original",
        f"/dashboard/invoices?client={tenant_a.client_id}",
        f"/dashboard/drafts/{draft.id}",
        f"/dashboard/drafts/{draft.id}/document",
        f"/dashboard/usage?client={tenant_a.client_id}",
    )
    for path in pages:
        assert owner.get(path).status_code in (200, 404), path  # a draft's document does not exist yet
        r = intruder.get(path)
        assert r.status_code == 404 and says(r, "Page introuvable"), path
        assert "SECRET-1" not in r.text and "sponsor-a client" not in r.text
    for listing in ("/dashboard/clients", "/dashboard/invoices", "/dashboard/drafts", "/dashboard/users"):
        assert "SECRET-1" not in intruder.get(listing).text and "sponsor-a client" not in intruder.get(listing).text
    token_id = re.search(r"/dashboard/tokens/(tok_[a-z0-9]+)/revoke", owner.get("/dashboard/tokens").text).group(1)
    user_id = re.search(r"/dashboard/users/(usr_[a-z0-9]+)/role", owner.get("/dashboard/users").text).group(1)
    for action, fields in (
        (client + "/status", {"status": "suspended"}),
        (client + "/settings", {"received_invoice_format": "ubl", "language": "en", "invoice_number_pattern": "{SEQ}"}),
        (client + "/onboarding-links", {"expires_in_hours": "24"}),
        (f"/dashboard/tokens/{token_id}/revoke", {}),
        (f"/dashboard/users/{user_id}/role", {"role": "operator"}),
        (f"/dashboard/users/{user_id}/remove", {}),
    ):
        assert intruder.form_post("/dashboard/clients", action, **fields).status_code == 404, action
    assert says(owner.get(client), "Actif") and says(owner.get("/dashboard/users"), "Administrateur")
    assert says(owner.get("/dashboard/tokens"), "Révoquer")


@pytest.mark.parametrize("path", ["/dashboard/clients/cli_nothing", "/dashboard/invoices/inv_nothing"])
def test_unknown_ids_are_pages_not_problems(browser_for, person, tenant_a, path):
    r = browser_for(person(tenant_a)).get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
