"""The JSON Schema of the invoice model, as the API publishes it (`InvoiceModel`) for clients to
generate code from.

Every property carries its EN 16931 term: `x-en16931-term` and a description such as
"BT-31 — Seller VAT identifier". The reusable groups (addresses, contacts, identifiers, periods,
allowances and charges) are numbered by where they sit (the seller's city is BT-37, the buyer's
BT-52), so each place gets a definition of its own, named after its term
(`InvoiceModelSellerPostalAddress`), whose properties give the numbers of that place. Every
definition is named `InvoiceModel…`, apart from whatever else a document (the OpenAPI) defines.
"""

import copy
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from coursier.model.invoice import Invoice
from coursier.model.terms import Term, field_term, submodel_of

ROOT_NAME = "InvoiceModel"
_PYDANTIC_REF = "#/$defs/"


def invoice_json_schema(ref_prefix: str = _PYDANTIC_REF) -> dict[str, dict[str, Any]]:
    """The definitions of the model, name -> JSON Schema, `ROOT_NAME` the invoice itself, with their
    references written `ref_prefix + name` (`#/components/schemas/` in an OpenAPI document)."""
    generated = Invoice.model_json_schema(ref_template=_PYDANTIC_REF + "{model}")
    by_class = generated.pop("$defs")
    by_class[Invoice.__name__] = generated
    definitions: dict[str, dict[str, Any]] = {}
    for model in _models(Invoice):
        schema = copy.deepcopy(by_class[model.__name__])
        for field_name, info in model.model_fields.items():
            term = field_term(info)
            group, _ = submodel_of(info.annotation)
            if term is None or not term.members or group is None:
                continue
            name = ROOT_NAME + _camel(term.name)
            if name in definitions:
                raise ValueError(f"two places of the model are both named {name}")
            definitions[name] = _placed(by_class[group.__name__], group, term)
            _point(schema["properties"][field_name], group.__name__, name)
        definitions[ROOT_NAME if model is Invoice else ROOT_NAME + model.__name__] = schema
    _retarget(definitions, ref_prefix)
    return _reachable(definitions, ref_prefix)


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """`root` and every model class under it, each once."""
    found: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            child, _ = submodel_of(info.annotation)
            if child is not None:
                pending.append(child)
    return found


def _camel(term_name: str) -> str:
    """'SELLER POSTAL ADDRESS' -> 'SellerPostalAddress'; "Item Seller's identifier" -> 'ItemSellersIdentifier'."""
    return "".join(word.capitalize() for word in re.findall(r"[A-Za-z0-9]+", term_name.replace("'", "")))


def _placed(schema: dict[str, Any], group: type[BaseModel], term: Term) -> dict[str, Any]:
    """A reusable group's schema with the term numbers of one place."""
    placed = copy.deepcopy(schema)
    placed["title"] = _camel(term.name)
    placed["description"] = f"{term.id} — {term.name}"
    for member, member_id in term.members.items():
        own = field_term(group.model_fields[member])
        name = term.name if member_id == term.id or own is None else f"{term.name}: {own.name}"
        placed["properties"][member] |= {"description": f"{member_id} — {name}", "x-en16931-term": member_id}
    return placed


def _references(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object under `node` that is a reference (`$ref`)."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                yield current
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)


def _point(node: Any, old: str, new: str) -> None:
    """Make the references to definition `old` inside `node` point at `new` (pydantic's form)."""
    for reference in _references(node):
        if reference["$ref"] == _PYDANTIC_REF + old:
            reference["$ref"] = _PYDANTIC_REF + new


def _retarget(definitions: dict[str, dict[str, Any]], ref_prefix: str) -> None:
    """Pydantic's references name classes; ours name definitions, under `ref_prefix`."""
    for reference in _references(definitions):
        target = reference["$ref"].removeprefix(_PYDANTIC_REF)
        reference["$ref"] = ref_prefix + (target if target.startswith(ROOT_NAME) else ROOT_NAME + target)


def _reachable(definitions: dict[str, dict[str, Any]], ref_prefix: str) -> dict[str, dict[str, Any]]:
    """Only the definitions the invoice uses (a reusable group placed everywhere is left out)."""
    kept: dict[str, dict[str, Any]] = {}
    pending = [ROOT_NAME]
    while pending:
        name = pending.pop()
        if name not in kept:
            kept[name] = definitions[name]
            pending.extend(ref["$ref"].removeprefix(ref_prefix) for ref in _references(definitions[name]))
    return dict(sorted(kept.items()))
