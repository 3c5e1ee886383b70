"""The PPF connector, against the sandbox's directory API in a real separate process (with the
rules' own notice: lines from tomorrow), and how it authenticates, pages and maps failures."""

import dataclasses
import json
import socket
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from coursier.kit.clock import today
from coursier.network.http import ClientCredentials
from coursier.network.ppf import (
    Addressee,
    Company,
    DirectoryLine,
    LegalUnit,
    PPFAuthError,
    PPFClient,
    PPFNotFound,
    PPFRejected,
    PPFUnavailable,
)
from coursier.sandbox.annuaire.api import BASE_PATH
from coursier.sandbox.config import PisteClient
from coursier.sandbox.process import SandboxProcess, free_port

TOKENS = {"0042": "ppf-test-0042", "0099": "ppf-test-0099"}
CLIENTS = {"0042": ("ppf-client-0042", "secret-0042"), "0099": ("ppf-client-0099", "secret-0099")}
TODAY = today()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(scope="module")
def sandbox_url(fresh_database, worker_id, tmp_path_factory) -> Iterator[str]:
    # A sandbox of its own, with no generated companies and the rules' notice of one day, rather
    # than the shared `sandbox_server`: these tests create lines on the fixed companies.
    process = SandboxProcess(
        database_url=fresh_database(f"coursier_ppf_test_{worker_id}"),
        platforms={token: matricule for matricule, token in TOKENS.items()},
        piste_clients={client: PisteClient(secret, matricule) for matricule, (client, secret) in CLIENTS.items()},
        log_path=tmp_path_factory.mktemp("ppf") / "sandbox.log",
        seed_companies=0,
        directory_exports=False,
    )
    with process:
        yield process.url


def _client(sandbox_url: str, platform: str, secret: str | None = None) -> PPFClient:
    client_id, known_secret = CLIENTS[platform]
    credentials = ClientCredentials(sandbox_url + "/api/oauth/token", client_id, secret or known_secret)
    return PPFClient(sandbox_url + BASE_PATH, credentials)


@pytest.fixture
def ppf(sandbox_url) -> Iterator[PPFClient]:
    with _client(sandbox_url, "0042") as client:
        yield client


@pytest.fixture
def competitor(sandbox_url) -> Iterator[PPFClient]:
    with _client(sandbox_url, "0099") as client:
        yield client


# ---- legal units and establishments ----


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
    assert (found.name, found.address.city, found.head_office) == ("Dupont & Fils dépôt", "Toulouse", False)
    assert ppf.search_companies("ÉTOILE") == [LegalUnit("200000008", "Boulangerie Étoile SARL", "A")]
    assert ppf.search_companies("no such name") == []


def test_an_unknown_company_is_not_found(ppf):
    with pytest.raises(PPFNotFound) as caught:
        ppf.get_company("999999998")
    assert caught.value.status == 404


# ---- directory lines ----


def test_a_line_from_creation_to_its_end(ppf, competitor):
    line = ppf.create_line(siren="400000006", platform_id="0042", effective_from=TOMORROW)
    assert isinstance(line, DirectoryLine) and (line.address, line.effective_to, line.masked) == (
        "400000006",
        None,
        False,
    )
    assert line.in_force(TOMORROW) and not line.in_force(TODAY)

    with pytest.raises(PPFRejected) as mine:
        ppf.create_line(siren="400000006", platform_id="0042", effective_from=TOMORROW + timedelta(days=5))
    with pytest.raises(PPFRejected) as theirs:
        competitor.create_line(siren="400000006", platform_id="0099", effective_from=TOMORROW)
    assert [(e.value.status, e.value.code, e.value.rule) for e in (mine, theirs)] == [(422, "REJ_RG", "G1.86")] * 2
    with pytest.raises(PPFRejected) as today_is_too_soon:
        ppf.create_line(siren="200000008", platform_id="0042", effective_from=TODAY)
    assert today_is_too_soon.value.rule == "G1.87"

    found = ppf.lookup(siren="400000006", siret="40000000600017", at=TOMORROW)
    assert isinstance(found, Addressee) and found.platform_id == "0042" and found.line == line
    assert found.legal_name == "Dupont & Fils Transports" and found.establishment.siret == "40000000600017"
    assert ppf.lookup(electronic_address="0225:400000006", at=TOMORROW).line == line
    with pytest.raises(PPFNotFound) as not_yet:
        ppf.lookup(siren="400000006")
    assert not_yet.value.code == "not_addressable"
    assert ppf.search_lines(siren="400000006") == [line]

    ended = ppf.close_line(line.line_id, TOMORROW + timedelta(days=30))
    assert ended.effective_to == TOMORROW + timedelta(days=30) and ended.instance_id != line.instance_id
    assert ppf.get_line(line.line_id) == line  # an instance never changes: the change is a new one
    assert ppf.search_lines(siren="400000006") == [ended]
    assert ppf.search_lines(siren="400000006", at=TOMORROW + timedelta(days=30)) == []


def test_a_line_not_yet_in_force_is_masked_and_frees_its_level(ppf):
    line = ppf.create_line(siren="200000008", suffix="ACHATS.2026", platform_id="0042", effective_from=TOMORROW)
    ppf.mask_line(line.line_id)
    assert ppf.search_lines(siren="200000008", suffix="ACHATS.2026") == []
    again = ppf.create_line(siren="200000008", suffix="ACHATS.2026", platform_id="0042", effective_from=TOMORROW)
    assert ppf.search_lines(siren="200000008", suffix="ACHATS.2026") == [again]


def test_a_routing_code_and_its_line(ppf):
    code = ppf.declare_routing_code(
        siret="10000000900025", routing_code="ACHATS", label="Achats Lyon", legal_commitment_management=True
    )
    assert ppf.get_routing_code("10000000900025", "ACHATS") == code
    with pytest.raises(PPFRejected) as twice:
        ppf.declare_routing_code(siret="10000000900025", routing_code="ACHATS", label="Achats Lyon")
    assert twice.value.code == "REJ_COH"
    ppf.declare_routing_code(siret="10000000900025", routing_code="ACHATS-2", label="Achats bis")
    line, other = (
        ppf.create_line(
            siren="100000009",
            siret="10000000900025",
            routing_code=routing_code,
            platform_id="0042",
            effective_from=TOMORROW,
            effective_to=TOMORROW + timedelta(days=90),
        )
        for routing_code in ("ACHATS", "ACHATS-2")
    )
    assert ppf.lookup(siren="100000009", siret="10000000900025", routing_code="ACHATS", at=TOMORROW).line == line
    # The API filters routing codes by "contains": the connector keeps the exact one.
    assert ppf.search_lines(routing_code="ACHATS") == [line]
    assert ppf.search_lines(routing_code="ACHATS-2") == [other]


def test_a_request_breaking_a_rule_is_rejected_with_its_rule(ppf):
    with pytest.raises(PPFRejected) as foreign_siret:
        ppf.create_line(siren="100000009", siret="40000000600017", platform_id="0042", effective_from=TOMORROW)
    assert (foreign_siret.value.status, foreign_siret.value.code, foreign_siret.value.rule) == (422, "REJ_COH", "G1.80")
    with pytest.raises(PPFRejected) as malformed:
        ppf.lookup(electronic_address="0088:1234")
    assert malformed.value.code == "invalid_electronic_address"


def test_wrong_credentials_or_a_foreign_line_are_auth_errors(sandbox_url, ppf, competitor):
    with _client(sandbox_url, "0042", secret="wrong") as stranger, pytest.raises(PPFAuthError) as unknown:
        stranger.get_company("100000009")
    assert (unknown.value.status, unknown.value.code) == (401, "invalid_client")
    line = ppf.create_line(siren="200000008", suffix="AUTH1", platform_id="0042", effective_from=TOMORROW)
    with pytest.raises(PPFAuthError) as foreign:
        competitor.mask_line(line.line_id)
    assert (foreign.value.status, foreign.value.code) == (403, "REJ_HAB")


# ---- when the PPF cannot answer ----


def test_an_outage_is_unavailable(ppf, sandbox_url):
    switch = f"{sandbox_url}/sandbox/admin/availability"
    headers = {"Authorization": f"Bearer {TOKENS['0042']}"}
    ppf.get_company("100000009")  # a token in hand: the outage is the API's, not PISTE's
    httpx.post(switch, json={"available": False}, headers=headers).raise_for_status()
    try:
        with pytest.raises(PPFUnavailable) as caught:
            ppf.get_company("100000009")
        assert (caught.value.status, caught.value.code) == (503, "ppf_unavailable")
    finally:
        httpx.post(switch, json={"available": True}, headers=headers).raise_for_status()
    assert ppf.get_company("100000009").siren == "100000009"


def test_a_refused_connection_is_unavailable_even_for_the_token():
    url = f"http://127.0.0.1:{free_port()}"
    credentials = ClientCredentials(url + "/api/oauth/token", "id", "secret")
    with PPFClient(url, credentials) as client, pytest.raises(PPFUnavailable) as caught:
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
        (403, b'{"statut": 403, "code": "REJ_HAB"}', "application/problem+json", PPFAuthError, "REJ_HAB"),
        (404, b'{"statut": 404, "detail": "Aucune ligne"}', "application/problem+json", PPFNotFound, "http_404"),
        (418, b"[1, 2]", "application/json", PPFRejected, "http_418"),
        (422, b'{"code": "REJ_RG", "regle": "G1.86"}', "application/problem+json", PPFRejected, "REJ_RG"),
    ],
)
def test_answers_map_to_typed_errors(status, body, content_type, error, code):
    client = PPFClient("http://ppf.invalid", "token", transport=_answering(status, body, content_type))
    with client, pytest.raises(error) as caught:
        client.get_line("12")
    assert (caught.value.status, caught.value.code) == (status, code)
    if code == "REJ_RG":
        assert caught.value.rule == "G1.86"


# ---- PISTE tokens ----


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _piste(api_answers: list[int]) -> tuple[httpx.MockTransport, list[str]]:
    """A token endpoint and an API in one transport; `seen` logs token requests and API calls."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/oauth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            assert form == {
                "grant_type": "client_credentials",
                "client_id": "id",
                "client_secret": "s",
                "scope": "openid",
            }
            number = sum(entry.startswith("token") for entry in seen) + 1
            seen.append(f"token{number}")
            return httpx.Response(200, json={"access_token": f"t{number}", "token_type": "Bearer", "expires_in": 3600})
        seen.append(request.headers["authorization"])
        status = api_answers.pop(0) if api_answers else 200
        return httpx.Response(status, json={"siret": "10000000900017", "denomination": "Acme siège"})

    return httpx.MockTransport(answer), seen


def test_a_token_is_kept_until_shortly_before_it_expires():
    transport, seen = _piste([])
    clock = _Clock()
    credentials = ClientCredentials(
        "http://piste.invalid/api/oauth/token", "id", "s", transport=transport, monotonic=clock
    )
    with PPFClient("http://ppf.invalid", credentials, transport=transport) as client:
        for _ in range(3):
            client.get_establishment("10000000900017")
        clock.now += 3600 - ClientCredentials.RENEW_BEFORE_SECONDS - 1
        client.get_establishment("10000000900017")
        clock.now += 2
        client.get_establishment("10000000900017")
    assert seen == ["token1", *["Bearer t1"] * 4, "token2", "Bearer t2"]


def test_a_token_the_api_refuses_is_renewed_once():
    transport, seen = _piste([401, 401, 401])
    credentials = ClientCredentials("http://piste.invalid/api/oauth/token", "id", "s", transport=transport)
    with PPFClient("http://ppf.invalid", credentials, transport=transport) as client, pytest.raises(PPFAuthError):
        client.get_establishment("10000000900017")
    assert seen == ["token1", "Bearer t1", "token2", "Bearer t2"]


# ---- what travels ----


def test_a_line_is_created_with_the_published_body():
    sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            sent.append(json.loads(request.content))
            return httpx.Response(201, json={"idInstance": 7, "identifiantAdressage": "100000009_10000000900025"})
        assert request.url.path == "/v1/ligne-annuaire/id-instance:7"
        return httpx.Response(
            200,
            json={
                "matriculePlateforme": "0042",
                "identifiantAdressage": "100000009_10000000900025",
                "siren": "100000009",
                "siret": "10000000900025",
                "historisation": {"idInstance": 7, "dateDebutEffet": "2026-09-01"},
            },
        )

    with PPFClient("http://ppf.invalid/v1", "t", transport=httpx.MockTransport(answer)) as client:
        line = client.create_line(
            siren="100000009", siret="10000000900025", platform_id="0042", effective_from=TOMORROW
        )
    assert line.line_id == "7" and line.siret == "10000000900025"
    assert sent == [
        {
            "periodeEffet": {"dateDebutEffet": TOMORROW.isoformat()},
            "informationAdressage": {"siren": "100000009", "siret": "10000000900025", "matriculePlateforme": "0042"},
        }
    ]


def test_a_search_reads_every_page():
    asked = []
    results = [{"siret": f"1000000090{n:04d}", "denomination": f"Site {n}"} for n in range(5)]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("code-insee:100000009"):
            return httpx.Response(200, json={"siren": "100000009", "raisonSociale": "Acme", "etatAdministratif": "A"})
        body = json.loads(request.content)
        asked.append((body["filtres"], body["ignorer"]))
        page = results[body["ignorer"] : body["ignorer"] + 2]
        status = 206 if body["ignorer"] + len(page) < len(results) else 200
        return httpx.Response(status, json={"nombre_total_resultats": len(results), "resultats": page})

    transport = httpx.MockTransport(answer)
    with PPFClient("http://ppf.invalid", "t", transport=transport) as client, pytest.MonkeyPatch.context() as patch:
        patch.setattr("coursier.network.ppf.PAGE_SIZE", 2)
        company = client.get_company("100000009")
    assert [site.name for site in company.establishments] == [f"Site {n}" for n in range(5)]
    assert asked == [({"siren": {"op": "strict", "valeur": "100000009"}}, skip) for skip in (0, 2, 4)]


def test_a_search_without_results_is_a_204():
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    with PPFClient("http://ppf.invalid", "t", transport=transport) as client:
        assert client.search_lines(siren="100000009", at=TOMORROW) == []
