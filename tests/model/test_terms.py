"""Every EN 16931 term has exactly one place in the model, and paths translate both ways."""

import pytest

from coursier.model import Invoice, all_terms, path_for_term, term_for_path, term_name

# BT-4 was withdrawn from EN 16931-1; BG-2 (process control) is flattened into BT-23/BT-24.
NOT_A_FIELD = {"BT-4", "BG-2"}


def test_every_term_and_group_has_a_field():
    ids = {place.term_id for place in all_terms()}
    expected = {f"BT-{n}" for n in range(1, 166)} | {f"BG-{n}" for n in range(1, 33)}
    assert expected - NOT_A_FIELD - ids == set()


def test_no_term_sits_in_two_unrelated_places():
    # An identifier's group path and its `.value` share the id; nothing else may.
    seen: dict[str, str] = {}
    for place in all_terms():
        first = seen.setdefault(place.term_id, place.path)
        assert place.path == first or place.path.startswith(first + "."), (place.term_id, first, place.path)


@pytest.mark.parametrize(
    ("path", "term"),
    [
        ("number", "BT-1"),
        ("value_added_tax_point_date", "BT-8"),
        ("seller.postal_address.city_name", "BT-37"),
        ("buyer.postal_address.address_line_3", "BT-163"),
        ("delivery.address.address_line_3", "BT-165"),
        ("seller.identifiers[2].scheme_id", "BT-29-1"),
        ("seller.electronic_address.value", "BT-34"),
        ("lines[12].price_details.net_price", "BT-146"),
        ("lines[0].charges[1].reason_code", "BT-145"),
        ("allowances[0].vat_rate", "BT-96"),
        ("charges[0].reason", "BT-104"),
        ("invoicing_period.end_date", "BT-74"),
        ("lines[0].period.start_date", "BT-134"),
        ("seller.contact.email", "BT-43"),
        ("buyer.contact.telephone", "BT-57"),
        ("supporting_documents[0].attachment.filename", "BT-125-2"),
        ("lines[0].item.attributes[0].value", "BT-161"),
        ("payment_instructions.credit_transfers[0].account_identifier", "BT-84"),
        ("lines[0].item", "BG-31"),
    ],
)
def test_path_to_term_and_back(path, term):
    assert term_for_path(path) == term
    template = path_for_term(term)
    assert template is not None
    assert term_for_path(template) == term


def test_unknown_path_falls_back_to_nearest_group():
    assert term_for_path("seller.postal_address.unknown") == "BG-5"
    assert term_for_path("nothing") is None


def test_term_names_are_readable():
    assert term_name("BT-1") == "Invoice number"
    assert term_name("bt-131") == "Invoice line net amount"


def test_json_schema_carries_term_ids():
    schema = Invoice.model_json_schema()
    assert schema["properties"]["number"]["x-en16931-term"] == "BT-1"
