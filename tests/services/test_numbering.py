from datetime import date

import pytest

from coursier.kit.errors import InvalidInput
from coursier.services.drafts.numbering import render_number, series_of, validate_pattern


def test_render_fills_date_parts_and_pads_the_sequence():
    assert render_number("F{YYYY}-{SEQ:6}", sequence=42, issue_date=date(2026, 11, 5)) == "F2026-000042"
    assert render_number("{YY}{MM}{DD}/{SEQ}", sequence=7, issue_date=date(2026, 1, 9)) == "260109/7"
    assert render_number("F-{SEQ:2}", sequence=123, issue_date=date(2026, 1, 9)) == "F-123"


def test_the_series_restarts_with_the_date_parts_of_the_pattern():
    assert series_of("F{YYYY}-{SEQ:6}", date(2026, 3, 1)) == "F2026-{SEQ}"
    assert series_of("F{YYYY}-{SEQ:6}", date(2027, 3, 1)) != series_of("F{YYYY}-{SEQ:6}", date(2026, 3, 1))
    assert series_of("F-{SEQ}", date(2026, 3, 1)) == series_of("F-{SEQ}", date(2030, 1, 1))


@pytest.mark.parametrize("pattern", ["F{YYYY}", "{SEQ}{SEQ}", "{SEQ}{Q}", "F#{SEQ}", "X" * 30 + "{SEQ:6}"])
def test_invalid_patterns(pattern):
    with pytest.raises(InvalidInput):
        validate_pattern(pattern)
