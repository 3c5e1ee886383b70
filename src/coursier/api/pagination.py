"""Cursor pagination for every list: stable order by (created_at, id), opaque cursor, the next
cursor in a `Link` header and in `X-Next-Cursor`; the body stays the bare array of the spec."""

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


def encode_cursor(created_at: datetime, row_id: str) -> str:
    raw = json.dumps([created_at.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, row_id = json.loads(raw)
        return datetime.fromisoformat(created), str(row_id)
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput("The cursor is not one this API gave out", code="invalid_cursor") from None


def paginate(session: Session, stmt: Select, entity, page: PageParams, request: Request, response: Response) -> list:
    """Run `stmt` (a select of `entity`, which has created_at and id) one page at a time."""
    order = (entity.created_at, entity.id)
    if page.cursor:
        stmt = stmt.where(tuple_(*order) > decode_cursor(page.cursor))
    rows = list(session.scalars(stmt.order_by(*order).limit(page.limit + 1)))
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        link_next_page(encode_cursor(rows[-1].created_at, rows[-1].id), page, request, response)
    return rows


def link_next_page(cursor: str, page: PageParams, request: Request, response: Response) -> None:
    """Say where the next page starts: `X-Next-Cursor` and a `Link: <...>; rel="next"` header."""
    url = request.url.include_query_params(cursor=cursor, limit=page.limit)
    response.headers["Link"] = f'<{url}>; rel="next"'
    response.headers["X-Next-Cursor"] = cursor
