"""The checks every reported figure passes before anything is stored: what the PPF would refuse
(annex 7 rules) said plainly, as a 422 with a stable code."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from coursier.kit import clock
from coursier.kit.errors import Unprocessable
from coursier.model.reporting import ACCEPTED_VAT_RATES, accepted_rate

CENT = Decimal("0.01")
_RATES_TEXT = ", ".join(format(rate, "f") for rate in sorted(ACCEPTED_VAT_RATES))


def check_date(day: date, what: str) -> None:
    """A transaction or payment is not dated after today (A7 G1.07)."""
    if day > clock.today():
        raise Unprocessable(f"The {what} date {day} is in the future", code="date_in_future")


def check_rates(rates: Iterable[Decimal]) -> None:
    """Each rate is in the accepted list (A7 G1.24), once per submission."""
    seen = set()
    for rate in rates:
        if not accepted_rate(rate):
            raise Unprocessable(
                f"{format(rate, 'f')} % is not a VAT rate the PPF accepts; the rates are {_RATES_TEXT} (annex 7 G1.24)",
                code="rate_not_accepted",
            )
        if rate.normalize() in seen:
            raise Unprocessable(
                f"The rate {format(rate, 'f')} % is given twice: one entry per rate", code="rate_repeated"
            )
        seen.add(rate.normalize())


def check_amounts(amounts: Iterable[Decimal], *, negative_allowed: bool) -> None:
    """Two decimals at most (A7 G1.14); collected amounts are not negative (G1.16)."""
    for amount in amounts:
        if amount != amount.quantize(CENT):
            raise Unprocessable(f"{amount} has more than two decimals", code="amount_precision")
        if amount.copy_abs() >= Decimal(10) ** 15:
            raise Unprocessable(f"{amount} is beyond the amounts the PPF reads", code="amount_out_of_range")
        if amount < 0 and not negative_allowed:
            raise Unprocessable(f"A collected amount is not negative: {amount}", code="amount_negative")


def cents(amount: Decimal) -> Decimal:
    """An amount `check_amounts` accepted, written with its two decimals (as the report carries it)."""
    return amount.quantize(CENT)
