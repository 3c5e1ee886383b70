"""Business-term markers: every model field names its EN 16931-1 term (BT-n or BG-n).

A field is annotated with a `Term`; reusable groups (addresses, contacts, identifiers,
allowances, periods) are numbered differently depending on where they sit, so the
parent field's `Term.members` gives the numbers of the group's fields in that place.

`term_for_path` and `path_for_term` translate between a model path such as
``lines[2].price_details.net_price`` and the term id ``BT-146``, so any fault can cite the term.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue


@dataclass(frozen=True)
class Term:
    """An EN 16931-1 business term or group, attached to a model field with `Annotated`."""

    id: str
    name: str
    cardinality: str = "0..1"
    # For a field typed by a reusable group: sub-field name -> term id at this place.
    members: Mapping[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return self.cardinality.startswith("1")

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        if self.id:
            schema["x-en16931-term"] = self.id
        schema.setdefault("description", f"{self.id} — {self.name}" if self.id else self.name)
        return schema

    def __hash__(self) -> int:  # members is a dict; ids are unique per place anyway
        return hash((self.id, self.name, self.cardinality))


def identifier_term(term_id: str, name: str, cardinality: str = "0..1") -> Term:
    """A term whose value is an `Identifier`: its scheme is the `-1` sub-term (e.g. BT-29-1)."""
    return Term(term_id, name, cardinality, members={"value": term_id, "scheme_id": f"{term_id}-1"})


def field_term(info: Any) -> Term | None:
    """The `Term` a model field (`Model.model_fields[name]`) is annotated with, if any."""
    return next((item for item in info.metadata if isinstance(item, Term)), None)


def submodel_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The BaseModel inside an annotation such as `list[Line]` or `Address | None`, and whether it is a list."""
    origin = typing.get_origin(annotation)
    if origin is list:
        inner, _ = submodel_of(typing.get_args(annotation)[0])
        return inner, True
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner, is_list = submodel_of(arg)
            if inner is not None:
                return inner, is_list
        return None, False
    if origin is typing.Annotated:
        return submodel_of(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


@dataclass(frozen=True)
class TermPlace:
    """Where one term sits in the model: a path template (lists marked `[]`) and the term."""

    path: str
    term_id: str
    name: str
    cardinality: str


def walk_terms(model: type[BaseModel], prefix: str = "", overrides: Mapping[str, str] | None = None) -> list[TermPlace]:
    """Every term place below `model`, depth first, in field order."""
    places: list[TermPlace] = []
    for field_name, info in model.model_fields.items():
        own = field_term(info)
        term_id = (overrides or {}).get(field_name) or (own.id if own else None)
        child, is_list = submodel_of(info.annotation)
        path = f"{prefix}{field_name}{'[]' if is_list else ''}"
        if term_id:
            places.append(TermPlace(path, term_id, own.name if own else "", own.cardinality if own else "0..1"))
        if child is not None:
            places.extend(walk_terms(child, path + ".", own.members if own else None))
    return places


@cache
def _index(model: type[BaseModel]) -> tuple[dict[str, TermPlace], dict[str, TermPlace]]:
    by_path: dict[str, TermPlace] = {}
    by_term: dict[str, TermPlace] = {}
    for place in walk_terms(model):
        by_path[place.path] = place
        by_term.setdefault(place.term_id, place)
    return by_path, by_term


_LIST_INDEX = re.compile(r"\[\d*\]")


def _root_model() -> type[BaseModel]:
    from coursier.model.invoice import Invoice  # the index is built over the root document

    return Invoice


def term_for_path(path: str, model: type[BaseModel] | None = None) -> str | None:
    """`lines[0].item.name` -> `BT-153`; a path inside an unnumbered field gives its nearest numbered parent."""
    by_path, _ = _index(model or _root_model())
    template = _LIST_INDEX.sub("[]", path)
    while template:
        if template in by_path:
            return by_path[template].term_id
        template = template.rpartition(".")[0]
    return None


def path_for_term(term_id: str, model: type[BaseModel] | None = None) -> str | None:
    """`BT-146` -> `lines[].price_details.net_price` (lists shown as `[]`)."""
    _, by_term = _index(model or _root_model())
    place = by_term.get(term_id.upper())
    return place.path if place else None


def term_name(term_id: str, model: type[BaseModel] | None = None) -> str | None:
    """`BT-1` -> `Invoice number`."""
    _, by_term = _index(model or _root_model())
    place = by_term.get(term_id.upper())
    return place.name if place else None


def all_terms(model: type[BaseModel] | None = None) -> list[TermPlace]:
    """Every numbered place of the model, in document order."""
    return walk_terms(model or _root_model())
