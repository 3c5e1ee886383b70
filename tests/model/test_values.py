"""Money and quantities are Decimal from end to end."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from coursier.model import DocumentTotals, Invoice, InvoiceLine


def test_json_float_goes_through_its_text():
    line = InvoiceLine.model_validate_json('{"quantity": 0.1, "net_amount": 1.005}')
    assert line.quantity == Decimal("0.1")
    assert line.net_amount == Decimal("1.005")


def test_strings_and_ints_are_accepted():
    totals = DocumentTotals(amount_due="12.30", paid_amount=3)
    assert totals.amount_due == Decimal("12.30") and totals.paid_amount == Decimal(3)


@pytest.mark.parametrize("bad", ["NaN", "inf", "abc", True])
def test_non_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        DocumentTotals(amount_due=bad)


def test_json_output_keeps_decimals_as_text():
    dumped = DocumentTotals(amount_due=Decimal("1E+2")).model_dump(mode="json", exclude_none=True)
    assert dumped == {"amount_due": "100"}


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        Invoice.model_validate({"numbr": "F1"})


def test_credit_note_is_told_by_type_code():
    assert Invoice(type_code="381").is_credit_note
    assert not Invoice(type_code="380").is_credit_note
