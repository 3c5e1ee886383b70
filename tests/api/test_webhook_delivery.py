"""Webhooks delivered by the job worker, on the live server with real commits, to a local receiver;
signatures checked by the `standardwebhooks` package (an implementation that is not ours)."""

import asyncio
import threading
import time

import httpx
import pytest
import standardwebhooks
from sqlalchemy import text

from coursier.kit.tenancy import TenantContext
from coursier.services.lifecycle import record_event

RECEIVED = "InvoiceLifecycleStatus.MADE_AVAILABLE"


@pytest.fixture
def endpoints(live_server):
    """endpoints.register(tenant, url, client=False, **fields) -> the created endpoint (with its secret).
    Deleted after the test, so no later worker run keeps retrying deliveries to a receiver gone."""
    base, _ = live_server
    created: list[tuple[str, dict]] = []

    class Endpoints:
        @staticmethod
        def register(tenant, url: str, client: bool = False, **fields) -> dict:
            headers = tenant.headers if client else tenant.auth
            r = httpx.post(f"{base}/api/webhooks", json={"url": url, **fields}, headers=headers)
            assert r.status_code == 201, r.text
            created.append((r.json()["webhook_id"], tenant.auth))
            return r.json()

    yield Endpoints
    for webhook_id, auth in created:
        httpx.delete(f"{base}/api/webhooks/{webhook_id}", headers=auth)


def _record(runtime, tenant, object_id: str, status_code: str = RECEIVED, client: bool = True) -> str:
    ctx = TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id if client else None)
    with runtime.sessions.begin() as session:
        return record_event(session, ctx, object_type="invoice", object_id=object_id, status_code=status_code).id


def _work(runtime, concurrency: int = 1) -> threading.Thread:
    """A worker in a thread, running what is due until nothing more is (retries are not hurried)."""
    from coursier.jobs.app import connect

    jobs = connect(runtime.database_url, runtime.sessions, runtime.settings, runtime.connectors)

    async def run() -> None:
        async with jobs.open_async():
            await jobs.run_worker_async(
                concurrency=concurrency, wait=False, install_signal_handlers=False, listen_notify=False
            )

    thread = threading.Thread(target=asyncio.run, args=(run(),))
    thread.start()
    return thread


def _get(base, path, tenant, client: bool = False):
    r = httpx.get(f"{base}{path}", headers=tenant.headers if client else tenant.auth, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_receiver_that_fails_three_times_gets_every_event_once_in_order(
    live_server, committed_tenant, webhook_receiver, private_webhooks, drain_jobs, endpoints
):
    base, runtime = live_server
    private_webhooks(runtime)
    receiver = webhook_receiver(lambda n, request: 503 if n < 3 else 204)
    endpoint = endpoints.register(committed_tenant, receiver.url)
    steps = [f"InvoiceLifecycleStatus.{s}" for s in ("DEPOSITED", "TRANSMITTED_BY_PLATFORM", "APPROVED")]
    first = [_record(runtime, committed_tenant, "inv_first", code) for code in steps]
    second = [_record(runtime, committed_tenant, "inv_second", code) for code in steps[:2]]

    drain_jobs()

    delivered = receiver.delivered()
    assert sorted(r.webhook_id for r in delivered) == sorted(first + second)  # each exactly once
    for object_id, ids in (("inv_first", first), ("inv_second", second)):
        assert [r.webhook_id for r in delivered if r.payload["object"]["id"] == object_id] == ids
    assert len(receiver.requests) == len(first + second) + 3
    verifier = standardwebhooks.Webhook(endpoint["secret"])
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)
        # The webhook-id is the event's id, the same on every attempt.
        assert payload["id"] == request.webhook_id == payload["event"]["id"]
        assert payload["sponsor_id"] == committed_tenant.sponsor_id
        assert payload["client_id"] == committed_tenant.client_id
    assert delivered[0].payload["type"] in ("invoice.deposited", "invoice.transmitted")
    assert {r.payload["type"] for r in delivered} == {
        "invoice.deposited",
        "invoice.transmitted",
        "invoice.status_changed",
    }

    log = _get(base, f"/api/webhooks/{endpoint['webhook_id']}/deliveries", committed_tenant)
    assert {d["status"] for d in log} == {"succeeded"}
    assert sum(d["attempts"] for d in log) == len(receiver.requests)
    retried = next(d for d in log if d["attempts"] > 1)
    detail = _get(base, f"/api/webhooks/{endpoint['webhook_id']}/deliveries/{retried['delivery_id']}", committed_tenant)
    assert [a["status_code"] for a in detail["attempt_log"]][-1] == 204
    assert all(a["status_code"] == 503 for a in detail["attempt_log"][:-1])
    assert detail["attempt_log"][0]["response_excerpt"] == "answered 503"
    assert all(a["latency_ms"] >= 0 for a in detail["attempt_log"])
    assert _get(base, f"/api/webhooks/{endpoint['webhook_id']}", committed_tenant)["last_triggered_at"]

    # Asked again, one event goes out again under its own id.
    r = httpx.post(
        f"{base}/api/webhooks/{endpoint['webhook_id']}/redeliver",
        json={"event_id": first[0]},
        headers=committed_tenant.auth,
    )
    assert r.status_code == 202
    drain_jobs()
    assert [r.webhook_id for r in receiver.delivered()].count(first[0]) == 2


def test_a_rotated_secret_and_the_new_one_both_verify(
    live_server, committed_tenant, webhook_receiver, private_webhooks, endpoints
):
    base, runtime = live_server
    private_webhooks(runtime)
    receiver = webhook_receiver()
    endpoint = endpoints.register(committed_tenant, receiver.url)
    r = httpx.post(f"{base}/api/webhooks/{endpoint['webhook_id']}/rotate-secret", headers=committed_tenant.auth)
    new_secret = r.json()["secret"]
    r = httpx.post(f"{base}/api/webhooks/{endpoint['webhook_id']}/test", headers=committed_tenant.auth, timeout=30)
    assert r.status_code == 200 and r.json()["succeeded"] and r.json()["status_code"] == 200, r.text
    [message] = receiver.requests
    for secret in (endpoint["secret"], new_secret):
        assert standardwebhooks.Webhook(secret).verify(message.body, message.headers)["type"] == "webhook.test"
    with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
        standardwebhooks.Webhook("whsec_" + "A" * 43).verify(message.body, message.headers)


def test_a_receiver_that_hangs_does_not_delay_another(
    live_server, committed_tenant, webhook_receiver, private_webhooks, endpoints, monkeypatch
):
    from coursier.jobs import webhooks as webhook_jobs
    from coursier.network.webhooks import WebhookSender

    base, runtime = live_server
    private_webhooks(runtime)
    # The hanging receiver keeps its requests open until released, and the sender waits as long:
    # a delivery queued behind them could only arrive after the release.
    patient = WebhookSender(allow_private=True, timeout=600)
    monkeypatch.setattr(webhook_jobs, "_sender", lambda allow_private: patient)
    hanging = webhook_receiver(lambda n, request: "hang")
    healthy = webhook_receiver()
    endpoints.register(committed_tenant, hanging.url)
    endpoints.register(committed_tenant, healthy.url)
    ids = [_record(runtime, committed_tenant, f"inv_h{i}") for i in range(4)]

    worker = _work(runtime, concurrency=3)
    try:
        healthy.wait_for(lambda r: len(r.delivered()) == len(ids), timeout=120)
        # The hanging endpoint holds at most its share of workers, and still holds them.
        assert not hanging.released.is_set()
        assert 1 <= len(hanging.requests) <= 2 and all(r.status is None for r in hanging.requests)
    finally:
        hanging.released.set()
        worker.join(timeout=60)
        patient.close()
    assert sorted(r.webhook_id for r in healthy.delivered()) == sorted(ids)


def test_addresses_are_checked_again_at_delivery(
    live_server, committed_tenant, webhook_receiver, private_webhooks, endpoints, monkeypatch
):
    base, runtime = live_server
    private_webhooks(runtime)
    receiver = webhook_receiver()
    endpoint = endpoints.register(committed_tenant, receiver.url)
    # The platform stops allowing private addresses (as a name would start resolving inside the network).
    monkeypatch.setattr(runtime.settings, "webhook_allow_private", False)
    _record(runtime, committed_tenant, "inv_rebind")
    _work(runtime).join(timeout=60)
    assert receiver.requests == []
    [delivery] = _get(base, f"/api/webhooks/{endpoint['webhook_id']}/deliveries", committed_tenant)
    assert delivery["status"] == "pending" and delivery["next_attempt_at"]
    assert delivery["last_attempt"]["error"].startswith("refused: 127.0.0.1 resolves to 127.0.0.1")
    assert delivery["last_attempt"]["status_code"] is None


def test_an_endpoint_failing_for_days_is_disabled_with_an_event_and_an_email(
    live_server, committed_tenant, webhook_receiver, private_webhooks, drain_jobs, endpoints, sandbox_server
):
    base, runtime = live_server
    private_webhooks(runtime)
    address = f"ops-{committed_tenant.client_id}@example.fr"
    r = httpx.patch(f"{base}/api/settings", json={"notification_email": address}, headers=committed_tenant.headers)
    assert r.status_code == 200
    broken = webhook_receiver(lambda n, request: 500)
    watcher = webhook_receiver()
    failing = endpoints.register(committed_tenant, broken.url, client=True)
    endpoints.register(committed_tenant, watcher.url, events=["webhook.disabled"])
    _record(runtime, committed_tenant, "inv_days")
    _work(runtime).join(timeout=60)
    assert len(broken.requests) == 1
    # Three days pass.
    with runtime.sessions.begin() as session:
        session.execute(
            text("UPDATE webhook_deliveries SET created_at = created_at - interval '4 days' WHERE endpoint_id = :id"),
            {"id": failing["webhook_id"]},
        )
    drain_jobs()

    got = _get(base, f"/api/webhooks/{failing['webhook_id']}", committed_tenant)
    assert got["status"] == "disabled" and "HTTP 500" in got["disabled_reason"]
    [delivery] = _get(base, f"/api/webhooks/{failing['webhook_id']}/deliveries", committed_tenant)
    assert delivery["status"] == "failed" and delivery["attempts"] == 2
    [disabled] = [r.payload for r in watcher.delivered()]
    assert disabled["type"] == "webhook.disabled" and disabled["object"] == {
        "type": "webhook",
        "id": failing["webhook_id"],
    }
    # The feed shows it once no older transaction on the server (other tests') is still running.
    deadline = time.monotonic() + 60
    while not (events := _get(base, "/api/lifecycle-events?object_type=webhook", committed_tenant, client=True)):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert [e["status_code"] for e in events] == ["WebhookStatus.DISABLED"]
    with sandbox_server.client() as sandbox:
        mails = sandbox.get("/sandbox/mailbox", params={"to": address}).json()
    assert len(mails) == 1 and failing["webhook_id"] in mails[0]["text"]
    # Disabled: later events are not even queued for it.
    _record(runtime, committed_tenant, "inv_after")
    assert len(_get(base, f"/api/webhooks/{failing['webhook_id']}/deliveries", committed_tenant)) == 1
