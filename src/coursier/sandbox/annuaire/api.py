"""The PPF's public directory API (PPF-DIR 1.11.0) as an app of its own, mounted by the sandbox at
`BASE_PATH`, the path of the published server URL: only the host differs from the real one.
Path parameters are named in Python (`{id_instance}` for the published `{id-instance}`): names
do not travel in URLs.

The paths, methods, bodies and success statuses are the published ones (`published/`, checked by
tests/sandbox/test_published_api.py); the paths Coursier does not use and the sandbox leaves out:
PATCH and PUT of a routing code, and `/healthcheck`. Every call needs a PISTE access token
(`sandbox.piste`). Searches answer 200, 206 (a page of more results) or 204 (none).
"""

from datetime import date
from typing import Annotated

from fastapi import FastAPI, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from coursier.kit import clock
from coursier.sandbox.annuaire import errors, lines, routing_codes, schemas, units
from coursier.sandbox.annuaire.search import Page
from coursier.sandbox.deps import Db
from coursier.sandbox.piste import TokenHolder

BASE_PATH = "/ppf/annuaire-public/v1"
PUBLISHED_VERSION = "1.11.0"

SirenPath = Annotated[str, Path(max_length=9, pattern=r"^\d{9}$")]
SiretPath = Annotated[str, Path(max_length=14, pattern=r"^\d{14}$")]
InstancePath = Annotated[int, Path()]


def _rules(request: Request) -> lines.Rules:
    config = request.app.state.config
    return lines.Rules(
        today=clock.today(), notice_days=config.line_notice_days, registered=config.registered_matricules
    )


def _results(model: type[BaseModel], search: BaseModel, page: Page, items: list[dict]) -> Response:
    code = page.status(search.ignorer or 0)
    if code == 204:
        return Response(status_code=204)
    body = model.model_validate({"recherche": search, "nombre_total_resultats": page.total, "resultats": items})
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=code)


def _search_responses(model: type[BaseModel]) -> dict:
    return {
        206: {"model": model, "description": "Une page des résultats : il y en a d'autres"},
        204: {"description": "Aucun résultat"},
    }


def create_directory_api(config, engine) -> FastAPI:
    app = FastAPI(
        title="PPF annuaire (API publique), bac à sable Coursier",
        version=PUBLISHED_VERSION,
        description="The directory API of the PPF as published (PPF-DIR 1.11.0), played by the Coursier sandbox. "
        "Authenticate with a PISTE access token: `POST /api/oauth/token` at the sandbox's root.",
    )
    app.state.config = config
    app.state.engine = engine
    errors.install_error_handlers(app)
    _routes(app)
    return app


def _routes(app: FastAPI) -> None:
    tags = {"siren": ["Siren"], "siret": ["Siret"], "code": ["Code routage"], "ligne": ["Ligne annuaire"]}

    # ---- legal units, establishments ----

    @app.post(
        "/siren/recherche",
        response_model=schemas.UnitResults,
        responses=_search_responses(schemas.UnitResults),
        tags=tags["siren"],
        summary="Rechercher un siren (unité légale)",
    )
    def search_units(body: schemas.UnitSearch, conn: Db, caller: TokenHolder) -> Response:
        return _results(schemas.UnitResults, body, *units.search_units(conn, body))

    @app.get(
        "/siren/code-insee:{siren}",
        response_model=schemas.Unit,
        response_model_exclude_none=True,
        tags=tags["siren"],
        summary="Consulter un siren (unité légale) par SIREN",
    )
    def get_unit(siren: SirenPath, conn: Db, caller: TokenHolder) -> dict:
        return units.get_unit(conn, siren)

    @app.get(
        "/siren/id-instance:{id_instance}",
        response_model=schemas.Unit,
        response_model_exclude_none=True,
        tags=tags["siren"],
        summary="Consulter un siren (unité légale) par id-instance",
    )
    def unit_by_instance(id_instance: InstancePath, conn: Db, caller: TokenHolder) -> dict:
        return units.unit_by_instance(conn, id_instance)

    @app.post(
        "/siret/recherche",
        response_model=schemas.SiteResults,
        responses=_search_responses(schemas.SiteResults),
        tags=tags["siret"],
        summary="Rechercher un siret (établissement)",
    )
    def search_sites(body: schemas.SiteSearch, conn: Db, caller: TokenHolder) -> Response:
        return _results(schemas.SiteResults, body, *units.search_sites(conn, body))

    @app.get(
        "/siret/code-insee:{siret}",
        response_model=schemas.SiteWithUnit,
        response_model_exclude_none=True,
        tags=tags["siret"],
        summary="Consulter un siret (établissement) par SIRET",
    )
    def get_site(siret: SiretPath, conn: Db, caller: TokenHolder) -> dict:
        return units.get_site(conn, siret)

    @app.get(
        "/siret/id-instance:{id_instance}",
        response_model=schemas.Site,
        response_model_exclude_none=True,
        tags=tags["siret"],
        summary="Consulter un siret (établissement) par id-instance",
    )
    def site_by_instance(id_instance: InstancePath, conn: Db, caller: TokenHolder) -> dict:
        return units.site_by_instance(conn, id_instance)

    # ---- routing codes ----

    @app.post(
        "/code-routage",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.RoutingCodeCreated,
        tags=tags["code"],
        summary="Créer un code routage",
    )
    def create_routing_code(body: schemas.RoutingCodeCreate, conn: Db, caller: TokenHolder) -> dict:
        return routing_codes.create(conn, caller.client_id, body)

    @app.post(
        "/code-routage/recherche",
        response_model=schemas.RoutingCodeResults,
        responses=_search_responses(schemas.RoutingCodeResults),
        tags=tags["code"],
        summary="Rechercher un code-routage",
    )
    def search_routing_codes(body: schemas.RoutingCodeSearch, conn: Db, caller: TokenHolder) -> Response:
        return _results(schemas.RoutingCodeResults, body, *routing_codes.find(conn, body))

    @app.get(
        "/code-routage/siret:{siret}/code:{routing_id}",
        response_model=schemas.RoutingCodeWithUnitAndSite,
        response_model_exclude_none=True,
        tags=tags["code"],
        summary="Consulter un code-routage par SIRET et identifiant-routage",
    )
    def get_routing_code(
        siret: SiretPath,
        routing_id: Annotated[str, Path(max_length=100)],
        conn: Db,
        caller: TokenHolder,
    ) -> dict:
        return routing_codes.get(conn, siret, routing_id)

    @app.get(
        "/code-routage/id-instance:{id_instance}",
        response_model=schemas.RoutingCode,
        response_model_exclude_none=True,
        tags=tags["code"],
        summary="Consulter un code routage par id-instance",
    )
    def routing_code_by_instance(id_instance: InstancePath, conn: Db, caller: TokenHolder) -> dict:
        return routing_codes.by_instance(conn, id_instance)

    # ---- directory lines ----

    @app.post(
        "/ligne-annuaire/recherche",
        response_model=schemas.LineResults,
        responses=_search_responses(schemas.LineResults),
        tags=tags["ligne"],
        summary="Rechercher une ligne-annuaire",
    )
    def search_lines(body: schemas.LineSearch, conn: Db, caller: TokenHolder) -> Response:
        return _results(schemas.LineResults, body, *lines.find(conn, body, clock.today()))

    @app.post(
        "/ligne-annuaire",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.LineWritten,
        tags=tags["ligne"],
        summary="Création d'une ligne-annuaire",
    )
    def create_line(body: schemas.LineCreate, request: Request, conn: Db, caller: TokenHolder) -> dict:
        return lines.create(conn, caller, body, _rules(request))

    @app.get(
        "/ligne-annuaire/code:{address}",
        response_model=schemas.LineWithRelations,
        response_model_exclude_none=True,
        tags=tags["ligne"],
        summary="Consulter une ligne annuaire",
    )
    def line_at_address(
        address: Annotated[str, Path(max_length=125)],
        conn: Db,
        caller: TokenHolder,
        observed: Annotated[date | None, Query(alias="dateObservation")] = None,
    ) -> dict:
        return lines.at_address(conn, address, observed or clock.today())

    @app.get(
        "/ligne-annuaire/id-instance:{id_instance}",
        response_model=schemas.Line,
        response_model_exclude_none=True,
        tags=tags["ligne"],
        summary="Consulter une ligne annuaire",
    )
    def get_line(id_instance: InstancePath, conn: Db, caller: TokenHolder) -> dict:
        return lines.get(conn, id_instance)

    @app.patch(
        "/ligne-annuaire/id-instance:{id_instance}",
        response_model=schemas.LineWritten,
        tags=tags["ligne"],
        summary="Modifier une ligne annuaire",
    )
    def patch_line(
        id_instance: InstancePath, body: schemas.LinePatch, request: Request, conn: Db, caller: TokenHolder
    ) -> dict:
        end = body.dateFinEffet if "dateFinEffet" in body.model_fields_set else lines.UNCHANGED
        return lines.modify(conn, caller, id_instance, _rules(request), end=end, platform=body.matriculePlateforme)

    @app.put(
        "/ligne-annuaire/id-instance:{id_instance}",
        response_model=schemas.LineWritten,
        tags=tags["ligne"],
        summary="Modifier une ligne annuaire",
    )
    def put_line(
        id_instance: InstancePath, body: schemas.LinePut, request: Request, conn: Db, caller: TokenHolder
    ) -> dict:
        return lines.modify(
            conn, caller, id_instance, _rules(request), end=body.dateFinEffet, platform=body.matriculePlateforme
        )

    @app.delete(
        "/ligne-annuaire/id-instance:{id_instance}",
        status_code=status.HTTP_204_NO_CONTENT,
        tags=tags["ligne"],
        summary="Supprimer une ligne annuaire",
    )
    def delete_line(id_instance: InstancePath, request: Request, conn: Db, caller: TokenHolder) -> Response:
        lines.mask(conn, caller, id_instance, _rules(request))
        return Response(status_code=204)
