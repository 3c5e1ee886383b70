"""Clients of the calling sponsor (`/api/clients`)."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from coursier.api.deps import DbSession, SponsorCtx
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.clients import Client
from coursier.services import clients as service
from coursier.services.clients import CLIENT_STATUSES

router = Router(prefix="/clients", tags=["Clients"])

ClientStatus = Literal[CLIENT_STATUSES]


class ClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str = Field(validation_alias="id")
    organization_name: str
    contact_email: str | None
    external_ref: str
    sponsor_id: str
    status: ClientStatus
    created_at: datetime
    updated_at: datetime | None


class ClientCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_name: str = Field(min_length=1, max_length=255)
    contact_email: EmailStr = Field(max_length=255)
    external_ref: str = Field(
        min_length=1, max_length=100, description="The sponsor's own id for this client; unique per sponsor"
    )


class ClientCreatedOut(BaseModel):
    client: ClientOut
    message: str


class ClientUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_name: str | None = Field(default=None, min_length=1, max_length=255)
    contact_email: EmailStr | None = Field(default=None, max_length=255)
    external_ref: str | None = Field(default=None, min_length=1, max_length=100)
    status: ClientStatus | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "ClientUpdateIn":
        nulls = [name for name in self.model_fields_set if getattr(self, name) is None]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} cannot be null; leave a field out to keep it")
        return self


class PdpClientIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_reference: str = Field(min_length=1, max_length=100)
    client_name: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=1000)


class PdpClientOut(BaseModel):
    pdp_client_id: str
    external_reference: str
    client_name: str
    description: str | None
    status: ClientStatus
    created_at: datetime
    message: str


def _out(client: Client) -> ClientOut:
    return ClientOut.model_validate(client)


@router.post("", status_code=201, response_model=ClientCreatedOut, summary="Create a client")
def create_client(body: ClientCreateIn, ctx: SponsorCtx, session: DbSession) -> ClientCreatedOut:
    client = service.create_client(session, ctx, service.ClientCreate(**body.model_dump()))
    return ClientCreatedOut(client=_out(client), message="Client created")


@router.post(
    "/pdp-clients",
    status_code=201,
    response_model=PdpClientOut,
    summary="Register a client on the platform (Seqino shape)",
)
def create_pdp_client(body: PdpClientIn, ctx: SponsorCtx, session: DbSession) -> PdpClientOut:
    """The same client record as `POST /clients`, named the way the Seqino API names it; its id
    works everywhere a client id does (X-PDP-Client-Id)."""
    client = service.create_client(
        session,
        ctx,
        service.ClientCreate(
            organization_name=body.client_name,
            contact_email=None,
            external_ref=body.external_reference,
            description=body.description,
        ),
    )
    return PdpClientOut(
        pdp_client_id=client.id,
        external_reference=client.external_ref,
        client_name=client.organization_name,
        description=client.description,
        status=client.status,
        created_at=client.created_at,
        message="Client registered",
    )


@router.get("", response_model=list[ClientOut], summary="List the sponsor's clients")
def list_clients(
    ctx: SponsorCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    external_ref: Annotated[str | None, Query(max_length=100)] = None,
) -> list[ClientOut]:
    stmt = service.list_clients_query(ctx, external_ref=external_ref)
    return [_out(c) for c in paginate(session, stmt, Client, page, request, response)]


@router.get("/{client_id}", response_model=ClientOut, summary="Get a client")
def get_client(client_id: str, ctx: SponsorCtx, session: DbSession) -> ClientOut:
    return _out(service.get_client(session, ctx, client_id))


@router.patch("/{client_id}", response_model=ClientOut, summary="Update a client")
def update_client(client_id: str, body: ClientUpdateIn, ctx: SponsorCtx, session: DbSession) -> ClientOut:
    return _out(service.update_client(session, ctx, client_id, body.model_dump(exclude_unset=True)))


@router.delete("/{client_id}", status_code=204, summary="Delete a client whose mandates have all ended")
def delete_client(client_id: str, ctx: SponsorCtx, session: DbSession) -> Response:
    """Refused (409 `client_has_mandates`) while a mandate is in force: revoke it first. The
    client's mandates, signed documents and invoices are kept as evidence."""
    service.delete_client(session, ctx, client_id)
    return Response(status_code=204)
