"""The directory: creating, ending and searching lines, the one-PA-at-a-time rule, lookup, routing codes."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from coursier.kit.clock import today
from coursier.sandbox.directory import Addressing, parse_electronic_address

TODAY = today()
UNKNOWN_SIREN = "999999998"  # Luhn-valid, in no register


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def line_body(siren: str, platform_id: str = "0042", effective_from: int = 0, **fields) -> dict:
    return {"siren": siren, "platform_id": platform_id, "effective_from": day(effective_from), **fields}


def create(client, siren: str, **fields) -> dict:
    response = client.post("/directory/lines", json=line_body(siren, **fields))
    assert response.status_code == 201, response.text
    return response.json()


def declare(client, siret: str, code: str) -> None:
    response = client.post("/directory/routing-codes", json={"siret": siret, "routing_code": code, "label": code})
    assert response.status_code == 201, response.text


# ---- creating lines ----


def test_a_platform_creates_a_line_for_a_company(ppf, company):
    line = create(ppf, company.siren)
    assert line["line_id"] and isinstance(line["instance_id"], int)
    assert {
        k: line[k]
        for k in ("siren", "siret", "routing_code", "suffix", "platform_id", "effective_from", "effective_to", "status")
    } == {
        "siren": company.siren,
        "siret": None,
        "routing_code": None,
        "suffix": None,
        "platform_id": "0042",
        "effective_from": day(0),
        "effective_to": None,
        "status": "Enabled",
    }
    assert line["created_at"] == line["updated_at"]


def test_a_line_on_each_addressing_level(ppf, company, suffix):
    site = company.establishments[0].siret
    declare(ppf, site, "SERVICE-A")
    by_siret = create(ppf, company.siren, siret=site)
    by_code = create(ppf, company.siren, siret=site, routing_code="SERVICE-A")
    by_suffix = create(ppf, company.siren, suffix=suffix)
    assert (by_siret["siret"], by_siret["routing_code"]) == (site, None)
    assert (by_code["siret"], by_code["routing_code"]) == (site, "SERVICE-A")
    assert (by_suffix["siret"], by_suffix["suffix"]) == (None, suffix)


def test_a_line_is_upcoming_enabled_or_disabled_according_to_its_dates(ppf, company):
    sites = [site.siret for site in company.establishments]
    upcoming = create(ppf, company.siren, siret=sites[0], effective_from=3)
    ended = create(ppf, company.siren, siret=sites[1], effective_from=-10, effective_to=day(0))
    assert (upcoming["status"], ended["status"]) == ("Upcoming", "Disabled")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"siren": "100000008"}, "invalid_siren"),
        ({"siren": "12345"}, "invalid_siren"),
        ({"siret": "10000000900018"}, "invalid_siret"),
        ({"siret": "20000000800017"}, "siret_not_in_siren"),
        ({"siren": UNKNOWN_SIREN}, "unknown_company"),
        ({"siret": "10000000900041"}, "unknown_company"),
        ({"siren": "300000007"}, "company_ceased"),
        ({"siret": "10000000900033"}, "establishment_closed"),
        ({"siret": "10000000900017", "routing_code": "NEVER-DECLARED"}, "unknown_routing_code"),
        ({"routing_code": "SERVICE-A"}, "routing_code_without_siret"),
        ({"siret": "10000000900017", "routing_code": "bad code!"}, "invalid_routing_code"),
        ({"siret": "10000000900017", "suffix": "X1"}, "suffix_with_siret"),
        ({"suffix": "not valid!"}, "invalid_suffix"),
        ({"suffix": "10000000900017"}, "invalid_suffix"),
        ({"effective_to": day(0)}, "invalid_period"),
    ],
)
def test_a_line_breaking_a_rule_is_refused(ppf, problem, fields, code):
    body = {**line_body("100000009"), **fields}
    assert problem(ppf.post("/directory/lines", json=body), 422)["code"] == code


def test_a_platform_creates_lines_for_itself_only(ppf, problem):
    response = ppf.post("/directory/lines", json=line_body("100000009", platform_id="0099"))
    assert problem(response, 403)["code"] == "platform_mismatch"


def test_a_malformed_body_is_a_validation_problem(ppf, problem):
    body = problem(ppf.post("/directory/lines", json={"siren": "100000009"}), 422)
    assert body["code"] == "validation_error"
    assert {tuple(error["loc"]) for error in body["errors"]} == {("body", "platform_id"), ("body", "effective_from")}


# ---- one PA at a time ----


def test_a_key_held_by_another_platform_is_409_without_naming_it(ppf, competitor, company, problem):
    create(ppf, company.siren, effective_from=-5)
    response = competitor.post("/directory/lines", json=line_body(company.siren, "0099", effective_from=30))
    body = problem(response, 409)
    assert body["code"] == "line_held_by_other_platform"
    assert "line_id" not in body and "0042" not in body["detail"].replace(company.siren, "")


def test_a_key_already_held_by_the_caller_is_409_naming_its_line(ppf, company, problem):
    mine = create(ppf, company.siren, effective_from=10, effective_to=day(20))
    response = ppf.post("/directory/lines", json=line_body(company.siren, effective_from=0, effective_to=day(11)))
    body = problem(response, 409)
    assert (body["code"], body["line_id"]) == ("line_exists", mine["line_id"])


def test_lines_on_different_keys_or_periods_do_not_clash(ppf, competitor, company):
    site = company.establishments[0].siret
    create(ppf, company.siren, effective_from=0, effective_to=day(10))
    create(competitor, company.siren, platform_id="0099", siret=site)  # another level, another key
    create(competitor, company.siren, platform_id="0099", effective_from=10)  # starts as ours ends


def test_a_platform_hands_a_key_over_by_ending_its_line(ppf, competitor, company, problem):
    ours = create(ppf, company.siren, effective_from=-30)
    assert ppf.patch(f"/directory/lines/{ours['line_id']}", json={"effective_to": day(10)}).status_code == 200
    early = competitor.post("/directory/lines", json=line_body(company.siren, "0099", effective_from=9))
    assert problem(early, 409)["code"] == "line_held_by_other_platform"
    create(competitor, company.siren, platform_id="0099", effective_from=10)
    lookup = {"siren": company.siren}
    assert ppf.get("/directory/lookup", params=lookup).json()["line"]["platform_id"] == "0042"
    assert ppf.get("/directory/lookup", params={**lookup, "at": day(10)}).json()["line"]["platform_id"] == "0099"


def test_only_one_of_two_simultaneous_creations_wins(sandbox_server, company):
    def attempt(platform: str) -> int:
        with sandbox_server.client(platform) as client:
            return client.post("/directory/lines", json=line_body(company.siren, platform)).status_code

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(attempt, ["0042", "0099"])) == [201, 409]


# ---- ending lines, history ----


def test_ending_a_line_records_a_new_instance_and_keeps_the_old(ppf, company):
    line = create(ppf, company.siren, effective_from=-3)
    ended = ppf.patch(f"/directory/lines/{line['line_id']}", json={"effective_to": day(7)}).json()
    assert ended["line_id"] == line["line_id"] and ended["instance_id"] > line["instance_id"]
    assert ended["effective_to"] == day(7) and ended["status"] == "Enabled"
    assert ended["created_at"] == line["created_at"] and ended["updated_at"] > line["updated_at"]
    assert ppf.get(f"/directory/lines/{line['line_id']}").json() == ended
    history = ppf.get(f"/directory/lines/{line['line_id']}/instances").json()
    assert [(i["instance_id"], i["effective_to"]) for i in history] == [
        (line["instance_id"], None),
        (ended["instance_id"], day(7)),
    ]


def test_a_line_ended_today_is_disabled(ppf, company):
    line = create(ppf, company.siren, effective_from=-3)
    ended = ppf.patch(f"/directory/lines/{line['line_id']}", json={"effective_to": day(0)}).json()
    assert ended["status"] == "Disabled"


def test_only_the_holder_ends_a_line(ppf, competitor, company, problem):
    line = create(ppf, company.siren)
    response = competitor.patch(f"/directory/lines/{line['line_id']}", json={"effective_to": day(5)})
    assert problem(response, 403)["code"] == "not_line_owner"


def test_a_line_is_shortened_never_lengthened_and_ending_it_again_changes_nothing(ppf, company, problem):
    line = create(ppf, company.siren, effective_from=-3)
    path = f"/directory/lines/{line['line_id']}"
    first = ppf.patch(path, json={"effective_to": day(10)}).json()
    assert problem(ppf.patch(path, json={"effective_to": day(20)}), 422)["code"] == "line_cannot_be_extended"
    assert problem(ppf.patch(path, json={"effective_to": day(-4)}), 422)["code"] == "invalid_period"
    assert ppf.patch(path, json={"effective_to": day(10)}).json()["instance_id"] == first["instance_id"]
    assert ppf.patch(path, json={"effective_to": day(5)}).json()["effective_to"] == day(5)
    assert len(ppf.get(f"{path}/instances").json()) == 3


def test_an_upcoming_line_withdrawn_on_its_first_day_frees_the_key(ppf, competitor, company):
    line = create(ppf, company.siren, effective_from=5)
    withdrawn = ppf.patch(f"/directory/lines/{line['line_id']}", json={"effective_to": day(5)}).json()
    assert withdrawn["status"] == "Disabled"
    theirs = create(competitor, company.siren, platform_id="0099", effective_from=5)
    listed = ppf.get("/directory/lines", params={"siren": company.siren}).json()
    assert [line["line_id"] for line in listed] == [theirs["line_id"]]


def test_an_unknown_line_is_404(ppf, problem):
    for response in (
        ppf.get("/directory/lines/line_nope"),
        ppf.get("/directory/lines/line_nope/instances"),
        ppf.patch("/directory/lines/line_nope", json={"effective_to": day(1)}),
    ):
        assert problem(response, 404)["code"] == "line_not_found"


# ---- search ----


def test_search_filters_lines(ppf, competitor, company):
    first, second = (site.siret for site in company.establishments[:2])
    ours = create(ppf, company.siren, effective_from=-20)
    theirs = create(competitor, company.siren, platform_id="0099", siret=first)
    ended = create(ppf, company.siren, siret=second, effective_from=-20, effective_to=day(-10))

    def found(**params) -> list[str]:
        return [line["line_id"] for line in ppf.get("/directory/lines", params=params).json()]

    assert sorted(found(siren=company.siren)) == sorted([ours["line_id"], theirs["line_id"]])
    assert found(siren=company.siren, platform_id="0099") == [theirs["line_id"]]
    assert found(siret=first) == [theirs["line_id"]]
    assert found(siret=second) == []
    assert found(siret=second, include_closed="true") == [ended["line_id"]]
    assert sorted(found(siren=company.siren, at=day(-15))) == sorted([ours["line_id"], ended["line_id"]])


def test_search_by_suffix_and_routing_code(ppf, company, suffix):
    site = company.establishments[0].siret
    declare(ppf, site, f"R-{suffix}")
    by_code = create(ppf, company.siren, siret=site, routing_code=f"R-{suffix}")
    by_suffix = create(ppf, company.siren, suffix=suffix)
    for params, expected in (({"suffix": suffix}, by_suffix), ({"routing_code": f"R-{suffix}"}, by_code)):
        found = ppf.get("/directory/lines", params=params).json()
        assert [line["line_id"] for line in found] == [expected["line_id"]]


# ---- lookup ----


def test_lookup_answers_with_the_most_precise_line_in_force(ppf, competitor, company, suffix):
    first, second = (site.siret for site in company.establishments[:2])
    declare(ppf, first, "ACHATS")
    by_siren = create(ppf, company.siren)
    by_siret = create(competitor, company.siren, platform_id="0099", siret=first)
    by_code = create(ppf, company.siren, siret=first, routing_code="ACHATS")
    by_suffix = create(competitor, company.siren, platform_id="0099", suffix=suffix)

    def routed(**params) -> str:
        response = ppf.get("/directory/lookup", params={"siren": company.siren, **params})
        assert response.status_code == 200, response.text
        return response.json()["line"]["line_id"]

    assert routed(siret=first, routing_code="ACHATS") == by_code["line_id"]
    assert routed(siret=first, routing_code="VENTES") == by_siret["line_id"]
    assert routed(siret=first) == by_siret["line_id"]
    assert routed(siret=second) == by_siren["line_id"]
    assert routed(suffix=suffix) == by_suffix["line_id"]
    assert routed(suffix=suffix + "X") == by_siren["line_id"]
    assert routed() == by_siren["line_id"]


def test_lookup_names_the_company_and_the_establishment(ppf, company):
    create(ppf, company.siren)
    site = company.establishments[1]
    body = ppf.get("/directory/lookup", params={"siren": company.siren, "siret": site.siret}).json()
    assert body["electronic_address"] == f"0225:{company.siren}_{site.siret}"
    assert body["legal_name"] == company.legal_name
    assert body["establishment"] == site.model_dump()
    assert ppf.get("/directory/lookup", params={"siren": company.siren}).json()["establishment"] is None


def test_lookup_by_electronic_address(ppf, company, suffix):
    site = company.establishments[0].siret
    declare(ppf, site, "ACHATS_2")
    by_code = create(ppf, company.siren, siret=site, routing_code="ACHATS_2")
    by_suffix = create(ppf, company.siren, suffix=suffix)
    for address, expected in (
        (f"0225:{company.siren}_{site}_ACHATS_2", by_code),
        (f"{company.siren}_{suffix}", by_suffix),
    ):
        body = ppf.get("/directory/lookup", params={"electronic_address": address}).json()
        assert body["line"]["line_id"] == expected["line_id"], address


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"electronic_address": "0009:100000009"}, "invalid_electronic_address"),
        ({"electronic_address": "100000009_10000000900018"}, "invalid_siret"),
        ({"electronic_address": "100000009", "siren": "100000009"}, "ambiguous_address"),
        ({}, "address_missing"),
        ({"siren": "100000009", "suffix": "bad suffix"}, "invalid_suffix"),
    ],
)
def test_a_malformed_address_is_refused(ppf, problem, params, code):
    assert problem(ppf.get("/directory/lookup", params=params), 422)["code"] == code


def test_an_address_without_a_line_in_force_is_not_addressable(ppf, company, problem):
    assert problem(ppf.get("/directory/lookup", params={"siren": company.siren}), 404)["code"] == "not_addressable"
    create(ppf, company.siren, effective_from=2)
    early = ppf.get("/directory/lookup", params={"siren": company.siren, "at": day(1)})
    assert problem(early, 404)["code"] == "not_addressable"
    unknown = ppf.get("/directory/lookup", params={"siren": UNKNOWN_SIREN})
    assert problem(unknown, 404)["code"] == "not_addressable"


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("100000009", Addressing("100000009")),
        ("0225:100000009_10000000900017", Addressing("100000009", "10000000900017")),
        ("100000009_10000000900017_SERVICE_1", Addressing("100000009", "10000000900017", "SERVICE_1")),
        ("100000009_FACTURES2", Addressing("100000009", suffix="FACTURES2")),
    ],
)
def test_electronic_addresses_are_read_back_into_their_parts(address, parts):
    assert parse_electronic_address(address) == parts
    assert parts.address == address.removeprefix("0225:")


# ---- routing codes ----


def test_routing_codes_are_declared_per_establishment(ppf, competitor, company, problem):
    site = company.establishments[0].siret
    response = ppf.post(
        "/directory/routing-codes",
        json={"siret": site, "routing_code": "COMPTA", "label": "Comptabilité", "legal_commitment_management": True},
    )
    assert response.status_code == 201
    assert {k: v for k, v in response.json().items() if k != "created_at"} == {
        "siret": site,
        "routing_code": "COMPTA",
        "label": "Comptabilité",
        "legal_commitment_management": True,
        "platform_id": "0042",
    }
    again = competitor.post("/directory/routing-codes", json={"siret": site, "routing_code": "COMPTA", "label": "x"})
    assert problem(again, 409)["code"] == "routing_code_exists"
    declare(competitor, site, "ACHATS")
    listed = ppf.get("/directory/routing-codes", params={"siret": site}).json()
    assert [(code["routing_code"], code["platform_id"]) for code in listed] == [("ACHATS", "0099"), ("COMPTA", "0042")]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"siret": "10000000900018"}, "invalid_siret"),
        ({"siret": "10000000900041"}, "unknown_company"),
        ({"routing_code": "with space"}, "invalid_routing_code"),
    ],
)
def test_a_routing_code_breaking_a_rule_is_refused(ppf, problem, fields, code):
    body = {"siret": "10000000900017", "routing_code": "OK", "label": "x", **fields}
    assert problem(ppf.post("/directory/routing-codes", json=body), 422)["code"] == code
