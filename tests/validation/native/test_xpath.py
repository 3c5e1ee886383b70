"""The XPath value semantics the native rules rely on, each checked against what Saxon answers."""

import math
from decimal import Decimal

import pytest
from lxml import etree

from coursier.validation.native.xpath import (
    XPathError,
    all_of,
    any_of,
    blank,
    blank_text,
    boolean,
    compares,
    decimal,
    decimals_after_point,
    double,
    location,
    normalize,
    round_half_up,
    sum_doubles,
    text,
    to_decimal,
)


def test_numbers_read_as_xpath_reads_them():
    assert double(" 1e3 ") == 1000.0
    assert double("+1.5") == 1.5
    assert math.isnan(double("NaN"))
    assert decimal(" 1. ") == Decimal("1")
    assert decimal(".5") == Decimal("0.5")
    for text_ in ("1e3", "abc", "", "1,5", "NaN"):
        with pytest.raises(XPathError):
            decimal(text_)
    for text_ in ("nan", "", "12,50", "inf"):
        with pytest.raises(XPathError):
            double(text_)


def test_round_is_half_up_and_exact():
    assert round_half_up(Decimal("2.5")) == 3
    assert round_half_up(Decimal("-2.5")) == -2
    assert round_half_up(2.5) == 3.0
    assert round_half_up(-2.5) == -2.0
    assert round_half_up(0.49999999999999994) == 0.0  # Saxon: 0, floor(x + 0.5): 1
    # xs:decimal of a double keeps its binary value, as Saxon's does.
    assert to_decimal(sum_doubles(["0.1", "0.2"])) == Decimal("0.3000000000000000444089209850062616169452667236328125")


def test_nan_is_ordered_above_numbers_in_comparisons_of_nodes():
    assert compares(["NaN"], ">=", 0)
    assert compares(["NaN"], ">", 1e300)
    assert not compares(["NaN"], "=", 0)
    assert not compares(["NaN"], "<=", 0)
    assert compares(["NaN"], "!=", 0)
    assert not compares(["1"], ">", math.nan)


def test_negative_zero_is_kept_and_ordered_below_zero_as_saxon_does():
    """Checked against saxonche: an untyped "-0.00" is -0.0 and compares below 0 (Java's
    Double.compare), "-0" equals an integer 0; round() and sum() keep the sign of a zero."""
    assert not compares(["-0.00"], "=", 0.0) and not compares(["-0.00"], "=", 0)
    assert compares(["-0.00"], "<", 0) and compares(["-0.00"], "!=", 0) and not compares(["-0.00"], ">=", 0)
    assert compares(["+0.00"], "=", 0) and compares(["0.00"], "=", Decimal("0.0"))
    assert compares(["-0.00"], "=", -0.0)
    assert compares(["-0"], "=", 0)
    assert compares(["-0"], "=", Decimal("-0"))
    assert not compares(["-0"], "=", 0.0)
    assert not compares(["0.00"], "=", -0.0)
    assert math.copysign(1, round_half_up(-0.4)) == -1
    assert round_half_up(-0.6) == -1.0
    assert math.copysign(1, sum_doubles(["-0.00"])) == -1
    assert math.copysign(1, sum_doubles(["-0.00", "0"])) == 1


def test_a_comparison_satisfied_by_one_node_ignores_a_node_that_is_no_number():
    assert compares(["abc", "1"], "=", 1)
    with pytest.raises(XPathError):
        compares(["abc", "2"], "=", 1)


def test_or_and_and_give_a_verdict_whenever_an_order_would():
    def fails() -> bool:
        raise XPathError("no number")

    assert any_of(fails, lambda: True)
    assert not all_of(fails, lambda: False)
    with pytest.raises(XPathError):
        any_of(fails, lambda: False)
    with pytest.raises(XPathError):
        all_of(fails, lambda: True)


def test_strings_as_xpath_sees_them():
    assert normalize("\t a \u00a0 b \n") == "a \u00a0 b"  # only XML white space collapses
    assert boolean(" true ") and not boolean("0")
    with pytest.raises(XPathError):
        boolean("TRUE")
    root = etree.fromstring("<a>x<!--c-->y<b>z</b></a>")
    assert text(root) == "xyz"
    assert blank([]) and not blank(["x"])
    with pytest.raises(XPathError):
        blank(["a", "b"])
    assert decimals_after_point("12.345") == 3
    assert decimals_after_point("12") == 0


@pytest.mark.parametrize("value", ["", " ", "\t\r\n ", " a ", "\u00a0", " \u2003 ", "\n" + "QUJD\n" * 1000, "0"])
def test_blank_text_is_normalize_space_empty(value):
    """Stripping XML white space decides normalize-space(.) = '' as normalising the whole text does
    (a no-break space is no XML white space: such a text is not blank)."""
    assert blank_text(value) == (normalize(value) == "")


def test_locations_are_written_as_the_official_reports():
    root = etree.fromstring(
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
        'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">'
        "<ram:A/><ram:A><other/></ram:A></rsm:CrossIndustryInvoice>"
    )
    assert location(root[1][0]) == "/rsm:CrossIndustryInvoice[1]/ram:A[2]/*:other[namespace-uri()=''][1]"
