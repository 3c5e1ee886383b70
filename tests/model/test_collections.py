"""The 212 split: a payment spread over an invoice's VAT rates, as a property over many invoices."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursier.model.collections import CollectionRefused, RateAmount, add_up, check_parts, gross_by_rate, split_payment
from coursier.model.invoice import Invoice, VatBreakdown

CENT = Decimal("0.01")
RATES = [Decimal(rate) for rate in ("0", "2.1", "5.5", "10", "20")]

cents = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) * CENT)
invoices = st.lists(st.tuples(st.sampled_from(RATES), cents), min_size=1, max_size=5, unique_by=lambda t: t[0]).map(
    lambda pairs: [RateAmount(rate, amount) for rate, amount in sorted(pairs)]
)


def _total(parts) -> Decimal:
    return sum((part.amount for part in parts), Decimal("0.00"))


def test_a_two_rate_invoice_paid_in_full_puts_each_rate_at_its_gross():
    gross = [RateAmount(Decimal("5.5"), Decimal("105.50")), RateAmount(Decimal("20"), Decimal("240.00"))]
    parts = split_payment(Decimal("345.50"), gross, [])
    assert parts == gross


def test_a_partial_payment_is_pro_rata_toward_zero_and_the_last_rate_takes_the_remainder():
    gross = [RateAmount(Decimal("5.5"), Decimal("100.00")), RateAmount(Decimal("20"), Decimal("200.00"))]
    parts = split_payment(Decimal("100.00"), gross, [])
    assert parts == [RateAmount(Decimal("5.5"), Decimal("33.33")), RateAmount(Decimal("20"), Decimal("66.67"))]


def test_a_refund_reverses_what_was_collected_and_never_reads_minus_zero():
    gross = [RateAmount(Decimal("0"), Decimal("50.00")), RateAmount(Decimal("20"), Decimal("120.00"))]
    collected = split_payment(Decimal("120.00"), gross, [])
    refund = split_payment(Decimal("-0.01"), gross, collected)
    assert _total(refund) == Decimal("-0.01")
    assert all(str(part.amount) in ("0.00", "-0.01") for part in refund)


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("300.01"), "collection_above_total"),
        (Decimal("0"), "collection_zero"),
        (Decimal("-1"), "refund_above_collected"),
    ],
)
def test_payments_past_what_is_due_or_collected_are_refused(amount, code):
    gross = [RateAmount(Decimal("20"), Decimal("300.00"))]
    with pytest.raises(CollectionRefused) as refused:
        split_payment(amount, gross, [])
    assert refused.value.code == code


def test_gross_by_rate_adds_categories_of_one_rate():
    invoice = Invoice.model_construct(
        vat_breakdown=[
            VatBreakdown(
                taxable_amount=Decimal("100"), tax_amount=Decimal("20"), category_code="S", rate=Decimal("20")
            ),
            VatBreakdown(taxable_amount=Decimal("10"), tax_amount=Decimal("0"), category_code="E", rate=Decimal("0")),
            VatBreakdown(taxable_amount=Decimal("5"), tax_amount=Decimal("0"), category_code="Z", rate=Decimal("0.00")),
        ]
    )
    assert gross_by_rate(invoice) == [
        RateAmount(Decimal("0"), Decimal("15.00")),
        RateAmount(Decimal("2E+1"), Decimal("120.00")),
    ]


@settings(max_examples=300, deadline=None)
@given(gross=invoices, shares=st.lists(st.integers(min_value=-40, max_value=100), min_size=1, max_size=12))
def test_payments_and_refunds_add_up_keep_their_sign_are_deterministic_and_never_exceed_the_total(gross, shares):
    total = _total(gross)
    collected: list[RateAmount] = []
    for share in shares:
        so_far = _total(collected)
        # A payment (or refund) of `share` percent of what remains (or of what was collected).
        base = total - so_far if share > 0 else so_far
        amount = (base * share / 100).quantize(CENT)
        if amount == 0:
            continue
        parts = split_payment(amount, gross, collected)
        assert parts == split_payment(amount, gross, collected)  # deterministic
        assert [part.rate for part in parts] == [part.rate.normalize() for part in gross]
        assert _total(parts) == amount
        assert all(part.amount == 0 or (part.amount > 0) == (amount > 0) for part in parts)
        collected = add_up([*collected, *parts])
        for rate_gross, rate_collected in zip(gross, collected, strict=True):
            assert Decimal(0) <= rate_collected.amount <= rate_gross.amount
    remaining = total - _total(collected)
    held = {part.rate: part.amount for part in collected}
    if remaining:
        assert split_payment(remaining, gross, collected) == [
            RateAmount(g.rate.normalize(), g.amount - held.get(g.rate.normalize(), 0)) for g in gross
        ]
        with pytest.raises(CollectionRefused):
            split_payment(remaining + CENT, gross, collected)


# Invoices as they come: VAT breakdowns (BG-23), several categories possibly at one rate.
breakdowns = st.lists(
    st.builds(
        lambda category, rate, taxable: VatBreakdown(
            category_code=category,
            rate=rate,
            taxable_amount=taxable,
            tax_amount=(taxable * rate / 100).quantize(CENT),
        ),
        st.sampled_from(["S", "AA", "E", "Z", "K"]),
        st.sampled_from(RATES),
        cents,
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(breakdown=breakdowns, payments=st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=1, max_size=8))
def test_payments_over_generated_invoices_never_collect_more_than_each_rate_holds(breakdown, payments):
    invoice = Invoice.model_construct(vat_breakdown=breakdown)
    gross = gross_by_rate(invoice)
    assert _total(gross) == sum((b.taxable_amount + b.tax_amount for b in breakdown), Decimal("0.00"))
    collected: list[RateAmount] = []
    for cents_paid in payments:
        amount = Decimal(cents_paid) * CENT
        remaining = _total(gross) - _total(collected)
        if amount > remaining:
            with pytest.raises(CollectionRefused) as refused:
                split_payment(amount, gross, collected)
            assert refused.value.code == "collection_above_total"
            amount = remaining
            if amount == 0:
                break
        parts = split_payment(amount, gross, collected)
        assert _total(parts) == amount and all(part.amount >= 0 for part in parts)
        # The same parts given as explicit amounts per rate are accepted as they are.
        assert check_parts([p for p in parts if p.amount], gross, collected) == [p for p in parts if p.amount]
        collected = add_up([*collected, *parts])
        assert all(c.amount <= g.amount for c, g in zip(collected, gross, strict=True))
    # Whatever was paid, an explicit amount one cent past a rate's gross is refused.
    held = {part.rate: part.amount for part in collected}
    first = gross[0]
    with pytest.raises(CollectionRefused):
        check_parts([RateAmount(first.rate, first.amount - held.get(first.rate, 0) + CENT)], gross, collected)
