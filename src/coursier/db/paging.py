"""Lists read one page at a time, by position rather than offset: a page after a cursor stays the
same page however many rows are added meanwhile.

Rows are ordered by (created_at, id), oldest or newest first; the cursor is the opaque spelling of
the last row's pair.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

from coursier.kit.errors import InvalidInput


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None  # None on the last page


def encode_cursor(*values: str | int) -> str:
    """An opaque cursor holding `values` (the sort key of the last row given)."""
    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_values(cursor: str, *types: Callable[[Any], Any]) -> tuple:
    """The values `encode_cursor` packed, each read by the function given for it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError(cursor)
        return tuple(read(value) for read, value in zip(types, values, strict=True))
    except (ValueError, TypeError, json.JSONDecodeError):
        raise InvalidInput("The cursor is not one this API gave out", code="invalid_cursor") from None


def page_statement(
    stmt: Select, entity, *, limit: int, cursor: str | None = None, newest_first: bool = False
) -> Select:
    """`stmt` (a select of `entity`, which has created_at and id) cut to the page after `cursor`,
    and one row more (whether a next page exists)."""
    order = tuple_(entity.created_at, entity.id)
    if cursor:
        after = cursor_values(cursor, datetime.fromisoformat, str)
        stmt = stmt.where(order < after if newest_first else order > after)
    columns = (entity.created_at.desc(), entity.id.desc()) if newest_first else (entity.created_at, entity.id)
    return stmt.order_by(*columns).limit(limit + 1)


def page_of(
    session: Session, stmt: Select, entity, *, limit: int, cursor: str | None = None, newest_first: bool = False
) -> Page:
    """The rows of `stmt` (a select of `entity`, which has created_at and id) after `cursor`."""
    rows = list(session.scalars(page_statement(stmt, entity, limit=limit, cursor=cursor, newest_first=newest_first)))
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].created_at.isoformat(), rows[-1].id))
