"""Webhook endpoints: registration, scopes, secrets, pause and resume, the fan-out of events in their
transaction, and the tenant boundary. Delivery by the worker: test_webhook_delivery.py."""

import base64

import pytest
from sqlalchemy import select, text

from coursier.db.webhooks import WebhookDelivery
from coursier.kit.tenancy import TenantContext
from coursier.services import webhook_events
from coursier.services.lifecycle import record_event

PUBLIC_URL = "https://93.184.216.34/hooks/coursier"  # an address literal: no DNS needed to check it


def _create(api, headers, url=PUBLIC_URL, **fields):
    return api.post("/api/webhooks", json={"url": url, **fields}, headers=headers)


def _ctx(tenant, client: bool = True) -> TenantContext:
    return TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id if client else None)


def _event(session, tenant, object_id="inv_x", status_code="InvoiceLifecycleStatus.MADE_AVAILABLE"):
    event = record_event(session, _ctx(tenant), object_type="invoice", object_id=object_id, status_code=status_code)
    session.commit()
    return event


def _deliveries(session, endpoint_id: str) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)))


def test_event_types_each_have_a_description_and_an_example_payload(api, tenant_a):
    r = api.get("/api/webhooks/event-types", headers=tenant_a.auth)
    assert r.status_code == 200
    types = r.json()["event_types"]
    assert [t["type"] for t in types] == [t.name for t in webhook_events.EVENT_TYPES]
    for event_type in types:
        assert event_type["description"]
        example = event_type["example"]
        assert example["type"] == event_type["type"]
        assert {"id", "type", "timestamp", "sponsor_id", "client_id", "object", "event"} <= example.keys()
    named = {t["type"] for t in types}
    assert {"invoice.received", "invoice.status_changed", "mandate.activated", "directory_entry.registered"} <= named
    assert "reporting.accepted" in named


def test_every_status_code_maps_to_one_event_type():
    from coursier.model.lifecycle import InvoiceStatus, event_code

    for status in InvoiceStatus:
        assert webhook_events.type_of(event_code(status)).name.startswith("invoice.")
    assert webhook_events.type_of("InvoiceLifecycleStatus.MADE_AVAILABLE").name == "invoice.received"
    assert webhook_events.type_of("MandateLifecycleStatus.ACTIVE").name == "mandate.activated"
    assert webhook_events.type_of("DirectoryEntryStatus.ACCEPTED").name == "directory_entry.registered"
    assert webhook_events.type_of("RegulatoryDataStatus.DEPOSITED").name == "reporting.accepted"
    # A status added later falls to its family's catch-all; an unknown family is a programming error.
    assert webhook_events.type_of("InvoiceLifecycleStatus.SOMETHING_NEW").name == "invoice.status_changed"
    with pytest.raises(ValueError):
        webhook_events.type_of("NoSuchFamily.X")


def test_every_status_code_written_in_the_code_has_an_event_type():
    import re
    from pathlib import Path

    source = Path(webhook_events.__file__).parents[1]
    written = {
        code
        for path in source.rglob("*.py")
        for code in re.findall(r"\"((?:[A-Z][a-z]+)+(?:Status|Reporting)\w*\.[A-Z_]+)\"", path.read_text())
    }
    assert len(written) >= 10
    for code in written:
        webhook_events.type_of(code)


def test_the_secret_is_shown_once_and_the_seqino_fields_always(api, tenant_a):
    r = _create(api, tenant_a.auth, events=["invoice.received"], description="ERP")
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["client_id"] is None and created["is_active"] is True and created["status"] == "active"
    assert created["events"] == ["invoice.received"] and created["last_triggered_at"] is None
    got = api.get(f"/api/webhooks/{created['webhook_id']}", headers=tenant_a.auth).json()
    listed = api.get("/api/webhooks", headers=tenant_a.auth).json()
    assert "secret" not in got and all("secret" not in w for w in listed)
    assert [w["webhook_id"] for w in listed] == [created["webhook_id"]]
    assert {"webhook_id", "url", "events", "is_active", "created_at", "last_triggered_at"} <= got.keys()


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # plain http off the loopback interface
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://127.0.0.1:8443/hook",
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://100.64.0.1/hook",
        "https://localhost/hook",
        "https://no-such-host.invalid/hook",
        "ftp://93.184.216.34/hook",
        "not a url",
    ],
)
def test_urls_that_could_reach_into_the_network_are_refused(api, tenant_a, url):
    r = _create(api, tenant_a.auth, url=url)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "webhook_url_not_allowed"


def test_private_addresses_are_allowed_when_the_platform_says_so(api, runtime, tenant_a, private_webhooks):
    private_webhooks(runtime)
    assert _create(api, tenant_a.auth, url="http://127.0.0.1:9/hook").status_code == 201
    assert _create(api, tenant_a.auth, url="http://10.1.2.3/hook").json()["code"] == "webhook_url_not_allowed"


def test_unknown_event_types_are_refused(api, tenant_a):
    r = _create(api, tenant_a.auth, events=["invoice.received", "invoice.teleported"])
    assert r.status_code == 422 and r.json()["code"] == "unknown_event_type"


def test_ten_endpoints_per_sponsor_and_per_client(api, tenant_a):
    for _ in range(10):
        assert _create(api, tenant_a.auth).status_code == 201
    r = _create(api, tenant_a.auth)
    assert r.status_code == 409 and r.json()["code"] == "webhook_limit_reached"
    assert _create(api, tenant_a.headers).status_code == 201  # the client's own count


def test_client_endpoints_belong_to_their_client(api, tenant_a):
    sponsor_wide = _create(api, tenant_a.auth).json()
    own = _create(api, tenant_a.headers).json()
    assert own["client_id"] == tenant_a.client_id
    assert {w["webhook_id"] for w in api.get("/api/webhooks", headers=tenant_a.auth).json()} == {
        sponsor_wide["webhook_id"],
        own["webhook_id"],
    }
    assert [w["webhook_id"] for w in api.get("/api/webhooks", headers=tenant_a.headers).json()] == [own["webhook_id"]]
    r = api.get(f"/api/webhooks/{sponsor_wide['webhook_id']}", headers=tenant_a.headers)
    assert r.status_code == 404 and r.json()["code"] == "webhook_not_found"


def test_update_and_delete(api, tenant_a):
    webhook_id = _create(api, tenant_a.auth).json()["webhook_id"]
    r = api.patch(
        f"/api/webhooks/{webhook_id}",
        json={"url": "https://93.184.216.35/new", "events": ["mandate.activated"], "description": "v2"},
        headers=tenant_a.auth,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["url"], r.json()["events"], r.json()["description"]) == (
        "https://93.184.216.35/new",
        ["mandate.activated"],
        "v2",
    )
    assert api.patch(f"/api/webhooks/{webhook_id}", json={"url": None}, headers=tenant_a.auth).status_code == 422
    bad = api.patch(f"/api/webhooks/{webhook_id}", json={"url": "https://10.0.0.1/"}, headers=tenant_a.auth)
    assert bad.json()["code"] == "webhook_url_not_allowed"
    assert api.delete(f"/api/webhooks/{webhook_id}", headers=tenant_a.auth).status_code == 204
    assert api.get(f"/api/webhooks/{webhook_id}", headers=tenant_a.auth).status_code == 404


def test_rotation_keeps_the_previous_secret_signing_for_the_grace_period(api, session, tenant_a):
    from coursier.kit import clock
    from coursier.services.webhooks import get_endpoint, signing_secrets

    created = _create(api, tenant_a.auth).json()
    webhook_id = created["webhook_id"]
    r = api.post(f"/api/webhooks/{webhook_id}/rotate-secret", json={"grace_period_hours": 2}, headers=tenant_a.auth)
    assert r.status_code == 200
    assert r.json()["secret"] != created["secret"] and r.json()["previous_secret_expires_at"]
    endpoint = get_endpoint(session, _ctx(tenant_a, client=False), webhook_id)
    assert len(signing_secrets(endpoint, clock.now())) == 2
    r = api.post(f"/api/webhooks/{webhook_id}/rotate-secret", json={"grace_period_hours": 0}, headers=tenant_a.auth)
    session.expire_all()
    endpoint = get_endpoint(session, _ctx(tenant_a, client=False), webhook_id)
    assert signing_secrets(endpoint, clock.now()) == [endpoint.secret]
    bad = api.post(f"/api/webhooks/{webhook_id}/rotate-secret", json={"grace_period_hours": 999}, headers=tenant_a.auth)
    assert bad.status_code == 422


def test_secrets_are_stored_sealed_and_sign_as_shown(api, session, tenant_a):
    from coursier.db.sealed import process_keyring
    from coursier.kit import clock
    from coursier.services.webhooks import get_endpoint, signing_secrets

    created = _create(api, tenant_a.auth).json()
    rotated = api.post(
        f"/api/webhooks/{created['webhook_id']}/rotate-secret", json={"grace_period_hours": 2}, headers=tenant_a.auth
    ).json()
    shown = [base64.b64decode(s.removeprefix("whsec_")) for s in (rotated["secret"], created["secret"])]
    stored = session.execute(
        text("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = :id"), {"id": created["webhook_id"]}
    ).one()
    for secret, sealed in zip(shown, stored, strict=True):
        assert secret not in sealed and process_keyring().unseal(sealed) == secret
    endpoint = get_endpoint(session, _ctx(tenant_a, client=False), created["webhook_id"])
    assert signing_secrets(endpoint, clock.now()) == shown


def test_a_secret_sealed_with_a_key_gone_answers_a_problem(api, tenant_a, secret_keys, caplog):
    from coursier.kit.sealed import new_key

    webhook_id = _create(api, tenant_a.auth).json()["webhook_id"]
    secret_keys(new_key())  # the key that sealed it left the set
    assert api.get(f"/api/webhooks/{webhook_id}", headers=tenant_a.auth).status_code == 200  # not read to list
    r = api.post(f"/api/webhooks/{webhook_id}/rotate-secret", json={"grace_period_hours": 2}, headers=tenant_a.auth)
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "secret_key_missing"
    assert "which COURSIER_SECRET_KEYS (keys " in caplog.text


def test_events_fan_out_in_their_transaction_to_the_endpoints_that_want_them(api, session, tenant_a, tenant_b):
    everything = _create(api, tenant_a.auth).json()["webhook_id"]
    mandates_only = _create(api, tenant_a.auth, events=["mandate.activated"]).json()["webhook_id"]
    own = _create(api, tenant_a.headers).json()["webhook_id"]
    other_sponsor = _create(api, tenant_b.auth).json()["webhook_id"]

    jobs_before = session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'webhooks.deliver'"))
    nested = session.begin_nested()
    record_event(
        session,
        _ctx(tenant_a),
        object_type="invoice",
        object_id="inv_1",
        status_code="InvoiceLifecycleStatus.MADE_AVAILABLE",
    )
    assert len(_deliveries(session, everything)) == 1
    nested.rollback()  # the event's transaction undone: its deliveries and jobs with it
    assert _deliveries(session, everything) == []
    assert (
        session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'webhooks.deliver'"))
        == jobs_before
    )

    event = _event(session, tenant_a, object_id="inv_2")
    [delivery] = _deliveries(session, everything)
    assert (delivery.event_id, delivery.event_type, delivery.status) == (event.id, "invoice.received", "pending")
    assert len(_deliveries(session, own)) == 1
    assert _deliveries(session, mandates_only) == [] and _deliveries(session, other_sponsor) == []
    lock = session.scalar(
        text("SELECT lock FROM procrastinate_jobs WHERE args->>'delivery_id' = :id"), {"id": delivery.id}
    )
    assert lock == f"webhook:{everything}:invoice:inv_2"
    # Another client of the same sponsor: the sponsor-wide endpoint gets it, the first client's does not.
    other_client = api.post(
        "/api/clients",
        json={"organization_name": "Other", "contact_email": "o@x.fr", "external_ref": "other"},
        headers=tenant_a.auth,
    ).json()["client"]["client_id"]
    record_event(
        session,
        TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=other_client),
        object_type="mandate",
        object_id="mdt_1",
        status_code="MandateLifecycleStatus.ACTIVE",
    )
    assert len(_deliveries(session, everything)) == 2 and len(_deliveries(session, own)) == 1
    assert len(_deliveries(session, mandates_only)) == 1


def test_paused_endpoints_hold_events_and_disabled_ones_get_none(api, session, tenant_a):
    webhook_id = _create(api, tenant_a.auth).json()["webhook_id"]
    r = api.post(f"/api/webhooks/{webhook_id}/pause", headers=tenant_a.auth)
    assert r.json()["status"] == "paused" and r.json()["is_active"] is False
    first, second = _event(session, tenant_a, "inv_p1"), _event(session, tenant_a, "inv_p2")
    assert {d.status for d in _deliveries(session, webhook_id)} == {"held"}
    assert not session.scalar(
        text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'delivery_id' = ANY(:ids)"),
        {"ids": [d.id for d in _deliveries(session, webhook_id)]},
    )
    assert api.post(f"/api/webhooks/{webhook_id}/resume", headers=tenant_a.auth).json()["status"] == "active"
    session.expire_all()
    assert {d.status for d in _deliveries(session, webhook_id)} == {"pending"}
    queued = session.execute(
        text(
            "SELECT j.args->>'delivery_id' FROM procrastinate_jobs j JOIN webhook_deliveries d"
            " ON d.id = j.args->>'delivery_id' WHERE d.endpoint_id = :e ORDER BY j.id"
        ),
        {"e": webhook_id},
    ).scalars()
    by_delivery = {d.id: d.event_id for d in _deliveries(session, webhook_id)}
    assert [by_delivery[d] for d in queued] == [first.id, second.id]  # in the order of their events

    session.execute(text("UPDATE webhook_endpoints SET status = 'disabled' WHERE id = :id"), {"id": webhook_id})
    session.commit()
    _event(session, tenant_a, "inv_p3")
    assert len(_deliveries(session, webhook_id)) == 2
    r = api.post(f"/api/webhooks/{webhook_id}/pause", headers=tenant_a.auth)
    assert r.status_code == 409 and r.json()["code"] == "webhook_disabled"
    r = api.post(f"/api/webhooks/{webhook_id}/redeliver", json={"event_id": first.id}, headers=tenant_a.auth)
    assert r.status_code == 409


def test_redelivery_of_one_event_or_since_a_moment(api, session, tenant_a):
    from coursier.kit import clock

    webhook_id = _create(api, tenant_a.auth, events=["invoice.received"]).json()["webhook_id"]
    before = clock.now()
    first = _event(session, tenant_a, "inv_r1")
    _event(session, tenant_a, "inv_r2", status_code="InvoiceLifecycleStatus.DEPOSITED")  # not a type it wants
    third = _event(session, tenant_a, "inv_r3")
    r = api.post(f"/api/webhooks/{webhook_id}/redeliver", json={"event_id": first.id}, headers=tenant_a.auth)
    assert r.status_code == 202 and r.json()["queued"] == 1
    r = api.post(f"/api/webhooks/{webhook_id}/redeliver", json={"since": before.isoformat()}, headers=tenant_a.auth)
    assert r.json()["queued"] == 2
    manual = [d for d in _deliveries(session, webhook_id) if d.trigger == "manual"]
    assert sorted(d.event_id for d in manual) == sorted([first.id, first.id, third.id])
    both = api.post(
        f"/api/webhooks/{webhook_id}/redeliver",
        json={"event_id": first.id, "since": before.isoformat()},
        headers=tenant_a.auth,
    )
    assert both.status_code == 422
    r = api.post(f"/api/webhooks/{webhook_id}/redeliver", json={"event_id": "evt_nope"}, headers=tenant_a.auth)
    assert r.status_code == 404 and r.json()["code"] == "event_not_found"


def test_a_second_sponsor_finds_nothing_of_the_first_ones_endpoints(api, session, tenant_a, tenant_b):
    webhook_id = _create(api, tenant_a.auth).json()["webhook_id"]
    event = _event(session, tenant_a, "inv_t")
    delivery_id = _deliveries(session, webhook_id)[0].id
    base = f"/api/webhooks/{webhook_id}"
    calls = [
        ("GET", base, None),
        ("PATCH", base, {"description": "mine now"}),
        ("DELETE", base, None),
        ("POST", f"{base}/rotate-secret", {}),
        ("POST", f"{base}/pause", None),
        ("POST", f"{base}/resume", None),
        ("POST", f"{base}/test", None),
        ("GET", f"{base}/deliveries", None),
        ("GET", f"{base}/deliveries/{delivery_id}", None),
        ("POST", f"{base}/redeliver", {"event_id": event.id}),
    ]
    for headers in (tenant_b.auth, tenant_b.headers):
        for method, path, body in calls:
            r = api.request(method, path, json=body, headers=headers)
            assert r.status_code == 404, (method, path, r.text)
            assert r.json()["code"] == "webhook_not_found"
        assert api.get("/api/webhooks", headers=headers).json() == []
    # Nor register one for the first sponsor's client.
    r = _create(api, {"Authorization": tenant_b.token, "X-PDP-Client-Id": tenant_a.client_id})
    assert r.status_code == 404 and r.json()["code"] == "client_not_found"
    # Its own endpoint cannot ask for the first sponsor's event either.
    own = _create(api, tenant_b.auth).json()["webhook_id"]
    r = api.post(f"/api/webhooks/{own}/redeliver", json={"event_id": event.id}, headers=tenant_b.auth)
    assert r.status_code == 404 and r.json()["code"] == "event_not_found"
    # And a delivery of the first sponsor is not found through the second one's endpoint.
    assert api.get(f"/api/webhooks/{own}/deliveries/{delivery_id}", headers=tenant_b.auth).status_code == 404
    assert api.get(f"{base}", headers=tenant_a.auth).json()["description"] is None
