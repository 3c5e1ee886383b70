"""Clients of a sponsor: create, list, get, update, delete; and their settings."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.clients import Client, ClientRepository, ClientSettings
from coursier.db.mandates import MandateRepository
from coursier.kit.errors import Conflict
from coursier.kit.tenancy import TenantContext
from coursier.kit.ttl_cache import TtlCache

# The clients recently named in X-PDP-Client-Id, by (sponsor, client): no database read per request.
# One deleted by this process is unknown at once, by another process within `seconds`
# (COURSIER_AUTH_CACHE_SECONDS, set at start-up). A client not found is never kept.
known_clients: TtlCache[tuple[str, str], bool] = TtlCache(seconds=5)

CLIENT_STATUSES = ("active", "inactive", "pending", "suspended")


@dataclass
class ClientCreate:
    organization_name: str
    contact_email: str | None
    external_ref: str
    description: str | None = None


def create_client(session: Session, ctx: TenantContext, data: ClientCreate) -> Client:
    repo = ClientRepository(session)
    if repo.get_by_external_ref(ctx, data.external_ref) is not None:
        raise _duplicate_ref(data.external_ref)
    client = Client(
        id=new_id("cli"),
        sponsor_id=ctx.sponsor_id,
        organization_name=data.organization_name,
        contact_email=data.contact_email,
        external_ref=data.external_ref,
        description=data.description,
        status="active",
    )
    settings = ClientSettings(client_id=client.id, sponsor_id=ctx.sponsor_id)
    try:
        with session.begin_nested():
            return repo.add_with_settings(client, settings)
    except IntegrityError as exc:  # a concurrent create with the same external_ref won the race
        raise _duplicate_ref(data.external_ref) from exc


def _duplicate_ref(external_ref: str) -> Conflict:
    return Conflict(f"A client with external_ref {external_ref!r} already exists", code="client_external_ref_taken")


def list_clients_query(
    ctx: TenantContext, *, external_ref: str | None = None, search: str | None = None, status: str | None = None
) -> Select[tuple[Client]]:
    """The sponsor's clients; `search` is part of a name, an external reference or a client id."""
    stmt = ClientRepository.readable(ctx)
    if external_ref is not None:
        stmt = stmt.where(Client.external_ref == external_ref)
    if search:
        words = search.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(Client.organization_name).contains(words, autoescape=True),
                func.lower(Client.external_ref).contains(words, autoescape=True),
                Client.id == search.strip(),
            )
        )
    if status is not None:
        stmt = stmt.where(Client.status == status)
    return stmt


def get_client(session: Session, ctx: TenantContext, client_id: str, *, for_update: bool = False) -> Client:
    return ClientRepository(session).get_or_404(ctx, client_id, for_update=for_update)


def check_client(session: Session, ctx: TenantContext, client_id: str) -> None:
    """The 404 of `get_client` when the caller has no such client; nothing read when it was seen lately."""
    key = (ctx.sponsor_id, client_id)
    if known_clients.get(key):
        return
    generation = known_clients.generation
    get_client(session, ctx, client_id)
    known_clients.put(key, True, generation)


def names_of(session: Session, ctx: TenantContext, client_ids: Iterable[str | None]) -> dict[str, str]:
    """Client id → name, for the clients among `client_ids` the caller sees (a page naming its rows' clients)."""
    wanted = {client_id for client_id in client_ids if client_id}
    if not wanted:
        return {}
    clients = session.scalars(ClientRepository.readable(ctx).where(Client.id.in_(wanted)))
    return {client.id: client.organization_name for client in clients}


def update_client(session: Session, ctx: TenantContext, client_id: str, changes: dict) -> Client:
    client = get_client(session, ctx, client_id, for_update=True)
    new_ref = changes.get("external_ref")
    if (
        new_ref is not None
        and new_ref != client.external_ref
        and ClientRepository(session).get_by_external_ref(ctx, new_ref) is not None
    ):
        raise _duplicate_ref(new_ref)
    for field, value in changes.items():
        setattr(client, field, value)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise _duplicate_ref(new_ref or client.external_ref) from exc
    return client


def delete_client(session: Session, ctx: TenantContext, client_id: str) -> None:
    """Delete a client once none of its mandates is in force; what it did stays on record."""
    client = get_client(session, ctx, client_id, for_update=True)
    live = MandateRepository(session).live_count_of_client(ctx, client.id)
    if live:
        raise Conflict(
            f"Client {client_id} has {live} mandate(s) in force; revoke them first (DELETE /api/mandates/{{id}})",
            code="client_has_mandates",
        )
    ClientRepository(session).delete(client)
    known_clients.clear_after_commit(session)
