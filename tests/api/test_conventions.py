"""Conventions every endpoint follows: problem documents, request ids, idempotent POSTs."""

import threading
from datetime import timedelta

import httpx
import pytest

NEW_CLIENT = {"organization_name": "Menuiserie Durand", "contact_email": "a@durand.fr", "external_ref": "idem-1"}
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code", "error", "trace_id"}


def test_unknown_routes_and_methods_are_problem_documents(api, tenant_a):
    r = api.get("/api/nothing-here", headers=tenant_a.auth)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json().keys() >= PROBLEM_MEMBERS and r.json()["code"] == "not_found"
    r = api.put("/api/clients", headers=tenant_a.auth)
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"


def test_trace_id_is_the_request_id_of_the_response(api):
    r = api.get("/api/clients")
    assert r.json()["trace_id"] == r.headers["x-request-id"]
    mine = "my-trace-0123456789"
    r = api.get("/api/clients", headers={"X-Request-Id": mine})
    assert r.headers["x-request-id"] == mine and r.json()["trace_id"] == mine
    # An id unsafe to log is replaced rather than echoed.
    r = api.get("/api/clients", headers={"X-Request-Id": "bad id\twith spaces"})
    assert r.headers["x-request-id"].startswith("req_")


def test_unexpected_errors_are_500_problems_with_the_request_id(app, api, tenant_a):
    from coursier.api.deps import SponsorCtx

    @app.get("/api/explode")
    def explode(ctx: SponsorCtx):
        raise RuntimeError("boom")

    r = api.get("/api/explode", headers=tenant_a.auth)
    assert r.status_code == 500
    assert r.json()["code"] == "internal_error"
    assert r.json()["trace_id"] == r.headers["x-request-id"]
    assert "boom" not in r.text


def test_same_key_same_body_replays_the_first_response(api, tenant_a):
    headers = {**tenant_a.auth, "Idempotency-Key": "k-1"}
    first = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    second = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    clients = api.get("/api/clients", params={"external_ref": "idem-1"}, headers=tenant_a.auth).json()
    assert len(clients) == 1


def test_same_key_other_body_is_a_conflict(api, tenant_a):
    headers = {**tenant_a.auth, "Idempotency-Key": "k-2"}
    assert api.post("/api/clients", json=NEW_CLIENT, headers=headers).status_code == 201
    r = api.post("/api/clients", json={**NEW_CLIENT, "external_ref": "idem-2"}, headers=headers)
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_one_sponsor(api, tenant_a, tenant_b):
    headers_a = {**tenant_a.auth, "Idempotency-Key": "shared-key"}
    headers_b = {**tenant_b.auth, "Idempotency-Key": "shared-key"}
    a = api.post("/api/clients", json=NEW_CLIENT, headers=headers_a)
    b = api.post("/api/clients", json=NEW_CLIENT, headers=headers_b)
    assert a.status_code == b.status_code == 201
    assert a.json()["client"]["client_id"] != b.json()["client"]["client_id"]
    assert b.json()["client"]["sponsor_id"] == tenant_b.sponsor_id


def test_failed_requests_are_not_stored_so_a_corrected_retry_runs(api, tenant_a):
    headers = {**tenant_a.auth, "Idempotency-Key": "k-3"}
    assert api.post("/api/clients", json={**NEW_CLIENT, "contact_email": "bad"}, headers=headers).status_code == 422
    assert api.post("/api/clients", json={**NEW_CLIENT, "contact_email": "bad"}, headers=headers).status_code == 422
    # The key was not consumed by a rejected request (nothing was stored with it).
    r = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    assert r.status_code == 201


def test_expired_keys_run_again(api, tenant_a, session):
    from sqlalchemy import update

    from coursier.db.idempotency import IdempotencyRecord

    headers = {**tenant_a.auth, "Idempotency-Key": "k-4"}
    assert api.post("/api/clients", json=NEW_CLIENT, headers=headers).status_code == 201
    session.execute(update(IdempotencyRecord).values(created_at=IdempotencyRecord.created_at - timedelta(hours=25)))
    session.commit()
    r = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    assert r.status_code == 409 and r.json()["code"] == "client_external_ref_taken"  # ran again, not replayed


def test_keys_longer_than_255_characters_are_refused(api, tenant_a):
    r = api.post("/api/clients", json=NEW_CLIENT, headers={**tenant_a.auth, "Idempotency-Key": "k" * 256})
    assert r.status_code == 400 and r.json()["code"] == "invalid_idempotency_key"


def test_a_failed_commit_stores_nothing_under_the_key(app, api, tenant_a):
    sessions = app.state.sessions

    def failing_commit():
        raise RuntimeError("the database went away")

    def sessions_that_cannot_commit():
        session = sessions()
        session.commit = failing_commit
        return session

    headers = {**tenant_a.auth, "Idempotency-Key": "k-5"}
    # Set and put back by hand: Starlette's State keeps attributes in a dict monkeypatch cannot restore.
    app.state.sessions = sessions_that_cannot_commit
    try:
        r = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    finally:
        app.state.sessions = sessions
    assert r.status_code == 500 and r.json()["code"] == "commit_failed"
    r = api.post("/api/clients", json=NEW_CLIENT, headers=headers)
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers


def test_idempotency_needs_a_valid_token(api):
    r = api.post("/api/clients", json=NEW_CLIENT, headers={"Idempotency-Key": "k", "Authorization": "csk_nope"})
    assert r.status_code == 401


def test_concurrent_duplicates_create_one_object(live_server, committed_tenant):
    """Each duplicate gets the replay or, while the first still runs, a quick 409: none waits."""
    base, _ = live_server
    headers = {**committed_tenant.auth, "Idempotency-Key": "concurrent-1"}
    body = {**NEW_CLIENT, "external_ref": "concurrent"}
    results: list[httpx.Response] = []
    barrier = threading.Barrier(8)

    def post():
        barrier.wait()
        results.append(httpx.post(base + "/api/clients", json=body, headers=headers, timeout=30))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    created = [r for r in results if r.status_code == 201]
    in_progress = [r for r in results if r.status_code == 409]
    assert len(created) + len(in_progress) == 8, [r.status_code for r in results]
    assert len({r.json()["client"]["client_id"] for r in created}) == 1
    assert all(r.json()["code"] == "idempotency_key_in_progress" and r.headers["retry-after"] for r in in_progress)
    listed = httpx.get(
        base + "/api/clients", params={"external_ref": "concurrent"}, headers=committed_tenant.auth
    ).json()
    assert len(listed) == 1
    # Once the first has finished, a duplicate gets its response.
    replay = httpx.post(base + "/api/clients", json=body, headers=headers, timeout=30)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"


def test_concurrent_creates_without_a_key_never_duplicate(live_server, committed_tenant):
    base, _ = live_server
    body = {**NEW_CLIENT, "external_ref": "racy"}
    results: list[int] = []
    barrier = threading.Barrier(6)

    def post():
        barrier.wait()
        results.append(
            httpx.post(base + "/api/clients", json=body, headers=committed_tenant.auth, timeout=30).status_code
        )

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [409] * 5


@pytest.mark.parametrize("path", ["/api/clients", "/api/clients/"])
def test_collections_answer_without_redirect(api, tenant_a, path):
    r = api.get(path, headers=tenant_a.auth, follow_redirects=False)
    assert r.status_code == 200


def test_openapi_and_docs_are_served(api):
    spec = api.get("/openapi.json").json()
    assert "/api/clients" in spec["paths"] and "/api/usage/metrics" in spec["paths"]
    assert "/api/clients/" not in spec["paths"]  # the slash twins answer but are not documented twice
    assert spec["components"]["securitySchemes"]["ApiToken"]["name"] == "Authorization"
    assert api.get("/docs").status_code == 200


def test_onboarding_tokens_never_reach_the_logs(api, caplog):
    token = "tok3nTHATm4yN0tBeL0gged-xyz"
    with caplog.at_level("INFO", logger="coursier.access"):
        api.get(f"/onboarding/{token}/mandate.pdf")
    lines = [r.getMessage() + str(getattr(r, "path", "")) for r in caplog.records if r.name == "coursier.access"]
    assert lines and all(token not in line for line in lines)
    assert any("/onboarding/[redacted]/mandate.pdf" in line for line in lines)
