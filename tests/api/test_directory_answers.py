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
    with sandbox_server.ppf(sandbox_server.competitor_id) as competitor:
        competitor.create_line(siren=siren, platform_id=sandbox_server.competitor_id, effective_from=today(), **fields)


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


def test_with_the_directory_api_down_a_lookup_answers_from_the_last_export(
    get, live_server, company, sandbox_server, drain_jobs
):
    from coursier.kit.defer import defer
    from coursier.services.ppf_exchange import EXCHANGE_LOCK, EXCHANGE_TASK

    _, runtime = live_server
    _competitor_line(sandbox_server, company.siren)
    with sandbox_server.client("0042") as sandbox:  # the nightly F14, now
        assert sandbox.post("/sandbox/directory-exports", json={"kind": "differential"}).status_code == 201
    with runtime.sessions.begin() as session:  # the exchange's next run collects it from our space
        defer(session, EXCHANGE_TASK, lock=EXCHANGE_LOCK)
    drain_jobs()
    sandbox_server.set_available(False)
    try:
        answer = get("/api/directory/lookup", siren=company.siren)
        unknown = get("/api/directory/lookup", siren="999999998")
    finally:
        sandbox_server.set_available(True)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["platform_id"], answer.json()["recipient"]["platform"]) == ("0099", "other")
    assert (unknown.status_code, unknown.json()["code"]) == (503, "ppf_unavailable")
