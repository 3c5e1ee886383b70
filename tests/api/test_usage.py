import csv
import io
from datetime import UTC, datetime

from coursier.kit.tenancy import TenantContext
from coursier.services import usage


def _flush(app):
    app.state.usage.flush()


def test_calls_are_counted_per_client_and_area(api, app, tenant_a):
    for _ in range(3):
        api.get("/api/settings", headers=tenant_a.headers)
    api.patch("/api/settings", json={"language": "xx"}, headers=tenant_a.headers)  # 422: a failed call
    api.get("/api/clients", headers=tenant_a.auth)  # sponsor-level: not this client's
    _flush(app)
    r = api.get("/api/usage/metrics", params={"period": "daily"}, headers=tenant_a.headers)
    assert r.status_code == 200
    m = r.json()
    assert m["company_id"] == tenant_a.client_id
    assert m["total_api_calls"] == 4
    assert m["total_successful_calls"] == 3 and m["total_failed_calls"] == 1
    assert m["success_rate"] == 75.0
    assert m["endpoint_usage"] == {"GET /api/settings": 3, "PATCH /api/settings": 1}
    [area] = m["areas"]
    assert area["area"] == "settings" and area["calls"] == 4 and area["failed"] == 1
    assert m["series"][0]["total_api_calls"] == 4
    assert m["counters"] == {name: 0 for name in usage.DOMAIN_COUNTERS}


def test_metrics_include_domain_counters(api, app, tenant_a, session):
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    usage.count(session, ctx, "invoices_sent", 2)
    usage.count(session, ctx, "drafts_finalized")
    session.commit()
    m = api.get("/api/usage/metrics", headers=tenant_a.headers).json()
    assert m["counters"]["invoices_sent"] == 2
    assert m["counters"]["drafts_finalized"] == 1
    assert m["period"] == "monthly"


def test_metrics_windows_and_bad_parameters(api, tenant_a):
    r = api.get(
        "/api/usage/metrics",
        params={"period": "weekly", "start_date": "2026-01-01", "end_date": "2026-01-31"},
        headers=tenant_a.headers,
    )
    assert r.status_code == 200
    assert (r.json()["start_date"], r.json()["end_date"]) == ("2026-01-01", "2026-01-31")
    assert api.get("/api/usage/metrics", params={"period": "hourly"}, headers=tenant_a.headers).status_code == 422
    r = api.get(
        "/api/usage/metrics", params={"start_date": "2026-02-01", "end_date": "2026-01-01"}, headers=tenant_a.headers
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_date_range"


def test_summary(api, app, tenant_a):
    api.get("/api/settings", headers=tenant_a.headers)
    _flush(app)
    s = api.get("/api/usage/summary", headers=tenant_a.headers).json()
    assert s["current_month_calls"] == 1
    assert s["most_used_endpoint"] == "GET /api/settings"
    assert s["peak_usage_day"] == datetime.now(UTC).date().isoformat()


def test_billing_export_json_and_csv(api, app, tenant_a, session):
    api.get("/api/settings", headers=tenant_a.headers)
    usage.count(
        session, TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id), "invoices_received", 5
    )
    session.commit()
    _flush(app)
    month = datetime.now(UTC).strftime("%Y-%m")
    body = api.get("/api/usage/export", params={"month": month}, headers=tenant_a.auth).json()
    row = next(r for r in body["clients"] if r["client_id"] == tenant_a.client_id)
    assert row["api_calls"] == 1 and row["invoices_received"] == 5 and row["external_ref"] == "sponsor-a-1"
    r = api.get("/api/usage/export", params={"month": month, "format": "csv"}, headers=tenant_a.auth)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert any(x["client_id"] == tenant_a.client_id and x["invoices_received"] == "5" for x in rows)
    assert api.get("/api/usage/export", params={"month": "2026-13"}, headers=tenant_a.auth).status_code == 400
    assert api.get("/api/usage/export", params={"month": "26-1"}, headers=tenant_a.auth).status_code == 422


def test_another_sponsor_sees_none_of_the_usage(api, app, tenant_a, tenant_b):
    api.get("/api/settings", headers=tenant_a.headers)
    _flush(app)
    foreign = {"Authorization": tenant_b.token, "X-PDP-Client-Id": tenant_a.client_id}
    assert api.get("/api/usage/metrics", headers=foreign).status_code == 404
    assert api.get("/api/usage/summary", headers=foreign).status_code == 404
    month = datetime.now(UTC).strftime("%Y-%m")
    rows = api.get("/api/usage/export", params={"month": month}, headers=tenant_b.auth).json()["clients"]
    assert tenant_a.client_id not in [r["client_id"] for r in rows]
    assert all(r["api_calls"] == 0 for r in rows)  # b made no client call before this export


def test_token_last_used_is_written_by_the_flush(api, app, tenant_a, session):
    from coursier.services.sponsors import list_tokens

    api.get("/api/clients", headers=tenant_a.auth)
    _flush(app)
    session.expire_all()
    assert list_tokens(session, tenant_a.sponsor_id)[0].last_used_at is not None
