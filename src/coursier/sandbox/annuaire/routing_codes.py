"""Routing codes (`/code-routage`): the services of an establishment a line may address (DG
§3.5.3 "maille code routage"); a receiving PA creates them for its client (DG §3.5.5.5)."""

import re

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from coursier.kit import clock
from coursier.kit.errors import NotFound
from coursier.sandbox.annuaire import schemas, search
from coursier.sandbox.annuaire.errors import REJ_COH, REJ_VAL_INC, Refused
from coursier.sandbox.annuaire.units import country_name
from coursier.sandbox.storage import establishments, routing_codes

ROUTING_TYPE = "0224"  # annex 7 G1.83: a routing identifier is qualified 0224
_ROUTING_ID = re.compile(r"^[A-Za-z0-9_-]+$")  # annex 7 G1.95


def check_routing_id(value: str) -> None:
    if not _ROUTING_ID.match(value):
        raise Refused(
            f"Identifiant de routage {value!r} : chiffres, lettres sans accent, - et _ seulement",
            reason=REJ_VAL_INC,
            rule="G1.95",
        )


def check_active_site(conn: Connection, siret: str) -> None:
    """Annex 7 G1.97: the SIRET is in the directory and active."""
    status = conn.execute(
        select(establishments.c.administrative_status).where(establishments.c.siret == siret)
    ).scalar()
    if status != "A":
        raise Refused(f"SIRET {siret} absent de l'annuaire ou fermé", rule="G1.97")


def routing_code(row) -> dict:
    given = row.address or {}
    return {
        "identifiantRoutage": row.routing_code,
        "siret": row.siret,
        "typeIdentifiantRoutage": ROUTING_TYPE,
        "libelleCodeRoutage": row.label,
        "gestionEngagementJuridique": row.legal_commitment_management,
        "etatAdministratif": row.administrative_status,
        "adresse": {**given, "libellePays": country_name(given.get("codePays"))} if given else None,
        "historisation": {
            "dateDefinition": row.defined_at,
            "creePar": row.created_by,
            "masque": False,
            "idInstance": row.instance_id,
        },
    }


def create(conn: Connection, creator: str, body: schemas.RoutingCodeCreate) -> dict:
    if body.typeIdentifiantRoutage not in (None, ROUTING_TYPE):
        raise Refused(f"Un identifiant de routage est qualifié {ROUTING_TYPE}", reason=REJ_VAL_INC, rule="G1.83")
    check_routing_id(body.identifiantRoutage)
    check_active_site(conn, body.siret)
    row = conn.execute(
        insert(routing_codes)
        .values(
            siret=body.siret,
            routing_code=body.identifiantRoutage,
            label=body.libelleCodeRoutage,
            nature=body.natureEtablissement,
            legal_commitment_management=bool(body.gestionEngagementJuridique),
            administrative_status=body.etatAdministratif,
            address=body.adresse.model_dump(exclude_none=True) if body.adresse else None,
            created_by=creator,
            defined_at=clock.now(),
        )
        .on_conflict_do_nothing()
        .returning(routing_codes)
    ).first()
    if row is None:  # DG §3.5.6: uniqueness checks
        raise Refused(
            f"Le code routage {body.identifiantRoutage!r} existe déjà pour le SIRET {body.siret}", reason=REJ_COH
        )
    return {"idInstance": row.instance_id, "siret": row.siret, "identifiantRoutage": row.routing_code}


def active(conn: Connection, siret: str, routing_id: str) -> bool:
    """Annex 7 G1.92: the routing code exists and is in force for its SIRET."""
    status = conn.execute(
        select(routing_codes.c.administrative_status).where(
            routing_codes.c.siret == siret, routing_codes.c.routing_code == routing_id
        )
    ).scalar()
    return status == "A"


def get(conn: Connection, siret: str, routing_id: str) -> dict:
    row = conn.execute(
        select(routing_codes).where(routing_codes.c.siret == siret, routing_codes.c.routing_code == routing_id)
    ).first()
    if row is None:
        raise NotFound(f"Aucun code routage {routing_id!r} pour le SIRET {siret}", code="http_404")
    return routing_code(row)


def by_instance(conn: Connection, instance_id: int) -> dict:
    row = conn.execute(select(routing_codes).where(routing_codes.c.instance_id == instance_id)).first()
    if row is None:
        raise NotFound(f"Aucun code routage d'idInstance {instance_id}", code="http_404")
    return routing_code(row)


_SORTS = {
    "siret": routing_codes.c.siret,
    "identifiantRoutage": routing_codes.c.routing_code,
    "libelleCodeRoutage": routing_codes.c.label,
    "etatAdministratif": routing_codes.c.administrative_status,
    "idInstance": routing_codes.c.instance_id,
    "dateDefinition": routing_codes.c.defined_at,
}


def find(conn: Connection, request: schemas.RoutingCodeSearch) -> tuple[search.Page, list[dict]]:
    filters = request.filtres
    search.refuse_history(filters)
    if request.inclure:
        raise search.NotImplementedHere("inclure : implémentation future (PPF-DIR 1.11.0)")
    query = select(routing_codes)
    if filters is not None:
        for criterion, column in (
            (filters.siret, routing_codes.c.siret),
            (filters.etatAdministratif, routing_codes.c.administrative_status),
        ):
            if (value := search.value_of(criterion)) is not None:
                query = query.where(column == value)
        for criterion, column in (
            (filters.identifiantRoutage, routing_codes.c.routing_code),
            (filters.libelleCodeRoutage, routing_codes.c.label),
            (filters.lignesAdresse, routing_codes.c.address["ligneAdresse1"].as_string()),
            (filters.codePostal, routing_codes.c.address["codePostal"].as_string()),
            (filters.localite, routing_codes.c.address["localite"].as_string()),
        ):
            if (value := search.value_of(criterion)) is not None:
                query = query.where(search.contains(column, value))
    page = search.run(
        conn,
        query,
        tris=request.tris,
        sortable=_SORTS,
        default_order=(routing_codes.c.siret, routing_codes.c.routing_code),
        limite=request.limite,
        ignorer=request.ignorer,
    )
    return page, [search.selected(routing_code(row), request.champs) for row in page.rows]
