"""The lifecycle-event feed: filters, the client's and the sponsor's views, polling with `after`, the
tenant boundary; and a poller that follows the feed while two API processes write events."""

import base64
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime

import httpx
import pytest

from coursier.kit.tenancy import TenantContext
from coursier.services.lifecycle import record_event

FEED = "/api/lifecycle-events"


def _record(session, tenant, object_type="invoice", object_id="inv_1", status_code=None, client_id=...):
    ctx = TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id if client_id is ... else client_id)
    status_code = (
        status_code
        or {
            "invoice": "InvoiceLifecycleStatus.DEPOSITED",
            "mandate": "MandateLifecycleStatus.CREATED",
            "webhook": "WebhookStatus.DISABLED",
        }[object_type]
    )
    event = record_event(session, ctx, object_type=object_type, object_id=object_id, status_code=status_code)
    session.commit()
    return event.id


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [event["id"] for event in response.json()]


def test_the_client_feed_lists_its_events_in_order_with_the_seqino_fields(api, session, tenant_a):
    first = _record(session, tenant_a, "invoice", "inv_1")
    second = _record(session, tenant_a, "mandate", "mdt_1")
    third = _record(session, tenant_a, "invoice", "inv_2", "InvoiceLifecycleStatus.MADE_AVAILABLE")
    r = api.get(FEED, headers=tenant_a.headers)
    assert _ids(r) == [first, second, third]
    event = r.json()[2]
    assert event["object_type"] == "invoice" and event["object_id"] == "inv_2"
    assert event["status_code"] == "InvoiceLifecycleStatus.MADE_AVAILABLE"
    assert event["event_type"] == "invoice.received" and event["client_id"] == tenant_a.client_id
    assert {"timestamp", "emitter", "reason", "rejection_reason", "is_mandatory", "details"} <= event.keys()
    assert _ids(api.get(FEED, params={"object_type": "invoice"}, headers=tenant_a.headers)) == [first, third]
    assert _ids(api.get(FEED, params={"object_id": "mdt_1"}, headers=tenant_a.headers)) == [second]
    assert _ids(
        api.get(FEED + "/", params={"object_type": "invoice", "object_id": "inv_2"}, headers=tenant_a.headers)
    ) == [third]
    r = api.get(FEED, params={"object_type": "spaceship"}, headers=tenant_a.headers)
    assert r.status_code == 422


def test_the_sponsor_feed_covers_every_client_and_the_sponsors_own_events(api, session, tenant_a):
    other_client = api.post(
        "/api/clients",
        json={"organization_name": "Autre", "contact_email": "a@b.fr", "external_ref": "feed-2"},
        headers=tenant_a.auth,
    ).json()["client"]["client_id"]
    mine = _record(session, tenant_a)
    theirs = _record(session, tenant_a, client_id=other_client)
    sponsors = _record(session, tenant_a, "webhook", "whk_1", client_id=None)
    assert _ids(api.get(FEED, headers=tenant_a.auth)) == [mine, theirs, sponsors]
    assert _ids(api.get(FEED, headers=tenant_a.headers)) == [mine]


def test_polling_after_an_id_or_a_cursor_gives_only_what_is_new(api, session, tenant_a):
    first = _record(session, tenant_a, object_id="inv_a")
    r = api.get(FEED, headers=tenant_a.headers)
    cursor = r.headers["X-Next-Cursor"]
    assert _ids(r) == [first] and 'rel="next"' in r.headers["Link"]
    empty = api.get(FEED, params={"after": cursor}, headers=tenant_a.headers)
    assert _ids(empty) == [] and empty.headers["X-Next-Cursor"] == cursor  # where to poll from next time
    second, third = _record(session, tenant_a, object_id="inv_b"), _record(session, tenant_a, object_id="inv_c")
    assert _ids(api.get(FEED, params={"after": cursor}, headers=tenant_a.headers)) == [second, third]
    assert _ids(api.get(FEED, params={"after": first}, headers=tenant_a.headers)) == [second, third]
    page = api.get(FEED, params={"after": first, "limit": 1}, headers=tenant_a.headers)
    assert _ids(page) == [second]
    assert _ids(_follow_next(api, page, tenant_a.headers)) == [third]


def _follow_next(api, response, headers):
    url = response.headers["Link"].split(">")[0].lstrip("<")
    return api.get(url, headers=headers)


@pytest.mark.parametrize(
    "after",
    ["not-a-cursor", base64.urlsafe_b64encode(b'["x", 1]').decode(), base64.urlsafe_b64encode(b"[1]").decode()],
)
def test_a_cursor_not_given_out_is_refused(api, tenant_a, after):
    r = api.get(FEED, params={"after": after}, headers=tenant_a.headers)
    assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"


def test_another_sponsor_sees_nothing_and_cannot_poll_after_its_events(api, session, tenant_a, tenant_b):
    event = _record(session, tenant_a)
    assert _ids(api.get(FEED, headers=tenant_b.auth)) == []
    assert _ids(api.get(FEED, headers=tenant_b.headers)) == []
    r = api.get(FEED, params={"after": event}, headers=tenant_b.auth)
    assert r.status_code == 404 and r.json()["code"] == "event_not_found"
    r = api.get(FEED, headers={"Authorization": tenant_b.token, "X-PDP-Client-Id": tenant_a.client_id})
    assert r.status_code == 404 and r.json()["code"] == "client_not_found"


# ---- a poller while two API processes write ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def api_processes(process_env, tmp_path):
    """Two `coursier serve --no-worker` processes on the live server's database; their base URLs."""
    processes, bases = [], []
    with (tmp_path / "api.log").open("ab") as log:
        for _ in range(2):
            port = _free_port()
            command = [sys.executable, "-m", "coursier", "serve", "--no-worker", "--port", str(port)]
            processes.append(subprocess.Popen(command, env=process_env, stdout=log, stderr=subprocess.STDOUT))
            bases.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    if httpx.get(base + "/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, (tmp_path / "api.log").read_text()
                time.sleep(0.1)
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def test_a_poller_gets_every_event_once_while_two_api_processes_write(
    live_server, api_processes, committed_tenant, company
):
    base, runtime = live_server
    headers = committed_tenant.headers
    per_writer = 12
    writers_done, slow_started, a_writer_committed = threading.Event(), threading.Event(), threading.Event()
    failures: list[str] = []

    def write(api_base: str, prefix: str) -> None:
        for n in range(per_writer):
            r = httpx.post(
                f"{api_base}/api/mandates",
                json={"siren": company.siren, "suffix": f"{prefix}{n}"},
                headers=headers,
                timeout=30,
            )
            if r.status_code != 201:
                failures.append(r.text)
            a_writer_committed.set()

    def slow_transaction() -> None:
        # Writes first and commits last, after the others have committed events of theirs.
        ctx = TenantContext(sponsor_id=committed_tenant.sponsor_id, client_id=committed_tenant.client_id)
        with runtime.sessions.begin() as session:
            for step in ("DEPOSITED", "REJECTED"):
                record_event(
                    session,
                    ctx,
                    object_type="invoice",
                    object_id="inv_slow",
                    status_code=f"InvoiceLifecycleStatus.{step}",
                )
                slow_started.set()
                a_writer_committed.wait(60)
                time.sleep(0.5)

    seen: list[str] = []

    def poll() -> None:
        cursor, deadline = None, time.monotonic() + 120
        while time.monotonic() < deadline:
            done = writers_done.is_set()
            params = {"limit": 5} | ({"after": cursor} if cursor else {})
            r = httpx.get(f"{base}{FEED}", params=params, headers=headers, timeout=30)
            assert r.status_code == 200, r.text
            seen.extend(event["id"] for event in r.json())
            cursor = r.headers["X-Next-Cursor"]
            if done and not r.json() and len(seen) >= 2 * per_writer + 2:
                return
            time.sleep(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    slow = threading.Thread(target=slow_transaction)
    slow.start()
    assert slow_started.wait(60)
    writers = [threading.Thread(target=write, args=(api_base, f"W{i}N")) for i, api_base in enumerate(api_processes)]
    for thread in writers:
        thread.start()
    for thread in [slow, *writers]:
        thread.join()
    writers_done.set()
    poller.join(timeout=120)
    assert not poller.is_alive() and not failures, failures

    everything = httpx.get(f"{base}{FEED}", params={"limit": 200}, headers=headers).json()
    assert len(everything) == 2 * per_writer + 2
    assert len(seen) == len(set(seen))  # never twice
    assert seen == [event["id"] for event in everything]  # never missed, in the feed's one order
    # The transactions did overlap: events written while the slow one slept are listed after it.
    slow_end = max(i for i, event in enumerate(everything) if event["object_id"] == "inv_slow")
    slow_done = datetime.fromisoformat(everything[slow_end]["timestamp"])
    committed_meanwhile = [e for e in everything[slow_end + 1 :] if datetime.fromisoformat(e["timestamp"]) < slow_done]
    assert committed_meanwhile
