"""Cursor pagination for every list: stable order by (created_at, id), opaque cursor, the next
cursor in a `Link` header and in `X-Next-Cursor`; the body stays the bare array of the spec."""

from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy import Select
from sqlalchemy.orm import Session

from coursier.db.paging import page_of

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


def paginate(session: Session, stmt: Select, entity, page: PageParams, request: Request, response: Response) -> list:
    """Run `stmt` (a select of `entity`, which has created_at and id) one page at a time."""
    result = page_of(session, stmt, entity, limit=page.limit, cursor=page.cursor)
    if result.next_cursor is not None:
        link_next_page(result.next_cursor, page, request, response)
    return result.rows


def link_next_page(cursor: str, page: PageParams, request: Request, response: Response) -> None:
    """Say where the next page starts: `X-Next-Cursor` and a `Link: <...>; rel="next"` header."""
    url = request.url.include_query_params(cursor=cursor, limit=page.limit)
    response.headers["Link"] = f'<{url}>; rel="next"'
    response.headers["X-Next-Cursor"] = cursor
