"""Tenancy decided once: the base every repository of a tenant table starts from.

A tenant table has a `sponsor_id` column, and a `client_id` column when its rows belong to one
client. `readable(ctx)` is the caller's rows: its sponsor's, and only its client's when the
context names a client. Every read a repository makes for a request starts from it; jobs, which
carry ids a tenant-checked call gave them, read through `get_for_job`.
"""

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Column, ColumnElement, Select, bindparam, inspect, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from coursier.kit.errors import NotFound
from coursier.kit.tenancy import TenantContext

Row = TypeVar("Row")


class ScopedRepository(Generic[Row]):
    model: ClassVar[type[Any]]
    # What a missing row is called in the 404 ("No invoice inv_…", code "invoice_not_found").
    noun: ClassVar[str]
    # Rows belong to one client: a context naming a client sees only that client's.
    client_scoped: ClassVar[bool] = True
    # The column a row is looked up by (a table keyed by its client's id names `client_id`).
    id_column: ClassVar[str] = "id"

    def __init__(self, session: Session) -> None:
        self.session = session

    @classmethod
    def readable(cls, ctx: TenantContext) -> Select[tuple[Row]]:
        stmt = select(cls.model).where(cls.model.sponsor_id == ctx.sponsor_id)
        if cls.client_scoped and ctx.client_id:
            stmt = stmt.where(cls.model.client_id == ctx.client_id)
        return stmt

    @classmethod
    def _row_id(cls):
        return getattr(cls.model, cls.id_column)

    def get(self, ctx: TenantContext, row_id: str, *, for_update: bool = False) -> Row | None:
        stmt = self.readable(ctx).where(self._row_id() == row_id)
        return self.session.scalar(stmt.with_for_update() if for_update else stmt)

    def get_or_404(self, ctx: TenantContext, row_id: str, *, for_update: bool = False) -> Row:
        """The row, or the 404 that an unknown id and another tenant's id both get."""
        row = self.get(ctx, row_id, for_update=for_update)
        if row is None:
            raise NotFound(f"No {self.noun} {row_id}", code=f"{self.noun}_not_found")
        return row

    def get_for_job(self, row_id: str, *, for_update: bool = True) -> Row | None:
        """Jobs carry ids given by tenant-checked calls; they lock the row they work on."""
        stmt = select(self.model).where(self._row_id() == row_id)
        return self.session.scalar(stmt.with_for_update() if for_update else stmt)

    def add(self, row: Row) -> Row:
        self.session.add(row)
        self.session.flush()
        return row

    def add_all(self, rows: list[Row]) -> list[Row]:
        """Insert `rows` in one flush (one statement per table for new rows)."""
        self.session.add_all(rows)
        self.session.flush()
        return rows

    def insert_loaded(self, rows: list[Row], *, unless_conflict: dict | None = None) -> set[str]:
        """Insert new `rows` with multi-row INSERTs, and the ids of those that
        went in: all, or with `unless_conflict` (the arguments of ON CONFLICT DO NOTHING) those
        that met no conflict. The inserted objects join the session as loaded: later changes are
        UPDATEs, and reading a column asks nothing.

        What the unit of work cannot batch: rows given SQL expressions (one statement per row for
        it) and rows skipped on a conflict. A row's SQL expressions are evaluated in its turn.
        The statement carries no values (they go as parameters, which the driver sends in pages of
        rows), so it is compiled once per process and shape, not once per call.
        """
        columns = [
            (attr.key, attr.expression)
            for attr in inspect(self.model).column_attrs
            if isinstance(attr.expression, Column)
        ]
        given = [(key, column) for key, column in columns if any(key in row.__dict__ for row in rows)]
        # Rows whose SQL expressions differ go in separate statements (in practice: none, or all alike).
        shapes: list[tuple[tuple, list[Row]]] = []  # a cache key compares, it does not hash
        for row in rows:
            expressions = tuple(
                (key, value._generate_cache_key())
                for key, _ in given
                if isinstance(value := row.__dict__.get(key), ColumnElement)
            )
            alike = next((same for shape, same in shapes if shape == expressions), None)
            if alike is None:
                shapes.append((expressions, alike := []))
            alike.append(row)
        inserted: dict[str, Any] = {}
        for expressions, alike in shapes:
            by_expression = {key for key, _ in expressions}
            sample = alike[0].__dict__
            values = {
                column.key: sample[key] if key in by_expression else bindparam(column.key, type_=column.type)
                for key, column in given
            }
            stmt = insert(self.model.__table__).values(values)
            if unless_conflict is not None:
                stmt = stmt.on_conflict_do_nothing(**unless_conflict)
            computed = [(key, column) for key, column in columns if key not in values or key in by_expression]
            stmt = stmt.returning(self.model.__table__.c.id, *(column for _, column in computed))
            parameters = [
                {column.key: row.__dict__.get(key) for key, column in given if key not in by_expression}
                for row in alike
            ]
            for found in self.session.execute(stmt, parameters):
                inserted[found[0]] = (found, computed)
        for row in rows:
            if row.id not in inserted:
                continue
            found, computed = inserted[row.id]
            unset = [key for key, _ in given if key not in row.__dict__]
            make_transient_to_detached(row)
            self.session.add(row)
            for key in unset:
                set_committed_value(row, key, None)
            for position, (key, _) in enumerate(computed, start=1):
                set_committed_value(row, key, found[position])
        return set(inserted)
