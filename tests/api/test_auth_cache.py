"""Who a token is and that a client exists are kept a few seconds per process, never at the cost of
a revoked token or a deleted client being served by the process that revoked or deleted it."""

import pytest
from sqlalchemy import update

from coursier.db.sponsors import ApiToken
from coursier.kit import clock
from coursier.services import clients, sponsors


@pytest.fixture
def timer(monkeypatch):
    """The caches' clock, moved by hand."""

    class Timer:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    timer = Timer()
    for cache in (sponsors.known_tokens, clients.known_clients):
        monkeypatch.setattr(cache, "_timer", timer)
        cache.clear()
    return timer


def _revoke_elsewhere(session, tenant) -> None:
    """The tenant's tokens revoked as another process does it: this one is not told."""
    session.execute(update(ApiToken).where(ApiToken.sponsor_id == tenant.sponsor_id).values(revoked_at=clock.now()))
    session.commit()


def test_a_token_revoked_here_is_refused_at_once(api, tenant_a, session, timer):
    assert api.get("/api/clients", headers=tenant_a.auth).status_code == 200  # now kept
    sponsors.revoke_token(session, sponsors.list_tokens(session, tenant_a.sponsor_id)[0].id)
    session.commit()
    r = api.get("/api/clients", headers=tenant_a.auth)
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"


def test_a_token_revoked_by_another_process_is_refused_within_the_cache_life(api, tenant_a, session, timer):
    assert api.get("/api/clients", headers=tenant_a.auth).status_code == 200
    _revoke_elsewhere(session, tenant_a)
    timer.now += sponsors.known_tokens.seconds - 0.5
    assert api.get("/api/clients", headers=tenant_a.auth).status_code == 200
    timer.now += 1
    assert api.get("/api/clients", headers=tenant_a.auth).status_code == 401


def test_the_cache_life_is_the_setting(database_url, engine, sessions, tenant_a, session, timer, monkeypatch):
    from fastapi.testclient import TestClient

    from conftest import make_runtime
    from coursier.api.app import create_app

    for cache in (sponsors.known_tokens, clients.known_clients):
        monkeypatch.setattr(cache, "seconds", cache.seconds)  # put back after the test
    app = create_app(make_runtime(database_url, engine, sessions, auth_cache_seconds=0))
    with TestClient(app) as api:
        assert sponsors.known_tokens.seconds == clients.known_clients.seconds == 0
        assert api.get("/api/settings", headers=tenant_a.headers).status_code == 200
        _revoke_elsewhere(session, tenant_a)
        assert api.get("/api/settings", headers=tenant_a.headers).status_code == 401  # nothing was kept


def test_a_client_deleted_here_is_unknown_at_once(api, tenant_a, tenant_b, timer):
    assert api.get("/api/settings", headers=tenant_a.headers).status_code == 200  # the client is now kept
    # Another sponsor naming it gets the 404 of an unknown client, cached or not.
    for _ in range(2):
        r = api.get("/api/settings", headers={**tenant_b.auth, "X-PDP-Client-Id": tenant_a.client_id})
        assert r.status_code == 404 and r.json()["code"] == "client_not_found"
    assert api.delete(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 204
    r = api.get("/api/settings", headers=tenant_a.headers)
    assert r.status_code == 404 and r.json()["code"] == "client_not_found"
