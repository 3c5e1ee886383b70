"""Cursor pagination for every list: stable order by (created_at, id), opaque cursor, the next
cursor in a `Link` header and in `X-Next-Cursor`; the body stays the bare array of the spec. The
lifecycle feed keeps its own order (api/lifecycle.py) with the same cursors and headers."""

import base64
import json
from datetime import datetime
from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

from coursier.kit.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(description="Opaque cursor from the previous page")] = None,
    ) -> None:
        self.limit = limit
        self.cursor = cursor


def encode_cursor(*values: str | int) -> str:
    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_values(cursor: str, *types: type) -> tuple:
    """The values `encode_cursor` packed, each read as the type given for it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError(cursor)
        return tuple(read(value) for read, value in zip(types, values, strict=True))
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput("The cursor is not one this API gave out", code="invalid_cursor") from None


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    return cursor_values(cursor, datetime.fromisoformat, str)


def announce_next(request: Request, response: Response, cursor: str, *, param: str, limit: int) -> None:
    """Where the next page starts: in `Link` (rel="next") and `X-Next-Cursor`."""
    url = request.url.include_query_params(**{param: cursor, "limit": limit})
    response.headers["Link"] = f'<{url}>; rel="next"'
    response.headers["X-Next-Cursor"] = cursor


def paginate(session: Session, stmt: Select, entity, page: PageParams, request: Request, response: Response) -> list:
    """Run `stmt` (a select of `entity`, which has created_at and id) one page at a time."""
    order = (entity.created_at, entity.id)
    if page.cursor:
        stmt = stmt.where(tuple_(*order) > decode_cursor(page.cursor))
    rows = list(session.scalars(stmt.order_by(*order).limit(page.limit + 1)))
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        nxt = encode_cursor(rows[-1].created_at.isoformat(), rows[-1].id)
        announce_next(request, response, nxt, param="cursor", limit=page.limit)
    return rows
