"""The sandbox's directory API against the one the DGFiP published (PPF-DIR 1.11.0): every path and
method Coursier uses is served, and every one served is published, with the published request
body and success answers, compared structurally (properties, types, formats, enums, patterns,
lengths, required members, closed objects)."""

import json
import re
from importlib.resources import files

import httpx
import pytest

from coursier.network.ppf import DIRECTORY_OPERATIONS
from coursier.sandbox.annuaire.api import BASE_PATH

PUBLISHED = json.loads(
    files("coursier.sandbox").joinpath("published/ppf-annuaire-api-public-1.11.0.openapi.json").read_text("utf-8")
)
METHODS = ("get", "post", "put", "patch", "delete")
# What a schema is made of; descriptions, examples, titles, defaults and nullability are not compared.
KEPT = ("type", "enum", "pattern", "maxLength", "minLength")
STRING_FORMATS = ("date", "date-time")


def _template(path: str) -> str:
    """A path with its parameters unnamed: names do not travel in URLs."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = {**document["components"]["schemas"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def normalised(schema: dict | None, document: dict):
    """The structure of `schema`, its references resolved, `X or null` read as X."""
    if schema is None:
        return None
    schema = _resolve(schema, document)
    if len(schema.get("allOf", ())) == 1:
        return normalised(schema["allOf"][0], document)
    variants = [variant for variant in schema.get("anyOf", ()) if variant.get("type") != "null"]
    if "anyOf" in schema and len(variants) == 1:
        return normalised(variants[0], document)
    shape = {key: schema[key] for key in KEPT if key in schema}
    if "const" in schema:
        shape["enum"] = [schema["const"]]
    if "enum" in shape:
        shape["enum"] = sorted(shape["enum"])
        # A length bound every value of an enumeration keeps says nothing more than the enumeration.
        if all(len(value) <= shape.get("maxLength", len(value)) for value in shape["enum"]):
            shape.pop("maxLength", None)
    if schema.get("format") in STRING_FORMATS:
        shape["format"] = schema["format"]
    if "properties" in schema:
        shape["type"] = "object"
        shape["properties"] = {name: normalised(value, document) for name, value in schema["properties"].items()}
        shape["required"] = sorted(schema.get("required", ()))
        shape["closed"] = schema.get("additionalProperties") is False
    if "items" in schema:
        shape["items"] = normalised(schema["items"], document)
    return shape


def differences(published, served, where: str = "") -> list[str]:
    if published == served:
        return []
    if not (isinstance(published, dict) and isinstance(served, dict)):
        return [f"{where or '/'}: published {published!r}, served {served!r}"]
    found = []
    for key in sorted(set(published) | set(served)):
        if key in ("properties", "items") and key in published and key in served:
            if key == "items":
                found += differences(published[key], served[key], f"{where}[]")
                continue
            for name in sorted(set(published[key]) | set(served[key])):
                if name not in served[key]:
                    found.append(f"{where}.{name}: published, not served")
                elif name not in published[key]:
                    found.append(f"{where}.{name}: served, not published")
                else:
                    found += differences(published[key][name], served[key][name], f"{where}.{name}")
        elif published.get(key) != served.get(key):
            found.append(f"{where or '/'} {key}: published {published.get(key)!r}, served {served.get(key)!r}")
    return found


def _operations(document: dict) -> dict[tuple[str, str], dict]:
    return {
        (method.upper(), _template(path)): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def _body(operation: dict, document: dict):
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return normalised(schema, document)


def _successes(operation: dict, document: dict) -> dict:
    return {
        status: normalised(answer.get("content", {}).get("application/json", {}).get("schema"), document)
        for status, answer in operation["responses"].items()
        if status.startswith("2")
    }


@pytest.fixture(scope="module")
def served(sandbox_server) -> dict:
    answer = httpx.get(sandbox_server.url + BASE_PATH + "/openapi.json", timeout=30)
    assert answer.status_code == 200
    return answer.json()


def test_every_operation_coursier_uses_is_published_and_served(served):
    published, offered = _operations(PUBLISHED), _operations(served)
    used = {(method, _template(path)) for method, path in DIRECTORY_OPERATIONS.values()}
    assert used - set(published) == set(), "Coursier calls what the DGFiP did not publish"
    assert used - set(offered) == set(), "the sandbox does not serve what Coursier calls"


def test_the_sandbox_serves_only_published_operations(served):
    assert set(_operations(served)) - set(_operations(PUBLISHED)) == set()


def test_served_bodies_and_answers_are_the_published_ones(served):
    published = _operations(PUBLISHED)
    found = []
    for key, operation in _operations(served).items():
        where = " ".join(key)
        found += [f"{where} body{d}" for d in differences(_body(published[key], PUBLISHED), _body(operation, served))]
        expected, answered = _successes(published[key], PUBLISHED), _successes(operation, served)
        if set(expected) != set(answered):
            found.append(f"{where}: published statuses {sorted(expected)}, served {sorted(answered)}")
        for status in set(expected) & set(answered):
            found += [f"{where} {status}{d}" for d in differences(expected[status], answered[status])]
    assert found == []


def test_the_comparison_sees_a_missing_member_a_wrong_type_and_a_lost_requirement():
    body = normalised({"$ref": "#/components/schemas/createLigneAnnuaireBody"}, PUBLISHED)
    changed = json.loads(json.dumps(body))
    del changed["properties"]["periodeEffet"]["properties"]["dateFinEffet"]
    changed["properties"]["informationAdressage"]["properties"]["siren"]["type"] = "integer"
    changed["properties"]["informationAdressage"]["required"] = ["siren"]
    assert sorted(differences(body, changed)) == [
        ".informationAdressage required: published ['matriculePlateforme', 'siren'], served ['siren']",
        ".informationAdressage.siren type: published 'string', served 'integer'",
        ".periodeEffet.dateFinEffet: published, not served",
    ]
