"""Authentication: the API token a request carries, and the tenant it acts as.

A request is authenticated once; its TenantContext is kept in the request state, put there by the
idempotency layer (which must know the sponsor before the route runs) or by the route's dependency.
"""

from sqlalchemy.orm import Session
from starlette.types import Scope

from coursier.kit.errors import Unauthenticated
from coursier.kit.tenancy import TenantContext
from coursier.services.sponsors import authenticate


def bearer_token(raw: str | None) -> str | None:
    """`Authorization: <token>` as the Seqino API has it, or `Bearer <token>`."""
    if not raw:
        return None
    raw = raw.strip()
    if raw[:7].lower() == "bearer ":
        raw = raw[7:].strip()
    return raw or None


def authenticate_header(session: Session, authorization: str | None) -> TenantContext:
    """The tenant behind an `Authorization` header value; 401 without a token or with a bad one."""
    secret = bearer_token(authorization)
    if secret is None:
        raise Unauthenticated("Send your API token in the Authorization header", code="missing_token")
    ctx = authenticate(session, secret)
    if ctx is None:
        raise Unauthenticated("The API token is unknown or revoked", code="invalid_token")
    return ctx


def request_tenant(scope: Scope) -> TenantContext | None:
    return scope.get("state", {}).get("tenant")


def remember_tenant(scope: Scope, ctx: TenantContext) -> None:
    scope.setdefault("state", {})["tenant"] = ctx
