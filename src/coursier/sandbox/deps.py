"""What endpoints depend on: one transaction per request, and the platform that calls."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="PlatformToken",
    description="The token of a platform (SANDBOX_PLATFORMS maps tokens to PA matricules).",
)


def transaction(request: Request) -> Iterator[Connection]:
    """Commits when the endpoint returns, rolls back when it raises."""
    with request.app.state.engine.begin() as conn:
        yield conn


# "function" scope: the commit happens before the response leaves, so "created" means created.
Db = Annotated[Connection, Depends(transaction, scope="function")]


def caller_platform(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
) -> str:
    """The matricule of the calling platform."""
    matricule = credentials and request.app.state.config.platforms.get(credentials.credentials)
    if not matricule:
        raise HTTPException(
            401,
            "Send the token of a known platform as Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return matricule


Caller = Annotated[str, Depends(caller_platform)]
