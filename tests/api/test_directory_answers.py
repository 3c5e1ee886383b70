"""Directory answers the API gives from the PPF sandbox: refusals, lines seen at once, SIRET-only companies."""

from datetime import timedelta

import httpx
import pytest

from coursier.kit.clock import today


@pytest.fixture
def get(live_server, committed_tenant):
    base, _ = live_server

    def request(path: str, **params) -> httpx.Response:
        return httpx.get(base + path, params=params, headers=committed_tenant.headers, timeout=30)

    return request


def _competitor_line(sandbox_server, siren: str, **fields) -> None:
    body = {"siren": siren, "platform_id": "0099", "effective_from": today().isoformat(), **fields}
    with sandbox_server.client("0099") as ppf:
        assert ppf.post("/directory/lines", json=body).status_code == 201


def test_a_question_the_ppf_refuses_is_a_400(get):
    r = get("/api/directory/lookup", siren="600000004", electronic_address="600000004")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "directory_query_refused"


def test_a_line_registered_after_a_negative_answer_is_seen_at_once(live_server, company, sandbox_server):
    from coursier.services.directory import LookupQuery, lookup

    _, runtime = live_server
    query, ttl = LookupQuery(siren=company.siren), timedelta(seconds=60)
    # A send refused DEST_INC commits what its lookup read.
    with runtime.sessions.begin() as session:
        assert lookup(session, runtime.ppf(), query, ttl=ttl) is None
    _competitor_line(sandbox_server, company.siren)
    with runtime.sessions.begin() as session:
        assert lookup(session, runtime.ppf(), query, ttl=ttl)["platform_id"] == "0099"


def test_a_siren_with_only_a_siret_line_has_a_directory_entry(get, company, sandbox_server):
    site = company.establishments[0].siret
    assert get(f"/api/directory/{company.siren}").status_code == 404
    _competitor_line(sandbox_server, company.siren, siret=site)
    r = get(f"/api/directory/{company.siren}")
    assert r.status_code == 200, r.text
    assert r.json()["siret"] == site and r.json()["platform_id"] == "0099"
    assert [e["siret"] for e in get(f"/api/mandates/directory/{company.siren}").json()] == [site]
