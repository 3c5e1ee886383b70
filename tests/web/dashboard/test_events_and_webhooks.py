"""The dashboard's events and webhooks pages through HTTP: the feed filtered and linked to its
objects, endpoints registered (their secret shown once), tested, rotated, paused, deleted, their
delivery log and redeliveries; admins change webhooks, operators look, test and redeliver; another
sponsor's user gets nothing."""

import html
import re
from datetime import timedelta

import pytest
import standardwebhooks

from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.services import webhook_events
from coursier.services.lifecycle import record_event
from support.dashboard import an_invoice, says


def _ctx(tenant, *, client: bool = True) -> TenantContext:
    return TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id if client else None)


def _mandate_activated(session, tenant, mandate_id: str = "mdt_dashboard0001"):
    event = record_event(
        session, _ctx(tenant), object_type="mandate", object_id=mandate_id, status_code="MandateLifecycleStatus.ACTIVE"
    )
    session.commit()
    return event


def _webhook_disabled(session, tenant, endpoint_id: str = "whk_gone00000001"):
    """An event of the sponsor itself (no client): one of its own endpoints was disabled."""
    event = record_event(
        session,
        _ctx(tenant, client=False),
        object_type="webhook",
        object_id=endpoint_id,
        status_code=webhook_events.WEBHOOK_DISABLED,
        reason="Deliveries failed for 3 days",
    )
    session.commit()
    return event


def _results(page) -> str:
    """The list of events as read, without the filters' options that name every type."""
    return html.unescape(page.text.split('id="event-results"')[1])


def _rows(page) -> int:
    return page.text.count("<tr>") - 1  # the header's row


# ---- events -----------------------------------------------------------------------------------------------------


def test_events_are_listed_newest_first_and_link_to_their_objects(browser_for, person, tenant_a, session):
    browser = browser_for(person(tenant_a))
    empty = browser.get("/dashboard/events")
    assert empty.status_code == 200 and says(empty, "Aucun événement pour l'instant.")

    invoice = an_invoice(session, tenant_a, number="EVT-0001", buyer="Quincaillerie Roux")
    _mandate_activated(session, tenant_a)
    _webhook_disabled(session, tenant_a)

    page = browser.get("/dashboard/events")
    text = _results(page)
    assert "Facture déposée" in text and "200 · Déposée" in text
    assert f'href="/dashboard/invoices/{invoice.id}"' in text
    assert "Mandat actif" in text and f'href="/dashboard/clients/{tenant_a.client_id}#mandates"' in text
    assert "Webhook désactivé" in text and 'href="/dashboard/webhooks/whk_gone00000001"' in text
    assert "Deliveries failed for 3 days" in text and "Votre compte" in text  # the sponsor's own event
    assert "sponsor-a client" in text  # the client of the others, by name
    # Newest first.
    assert text.index("Webhook désactivé") < text.index("Mandat actif") < text.index("Facture déposée")

    # One client's feed leaves out the sponsor's own events.
    of_client = browser.get("/dashboard/events", params={"client": tenant_a.client_id})
    assert says(of_client, "Ce client seulement.") and "Mandat actif" in _results(of_client)
    assert "Webhook désactivé" not in _results(of_client)
    assert (
        f'href="/dashboard/events?client={tenant_a.client_id}"'
        in browser.get(f"/dashboard/clients/{tenant_a.client_id}").text
    )

    english = browser.form_post("/dashboard/events", "/dashboard/language", language="en", next="/dashboard/events")
    assert english.status_code == 303
    page = browser.get("/dashboard/events")
    assert "Invoice deposited" in _results(page) and "200 · Deposited" in _results(page)


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"object_type": "mandate"}, ["Mandat actif"], ["Facture déposée", "Webhook désactivé"]),
        ({"event_type": "invoice.deposited"}, ["Facture déposée"], ["Mandat actif", "Webhook désactivé"]),
        ({"event_type": "mandate.activated"}, ["Mandat actif"], ["Facture déposée"]),
        ({"status": "InvoiceLifecycleStatus.DEPOSITED"}, ["Facture déposée"], ["Mandat actif"]),
        ({"status": "MandateLifecycleStatus.ACTIVE"}, ["Mandat actif"], ["Facture déposée"]),
        # A status no type names falls to its family's catch-all type, and is found under it.
        ({"event_type": "invoice.status_changed"}, ["InvoiceLifecycleStatus.SOMETHING_NEW"], ["Facture déposée"]),
        ({"date_from": "today", "date_to": "today"}, ["Facture déposée", "Mandat actif"], []),
        ({"date_from": "tomorrow"}, ["Aucun événement ne correspond à ces filtres."], ["Facture déposée"]),
        ({"date_to": "yesterday"}, ["Aucun événement ne correspond à ces filtres."], ["Mandat actif"]),
        # A value no option offers filters nothing.
        ({"object_type": "spaceship"}, ["Facture déposée", "Mandat actif"], []),
    ],
)
def test_events_are_filtered(browser_for, person, tenant_a, session, params, shown, hidden):
    an_invoice(session, tenant_a, number="EVT-0002", buyer="Quincaillerie Roux")
    _mandate_activated(session, tenant_a)
    _webhook_disabled(session, tenant_a)
    record_event(
        session,
        _ctx(tenant_a),
        object_type="invoice",
        object_id="inv_x",
        status_code="InvoiceLifecycleStatus.SOMETHING_NEW",
    )
    session.commit()
    days = {"today": clock.today(), "tomorrow": clock.today() + timedelta(days=1)}
    days["yesterday"] = clock.today() - timedelta(days=1)
    params = {name: days[value].isoformat() if value in days else value for name, value in params.items()}
    page = browser_for(person(tenant_a)).get("/dashboard/events", params=params)
    assert page.status_code == 200
    for phrase in shown:
        assert phrase in _results(page), phrase
    for phrase in hidden:
        assert phrase not in _results(page), phrase


def test_events_paginate_keep_their_filters_and_refuse_a_bad_date(browser_for, person, tenant_a, session):
    for number in range(30):
        _mandate_activated(session, tenant_a, mandate_id=f"mdt_page{number:012d}")
    browser = browser_for(person(tenant_a))
    first = browser.get("/dashboard/events", params={"object_type": "mandate"})
    assert _rows(first) == 25
    next_url = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1).replace("&amp;", "&")
    assert "object_type=mandate" in next_url
    second = browser.get(next_url)
    assert _rows(second) == 5 and 'rel="next"' not in second.text
    assert 'href="/dashboard/events?object_type=mandate"' in second.text  # back to the first page, filtered
    shown = set(re.findall(r"mdt_page\d+", first.text)) | set(re.findall(r"mdt_page\d+", second.text))
    assert len(shown) == 30
    # htmx asks for the results only.
    fragment = browser.get("/dashboard/events", params={"object_type": "mandate"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and _rows(fragment) == 25
    bad = browser.get("/dashboard/events", params={"date_from": "last week"})
    assert bad.status_code == 400 and says(bad, "Une date n'est pas valide")


# ---- webhooks ---------------------------------------------------------------------------------------------------


def _register(browser, page_path: str, action: str, url: str, **fields):
    return browser.form_post(page_path, action, url=url, description="ERP", **fields)


def _secret(page) -> str:
    return re.search(r'id="new-secret" value="(whsec_[^"]+)"', page.text).group(1)


def _endpoint_id(page) -> str:
    return re.search(r"/dashboard/webhooks/(whk_[a-z0-9]+)/", page.text).group(1)


def test_admins_register_webhooks_for_the_sponsor_and_for_a_client(
    browser_for, person, tenant_a, api, runtime, private_webhooks, webhook_receiver
):
    private_webhooks(runtime)
    receiver = webhook_receiver()
    browser = browser_for(person(tenant_a, "admin"))
    empty = browser.get("/dashboard/webhooks")
    assert says(empty, "Aucun webhook pour l'instant.") and says(empty, "Nouveau webhook pour tous vos clients")

    created = _register(
        browser, "/dashboard/webhooks", "/dashboard/webhooks", receiver.url, events=["invoice.received"]
    )
    assert created.status_code == 200
    secret, sponsor_wide = _secret(created), _endpoint_id(created)
    assert says(created, "Facture reçue") and says(created, "Tous les clients")
    listed = api.get(f"/api/webhooks/{sponsor_wide}", headers=tenant_a.auth).json()
    assert listed["client_id"] is None and listed["events"] == ["invoice.received"] and listed["url"] == receiver.url

    client_path = f"/dashboard/clients/{tenant_a.client_id}"
    assert says(browser.get(client_path), "Aucun webhook pour ce client.")
    for_client = _register(browser, client_path, client_path + "/webhooks", receiver.url)
    assert for_client.status_code == 200 and says(for_client, "sponsor-a client")
    client_endpoint = _endpoint_id(for_client)
    assert api.get(f"/api/webhooks/{client_endpoint}", headers=tenant_a.auth).json()["client_id"] == tenant_a.client_id
    assert _secret(for_client) != secret

    # The secret is never shown again; the lists show each endpoint, the client's by its name.
    client_page = browser.get(client_path)
    assert client_endpoint in client_page.text and sponsor_wide not in client_page.text
    everything = browser.get("/dashboard/webhooks")
    assert "whsec_" not in everything.text and "whsec_" not in browser.get(f"/dashboard/webhooks/{sponsor_wide}").text
    assert sponsor_wide in everything.text and client_endpoint in everything.text
    assert says(everything, "Tous les clients") and says(everything, "sponsor-a client")

    # The secret shown is the one messages are signed with.
    tested = browser.form_post(f"/dashboard/webhooks/{sponsor_wide}", f"/dashboard/webhooks/{sponsor_wide}/test")
    assert tested.status_code == 200 and says(tested, "Message de test reçu") and says(tested, "HTTP 200")
    message = receiver.requests[-1]
    assert standardwebhooks.Webhook(secret).verify(message.body, message.headers)["type"] == "webhook.test"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"url": "ftp://93.184.216.34/hook"}, "Cette adresse ne peut pas recevoir de webhooks"),
        ({"url": "https://10.1.2.3/hook"}, "Cette adresse ne peut pas recevoir de webhooks"),
        ({"url": "https://93.184.216.34/hook", "events": ["invoice.teleported"]}, "Choisissez les types d'événements"),
    ],
)
def test_a_refused_registration_keeps_nothing(browser_for, person, tenant_a, api, fields, error):
    browser = browser_for(person(tenant_a, "admin"))
    for page_path, action in (
        ("/dashboard/webhooks", "/dashboard/webhooks"),
        (f"/dashboard/clients/{tenant_a.client_id}", f"/dashboard/clients/{tenant_a.client_id}/webhooks"),
    ):
        refused = browser.form_post(page_path, action, **fields)
        assert refused.status_code == 422 and says(refused, error), action
        assert 'id="webhook-url"' in refused.text  # the form, shown again
    assert api.get("/api/webhooks", headers=tenant_a.auth).json() == []


def test_the_eleventh_endpoint_is_refused(browser_for, person, tenant_a):
    browser = browser_for(person(tenant_a, "admin"))
    for _ in range(10):
        assert (
            _register(browser, "/dashboard/webhooks", "/dashboard/webhooks", "https://93.184.216.34/h").status_code
            == 200
        )
    refused = _register(browser, "/dashboard/webhooks", "/dashboard/webhooks", "https://93.184.216.34/h")
    assert refused.status_code == 422 and says(refused, "10 webhooks au plus")


def test_an_endpoint_is_rotated_paused_resumed_and_deleted(browser_for, person, tenant_a, api):
    browser = browser_for(person(tenant_a, "admin"))
    client_path = f"/dashboard/clients/{tenant_a.client_id}"
    created = _register(browser, client_path, client_path + "/webhooks", "https://93.184.216.34/hook")
    endpoint = _endpoint_id(created)
    path = f"/dashboard/webhooks/{endpoint}"
    first_secret = _secret(created)

    rotated = browser.form_post(path, path + "/rotate", grace_period_hours="24")
    assert rotated.status_code == 200 and _secret(rotated) not in (first_secret,)
    assert says(rotated, "Signe aussi jusqu'au")  # the previous secret, in its grace period
    assert api.get(f"/api/webhooks/{endpoint}", headers=tenant_a.auth).json()["previous_secret_expires_at"]
    at_once = browser.form_post(path, path + "/rotate", grace_period_hours="0")
    assert api.get(f"/api/webhooks/{endpoint}", headers=tenant_a.auth).json()["previous_secret_expires_at"] is None
    assert not says(at_once, "Signe aussi jusqu'au")
    assert browser.form_post(path, path + "/rotate", grace_period_hours="999").status_code == 400

    assert browser.form_post(path, path + "/pause").status_code == 303
    paused = browser.get(path)
    assert says(paused, "En pause") and f"{path}/resume" in paused.text and f"{path}/pause" not in paused.text
    assert api.get(f"/api/webhooks/{endpoint}", headers=tenant_a.auth).json()["status"] == "paused"
    assert browser.form_post(path, path + "/resume").status_code == 303
    assert api.get(f"/api/webhooks/{endpoint}", headers=tenant_a.auth).json()["status"] == "active"

    deleted = browser.form_post(path, path + "/delete")
    assert deleted.status_code == 303 and deleted.headers["location"] == client_path + "#webhooks"
    assert api.get(f"/api/webhooks/{endpoint}", headers=tenant_a.auth).status_code == 404
    assert browser.get(path).status_code == 404


def test_the_delivery_log_shows_attempts_and_retries_and_operators_redeliver(
    browser_for, person, tenant_a, session, runtime, private_webhooks, webhook_receiver
):
    from coursier.network.webhooks import WebhookSender
    from coursier.services.webhook_delivery import deliver

    private_webhooks(runtime)
    receiver = webhook_receiver(lambda number, request: 500 if number == 0 else 204)
    admin = browser_for(person(tenant_a, "admin"))
    endpoint = _endpoint_id(_register(admin, "/dashboard/webhooks", "/dashboard/webhooks", receiver.url))
    path = f"/dashboard/webhooks/{endpoint}"
    operator = browser_for(person(tenant_a, "operator"))
    assert says(operator.get(path), "Aucun envoi pour l'instant.")

    event = _mandate_activated(session, tenant_a)
    delivery = re.search(r"/deliveries/(dlv_[a-z0-9]+)", operator.get(path).text)
    delivery_id = delivery.group(1) if delivery else None
    assert delivery_id, "the event's delivery is in the log"
    with WebhookSender(allow_private=True) as sender:
        assert deliver(session, delivery_id, sender) is not None  # a retry is due
    session.commit()

    log = operator.get(path)
    assert says(log, "À envoyer") and says(log, "HTTP 500") and says(log, "Mandat actif")
    next_attempt = re.search(r"<td>(\d\d/\d\d/\d{4} [\d:]+)</td>\s*<td>\s*<form", log.text)
    assert next_attempt, "the next retry's time is shown"
    detail = operator.get(f"{path}/deliveries/{delivery_id}")
    assert detail.status_code == 200 and says(detail, "answered 500") and says(detail, "HTTP 500")
    assert f'href="/dashboard/clients/{tenant_a.client_id}#mandates"' in detail.text and event.id in detail.text

    # An operator redelivers one event, or every event since a day.
    again = operator.form_post(path, path + "/redeliver", event_id=event.id)
    assert again.status_code == 200 and says(again, "1 envoi(s) programmé(s).") and says(again, "Renvoi demandé")
    since = operator.form_post(path, path + "/redeliver", since=clock.today().isoformat())
    assert says(since, "1 envoi(s) programmé(s).")
    assert len(re.findall(r"/deliveries/dlv_", operator.get(path).text)) == 3
    assert operator.get(path, params={"status": "succeeded"}).text.count("/deliveries/dlv_") == 0
    assert says(operator.get(path, params={"status": "succeeded"}), "Aucun envoi dans cet état.")
    unclear = operator.form_post(path, path + "/redeliver")
    assert unclear.status_code == 400 and says(unclear, "Choisissez un événement ou une date.")

    # And sends a test message.
    tested = operator.form_post(path, path + "/test")
    assert tested.status_code == 200 and says(tested, "Message de test reçu") and says(tested, "HTTP 204")


def test_operators_cannot_change_webhooks(browser_for, person, tenant_a):
    admin = browser_for(person(tenant_a, "admin"))
    endpoint = _endpoint_id(_register(admin, "/dashboard/webhooks", "/dashboard/webhooks", "https://93.184.216.34/h"))
    path = f"/dashboard/webhooks/{endpoint}"
    operator = browser_for(person(tenant_a, "operator"))

    listed = operator.get("/dashboard/webhooks")
    assert listed.status_code == 200 and endpoint in listed.text and 'id="webhook-url"' not in listed.text
    page = operator.get(path)
    assert page.status_code == 200 and f"{path}/test" in page.text and f"{path}/redeliver" in page.text
    for action in ("rotate", "pause", "resume", "delete"):
        assert f"{path}/{action}" not in page.text, action
    client_path = f"/dashboard/clients/{tenant_a.client_id}"
    assert 'id="webhook-url"' not in operator.get(client_path).text
    for action, fields in (
        ("/dashboard/webhooks", {"url": "https://93.184.216.34/h"}),
        (client_path + "/webhooks", {"url": "https://93.184.216.34/h"}),
        (f"{path}/rotate", {"grace_period_hours": "24"}),
        (f"{path}/pause", {}),
        (f"{path}/resume", {}),
        (f"{path}/delete", {}),
    ):
        refused = operator.form_post("/dashboard/webhooks", action, **fields)
        assert refused.status_code == 403 and says(refused, "réservée aux administrateurs"), action
    assert says(admin.get(path), "Actif")


def test_webhook_forms_need_their_csrf_token(browser_for, person, tenant_a, api):
    browser = browser_for(person(tenant_a, "admin"))
    refused = browser.post("/dashboard/webhooks", {"url": "https://93.184.216.34/h"})
    assert refused.status_code == 403
    assert api.get("/api/webhooks", headers=tenant_a.auth).json() == []


# ---- tenancy --------------------------------------------------------------------------------------------------------


def test_another_sponsors_user_gets_nothing_of_events_and_webhooks(browser_for, person, tenant_a, tenant_b, session):
    owner = browser_for(person(tenant_a, "admin"))
    client_path = f"/dashboard/clients/{tenant_a.client_id}"
    endpoint = _endpoint_id(
        _register(owner, client_path, client_path + "/webhooks", "https://93.184.216.34/secret-hook")
    )
    event = _mandate_activated(session, tenant_a)
    path = f"/dashboard/webhooks/{endpoint}"
    delivery_id = re.search(r"/deliveries/(dlv_[a-z0-9]+)", owner.get(path).text).group(1)

    intruder = browser_for(person(tenant_b, "admin"))
    for page_path in (path, f"{path}/deliveries/{delivery_id}", f"/dashboard/events?client={tenant_a.client_id}"):
        assert owner.get(page_path).status_code == 200, page_path
        r = intruder.get(page_path)
        assert r.status_code == 404 and says(r, "Page introuvable"), page_path
        assert "secret-hook" not in r.text and "sponsor-a client" not in r.text
    for listing in ("/dashboard/events", "/dashboard/webhooks"):
        r = intruder.get(listing)
        assert r.status_code == 200 and "secret-hook" not in r.text and event.object_id not in r.text, listing
    for action, fields in (
        (client_path + "/webhooks", {"url": "https://93.184.216.34/h"}),
        (f"{path}/rotate", {"grace_period_hours": "24"}),
        (f"{path}/pause", {}),
        (f"{path}/resume", {}),
        (f"{path}/test", {}),
        (f"{path}/redeliver", {"event_id": event.id}),
        (f"{path}/delete", {}),
    ):
        assert intruder.form_post("/dashboard/webhooks", action, **fields).status_code == 404, action
    page = owner.get(path)
    assert says(page, "Actif") and "secret-hook" in page.text and len(re.findall(r"/deliveries/dlv_", page.text)) == 1


def test_every_event_type_object_type_and_state_has_its_label():
    from coursier.db import webhooks as tables
    from coursier.kit.texts import has_text
    from coursier.web.dashboard.webhooks import DELIVERY_STATUSES

    keys = [f"dashboard.event_type.{event_type.name}" for event_type in webhook_events.EVENT_TYPES]
    keys += [f"dashboard.object_type.{name}" for name in webhook_events.OBJECT_TYPES]
    keys += [f"dashboard.webhook_status.{name}" for name in (tables.ACTIVE, tables.PAUSED, tables.DISABLED)]
    keys += [f"dashboard.delivery_status.{name}" for name in DELIVERY_STATUSES]
    assert [key for key in keys if not has_text(key)] == []
