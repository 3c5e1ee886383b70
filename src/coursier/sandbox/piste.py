"""PISTE's token endpoint, as the sandbox plays it: the directory API is reached "via PISTE"
(PPF-DIR 1.11.0, info) with a bearer access token (security scheme `bearer_auth`), which an
application gets with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) at
`POST /api/oauth/token`, PISTE's own path.

Clients are `SandboxConfig.piste_clients` (SANDBOX_PISTE_CLIENTS); each stands for one platform.
Tokens are random, kept hashed in the sandbox's database, good for an hour as PISTE's are.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header, HTTPException, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, delete, select

from coursier.kit import clock
from coursier.sandbox.annuaire.lines import Caller
from coursier.sandbox.deps import Db
from coursier.sandbox.storage import access_tokens

TOKEN_PATH = "/api/oauth/token"
TOKEN_SECONDS = 3600

router = APIRouter(tags=["PISTE"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    """RFC 6749 §5.2."""
    headers = {"WWW-Authenticate": 'Basic realm="piste"'} if status == 401 else None
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**(headers or {}), "Cache-Control": "no-store"},
    )


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, separator, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (client_id, secret) if separator else None


@router.post(TOKEN_PATH, summary="An access token for an application (client-credentials grant)")
def issue_token(
    request: Request,
    conn: Db,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Client authentication in the body (client_id, client_secret) or with HTTP Basic (RFC 6749 §2.3.1)."""
    if grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is offered")
    basic = _basic_credentials(authorization)
    if basic is not None:
        client_id, client_secret = basic
    client = request.app.state.config.piste_clients.get(client_id or "")
    if client is None or not hmac.compare_digest(client.secret.encode(), (client_secret or "").encode()):
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    conn.execute(delete(access_tokens).where(access_tokens.c.expires_at <= now))
    conn.execute(
        access_tokens.insert().values(
            token_sha256=_digest(token),
            client_id=client_id,
            matricule=client.matricule,
            expires_at=now + timedelta(seconds=TOKEN_SECONDS),
        )
    )
    return JSONResponse(
        {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "scope": scope or "openid"},
        headers={"Cache-Control": "no-store"},
    )


_bearer = HTTPBearer(auto_error=False, scheme_name="bearer_auth", bearerFormat="JWT")


def _caller(conn: Connection, token: str) -> Caller | None:
    row = conn.execute(
        select(access_tokens.c.matricule, access_tokens.c.client_id).where(
            access_tokens.c.token_sha256 == _digest(token), access_tokens.c.expires_at > clock.now()
        )
    ).first()
    return None if row is None else Caller(matricule=row.matricule, client_id=row.client_id)


def token_holder(conn: Db, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]) -> Caller:
    """The platform whose PISTE access token the request carries; 401 without a valid one."""
    caller = credentials and _caller(conn, credentials.credentials)
    if not caller:
        raise HTTPException(
            401,
            f"Jeton d'accès PISTE absent, inconnu ou expiré (obtenez-en un à {TOKEN_PATH})",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return caller


TokenHolder = Annotated[Caller, Depends(token_holder)]
