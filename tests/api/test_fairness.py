"""Fairness between sponsors: rate limits (shared by every process), the cap on heavy requests,
and `/api/usage/limits`."""

import httpx
import pytest
from fastapi.testclient import TestClient


def test_over_the_minute_limit_is_a_429_with_retry_after(app, api, tenant_a, tenant_b):
    app.state.settings.rate_limit_per_minute = 3
    for _ in range(3):
        assert api.get("/api/clients", headers=tenant_a.auth).status_code == 200
    r = api.get("/api/clients", headers=tenant_a.auth)
    assert r.status_code == 429 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "rate_limited" and r.json()["period"] == "minute"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    # Another sponsor has its own count.
    assert api.get("/api/clients", headers=tenant_b.auth).status_code == 200


def test_the_minute_limit_is_set_by_its_documented_name(monkeypatch):
    from coursier.config import Settings

    monkeypatch.setenv("COURSIER_RATE_LIMIT_PER_MINUTE", "7")
    assert Settings().rate_limit_per_minute == 7


def test_a_limit_set_to_zero_is_off(app, api, tenant_a):
    app.state.settings.rate_limit_per_minute = 0
    app.state.settings.rate_limit_per_hour = 2
    app.state.settings.rate_limit_per_hour = 0
    for _ in range(5):
        assert api.get("/api/clients", headers=tenant_a.auth).status_code == 200


def test_the_limits_and_what_is_used_are_shown(app, api, tenant_a):
    app.state.settings.rate_limit_per_minute = 50
    for _ in range(3):
        api.get("/api/clients", headers=tenant_a.auth)
    r = api.get("/api/usage/limits", params={"endpoint": "GET /api/clients"}, headers=tenant_a.auth)
    assert r.status_code == 200, r.text
    body = r.json()
    windows = {w["period"]: w for w in body["limits"]}
    assert set(windows) == {"minute", "hour", "day", "month"}
    assert windows["minute"]["limit"] == 50 and windows["minute"]["used"] == 4  # this call counts too
    assert windows["minute"]["remaining"] == 46
    assert windows["month"]["limit"] is None
    assert body["endpoint"] == "GET /api/clients"
    assert body["heavy_requests"] == {"limit": app.state.settings.heavy_requests_per_sponsor, "running": 0}


@pytest.fixture
def two_processes(committed_runtime):
    """Two apps on one database, each with its own memory, as two `coursier serve` would be."""
    from coursier.api.app import create_app

    first, second = (create_app(committed_runtime(rate_limit_per_minute=5)) for _ in range(2))
    with TestClient(first) as one, TestClient(second) as other:
        yield one, other


def test_the_limits_hold_across_processes(two_processes, committed_tenant):
    one, other = two_processes
    for _ in range(3):
        assert one.get("/api/clients", headers=committed_tenant.auth).status_code == 200
    one.app.state.rate_limits.sync()  # what the timer thread does every second
    other.app.state.rate_limits.sync()
    for _ in range(2):
        assert other.get("/api/clients", headers=committed_tenant.auth).status_code == 200
    assert other.get("/api/clients", headers=committed_tenant.auth).status_code == 429
    other.app.state.rate_limits.sync()
    one.app.state.rate_limits.sync()
    assert one.get("/api/clients", headers=committed_tenant.auth).status_code == 429


def _upload(base: str, tenant, **headers) -> httpx.Response:
    files = {"file": ("a.xml", b"<not-an-invoice/>", "application/xml")}
    return httpx.post(
        base + "/api/invoicing/files/submit", files=files, headers={**tenant.headers, **headers}, timeout=30
    )


def test_heavy_requests_over_the_cap_are_a_429(live_server, committed_tenant, engine, monkeypatch):
    from coursier.db.usage import try_heavy_slot

    base, runtime = live_server
    monkeypatch.setattr(runtime.settings, "heavy_requests_per_sponsor", 1)
    with engine.connect() as elsewhere, elsewhere.begin():  # a heavy request running in another process
        from sqlalchemy.orm import Session

        assert try_heavy_slot(Session(bind=elsewhere), committed_tenant.sponsor_id, 1)
        r = _upload(base, committed_tenant)
        assert r.status_code == 429 and r.json()["code"] == "too_many_heavy_requests"
        assert int(r.headers["retry-after"]) >= 1
        limits = httpx.get(base + "/api/usage/limits", headers=committed_tenant.auth).json()
        assert limits["heavy_requests"] == {"limit": 1, "running": 1}
        # Light requests are not capped.
        assert httpx.get(base + "/api/clients", headers=committed_tenant.auth).status_code == 200
    assert _upload(base, committed_tenant).status_code == 201
    monkeypatch.setattr(runtime.settings, "heavy_requests_per_sponsor", 0)  # off: no cap at all
    with engine.connect() as elsewhere, elsewhere.begin():
        from sqlalchemy.orm import Session

        assert try_heavy_slot(Session(bind=elsewhere), committed_tenant.sponsor_id, 1)
        assert _upload(base, committed_tenant).status_code == 201
