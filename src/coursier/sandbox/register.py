"""The company register the PPF directory relies on: SIREN -> company, SIRET -> establishment.

At start the register holds the fixed companies below (tests and demos rely on them), then
`seed_companies` generated ones, then the rows of an optional CSV file. Every number passes the
INSEE check: SIREN = 8 digits + a Luhn key; SIRET = SIREN + a 4-digit establishment number (NIC)
+ a key making the 14 digits Luhn-valid.

Generated companies are deterministic: company n is drawn from a random generator seeded with n
alone, so it is the same in every run and whatever the count asked for.

CSV columns (header row required, one row per establishment, company columns repeated):
    siren, legal_name, company_status (A|C), siret, establishment_name, line1, postal_code, city,
    country_code (default FR), administrative_status (A|F), head_office (true|false)
"""

import csv
import random
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from coursier.sandbox.schemas import Address, Company, Establishment, RegisteredEstablishment
from coursier.sandbox.storage import companies, establishments


def _with_key(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def _establishment(
    siren: str,
    nic: int,
    name: str,
    line1: str,
    postal_code: str,
    city: str,
    *,
    head_office: bool = False,
    closed: bool = False,
) -> Establishment:
    return Establishment(
        siret=_with_key(f"{siren}{nic:04d}"),
        name=name,
        address=Address(line1=line1, postal_code=postal_code, city=city),
        administrative_status="F" if closed else "A",
        head_office=head_office,
    )


# Fixed companies, documented for tests (SIRET = SIREN + NIC 0001, 0002, 0003 + key):
#   100000009 Acme Industrie SA, active:  10000000900017 head office (Paris), 10000000900025
#             (Lyon), 10000000900033 closed (Lille)
#   200000008 Boulangerie Étoile SARL, active: 20000000800017 head office (Bordeaux)
#   300000007 Ancienne Manufacture Fermée SAS, ceased: 30000000700017 closed (Nantes)
#   400000006 Dupont & Fils Transports, active: 40000000600017 head office (Marseille),
#             40000000600025 (Toulouse)
FIXED_COMPANIES: tuple[Company, ...] = (
    Company(
        siren="100000009",
        legal_name="Acme Industrie SA",
        status="A",
        establishments=[
            _establishment(
                "100000009", 1, "Acme Industrie siège", "12 rue de la Paix", "75002", "Paris", head_office=True
            ),
            _establishment("100000009", 2, "Acme Industrie Lyon", "4 quai Perrache", "69002", "Lyon"),
            _establishment("100000009", 3, "Acme Industrie Lille", "8 rue Nationale", "59000", "Lille", closed=True),
        ],
    ),
    Company(
        siren="200000008",
        legal_name="Boulangerie Étoile SARL",
        status="A",
        establishments=[
            _establishment(
                "200000008", 1, "Boulangerie Étoile", "3 cours de l'Intendance", "33000", "Bordeaux", head_office=True
            ),
        ],
    ),
    Company(
        siren="300000007",
        legal_name="Ancienne Manufacture Fermée SAS",
        status="C",
        establishments=[
            _establishment(
                "300000007",
                1,
                "Ancienne Manufacture",
                "1 quai de la Fosse",
                "44000",
                "Nantes",
                head_office=True,
                closed=True,
            ),
        ],
    ),
    Company(
        siren="400000006",
        legal_name="Dupont & Fils Transports",
        status="A",
        establishments=[
            _establishment(
                "400000006", 1, "Dupont & Fils siège", "20 La Canebière", "13001", "Marseille", head_office=True
            ),
            _establishment("400000006", 2, "Dupont & Fils dépôt", "5 allée Jean Jaurès", "31000", "Toulouse"),
        ],
    ),
)

_TRADES = (
    "Atelier",
    "Boulangerie",
    "Cabinet",
    "Garage",
    "Menuiserie",
    "Pharmacie",
    "Transports",
    "Imprimerie",
    "Librairie",
    "Fromagerie",
    "Plomberie",
    "Conseil",
    "Électricité",
    "Brasserie",
)
_FAMILY_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Mercier",
    "Chevalier",
    "Lambert",
    "Faure",
    "Rousseau",
)
_LEGAL_FORMS = ("SARL", "SAS", "SA", "EURL", "SNC", "SASU")
_STREETS = (
    "rue Victor Hugo",
    "avenue de la République",
    "boulevard Gambetta",
    "place du Marché",
    "rue Pasteur",
    "chemin des Vignes",
    "rue Jean Moulin",
    "allée des Tilleuls",
)
_CITIES = (
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13006", "Marseille"),
    ("31000", "Toulouse"),
    ("06000", "Nice"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("34000", "Montpellier"),
    ("33000", "Bordeaux"),
    ("59800", "Lille"),
    ("35000", "Rennes"),
    ("51100", "Reims"),
)
# Generated SIRENs start at 60000000 and fixed ones stay below it, so they never meet; 7919 is
# prime to the range size, so index -> number is one-to-one over the whole range.
_GENERATED_SIREN_BASE = 60_000_000
_GENERATED_SIREN_RANGE = 30_000_000


def generated_company(index: int) -> Company:
    rng = random.Random(f"coursier-sandbox-company-{index}")
    siren = _with_key(str(_GENERATED_SIREN_BASE + index * 7919 % _GENERATED_SIREN_RANGE))
    trade, family = rng.choice(_TRADES), rng.choice(_FAMILY_NAMES)
    ceased = rng.random() < 0.05
    sites = []
    for nic in range(1, rng.choice((1, 1, 1, 2, 2, 3)) + 1):
        postal_code, city = rng.choice(_CITIES)
        sites.append(
            _establishment(
                siren,
                nic,
                f"{trade} {family} {city}",
                f"{rng.randint(1, 120)} {rng.choice(_STREETS)}",
                postal_code,
                city,
                head_office=nic == 1,
                closed=ceased or (nic > 1 and rng.random() < 0.15),
            )
        )
    return Company(
        siren=siren,
        legal_name=f"{trade} {family} {rng.choice(_LEGAL_FORMS)}",
        status="C" if ceased else "A",
        establishments=sites,
    )


class RegisterFileError(ValueError):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}, line {line}: {message}")


_CSV_COLUMNS = (
    "siren",
    "legal_name",
    "company_status",
    "siret",
    "establishment_name",
    "line1",
    "postal_code",
    "city",
    "country_code",
    "administrative_status",
    "head_office",
)


def companies_from_csv(path: Path) -> list[Company]:
    """The companies of a register CSV (see the module docstring); every number is checked."""
    found: dict[str, Company] = {}
    with path.open(newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        missing = set(_CSV_COLUMNS) - {"country_code"} - set(reader.fieldnames or ())
        if missing:
            raise RegisterFileError(path, 1, f"missing columns: {', '.join(sorted(missing))}")
        for row in reader:
            try:
                company, site = _company_row(row)
            except (ValueError, ValidationError) as exc:
                raise RegisterFileError(path, reader.line_num, str(exc)) from exc
            found.setdefault(company.siren, company).establishments.append(site)
    return list(found.values())


def _company_row(row: dict[str, str]) -> tuple[Company, Establishment]:
    value = {column: (row.get(column) or "").strip() for column in _CSV_COLUMNS}
    siren = siren_number.validate(value["siren"])
    siret = siret_number.validate(value["siret"])
    if not siret.startswith(siren):
        raise ValueError(f"SIRET {siret} is not an establishment of SIREN {siren}")
    for column, allowed in (("company_status", "AC"), ("administrative_status", "AF")):
        if value[column] not in ("", *allowed):
            raise ValueError(f"{column} must be {' or '.join(allowed)}, not {value[column]!r}")
    if value["head_office"].lower() not in {"true", "false", "1", "0", "yes", "no"}:
        raise ValueError(f"head_office must be true or false, not {value['head_office']!r}")
    site = Establishment(
        siret=siret,
        name=value["establishment_name"] or value["legal_name"],
        address=Address(
            line1=value["line1"],
            postal_code=value["postal_code"],
            city=value["city"],
            country_code=(value["country_code"] or "FR").upper(),
        ),
        administrative_status=value["administrative_status"] or "A",
        head_office=value["head_office"].lower() in {"true", "1", "yes"},
    )
    company = Company(
        siren=siren, legal_name=value["legal_name"], status=value["company_status"] or "A", establishments=[]
    )
    return company, site


def searchable(name: str) -> str:
    """Lower case without accents: what a name search compares."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def store_companies(conn: Connection, records: Iterable[Company]) -> None:
    """Insert or replace companies and their establishments (a restart seeds again harmlessly)."""
    records = list(records)
    if not records:
        return
    company_rows = [
        {"siren": c.siren, "legal_name": c.legal_name, "search_name": searchable(c.legal_name), "status": c.status}
        for c in records
    ]
    upsert = insert(companies).values(company_rows)
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=["siren"],
            set_={column: upsert.excluded[column] for column in ("legal_name", "search_name", "status")},
        )
    )
    site_rows = [
        {
            "siren": c.siren,
            "siret": e.siret,
            "name": e.name,
            **e.address.model_dump(),
            "administrative_status": e.administrative_status,
            "head_office": e.head_office,
        }
        for c in records
        for e in c.establishments
    ]
    if site_rows:
        upsert = insert(establishments).values(site_rows)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["siret"],
                set_={column: upsert.excluded[column] for column in site_rows[0] if column != "siret"},
            )
        )


def seed_register(conn: Connection, *, generated: int, csv_path: Path | None) -> None:
    store_companies(conn, FIXED_COMPANIES)
    store_companies(conn, (generated_company(index) for index in range(generated)))
    if csv_path is not None:
        store_companies(conn, companies_from_csv(csv_path))


def _establishment_of(row) -> Establishment:
    return Establishment(
        siret=row.siret,
        name=row.name,
        address=Address(line1=row.line1, postal_code=row.postal_code, city=row.city, country_code=row.country_code),
        administrative_status=row.administrative_status,
        head_office=row.head_office,
    )


def _companies_with_sites(conn: Connection, company_rows) -> list[Company]:
    company_rows = list(company_rows)
    sites: dict[str, list[Establishment]] = {row.siren: [] for row in company_rows}
    query = select(establishments).where(establishments.c.siren.in_(sites)).order_by(establishments.c.siret)
    for row in conn.execute(query):
        sites[row.siren].append(_establishment_of(row))
    return [
        Company(siren=row.siren, legal_name=row.legal_name, status=row.status, establishments=sites[row.siren])
        for row in company_rows
    ]


def get_company(conn: Connection, siren: str) -> Company | None:
    found = _companies_with_sites(conn, conn.execute(select(companies).where(companies.c.siren == siren)))
    return found[0] if found else None


def get_establishment(conn: Connection, siret: str) -> RegisteredEstablishment | None:
    query = (
        select(establishments, companies.c.legal_name)
        .join(companies, companies.c.siren == establishments.c.siren)
        .where(establishments.c.siret == siret)
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        return None
    return RegisteredEstablishment(**_establishment_of(row).model_dump(), siren=row.siren, legal_name=row.legal_name)


def count_companies(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(companies)).scalar_one()


def list_companies(conn: Connection, *, offset: int, limit: int) -> list[Company]:
    """A page of the register, by SIREN."""
    query = select(companies).order_by(companies.c.siren).offset(offset).limit(limit)
    return _companies_with_sites(conn, conn.execute(query))


def search_companies(conn: Connection, name: str, limit: int, after: str | None = None) -> list[Company]:
    """Companies whose name contains `name`, ignoring case and accents, by name then SIREN;
    `after` (a SIREN) continues the list after that company."""
    pattern = "%" + searchable(name).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    order = (companies.c.legal_name, companies.c.siren)
    query = select(companies).where(companies.c.search_name.like(pattern, escape="\\"))
    if after is not None:
        name_of_after = select(companies.c.legal_name).where(companies.c.siren == after).scalar_subquery()
        query = query.where(tuple_(*order) > tuple_(name_of_after, after))
    return _companies_with_sites(conn, conn.execute(query.order_by(*order).limit(limit)))
