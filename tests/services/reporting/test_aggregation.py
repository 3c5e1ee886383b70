"""The body of a report from its items: B2C data summed per day, currency, category and option,
each rate summed; a content digest blind to how numbers are spelt."""

from datetime import date
from decimal import Decimal as D

from coursier.model.reporting import DailyTransactions, RateTotals
from coursier.services.reporting.aggregation import (
    B2C_DAY,
    B2C_INVOICE,
    DAY_PAYMENT,
    digest,
    payments_body,
    sum_days,
    transactions_body,
)

DAY = date(2026, 10, 4)


def day(category="TLB1", rates=(("20", "100", "20"),), count=None, on=DAY, option=None):
    return DailyTransactions(
        date=on,
        currency="EUR",
        tax_due_date_type_code=option,
        category=category,
        tax_exclusive_amount=sum(D(t) for _, t, _ in rates),
        tax_total=sum(D(v) for _, _, v in rates),
        count=count,
        subtotals=[RateTotals(rate=D(r), taxable_amount=D(t), tax_amount=D(v)) for r, t, v in rates],
    )


def test_a_days_totals_and_its_b2c_invoices_make_one_entry_per_category_and_option():
    summed = sum_days(
        [
            day(rates=(("20", "100", "20"), ("5.5", "10", "0.55")), count=3),
            day(rates=(("20.00", "50", "10"),), count=1),  # a B2C invoice of the same day
            day(category="TPS1", rates=(("20", "30", "6"),)),
            day(category="TPS1", rates=(("20", "5", "1"),), option="5"),
            day(on=date(2026, 10, 5)),
        ]
    )
    assert [(d.date.day, d.category, d.tax_due_date_type_code) for d in summed] == [
        (4, "TLB1", None),
        (4, "TPS1", None),
        (4, "TPS1", "5"),
        (5, "TLB1", None),
    ]
    goods = summed[0]
    assert (goods.tax_exclusive_amount, goods.tax_total, goods.count) == (D(160), D("30.55"), 4)
    assert [(s.rate, s.taxable_amount, s.tax_amount) for s in goods.subtotals] == [
        (D("5.5"), D(10), D("0.55")),
        (D(20), D(150), D(30)),
    ]
    assert summed[1].count is None  # a count is given only when every part gives one


def test_bodies_and_digests():
    items = [(B2C_DAY, day().model_dump(mode="json")), (B2C_INVOICE, day(count=1).model_dump(mode="json"))]
    body = transactions_body(date(2026, 10, 1), date(2026, 10, 10), items)
    assert len(body.transactions) == 1 and body.invoices == []
    same = transactions_body(date(2026, 10, 1), date(2026, 10, 10), list(reversed(items)))
    assert digest(body) == digest(same)
    spelt = [(B2C_DAY, day(rates=(("20.0", "100.00", "20.0"),)).model_dump(mode="json")), items[1]]
    assert digest(transactions_body(date(2026, 10, 1), date(2026, 10, 10), spelt)) == digest(body)
    payments = payments_body(
        date(2026, 10, 1),
        date(2026, 10, 31),
        [(DAY_PAYMENT, {"date": "2026-10-04", "subtotals": [{"rate": "20", "amount": "12.00"}]})],
    )
    assert [(p.date, p.subtotals[0].amount) for p in payments.transactions] == [(DAY, D("12.00"))]
    assert digest(payments) != digest(body)
