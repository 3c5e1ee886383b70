"""The directory API of the sandbox (PPF-DIR 1.11.0): lines and their annex 7 rules, instances,
masking, searches; legal units, establishments, routing codes; PISTE tokens.

The shared sandbox routes to a line the day it is created (notice 0); the rules that need the
real notice of one day (G1.85, G1.87, G1.88) run on a second app over the same database."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from coursier.sandbox.app import create_sandbox_app
from coursier.sandbox.config import PisteClient, SandboxConfig
from support.directory import UNKNOWN_SIREN, create, day, line_body


def instance(client, instance_id: int) -> dict:
    response = client.get(f"/ligne-annuaire/id-instance:{instance_id}")
    assert response.status_code == 200, response.text
    return response.json()


def search(client, **body) -> httpx.Response:
    return client.post("/ligne-annuaire/recherche", json=body)


def strict(field: str, value) -> dict:
    return {field: {"op": "strict", "valeur": value}}


def declare(client, siret: str, code: str) -> None:
    body = {"siret": siret, "identifiantRoutage": code, "libelleCodeRoutage": code, "natureEtablissement": "Privé"}
    response = client.post("/code-routage", json={**body, "etatAdministratif": "A"})
    assert response.status_code == 201, response.text


def refusal(response: httpx.Response, status: int = 422) -> tuple:
    """(reason, rule) of a refusal, after checking its `erreur` document."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["statut"] == status and body["detail"] and body["titre"]
    return body.get("code"), body.get("regle")


@pytest.fixture(scope="module")
def notice_of_one_day(sandbox_server):
    """The directory API, as platform 0042, of a sandbox app with the rules' notice (J+1), on the
    shared sandbox's database."""
    config = SandboxConfig(
        database_url=sandbox_server.database_url,
        seed_companies=0,
        piste_clients={"strict-0042": PisteClient("s", "0042")},
        platforms={"strict-token": "0042"},
        line_notice_days=1,
        directory_exports=False,
    )
    client = TestClient(create_sandbox_app(config))
    token = client.post(
        "/api/oauth/token", data={"grant_type": "client_credentials", "client_id": "strict-0042", "client_secret": "s"}
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    client.base_url = client.base_url.join("/ppf/annuaire-public/v1/")
    yield client
    client.close()


# ---- creating lines ----


def test_a_platform_creates_a_line_and_reads_its_instance(directory, company):
    written = create(directory, company.siren)
    assert (written["identifiantAdressage"], written["dateDebutEffet"]) == (company.siren, day(0))
    line = instance(directory, written["idInstance"])
    history = line.pop("historisation")
    assert line == {"matriculePlateforme": "0042", "identifiantAdressage": company.siren, "siren": company.siren}
    assert (history["idInstance"], history["dateDebutEffet"], history["masque"]) == (
        written["idInstance"],
        day(0),
        False,
    )
    assert history["creePar"] == "test-client-0042" and history["dateDefinition"]


def test_a_line_on_each_addressing_level(directory, company, suffix):
    site = company.establishments[0].siret
    declare(directory, site, "SERVICE-A")
    addresses = [
        create(directory, company.siren, siret=site)["identifiantAdressage"],
        create(directory, company.siren, siret=site, identifiantRoutage="SERVICE-A")["identifiantAdressage"],
        create(directory, company.siren, suffixeAdressage=suffix)["identifiantAdressage"],
    ]
    assert addresses == [f"{company.siren}_{site}", f"{company.siren}_{site}_SERVICE-A", f"{company.siren}_{suffix}"]


@pytest.mark.parametrize(
    ("body", "reason", "rule"),
    [
        (line_body("100000009", siret="40000000600017"), "REJ_COH", "G1.80"),
        (line_body("100000009", identifiantRoutage="ACHATS"), "REJ_COH", "G1.91"),
        (line_body("100000009", siret="10000000900017", suffixeAdressage="A"), "REJ_COH", "G1.93"),
        (line_body("100000009", siret="10000000900017", identifiantRoutage="A/B"), "REJ_VAL_INC", "G1.95"),
        (line_body("100000009", suffixeAdressage="a@b"), "REJ_VAL_INC", "G1.115"),
        (line_body("100000009", suffixeAdressage="10000000900017_X"), "REJ_VAL_INC", None),  # reads as a SIRET
        (line_body(UNKNOWN_SIREN), "REJ_RG", "G1.96"),
        (line_body("300000007"), "REJ_RG", "G1.96"),  # ceased
        (line_body("100000009", siret="10000000900033"), "REJ_RG", "G1.97"),  # closed
        (line_body("100000009", siret="10000000900025", identifiantRoutage="NEVER-DECLARED"), "REJ_COH", "G1.92"),
        (line_body("100000009", platform="9998"), "REJ_VAL_INC", "G1.112"),
        (line_body("100000009", platform="0077"), "REJ_RG", "G1.94"),
        (line_body("100000009", start=3, end=3), "REJ_COH", "G1.113"),
        (line_body("100000009", start=3, end=40000), "REJ_VAL_INC", "G1.36"),
    ],
)
def test_a_line_breaking_a_rule_is_refused_with_its_reason_and_rule(directory, body, reason, rule):
    assert refusal(directory.post("/ligne-annuaire", json=body)) == (reason, rule)


def test_a_platform_gives_lines_its_own_matricule_only(directory):
    assert refusal(directory.post("/ligne-annuaire", json=line_body("100000009", platform="0099")), 403) == (
        "REJ_HAB",
        None,
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"periodeEffet": {"dateDebutEffet": day(1)}}, 400),  # no addressing
        ({**line_body("100000009"), "informationAdressage": {"siren": "100000009"}}, 422),  # no matricule
        (line_body("100000009", nic="00017"), 422),  # informationAdressage admits no other member
        (line_body("1000000091"), 422),  # a SIREN is 9 digits
        ("not json", 400),
    ],
)
def test_a_malformed_body_is_refused(directory, body, status):
    if isinstance(body, str):
        response = directory.post("/ligne-annuaire", content=body, headers={"Content-Type": "application/json"})
    else:
        response = directory.post("/ligne-annuaire", json=body)
    assert refusal(response, status)[0] in ("REJ_VAL_INC", "bad_request")


# ---- one platform at a time on a level (G1.86) ----


def test_periods_of_one_level_never_overlap_and_whose_line_it_is_is_not_told(directory, rival, company, problem):
    create(directory, company.siren, start=0, end=10)
    handed_over = create(rival, company.siren, platform="0099", start=10)
    for client, start, platform in ((rival, 5, "0099"), (directory, 20, "0042")):
        response = client.post("/ligne-annuaire", json=line_body(company.siren, start=start, platform=platform))
        assert refusal(response) == ("REJ_RG", "G1.86")
        assert "0042" not in response.json()["detail"] and "0099" not in response.json()["detail"]
    assert handed_over["dateDebutEffet"] == day(10)


def test_only_one_of_simultaneous_creations_wins(sandbox_server, company):
    def attempt(_):
        with sandbox_server.directory("0042") as client:
            return client.post("/ligne-annuaire", json=line_body(company.siren, start=2)).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(attempt, range(6)))
    assert statuses == [201] + [422] * 5


# ---- changing lines: instances ----


def test_setting_an_end_records_a_new_instance_and_keeps_the_old(directory, company):
    first = create(directory, company.siren, start=1)
    end = {"dateFinEffet": day(30)}
    second = directory.patch(f"/ligne-annuaire/id-instance:{first['idInstance']}", json=end).json()
    assert second["idInstance"] != first["idInstance"] and second["dateDebutEffet"] == day(1)
    assert "dateFinEffet" not in instance(directory, first["idInstance"])
    assert instance(directory, second["idInstance"])["dateFinEffet"] == day(30)
    again = directory.patch(f"/ligne-annuaire/id-instance:{first['idInstance']}", json=end).json()
    assert again["idInstance"] == second["idInstance"]  # already so: nothing new
    audit = search(directory, filtres={**strict("siren", company.siren), "historisation": strict("modeAudit", True)})
    assert [r["historisation"]["idInstance"] for r in audit.json()["resultats"]] == [
        first["idInstance"],
        second["idInstance"],
    ]
    current = search(directory, filtres=strict("siren", company.siren)).json()["resultats"]
    assert [r["historisation"]["idInstance"] for r in current] == [second["idInstance"]]


def test_the_holder_lengthens_a_line_unless_it_would_overlap(directory, rival, company):
    mine = create(directory, company.siren, start=1, end=5)
    path = f"/ligne-annuaire/id-instance:{mine['idInstance']}"
    assert directory.patch(path, json={"dateFinEffet": day(8)}).status_code == 200
    create(rival, company.siren, platform="0099", start=8)
    assert refusal(directory.patch(path, json={"dateFinEffet": day(9)})) == ("REJ_RG", "G1.86")
    assert refusal(directory.patch(path, json={"dateFinEffet": None})) == ("REJ_RG", "G1.86")


def test_a_platform_taking_a_client_over_ends_the_line_of_the_previous_one(directory, rival, company):
    theirs = create(rival, company.siren, platform="0099", start=0)
    path = f"/ligne-annuaire/id-instance:{theirs['idInstance']}"
    assert directory.patch(path, json={"dateFinEffet": day(3)}).status_code == 200  # DG §3.5.5.5, figure 39
    assert refusal(directory.patch(path, json={"dateFinEffet": day(5)}), 403)[0] == "REJ_HAB"  # not lengthened
    assert refusal(directory.delete(path), 403)[0] == "REJ_HAB"  # nor masked
    create(directory, company.siren, start=3)


def test_put_hands_a_line_not_yet_in_force_to_the_caller(directory, rival, company):
    mine = create(directory, company.siren, start=4)
    path = f"/ligne-annuaire/id-instance:{mine['idInstance']}"
    assert refusal(rival.put(path, json={"dateFinEffet": None}), 422)[0] == "REJ_VAL_INC"  # matricule required
    assert refusal(directory.put(path, json={"matriculePlateforme": "0099"}), 403)[0] == "REJ_HAB"
    written = rival.put(path, json={"matriculePlateforme": "0099", "dateFinEffet": day(20)}).json()
    handed = instance(rival, written["idInstance"])
    assert (handed["matriculePlateforme"], handed["dateFinEffet"]) == ("0099", day(20))


def test_a_masked_line_is_kept_as_such_and_frees_its_level(directory, rival, company):
    mine = create(directory, company.siren, start=2)
    path = f"/ligne-annuaire/id-instance:{mine['idInstance']}"
    assert directory.delete(path).status_code == 204
    assert directory.delete(path).status_code == 204  # masked already
    assert search(directory, filtres=strict("siren", company.siren)).status_code == 204
    audit = search(directory, filtres={**strict("siren", company.siren), "historisation": strict("modeAudit", True)})
    assert [r["historisation"]["masque"] for r in audit.json()["resultats"]] == [False, True]
    assert refusal(directory.patch(path, json={"dateFinEffet": day(9)}))[0] == "REJ_RG"
    create(rival, company.siren, platform="0099", start=2)


def test_an_unknown_instance_is_not_found(directory):
    for response in (
        directory.get("/ligne-annuaire/id-instance:999999999"),
        directory.patch("/ligne-annuaire/id-instance:999999999", json={"dateFinEffet": day(3)}),
        directory.delete("/ligne-annuaire/id-instance:999999999"),
    ):
        assert refusal(response, 404)


# ---- the rules' own notice: J+1 ----


def test_a_line_starts_tomorrow_at_the_earliest(notice_of_one_day, company):
    assert refusal(notice_of_one_day.post("/ligne-annuaire", json=line_body(company.siren, start=0))) == (
        "REJ_RG",
        "G1.87",
    )
    create(notice_of_one_day, company.siren, start=1)


def test_a_line_in_force_restated_only_sets_its_end_which_is_tomorrow_at_the_earliest(
    directory, notice_of_one_day, company
):
    in_force = create(directory, company.siren, start=0)  # the shared sandbox's notice is 0
    restated = line_body(company.siren, start=0, end=0)
    assert refusal(notice_of_one_day.post("/ligne-annuaire", json=restated)) == ("REJ_COH", "G1.113")
    restated = line_body(company.siren, start=0, end=1)
    written = notice_of_one_day.post("/ligne-annuaire", json=restated)
    assert written.status_code == 201 and written.json()["idInstance"] != in_force["idInstance"]
    assert instance(directory, written.json()["idInstance"])["dateFinEffet"] == day(1)
    path = f"/ligne-annuaire/id-instance:{in_force['idInstance']}"
    assert refusal(notice_of_one_day.patch(path, json={"dateFinEffet": day(0)})) == ("REJ_RG", "G1.88")


def test_only_a_line_not_yet_in_force_is_masked(directory, notice_of_one_day, company):
    sites = [site.siret for site in company.establishments]
    in_force = create(directory, company.siren, siret=sites[0], start=0)
    upcoming = create(notice_of_one_day, company.siren, siret=sites[1], start=1)
    masking = notice_of_one_day.delete(f"/ligne-annuaire/id-instance:{in_force['idInstance']}")
    assert refusal(masking) == ("REJ_RG", "G1.85")
    assert notice_of_one_day.delete(f"/ligne-annuaire/id-instance:{upcoming['idInstance']}").status_code == 204


# ---- searching and consulting lines ----


def test_searches_filter_sort_page_and_pick_fields(directory, rival, company, suffix):
    site = company.establishments[0].siret
    ours = create(directory, company.siren, start=0, end=6)
    theirs = create(rival, company.siren, platform="0099", start=6)
    by_suffix = create(directory, company.siren, suffixeAdressage=suffix, start=3)
    by_site = create(directory, company.siren, siret=site)

    def ids(**body) -> list[int]:
        response = search(directory, **body)
        return (
            []
            if response.status_code == 204
            else [r["historisation"]["idInstance"] for r in response.json()["resultats"]]
        )

    siren = strict("siren", company.siren)
    assert ids(filtres=siren) == [
        ours["idInstance"],
        theirs["idInstance"],
        by_site["idInstance"],
        by_suffix["idInstance"],
    ]
    assert ids(filtres={**siren, **strict("matriculePlateforme", "0099")}) == [theirs["idInstance"]]
    assert ids(filtres={**siren, **strict("suffixeAdressage", suffix)}) == [by_suffix["idInstance"]]
    assert ids(filtres={**siren, **strict("siret", site)}) == [by_site["idInstance"]]
    contains = {"identifiantAdressage": {"op": "contient", "valeur": site[9:]}}
    assert ids(filtres={**siren, **contains}) == [by_site["idInstance"]]
    on_day_4 = {**siren, "historisation": strict("dateObservation", day(4))}
    assert ids(filtres=on_day_4) == [ours["idInstance"], by_site["idInstance"], by_suffix["idInstance"]]
    window = {**siren, "historisation": {**strict("dateDebutRecherche", day(7)), **strict("dateFinRecherche", day(8))}}
    assert ids(filtres=window) == [theirs["idInstance"], by_site["idInstance"], by_suffix["idInstance"]]
    newest_first = ids(filtres=siren, tris=[{"champ": "idInstance", "ordre": "descendant"}])
    assert newest_first == sorted(newest_first, reverse=True)

    first_page = search(directory, filtres=siren, limite=3)
    assert first_page.status_code == 206 and first_page.json()["nombre_total_resultats"] == 4
    assert first_page.json()["recherche"]["limite"] == 3
    last_page = search(directory, filtres=siren, limite=3, ignorer=3)
    assert last_page.status_code == 200 and len(last_page.json()["resultats"]) == 1
    picked = search(
        directory, filtres={**siren, **strict("siret", site)}, champs=["identifiantAdressage", "idInstance"]
    )
    assert picked.json()["resultats"] == [
        {"identifiantAdressage": f"{company.siren}_{site}", "historisation": {"idInstance": by_site["idInstance"]}}
    ]
    assert search(directory, filtres=strict("siren", UNKNOWN_SIREN)).status_code == 204
    assert refusal(search(directory, limite=0), 400)


def test_the_line_of_an_address_on_a_day(directory, company):
    line = create(directory, company.siren, start=0, end=5)
    found = directory.get(f"/ligne-annuaire/code:{company.siren}", params={"dateObservation": day(2)})
    assert found.json()["historisation"]["idInstance"] == line["idInstance"]
    assert directory.get(f"/ligne-annuaire/code:{company.siren}").status_code == 200
    assert refusal(directory.get(f"/ligne-annuaire/code:{company.siren}", params={"dateObservation": day(5)}), 404)


# ---- legal units, establishments, routing codes ----


def test_legal_units_and_establishments_come_from_the_register(directory):
    unit = directory.get("/siren/code-insee:400000006").json()
    assert {k: unit[k] for k in ("siren", "raisonSociale", "typeEntite", "etatAdministratif", "diffusible")} == {
        "siren": "400000006",
        "raisonSociale": "Dupont & Fils Transports",
        "typeEntite": "Privée assujettie",
        "etatAdministratif": "A",
        "diffusible": "O",
    }
    assert directory.get(f"/siren/id-instance:{unit['historisation']['idInstance']}").json()["siren"] == "400000006"
    site = directory.get("/siret/code-insee:40000000600025").json()
    assert (site["denomination"], site["typeEtablissement"], site["adresse"]["localite"]) == (
        "Dupont & Fils dépôt",
        "S",
        "Toulouse",
    )
    found = directory.post(
        "/siren/recherche", json={"filtres": {"raisonSociale": {"op": "contient", "valeur": "étoile"}}}
    )
    assert [u["siren"] for u in found.json()["resultats"]] == ["200000008"]
    sites = directory.post("/siret/recherche", json={"filtres": strict("siren", "100000009")}).json()["resultats"]
    assert [(s["siret"], s["etatAdministratif"]) for s in sites] == [
        ("10000000900017", "A"),
        ("10000000900025", "A"),
        ("10000000900033", "F"),
    ]
    assert refusal(directory.get(f"/siren/code-insee:{UNKNOWN_SIREN}"), 404)
    history = {"filtres": {"historisation": strict("dateObservation", day(0))}}
    assert refusal(directory.post("/siren/recherche", json=history), 501)


def test_routing_codes_are_created_once_per_establishment(directory, company):
    site = company.establishments[0].siret
    declare(directory, site, "COMPTA_1")
    code = directory.get(f"/code-routage/siret:{site}/code:COMPTA_1").json()
    assert (code["typeIdentifiantRoutage"], code["etatAdministratif"], code["historisation"]["creePar"]) == (
        "0224",
        "A",
        "test-client-0042",
    )
    assert directory.get(f"/code-routage/id-instance:{code['historisation']['idInstance']}").json() == code
    body = {"siret": site, "identifiantRoutage": "COMPTA_1", "libelleCodeRoutage": "x", "natureEtablissement": "Privé"}
    assert refusal(directory.post("/code-routage", json={**body, "etatAdministratif": "A"})) == ("REJ_COH", None)
    wrong_type = {**body, "identifiantRoutage": "OTHER", "typeIdentifiantRoutage": "0088", "etatAdministratif": "A"}
    assert refusal(directory.post("/code-routage", json=wrong_type)) == ("REJ_VAL_INC", "G1.83")
    found = directory.post("/code-routage/recherche", json={"filtres": strict("siret", site)}).json()["resultats"]
    assert [c["identifiantRoutage"] for c in found] == ["COMPTA_1"]


# ---- PISTE ----


def test_the_api_wants_a_piste_access_token(sandbox_server):
    with sandbox_server.directory(None) as anonymous:
        response = anonymous.get("/siren/code-insee:100000009")
        assert refusal(response, 401) and response.headers["www-authenticate"].startswith("Bearer")
        assert refusal(anonymous.get("/siren/code-insee:100000009", headers={"Authorization": "Bearer nope"}), 401)
    with sandbox_server.client("0042") as platform_token:  # the sandbox's own token opens its extras only
        assert platform_token.get("/ppf/annuaire-public/v1/siren/code-insee:100000009").status_code == 401


def test_the_token_endpoint_takes_client_credentials_in_the_body_or_basic(sandbox_server):
    token_url = sandbox_server.url + "/api/oauth/token"
    grant = {"grant_type": "client_credentials"}
    issued = httpx.post(token_url, data={**grant, "client_id": "test-client-0042", "client_secret": "test-secret-0042"})
    assert issued.status_code == 200 and issued.json()["token_type"] == "Bearer" and issued.json()["expires_in"] == 3600
    basic = httpx.post(token_url, data=grant, auth=("test-client-0099", "test-secret-0099"))
    assert basic.status_code == 200 and basic.json()["access_token"] != issued.json()["access_token"]
    wrong = httpx.post(token_url, data={**grant, "client_id": "test-client-0042", "client_secret": "nope"})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    other_grant = httpx.post(token_url, data={"grant_type": "password", "client_id": "test-client-0042"})
    assert (other_grant.status_code, other_grant.json()["error"]) == (400, "unsupported_grant_type")
