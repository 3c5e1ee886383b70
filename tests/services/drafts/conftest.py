import copy
import json
from pathlib import Path

import pytest

_INVOICES = Path(__file__).resolve().parents[2] / "fixtures" / "invoices"
_COMPLETE = json.loads((_INVOICES / "fr-b2b-invoice.json").read_text(encoding="utf-8"))


@pytest.fixture
def invoice_data() -> dict:
    """A complete French B2B invoice as draft data: no number (finalization gives it), no totals
    or VAT breakdown (computed)."""
    data = copy.deepcopy(_COMPLETE)
    for assigned_or_computed in ("number", "totals", "vat_breakdown"):
        del data[assigned_or_computed]
    return data
