"""/directory/...: directory lines, lookup, routing codes."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from coursier.kit import clock
from coursier.kit.errors import Unprocessable
from coursier.sandbox import directory
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.schemas import (
    Addressee,
    DirectoryLine,
    LineClose,
    LineCreate,
    RoutingCode,
    RoutingCodeCreate,
)

router = APIRouter(prefix="/directory", tags=["Directory"])


@router.post("/lines", status_code=status.HTTP_201_CREATED, summary="Create a line for one of your clients")
def create_line(body: LineCreate, conn: Db, caller: Caller) -> DirectoryLine:
    return directory.create_line(conn, caller, body)


@router.get("/lines/{line_id}", summary="The current instance of a line")
def get_line(line_id: str, conn: Db, caller: Caller) -> DirectoryLine:
    return directory.get_line(conn, line_id)


@router.get("/lines/{line_id}/instances", summary="Every instance of a line, oldest first")
def line_instances(line_id: str, conn: Db, caller: Caller) -> list[DirectoryLine]:
    return directory.line_instances(conn, line_id)


@router.patch("/lines/{line_id}", summary="End a line you hold (records a new instance)")
def close_line(line_id: str, body: LineClose, conn: Db, caller: Caller) -> DirectoryLine:
    return directory.close_line(conn, caller, line_id, body.effective_to)


@router.get("/lines", summary="Search lines (current instances)")
def search_lines(
    conn: Db,
    caller: Caller,
    siren: str | None = None,
    siret: str | None = None,
    routing_code: str | None = None,
    suffix: str | None = None,
    platform_id: str | None = None,
    at: Annotated[date | None, Query(description="Lines in force that day")] = None,
    include_closed: Annotated[bool, Query(description="Without `at`: also lines that have ended")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DirectoryLine]:
    return directory.search_lines(
        conn,
        siren=siren,
        siret=siret,
        routing_code=routing_code,
        suffix=suffix,
        platform_id=platform_id,
        at=at,
        include_closed=include_closed,
        limit=limit,
    )


@router.get("/lookup", summary="The platform that receives invoices for an address")
def lookup(
    conn: Db,
    caller: Caller,
    siren: str | None = None,
    siret: str | None = None,
    routing_code: str | None = None,
    suffix: str | None = None,
    electronic_address: Annotated[
        str | None, Query(description="Scheme 0225: SIREN, SIREN_SIRET, SIREN_SIRET_ROUTINGCODE or SIREN_SUFFIX")
    ] = None,
    at: Annotated[date | None, Query(description="Default: today in France")] = None,
) -> Addressee:
    if electronic_address is not None and any((siren, siret, routing_code, suffix)):
        raise Unprocessable("Give an electronic address or its parts, not both", code="ambiguous_address")
    if electronic_address is not None:
        target = directory.parse_electronic_address(electronic_address)
    elif siren is not None:
        target = directory.addressing(siren, siret, routing_code, suffix)
    else:
        raise Unprocessable("Give a SIREN (with its other parts) or an electronic address", code="address_missing")
    return directory.lookup(conn, target, at or clock.today())


@router.post("/routing-codes", status_code=status.HTTP_201_CREATED, summary="Declare a routing code (type 0224)")
def declare_routing_code(body: RoutingCodeCreate, conn: Db, caller: Caller) -> RoutingCode:
    return directory.declare_routing_code(conn, caller, body)


@router.get("/routing-codes", summary="The routing codes of an establishment")
def routing_codes(siret: str, conn: Db, caller: Caller) -> list[RoutingCode]:
    return directory.list_routing_codes(conn, siret)
