"""The directory: where an invoice must go (`/api/directory`, `/api/mandates/directory`)."""

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from coursier.api.deps import PPF, ClientCtx, DbSession, Settings, SponsorCtx
from coursier.api.pagination import PageParams, link_next_page
from coursier.api.routing import Router
from coursier.kit.errors import InvalidInput, NotFound
from coursier.services import directory as service

router = Router(prefix="/directory", tags=["Directory"])
mandates_router = Router(prefix="/mandates", tags=["Directory"])
_OFFSET = re.compile(r"^\d{1,7}$")


class DirectoryEntry(BaseModel):
    siren: str
    name: str | None
    suffix: str | None = None
    siret: str | None = None
    routing_identifier: str | None = None
    routing_identifier_type: Literal["0224", "0088", "0060", "Internal"] | None = None
    routing_code_label: str | None = None
    establishment_nature: Literal["Private", "Public"] | None = None
    legal_commitment_management: bool = False
    administrative_status: Literal["active", "closed"] | None = None
    addressable: bool = False
    address: dict | None = None
    platform_id: str | None = Field(default=None, description="Matricule of the PA that receives for this line")
    line_id: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Recipient(BaseModel):
    platform: Literal["this", "other"] = Field(description="Whether this platform receives for the line")
    platform_id: str | None
    client_id: str | None = Field(description="The receiving client, when it is one of the caller's sponsor")


class DirectoryAnswer(DirectoryEntry):
    recipient: Recipient


class CompanyMatch(BaseModel):
    siren: str
    legal_name: str
    status: str


def _answer(session, settings, ctx, entry: dict) -> DirectoryAnswer:
    return DirectoryAnswer(**entry, recipient=service.recipient(session, entry, ctx, settings.pa_matricule))


def _cache_life(settings) -> timedelta:
    return timedelta(seconds=settings.directory_cache_seconds)


@router.get("/lookup", response_model=DirectoryAnswer, summary="Where an invoice to this address goes")
def lookup(
    ctx: ClientCtx,
    session: DbSession,
    ppf: PPF,
    settings: Settings,
    siren: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    siret: Annotated[str | None, Query(pattern=r"^\d{14}$")] = None,
    routing_code: Annotated[str | None, Query(max_length=100)] = None,
    suffix: Annotated[str | None, Query(max_length=100)] = None,
    electronic_address: Annotated[
        str | None, Query(max_length=200, description="Scheme 0225, e.g. 732829320_73282932000074")
    ] = None,
) -> DirectoryAnswer:
    """The most precise line in force covering the address: routing code, SIRET, suffix, then SIREN."""
    if not any((siren, siret, electronic_address)):
        raise InvalidInput("Give a siren, a siret or an electronic_address", code="lookup_needs_identifier")
    if routing_code and not siret:
        raise InvalidInput("A routing code is looked up with its siret", code="lookup_needs_identifier")
    query = service.LookupQuery(
        siren=siren or (siret[:9] if siret else None),
        siret=siret,
        routing_code=routing_code,
        suffix=suffix,
        electronic_address=electronic_address,
    )
    entry = service.caller_lookup(session, ppf, query, ttl=_cache_life(settings))
    if entry is None:
        raise NotFound("No directory line covers this address", code="directory_entry_not_found")
    return _answer(session, settings, ctx, entry)


@router.get("/companies", response_model=list[CompanyMatch], summary="Find companies of the register by name")
def search_companies(
    ctx: ClientCtx,
    ppf: PPF,
    request: Request,
    response: Response,
    name: Annotated[str, Query(min_length=2, max_length=100)],
    page: Annotated[PageParams, Depends()],
) -> list[CompanyMatch]:
    """By name, then SIREN. The cursor counts the companies of the pages before (the directory API
    pages by `ignorer`)."""
    if page.cursor is not None and not _OFFSET.match(page.cursor):
        raise InvalidInput("The cursor is not one this API gave out", code="invalid_cursor")
    skip = int(page.cursor or 0)
    companies = service.search_companies(ppf, name, limit=page.limit + 1, skip=skip)
    if len(companies) > page.limit:
        companies = companies[: page.limit]
        link_next_page(request, response, str(skip + page.limit), limit=page.limit)
    return [CompanyMatch(siren=c.siren, legal_name=c.legal_name, status=c.status) for c in companies]


@router.get("/lines", response_model=list[DirectoryEntry], summary="The client's own directory lines")
def own_lines(ctx: ClientCtx, session: DbSession) -> list[DirectoryEntry]:
    return [DirectoryEntry.model_validate(entry) for entry in service.own_lines(session, ctx)]


@router.get("/{siren}", response_model=DirectoryAnswer, summary="The directory entry of a SIREN")
def entry_of_siren(
    siren: str,
    ctx: ClientCtx,
    session: DbSession,
    ppf: PPF,
    settings: Settings,
) -> DirectoryAnswer:
    """The line an invoice to the SIREN goes to; for a company addressed only by finer lines (SIRET,
    suffix, routing code), the first of them."""
    return _answer(session, settings, ctx, service.entry_of_siren(session, ppf, siren, ttl=_cache_life(settings)))


@mandates_router.get(
    "/directory/{siren}", response_model=list[DirectoryEntry], summary="Every directory line known for a SIREN"
)
def lines_of_siren(siren: str, ctx: SponsorCtx, ppf: PPF) -> list[DirectoryEntry]:
    """Client header optional: the directory is public; no client data is in the answer."""
    return [DirectoryEntry(**entry) for entry in service.lines_of_siren(ppf, siren)]
