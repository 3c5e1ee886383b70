"""Real concurrency against real servers: storms of duplicates and of uploads never wedge the
server nor answer 500."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

NEW_CLIENT = {"organization_name": "Tonnellerie Roux", "contact_email": "a@roux.fr", "external_ref": "storm"}


def _storm(count: int, request) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: request(), range(count)))


def test_fifty_concurrent_posts_with_one_key_store_one_object_and_never_hang(
    live_server, committed_tenant, monkeypatch
):
    from coursier.services import clients

    create_client = clients.create_client

    def slow_create_client(*args, **kwargs):
        time.sleep(1)  # the first request is still running while its duplicates arrive
        return create_client(*args, **kwargs)

    monkeypatch.setattr(clients, "create_client", slow_create_client)
    base, _ = live_server
    headers = {**committed_tenant.auth, "Idempotency-Key": "storm-1"}
    # A request that hung would raise its timeout out of the storm.
    results = _storm(50, lambda: httpx.post(base + "/api/clients", json=NEW_CLIENT, headers=headers, timeout=30))
    statuses = sorted({r.status_code for r in results})
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["client"]["client_id"] for r in results if r.status_code == 201}
    assert len(created) == 1
    assert all(r.json()["code"] == "idempotency_key_in_progress" for r in results if r.status_code == 409)
    listed = httpx.get(base + "/api/clients", params={"external_ref": "storm"}, headers=committed_tenant.auth)
    assert len(listed.json()) == 1
    # The server is not wedged: it answers at once.
    assert httpx.get(base + "/api/clients", headers=committed_tenant.auth, timeout=5).status_code == 200


def test_fifty_concurrent_uploads_on_a_small_pool_queue_or_get_a_503(
    database_url, committed_runtime, committed_tenant, serve, monkeypatch
):
    from sqlalchemy import create_engine

    from coursier.api import invoicing
    from coursier.kit.embedded import normalise_url

    # Two connections, given up on after a second: what a busy process with a small pool sees.
    engine = create_engine(normalise_url(database_url), pool_size=2, max_overflow=0, pool_timeout=1)
    deposit = invoicing.deposit

    def slow_deposit(*args, **kwargs):
        time.sleep(0.3)  # holds its connection as long as a real validation would
        return deposit(*args, **kwargs)

    monkeypatch.setattr(invoicing, "deposit", slow_deposit)
    runtime = committed_runtime(engine=engine, heavy_requests_per_sponsor=0, db_queue_seconds=30)
    files = {"file": ("a.xml", b"<not-an-invoice/>", "application/xml")}
    try:
        with serve(runtime) as base:
            results = _storm(
                50,
                lambda: httpx.post(
                    base + "/api/invoicing/files/submit", files=files, headers=committed_tenant.headers, timeout=60
                ),
            )
    finally:
        engine.dispose()
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {201, 503}, statuses
    assert all(r.headers["retry-after"] for r in results if r.status_code == 503)
    assert statuses.count(201) >= 25
