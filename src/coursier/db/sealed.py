"""Columns whose values are sealed at rest (kit/sealed.py): the column types seal on every write and
unseal on every read, so no caller handles the sealed form, and a helper rewrites the stored values
in place (the migration that sealed the clear ones, and key rotation).

The keys are the process's, read from the settings once.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, LargeBinary, MetaData, Text, bindparam, column, select, table, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from coursier.config import get_settings
from coursier.kit.sealed import Keyring


@functools.cache
def process_keyring() -> Keyring:
    settings = get_settings()
    configured = settings.secret_keys.get_secret_value() if settings.secret_keys else None
    return Keyring.load(configured, settings.data_dir)


class SealedBytes(TypeDecorator[bytes]):
    """Bytes kept sealed in a bytea column."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect) -> bytes | None:
        return None if value is None else process_keyring().seal(value)

    def process_result_value(self, value: bytes | None, dialect) -> bytes | None:
        return None if value is None else process_keyring().unseal(value)


class SealedText(TypeDecorator[str]):
    """Text kept sealed in a text column (a sealed value is ASCII)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else process_keyring().seal(value.encode()).decode("ascii")

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else process_keyring().unseal(value.encode("ascii")).decode()


@dataclass(frozen=True)
class SealedColumns:
    """The sealed columns of one table, whose rows are identified by `key`."""

    table: str
    columns: tuple[str, ...]
    key: str = "id"


def sealed_columns(metadata: MetaData) -> list[SealedColumns]:
    """Every table with sealed columns: a column declared sealed is rotated without being listed."""
    found = []
    for name, described in sorted(metadata.tables.items()):
        columns = tuple(c.name for c in described.columns if isinstance(c.type, SealedBytes | SealedText))
        if columns:
            (key,) = (c.name for c in described.primary_key.columns)
            found.append(SealedColumns(name, columns, key))
    return found


@dataclass(frozen=True)
class Rewritten:
    changed: int  # values rewritten
    next_after: str | None  # where the next batch starts; None: this one was the last


def rewrite_stored(
    db: Connection | Session,
    sealed: SealedColumns,
    change: Callable[[bytes], bytes | None],
    *,
    after: str | None = None,
    limit: int = 500,
) -> Rewritten:
    """Pass the stored values of up to `limit` rows, after the key `after`, through `change` (None:
    leave it), the rows locked until the transaction ends. The values are read and written as
    stored (bytes, or text as its ASCII bytes), not through the sealing column types."""
    stored = table(sealed.table, column(sealed.key), *(column(name) for name in sealed.columns))
    key = stored.c[sealed.key]
    query = select(stored).order_by(key).limit(limit).with_for_update()
    rows = db.execute(query if after is None else query.where(key > after)).mappings().all()
    updates = []
    for row in rows:
        values = {name: _changed(row[name], change) for name in sealed.columns}
        values = {name: value for name, value in values.items() if value is not None}
        if values:
            updates.append((row[sealed.key], values))
    for row_key, values in updates:
        db.execute(update(stored).where(key == bindparam("row_key")).values(values), {"row_key": row_key})
    more = len(rows) == limit
    return Rewritten(sum(len(values) for _, values in updates), rows[-1][sealed.key] if more else None)


def _changed(value: bytes | str | None, change: Callable[[bytes], bytes | None]) -> bytes | str | None:
    if value is None:
        return None
    if isinstance(value, str):  # a text column
        new = change(value.encode())
        return None if new is None else new.decode()
    return change(bytes(value))
