"""The e-reporting calendar (DG §3.7.7, table 13), period by period, and the rules of what is due."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from coursier.kit.clock import PARIS
from coursier.model.reporting import (
    Category,
    DataKind,
    Period,
    VatRegime,
    accepted_rate,
    deadline,
    payment_data_due,
    period_of,
    transmission_window,
)

T, P = DataKind.TRANSACTIONS, DataKind.PAYMENTS


@pytest.mark.parametrize(
    "regime,kind,day,start,end,due",
    [
        # Réel normal mensuel: transactions by décade, the 20th, the last day, the 10th of M+1.
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 10, 1), date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 20)),
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 10, 10), date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 20)),
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 10, 11), date(2026, 10, 11), date(2026, 10, 20), date(2026, 10, 31)),
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 2, 15), date(2026, 2, 11), date(2026, 2, 20), date(2026, 2, 28)),
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 10, 31), date(2026, 10, 21), date(2026, 10, 31), date(2026, 11, 10)),
        (VatRegime.NORMAL_MONTHLY, T, date(2026, 12, 25), date(2026, 12, 21), date(2026, 12, 31), date(2027, 1, 10)),
        # ... and payments monthly, by the 10th of M+1.
        (VatRegime.NORMAL_MONTHLY, P, date(2026, 10, 5), date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 10)),
        # Réel normal trimestriel: monthly, the 10th of M+1, both kinds.
        (VatRegime.NORMAL_QUARTERLY, T, date(2026, 10, 5), date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 10)),
        (VatRegime.NORMAL_QUARTERLY, P, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 10)),
        # Réel simplifié: monthly, the last day of M+1.
        (VatRegime.SIMPLIFIED, T, date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 28)),
        (VatRegime.SIMPLIFIED, P, date(2026, 12, 2), date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 31)),
        # Franchise en base: calendar two-month periods from January, March..., the last day of the next month.
        (VatRegime.FRANCHISE, T, date(2026, 1, 15), date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 31)),
        (VatRegime.FRANCHISE, T, date(2026, 2, 28), date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 31)),
        (VatRegime.FRANCHISE, P, date(2026, 10, 2), date(2026, 9, 1), date(2026, 10, 31), date(2026, 11, 30)),
        (VatRegime.FRANCHISE, T, date(2026, 12, 31), date(2026, 11, 1), date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_period_and_deadline(regime, kind, day, start, end, due):
    period = period_of(regime, kind, day)
    assert period == Period(start, end)
    assert day in period
    assert deadline(regime, kind, period) == due


def test_every_day_of_a_year_falls_in_exactly_one_period_per_regime_and_kind():
    days = [date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + n) for n in range(365)]
    for regime in VatRegime:
        for kind in DataKind:
            periods = sorted({period_of(regime, kind, day) for day in days})
            # Contiguous, non-overlapping, each ending before its deadline.
            for before, after in zip(periods, periods[1:], strict=False):
                assert after.start.toordinal() == before.end.toordinal() + 1
            assert all(deadline(regime, kind, period) > period.end for period in periods)


def test_the_platform_sends_in_the_8_hours_after_the_deadline_day():
    period = period_of(VatRegime.NORMAL_MONTHLY, T, date(2026, 10, 3))
    opens, closes = transmission_window(VatRegime.NORMAL_MONTHLY, T, period, PARIS)
    # Table 13: "21 du mois de la période concernée, à 8h00".
    assert opens == datetime(2026, 10, 21, 0, 0, tzinfo=PARIS)
    assert closes == datetime(2026, 10, 21, 8, 0, tzinfo=PARIS)


def test_accepted_rates_compare_by_value():
    assert accepted_rate(Decimal("20.00")) and accepted_rate(Decimal("5.5")) and accepted_rate(Decimal("0"))
    assert not accepted_rate(Decimal("19")) and not accepted_rate(Decimal("5.50001"))


def test_payment_data_is_due_for_services_only_without_reverse_charge_or_debits():
    assert payment_data_due(Category.SERVICES, reverse_charge=False, vat_on_debits=False)
    assert not payment_data_due(Category.GOODS, reverse_charge=False, vat_on_debits=False)
    assert not payment_data_due(Category.SERVICES, reverse_charge=True, vat_on_debits=False)
    assert not payment_data_due(Category.SERVICES, reverse_charge=False, vat_on_debits=True)
