"""The PPF connector, against the sandbox in a real separate process, and how it maps failures."""

import dataclasses
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from coursier.kit.clock import today
from coursier.network.ppf import (
    Addressee,
    Company,
    DirectoryLine,
    PPFAuthError,
    PPFClient,
    PPFConflict,
    PPFNotFound,
    PPFRejected,
    PPFUnavailable,
)
from coursier.sandbox.process import SandboxProcess, free_port

SANDBOX_FIXTURES = Path(__file__).resolve().parents[1] / "sandbox" / "fixtures"
TOKENS = {"0042": "ppf-test-0042", "0099": "ppf-test-0099"}
TODAY = today()


@pytest.fixture(scope="module")
def sandbox_url(fresh_database, worker_id, tmp_path_factory) -> Iterator[str]:
    # A sandbox of its own, with no generated companies, rather than the shared `sandbox_server`:
    # these tests create lines on the fixed companies, which other packages' tests use too.
    process = SandboxProcess(
        database_url=fresh_database(f"coursier_ppf_test_{worker_id}"),
        platforms={token: matricule for matricule, token in TOKENS.items()},
        log_path=tmp_path_factory.mktemp("ppf") / "sandbox.log",
        seed_companies=0,
    )
    with process:
        yield process.url


@pytest.fixture
def ppf(sandbox_url) -> Iterator[PPFClient]:
    with PPFClient(sandbox_url, TOKENS["0042"]) as client:
        yield client


@pytest.fixture
def competitor(sandbox_url) -> Iterator[PPFClient]:
    with PPFClient(sandbox_url, TOKENS["0099"]) as client:
        yield client


# ---- register ----


def test_a_company_comes_back_as_frozen_dataclasses(ppf):
    company = ppf.get_company("100000009")
    assert isinstance(company, Company) and company.active
    assert [(site.siret, site.active, site.head_office) for site in company.establishments] == [
        ("10000000900017", True, True),
        ("10000000900025", True, False),
        ("10000000900033", False, False),
    ]
    assert company.establishments[0].address.city == "Paris"
    with pytest.raises(dataclasses.FrozenInstanceError):
        company.legal_name = "changed"  # type: ignore[misc]


def test_an_establishment_and_a_name_search(ppf):
    found = ppf.get_establishment("40000000600025")
    assert (found.siren, found.legal_name, found.establishment.address.city) == (
        "400000006",
        "Dupont & Fils Transports",
        "Toulouse",
    )
    assert [company.siren for company in ppf.search_companies("ÉTOILE")] == ["200000008"]


def test_an_unknown_company_is_not_found(ppf):
    with pytest.raises(PPFNotFound) as caught:
        ppf.get_company("999999998")
    assert (caught.value.status, caught.value.code) == (404, "unknown_company")


# ---- directory ----


def test_a_line_from_creation_to_its_end(ppf, competitor):
    line = ppf.create_line(siren="400000006", platform_id="0042", effective_from=TODAY - timedelta(days=1))
    assert isinstance(line, DirectoryLine) and line.status == "Enabled" and line.effective_to is None

    with pytest.raises(PPFConflict) as mine:
        ppf.create_line(siren="400000006", platform_id="0042", effective_from=TODAY)
    assert (mine.value.code, mine.value.line_id) == ("line_exists", line.line_id)
    with pytest.raises(PPFConflict) as theirs:
        competitor.create_line(siren="400000006", platform_id="0099", effective_from=TODAY)
    assert (theirs.value.code, theirs.value.line_id) == ("line_held_by_other_platform", None)

    found = ppf.lookup(siren="400000006", siret="40000000600017")
    assert isinstance(found, Addressee) and found.platform_id == "0042" and found.line == line
    assert found.legal_name == "Dupont & Fils Transports" and found.establishment.siret == "40000000600017"
    assert ppf.lookup(electronic_address="0225:400000006").line == line
    assert ppf.search_lines(siren="400000006") == [line]

    ended = ppf.close_line(line.line_id, TODAY + timedelta(days=30))
    assert ended.effective_to == TODAY + timedelta(days=30) and ended.instance_id != line.instance_id
    assert ppf.get_line(line.line_id) == ended
    assert ppf.line_instances(line.line_id) == [line, ended]
    with pytest.raises(PPFNotFound) as gone:
        ppf.lookup(siren="400000006", at=TODAY + timedelta(days=30))
    assert gone.value.code == "not_addressable"
    assert ppf.search_lines(siren="400000006", at=TODAY + timedelta(days=30)) == []


def test_a_routing_code_and_its_line(ppf):
    code = ppf.declare_routing_code(
        siret="10000000900025", routing_code="ACHATS", label="Achats Lyon", legal_commitment_management=True
    )
    assert (code.platform_id, code.legal_commitment_management) == ("0042", True)
    assert ppf.routing_codes("10000000900025") == [code]
    line = ppf.create_line(
        siren="100000009",
        siret="10000000900025",
        routing_code="ACHATS",
        platform_id="0042",
        effective_from=TODAY,
        effective_to=TODAY + timedelta(days=90),
    )
    assert ppf.lookup(siren="100000009", siret="10000000900025", routing_code="ACHATS").line == line
    assert ppf.search_lines(routing_code="ACHATS", include_closed=True) == [line]


def test_a_request_breaking_a_rule_is_rejected_with_its_code(ppf):
    with pytest.raises(PPFRejected) as bad_siret:
        ppf.create_line(siren="100000009", siret="10000000900018", platform_id="0042", effective_from=TODAY)
    assert (bad_siret.value.status, bad_siret.value.code) == (422, "invalid_siret")
    with pytest.raises(PPFRejected) as too_short:
        ppf.search_companies("a")
    assert too_short.value.code == "validation_error" and too_short.value.errors[0]["loc"] == ["query", "name"]


def test_a_wrong_token_or_a_foreign_line_is_an_auth_error(sandbox_url, ppf, competitor):
    with PPFClient(sandbox_url, "not-a-token") as stranger, pytest.raises(PPFAuthError) as unknown:
        stranger.get_company("100000009")
    assert unknown.value.status == 401
    line = ppf.create_line(siren="200000008", suffix="AUTH1", platform_id="0042", effective_from=TODAY)
    with pytest.raises(PPFAuthError) as foreign:
        competitor.close_line(line.line_id, TODAY + timedelta(days=1))
    assert (foreign.value.status, foreign.value.code) == (403, "not_line_owner")


# ---- mail ----


def test_a_mail_lands_in_the_mailbox(ppf, sandbox_url):
    mail_id = ppf.send_mail("onboarding@example.fr", "Votre code", "Code : 424242", html="<p>424242</p>")
    [mail] = httpx.get(f"{sandbox_url}/mailbox", params={"to": "onboarding@example.fr"}).json()
    assert (mail["mail_id"], mail["text"], mail["html"]) == (mail_id, "Code : 424242", "<p>424242</p>")


# ---- when the PPF cannot answer ----


def test_an_outage_is_unavailable(ppf, sandbox_url):
    switch = f"{sandbox_url}/admin/availability"
    headers = {"Authorization": f"Bearer {TOKENS['0042']}"}
    httpx.post(switch, json={"available": False}, headers=headers).raise_for_status()
    try:
        with pytest.raises(PPFUnavailable) as caught:
            ppf.get_company("100000009")
        assert (caught.value.status, caught.value.code) == (503, "ppf_unavailable")
    finally:
        httpx.post(switch, json={"available": True}, headers=headers).raise_for_status()
    assert ppf.get_company("100000009").siren == "100000009"


def test_a_refused_connection_is_unavailable():
    with PPFClient(f"http://127.0.0.1:{free_port()}", "token") as client, pytest.raises(PPFUnavailable) as caught:
        client.get_company("100000009")
    assert caught.value.code == "unreachable" and isinstance(caught.value.__cause__, httpx.ConnectError)


def test_a_silent_server_times_out_as_unavailable():
    with socket.socket() as silent:  # the kernel accepts connections; nobody ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with PPFClient(url, "token", timeout=0.2) as client, pytest.raises(PPFUnavailable) as caught:
            client.lookup(siren="100000009")
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


def _answering(status: int, body: bytes, content_type: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=body, headers={"content-type": content_type})
    )


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error", "code"),
    [
        (500, b"Internal Server Error", "text/plain", PPFUnavailable, "http_500"),
        (502, b"<html>bad gateway</html>", "text/html", PPFUnavailable, "http_502"),
        (429, b'{"code": "rate_limited"}', "application/problem+json", PPFUnavailable, "rate_limited"),
        (403, b'{"code": "forbidden"}', "application/problem+json", PPFAuthError, "forbidden"),
        (409, b'{"code": "line_exists", "line_id": "line_1"}', "application/problem+json", PPFConflict, "line_exists"),
        (418, b"[1, 2]", "application/json", PPFRejected, "http_418"),
        (
            400,
            b'{"code": "bad_request", "errors": [{"loc": ["x"]}]}',
            "application/problem+json",
            PPFRejected,
            "bad_request",
        ),
    ],
)
def test_answers_map_to_typed_errors(status, body, content_type, error, code):
    client = PPFClient("http://ppf.invalid", "token", transport=_answering(status, body, content_type))
    with client, pytest.raises(error) as caught:
        client.get_line("line_1")
    assert (caught.value.status, caught.value.code) == (status, code)


def test_every_call_carries_the_bearer_token():
    seen = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(201, json={"mail_id": "mail_1"})

    with PPFClient("http://ppf.invalid/", "secret", transport=httpx.MockTransport(record)) as client:
        assert client.send_mail("a@example.fr", "s", "t") == "mail_1"
    assert seen == ["Bearer secret"]


def test_dates_travel_as_iso_strings():
    captured = {}

    def record(request: httpx.Request) -> httpx.Response:
        captured.update(request.url.params)
        return httpx.Response(200, json=[])

    with PPFClient("http://ppf.invalid", "t", transport=httpx.MockTransport(record)) as client:
        assert client.search_lines(siren="100000009", at=date(2026, 9, 1)) == []
    assert captured == {"siren": "100000009", "at": "2026-09-01", "include_closed": "false"}
