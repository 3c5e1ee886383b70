"""Cursor pagination for every list: stable order by (created_at, id), opaque cursor, the next
cursor in a `Link` header and in `X-Next-Cursor`; the body stays the bare array of the spec. The
lifecycle feed keeps its own order (api/lifecycle.py) with the same cursors and headers."""

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
        link_next_page(request, response, result.next_cursor, limit=page.limit)
    return result.rows


def link_next_page(request: Request, response: Response, cursor: str, *, limit: int, param: str = "cursor") -> None:
    """Where the next page starts: in `Link` (rel="next") and `X-Next-Cursor`."""
    url = request.url.include_query_params(**{param: cursor, "limit": limit})
    response.headers["Link"] = f'<{url}>; rel="next"'
    response.headers["X-Next-Cursor"] = cursor
