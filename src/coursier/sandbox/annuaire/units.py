"""Legal units (`/siren`) and establishments (`/siret`) of the directory API, read from the
sandbox's company register (`sandbox.register`, its tables `companies` and `establishments`).

Every company of the register is a private one subject to VAT ("Privée assujettie"), diffusible.
"""

from sqlalchemy import Connection, select

from coursier.kit.errors import NotFound
from coursier.sandbox.annuaire import schemas, search
from coursier.sandbox.register import searchable
from coursier.sandbox.storage import companies, establishments

PRIVATE_ENTITY = schemas.EntityType.private
DIFFUSIBLE = schemas.Diffusion.yes
_COUNTRY_NAMES = {"FR": "France"}


def country_name(code: str | None) -> str | None:
    return _COUNTRY_NAMES.get(code or "")


def unit(row) -> dict:
    return {
        "siren": row.siren,
        "raisonSociale": row.legal_name,
        "typeEntite": PRIVATE_ENTITY,
        "etatAdministratif": row.status,
        "diffusible": DIFFUSIBLE,
        "historisation": {"dateDefinition": row.defined_at, "masque": False, "idInstance": row.instance_id},
    }


def address(line1: str | None, postal_code: str | None, city: str | None, country_code: str | None) -> dict:
    return {
        "ligneAdresse1": line1,
        "codePostal": postal_code,
        "localite": city,
        "codePays": country_code,
        "libellePays": country_name(country_code),
    }


def site(row) -> dict:
    return {
        "siret": row.siret,
        "siren": row.siren,
        "denomination": row.name,
        "typeEtablissement": schemas.SiteType.principal if row.head_office else schemas.SiteType.secondary,
        "diffusible": DIFFUSIBLE,
        "etatAdministratif": row.administrative_status,
        "adresse": address(row.line1, row.postal_code, row.city, row.country_code),
        "historisation": {"dateDefinition": row.defined_at, "masque": False, "idInstance": row.instance_id},
    }


def get_unit(conn: Connection, siren: str) -> dict:
    row = conn.execute(select(companies).where(companies.c.siren == siren)).first()
    if row is None:
        raise NotFound(f"SIREN {siren} inconnu de l'annuaire", code="http_404")
    return unit(row)


def unit_by_instance(conn: Connection, instance_id: int) -> dict:
    row = conn.execute(select(companies).where(companies.c.instance_id == instance_id)).first()
    if row is None:
        raise NotFound(f"Aucune unité légale d'idInstance {instance_id}", code="http_404")
    return unit(row)


def get_site(conn: Connection, siret: str) -> dict:
    row = conn.execute(select(establishments).where(establishments.c.siret == siret)).first()
    if row is None:
        raise NotFound(f"SIRET {siret} inconnu de l'annuaire", code="http_404")
    return site(row)


def site_by_instance(conn: Connection, instance_id: int) -> dict:
    row = conn.execute(select(establishments).where(establishments.c.instance_id == instance_id)).first()
    if row is None:
        raise NotFound(f"Aucun établissement d'idInstance {instance_id}", code="http_404")
    return site(row)


_UNIT_SORTS = {
    "siren": companies.c.siren,
    "raisonSociale": companies.c.search_name,
    "etatAdministratif": companies.c.status,
    "idInstance": companies.c.instance_id,
    "dateDefinition": companies.c.defined_at,
}


def search_units(conn: Connection, request: schemas.UnitSearch) -> tuple[search.Page, list[dict]]:
    filters = request.filtres
    search.refuse_history(filters)
    query = select(companies)
    if filters is not None:
        if (siren := search.value_of(filters.siren)) is not None:
            query = query.where(companies.c.siren == siren)
        if (name := search.value_of(filters.raisonSociale)) is not None:
            query = query.where(search.contains(companies.c.search_name, searchable(name)))
        if (status := search.value_of(filters.etatAdministratif)) is not None:
            query = query.where(companies.c.status == status)
        if (kind := search.value_of(filters.typeEntite)) is not None and kind != PRIVATE_ENTITY:
            query = query.where(False)
    page = search.run(
        conn,
        query,
        tris=request.tris,
        sortable=_UNIT_SORTS,
        default_order=(companies.c.siren,),
        limite=request.limite,
        ignorer=request.ignorer,
    )
    return page, [search.selected(unit(row), request.champs) for row in page.rows]


_SITE_SORTS = {
    "siret": establishments.c.siret,
    "siren": establishments.c.siren,
    "denomination": establishments.c.name,
    "etatAdministratif": establishments.c.administrative_status,
    "idInstance": establishments.c.instance_id,
}


def search_sites(conn: Connection, request: schemas.SiteSearch) -> tuple[search.Page, list[dict]]:
    filters = request.filtres
    search.refuse_history(filters)
    if request.inclure:
        raise search.NotImplementedHere("inclure : implémentation future (PPF-DIR 1.11.0)")
    query = select(establishments)
    if filters is not None:
        for criterion, column in (
            (filters.siret, establishments.c.siret),
            (filters.siren, establishments.c.siren),
            (filters.etatAdministratif, establishments.c.administrative_status),
        ):
            if (value := search.value_of(criterion)) is not None:
                query = query.where(column == value)
        if (kind := search.value_of(filters.typeEtablissement)) is not None:
            query = query.where(establishments.c.head_office == (kind == schemas.SiteType.principal))
        for criterion, column in (
            (filters.denomination, establishments.c.name),
            (filters.lignesAdresse, establishments.c.line1),
            (filters.codePostal, establishments.c.postal_code),
            (filters.localite, establishments.c.city),
        ):
            if (value := search.value_of(criterion)) is not None:
                query = query.where(search.contains(column, value))
        if search.value_of(filters.subDivisionPays) is not None:
            query = query.where(False)  # the register holds no subdivision
    page = search.run(
        conn,
        query,
        tris=request.tris,
        sortable=_SITE_SORTS,
        default_order=(establishments.c.siret,),
        limite=request.limite,
        ignorer=request.ignorer,
    )
    return page, [search.selected(site(row), request.champs) for row in page.rows]
