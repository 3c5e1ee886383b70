"""What every search of the directory API shares (`POST …/recherche`, DG §3.5.4 "service de
recherche"): filters `{op, valeur}` (`strict` equality, `contient` a case-insensitive substring),
sorts `tris`, fields `champs`, pages `limite`/`ignorer`, and the answer's status.

Our readings, which the published file leaves open: 50 results a page unless `limite` says
otherwise, at most 1000; 206 when the page does not hold every result, 204 when there is none.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from coursier.kit.errors import InvalidInput
from coursier.sandbox.annuaire.errors import NotImplementedHere

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

# The members that sit inside a nested object of a result, and are named alone in `champs`.
NESTED = ("historisation", "donneesB2gComplementaires")


def contains(column, value: str):
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def value_of(criterion) -> Any:
    """The `valeur` of a filter given, else None."""
    return None if criterion is None else criterion.valeur


@dataclass(frozen=True)
class Page:
    total: int
    rows: list

    def status(self, skipped: int) -> int:
        if self.total == 0:
            return 204
        return 206 if skipped + len(self.rows) < self.total else 200


def run(
    conn: Connection,
    query: Select,
    *,
    tris: Sequence | None,
    sortable: Mapping[str, Any],
    default_order: Sequence,
    limite: int | None,
    ignorer: int | None,
) -> Page:
    """One page of `query` in the order asked (then `default_order`), with the count of all results."""
    limit = DEFAULT_LIMIT if limite is None else limite
    skip = ignorer or 0
    if not 1 <= limit <= MAX_LIMIT or skip < 0:
        raise InvalidInput(f"limite va de 1 à {MAX_LIMIT}, ignorer est positif ou nul", code="bad_request")
    order = []
    for sort in tris or ():
        column = sortable.get(sort.champ.value if sort.champ else "")
        if column is None:
            raise InvalidInput(f"Tri impossible sur le champ {sort.champ}", code="bad_request")
        order.append(column.desc() if sort.ordre == "descendant" else column.asc())
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = conn.execute(query.order_by(*order, *default_order).offset(skip).limit(limit)).all()
    return Page(total, rows)


def selected(item: dict, champs: Sequence | None) -> dict:
    """The members of a result named in `champs` (all without it); nested ones are named alone."""
    if not champs:
        return item
    wanted = {champ.value for champ in champs}
    kept = {name: value for name, value in item.items() if name in wanted}
    for nested in NESTED:
        inner = {name: value for name, value in (item.get(nested) or {}).items() if name in wanted}
        if inner:
            kept[nested] = inner
    return kept


def refuse_history(filters) -> None:
    """The sandbox keeps no history of the register (companies, establishments, routing codes)."""
    if filters is not None and filters.historisation is not None:
        raise NotImplementedHere("Le bac à sable ne tient pas d'historique de ce référentiel : filtre historisation")
