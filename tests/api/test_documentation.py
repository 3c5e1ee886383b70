"""The OpenAPI document describes drafts by the invoice model, every term with its id: a real draft
body validates against what is published, and a wrong one does not."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from coursier.model import all_terms
from coursier.services.drafts.report import assess

MODEL_REF = "#/components/schemas/InvoiceModel"
DRAFT = json.loads((Path(__file__).parents[1] / "fixtures" / "invoices" / "fr-b2b-invoice.json").read_text())


@pytest.fixture
def spec(api) -> dict:
    return api.get("/openapi.json").json()


def _validator(spec: dict, schema: dict) -> Draft202012Validator:
    """A validator of `schema` whose references resolve inside the OpenAPI document (OpenAPI 3.1
    schemas are JSON Schema 2020-12)."""
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(spec, default_specification=DRAFT202012))
    return Draft202012Validator({**schema, "$ref": "urn:openapi" + schema["$ref"]}, registry=registry)


def _model_definitions(spec: dict) -> dict:
    return {name: schema for name, schema in spec["components"]["schemas"].items() if name.startswith("InvoiceModel")}


def test_the_drafts_operations_take_and_give_the_invoice_model(spec):
    schemas = spec["components"]["schemas"]
    bodies = [
        spec["paths"]["/api/drafts"]["post"]["requestBody"]["content"]["application/json"]["schema"],
        spec["paths"]["/api/drafts/{draft_id}"]["put"]["requestBody"]["content"]["application/json"]["schema"],
        schemas["ValidateDataIn"]["properties"]["invoice_data"],
        schemas["DraftOut"]["properties"]["invoice_data"],
    ]
    assert [body["$ref"] for body in bodies] == [MODEL_REF] * 4
    assert all("x-coursier-invoice-model" not in json.dumps(part) for part in (spec["paths"], schemas))


def test_a_draft_body_validates_against_the_published_model_and_a_wrong_one_does_not(spec, api, tenant_a):
    body_schema = spec["paths"]["/api/drafts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    validator = _validator(spec, body_schema)
    assert list(validator.iter_errors(DRAFT)) == []
    # What the API stores and gives back is the same model.
    stored = api.post("/api/drafts", json=DRAFT, headers=tenant_a.headers).json()["invoice_data"]
    assert list(validator.iter_errors(stored)) == []

    wrong = {**DRAFT, "colour": "blue", "lines": [{"quantity": True, "item": {"name": 3}}]}
    errors = {(tuple(error.absolute_path), error.validator) for error in validator.iter_errors(wrong)}
    assert ((), "additionalProperties") in errors
    assert any(path[:3] == ("lines", 0, "quantity") for path, _ in errors)
    assert any(path[:3] == ("lines", 0, "item") for path, _ in errors)  # its name is no text


def test_every_term_is_published_with_its_id_and_name(spec):
    definitions = _model_definitions(spec)
    published: set[str] = set()
    pending: list = list(definitions.values())
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "x-en16931-term" in node:
                published.add(node["x-en16931-term"])
                assert node["description"].startswith(node["x-en16931-term"] + " — "), node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    assert {place.term_id for place in all_terms()} <= published

    seller, buyer = definitions["InvoiceModelSeller"], definitions["InvoiceModelBuyer"]
    assert seller["properties"]["vat_identifier"]["description"] == "BT-31 — Seller VAT identifier"
    assert buyer["properties"]["vat_identifier"]["description"] == "BT-48 — Buyer VAT identifier"
    # A group reused at several places is numbered by its place.
    assert definitions["InvoiceModelSellerPostalAddress"]["properties"]["city_name"]["x-en16931-term"] == "BT-37"
    assert definitions["InvoiceModelBuyerPostalAddress"]["properties"]["city_name"]["x-en16931-term"] == "BT-52"
    scheme = definitions["InvoiceModelBuyerElectronicAddress"]["properties"]["scheme_id"]
    assert scheme["description"] == "BT-49-1 — Buyer electronic address: Scheme identifier"


def test_the_readme_example_is_a_valid_draft_of_the_published_model(spec):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = json.loads(readme.split("```json\n", 1)[1].split("```", 1)[0])
    body_schema = spec["paths"]["/api/drafts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert list(_validator(spec, body_schema).iter_errors(example)) == []
    report = assess(example, number_pattern="F{YYYY}-{SEQ:6}").report
    assert report.valid and report.errors == [] and report.warnings == [], report
