"""Typed dependencies every router uses: the request's session and who is calling.

Endpoints declare `ctx: SponsorCtx` (sponsor-level calls), `ctx: ClientCtx` (calls naming a
client with X-PDP-Client-Id) or `ctx: SponsorOrClientCtx` (either) and check nothing themselves.

The dependencies that only read the request are `async`: FastAPI runs a plain function in the
thread pool, a hop per dependency and request; those that may query the database stay plain.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from coursier.api.authentication import authenticate_header, remember_tenant, request_tenant
from coursier.config import Settings as AppSettings
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.services.clients import check_client

_authorization = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    scheme_name="ApiToken",
    description="A sponsor API token, as `<token>` or `Bearer <token>`.",
)
_client_header = APIKeyHeader(
    name="X-PDP-Client-Id",
    auto_error=False,
    scheme_name="ClientId",
    description="The client of the calling sponsor this request acts for.",
)


async def get_session(request: Request) -> Session:
    return request.state.db


DbSession = Annotated[Session, Depends(get_session)]


def get_sponsor_context(
    request: Request, session: DbSession, authorization: Annotated[str | None, Security(_authorization)]
) -> TenantContext:
    ctx = request_tenant(request.scope)  # already authenticated by the idempotency layer
    if ctx is None:
        ctx = authenticate_header(session, authorization)
        remember_tenant(request.scope, ctx)
    return ctx


SponsorCtx = Annotated[TenantContext, Depends(get_sponsor_context)]


def get_sponsor_or_client_context(
    request: Request,
    session: DbSession,
    ctx: SponsorCtx,
    client_id: Annotated[str | None, Security(_client_header)],
) -> TenantContext:
    if not client_id:
        return ctx
    check_client(session, ctx, client_id)  # unknown and another sponsor's client: the same 404
    client_ctx = ctx.for_client(client_id)
    remember_tenant(request.scope, client_ctx)
    return client_ctx


# Calls that act for the whole sponsor, or for one client when X-PDP-Client-Id names it.
SponsorOrClientCtx = Annotated[TenantContext, Depends(get_sponsor_or_client_context)]


async def get_client_context(ctx: SponsorOrClientCtx) -> TenantContext:
    if ctx.client_id is None:
        raise InvalidInput("This call acts for a client: send its id in X-PDP-Client-Id", code="client_header_missing")
    return ctx


ClientCtx = Annotated[TenantContext, Depends(get_client_context)]


async def get_settings_dep(request: Request) -> AppSettings:
    return request.app.state.settings


Settings = Annotated[AppSettings, Depends(get_settings_dep)]


async def get_ppf(request: Request):
    """The PPF connector of this process (the sandbox unless PPF_URL says otherwise)."""
    return request.app.state.runtime.ppf()


PPF = Annotated[object, Depends(get_ppf)]
