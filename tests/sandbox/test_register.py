"""The company register: seeded companies, the CSV loader, and its endpoints."""

from pathlib import Path

import pytest
from stdnum.fr import siren, siret

from coursier.sandbox.register import (
    FIXED_COMPANIES,
    RegisterFileError,
    companies_from_csv,
    generated_company,
    searchable,
)


def test_every_seeded_number_passes_the_insee_checks():
    companies = list(FIXED_COMPANIES) + [generated_company(index) for index in range(500)]
    assert len({company.siren for company in companies}) == len(companies)
    for company in companies:
        assert siren.is_valid(company.siren)
        assert company.establishments and company.establishments[0].head_office
        for site in company.establishments:
            assert siret.is_valid(site.siret) and site.siret.startswith(company.siren)


def test_generated_companies_are_the_same_in_every_run():
    assert generated_company(7) == generated_company(7)
    assert generated_company(7) != generated_company(8)
    assert generated_company(0).siren == "600000004"


def test_search_ignores_case_and_accents():
    assert searchable("Boulangerie ÉTOILE") == "boulangerie etoile"


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "companies.csv"
    header = (
        "siren,legal_name,company_status,siret,establishment_name,line1,postal_code,city,country_code,"
        "administrative_status,head_office\n"
    )
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_a_csv_groups_establishments_under_their_company(tmp_path):
    path = _write(
        tmp_path,
        "500000005,Les Écluses,A,50000000500016,Siège,1 rue A,21000,Dijon,,A,true\n"
        "500000005,Les Écluses,A,50000000500024,Dépôt,2 rue B,21000,Dijon,FR,F,no\n",
    )
    [company] = companies_from_csv(path)
    assert company.legal_name == "Les Écluses"
    assert [
        (s.siret, s.administrative_status, s.head_office, s.address.country_code) for s in company.establishments
    ] == [("50000000500016", "A", True, "FR"), ("50000000500024", "F", False, "FR")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("500000006,X,A,50000000600015,S,1 rue,21000,Dijon,FR,A,true", "checksum"),  # SIREN Luhn
        ("500000005,X,A,50000000500017,S,1 rue,21000,Dijon,FR,A,true", "checksum"),  # SIRET Luhn
        ("500000005,X,A,10000000900017,S,1 rue,21000,Dijon,FR,A,true", "not an establishment"),
        ("500000005,X,Z,50000000500016,S,1 rue,21000,Dijon,FR,A,true", "company_status"),
        ("500000005,X,A,50000000500016,S,1 rue,21000,Dijon,FR,X,true", "administrative_status must be A or F"),
        ("500000005,X,A,50000000500016,S,1 rue,21000,Dijon,FR,A,maybe", "head_office"),
    ],
)
def test_a_bad_csv_row_is_refused_with_its_line(tmp_path, row, message):
    path = _write(tmp_path, "500000005,X,A,50000000500016,S,1 rue,21000,Dijon,FR,A,true\n" + row + "\n")
    with pytest.raises(RegisterFileError, match=rf"companies.csv, line 3: .*{message}"):
        companies_from_csv(path)


def test_a_csv_without_the_needed_columns_is_refused(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("siren,legal_name\n500000005,X\n", encoding="utf-8")
    with pytest.raises(RegisterFileError, match="missing columns: administrative_status, city"):
        companies_from_csv(path)


# ---- over HTTP ----


def test_a_company_with_its_establishments(ppf):
    response = ppf.get("/sandbox/register/companies/100000009")
    assert response.status_code == 200
    body = response.json()
    assert (body["siren"], body["legal_name"], body["status"]) == ("100000009", "Acme Industrie SA", "A")
    assert [(s["siret"], s["administrative_status"], s["head_office"]) for s in body["establishments"]] == [
        ("10000000900017", "A", True),
        ("10000000900025", "A", False),
        ("10000000900033", "F", False),
    ]
    assert body["establishments"][0]["address"] == {
        "line1": "12 rue de la Paix",
        "postal_code": "75002",
        "city": "Paris",
        "country_code": "FR",
    }


def test_an_establishment_names_its_company(ppf):
    body = ppf.get("/sandbox/register/establishments/40000000600025").json()
    assert body["siren"] == "400000006" and body["legal_name"] == "Dupont & Fils Transports"
    assert body["address"]["city"] == "Toulouse" and body["head_office"] is False


def test_unknown_numbers_are_404(ppf, problem):
    assert problem(ppf.get("/sandbox/register/companies/999999998"), 404)["code"] == "unknown_company"
    assert problem(ppf.get("/sandbox/register/establishments/10000000900041"), 404)["code"] == "unknown_company"


def test_the_companies_of_the_csv_are_loaded_at_start(ppf):
    body = ppf.get("/sandbox/register/companies/500000005").json()
    assert body["legal_name"] == "Librairie des Écluses"
    assert [s["administrative_status"] for s in body["establishments"]] == ["A", "F"]


def test_the_seeded_companies_are_served(ppf):
    company = generated_company(3)
    assert ppf.get(f"/sandbox/register/companies/{company.siren}").json()["legal_name"] == company.legal_name


def test_search_by_name_ignores_case_and_accents(ppf):
    names = [c["legal_name"] for c in ppf.get("/sandbox/register/companies", params={"name": "ETOILE"}).json()]
    assert names == ["Boulangerie Étoile SARL"]
    assert [c["siren"] for c in ppf.get("/sandbox/register/companies", params={"name": "écluses"}).json()] == [
        "500000005"
    ]


def test_search_treats_wildcards_as_text_and_honours_the_limit(ppf):
    assert ppf.get("/sandbox/register/companies", params={"name": "%_"}).json() == []
    assert len(ppf.get("/sandbox/register/companies", params={"name": "ar", "limit": 3}).json()) == 3


def test_the_register_wants_a_platform_token(sandbox_server, problem):
    with sandbox_server.client(None) as anonymous:
        body = problem(anonymous.get("/sandbox/register/companies/100000009"), 401)
        assert body["code"] == "unauthenticated"
        wrong = anonymous.get("/sandbox/register/companies/100000009", headers={"Authorization": "Bearer nope"})
        assert problem(wrong, 401)["code"] == "unauthenticated"
        assert wrong.headers["www-authenticate"] == "Bearer"
