"""What a seller collects on an invoice (status 212 "Encaissée"), spread over the invoice's VAT rates.

A 212 states the amount collected, VAT included, in one block per VAT rate, or the PPF rejects it
with REJ_ENCAISSEMENT (A7 G7.45; the amount and its currency: P1.15; a rate with every amount:
P1.18; a negative amount is money paid back: P1.15). The texts do not say how one payment is
spread over several rates; Coursier's choice, deterministic and never past what is due:

- a payment is spread pro rata of what remains to collect at each rate (VAT-included gross of the
  rate minus what earlier payments already put there), a refund pro rata of what was collected;
- every part but the last is rounded to the cent toward zero and the last rate (rates in ascending
  order) takes the remainder, so the parts add up to the payment exactly and none has the
  opposite sign;
- a part never takes a rate past its gross (or below zero for a refund): the cents rounding would
  push over move to the other rates, in order;
- a payment above what remains to collect, or a refund above what was collected, is refused.
Paying exactly what remains puts every rate at its gross.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from coursier.model.invoice import Invoice

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RateAmount:
    """An amount, VAT included, at one VAT rate (percent)."""

    rate: Decimal
    amount: Decimal


class CollectionRefused(ValueError):
    """The payment cannot be recorded against this invoice."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def gross_by_rate(invoice: Invoice) -> list[RateAmount]:
    """The invoice's VAT-included amount per VAT rate (BT-116 + BT-117 of its BG-23 breakdowns,
    categories of the same rate added together), rates in ascending order."""
    totals: dict[Decimal, Decimal] = {}
    for breakdown in invoice.vat_breakdown:
        rate = (breakdown.rate or ZERO).normalize()
        gross = (breakdown.taxable_amount or ZERO) + (breakdown.tax_amount or ZERO)
        totals[rate] = totals.get(rate, ZERO) + gross
    return [RateAmount(rate, amount.quantize(CENT)) for rate, amount in sorted(totals.items())]


def add_up(parts: Iterable[RateAmount]) -> list[RateAmount]:
    """Amounts per rate, the same rate added together, rates in ascending order."""
    totals: dict[Decimal, Decimal] = {}
    for part in parts:
        rate = part.rate.normalize()
        totals[rate] = totals.get(rate, ZERO) + part.amount
    return [RateAmount(rate, amount) for rate, amount in sorted(totals.items())]


def split_payment(amount: Decimal, gross: Sequence[RateAmount], collected: Sequence[RateAmount]) -> list[RateAmount]:
    """Spread `amount` (positive: collected, negative: paid back) over the rates of `gross`, given
    what was `collected` at each rate before. Parts in the order of `gross`, one per rate."""
    amount = amount.quantize(CENT)
    if amount == ZERO:
        raise CollectionRefused("collection_zero", "A collection of zero changes nothing")
    before = {part.rate.normalize(): part.amount for part in collected}
    rates = [part.rate.normalize() for part in gross]
    # Room is counted in the payment's direction; a rate that has none (a negative gross) takes nothing.
    if amount > ZERO:
        room = [max(part.amount - before.get(rate, ZERO), ZERO) for rate, part in zip(rates, gross, strict=True)]
    else:
        room = [max(before.get(rate, ZERO), ZERO) for rate in rates]
    available = sum(room, ZERO)
    size = abs(amount)
    if size > available:
        if amount > ZERO:
            raise CollectionRefused(
                "collection_above_total", f"{amount} is more than what remains to collect on this invoice ({available})"
            )
        message = f"A refund of {size} is more than what was collected on this invoice ({available})"
        raise CollectionRefused("refund_above_collected", message)
    parts = [(size * share / available).quantize(CENT, rounding=ROUND_DOWN) for share in room[:-1]]
    parts.append(size - sum(parts, ZERO))
    _move_overflow(parts, room)
    signed = parts if amount > ZERO else [ZERO - part for part in parts]  # ZERO - 0.00 is 0.00, not -0.00
    return [RateAmount(rate, part) for rate, part in zip(rates, signed, strict=True)]


def _move_overflow(parts: list[Decimal], room: list[Decimal]) -> None:
    """Give what a part holds beyond its rate's room to the rates that still have some, in order.
    Both lists are sizes (non-negative) and add up so that the room always suffices."""
    for index, limit in enumerate(room):
        excess = parts[index] - limit
        if excess <= ZERO:
            continue
        parts[index] = limit
        for other, other_limit in enumerate(room):
            moved = min(excess, other_limit - parts[other])
            if moved > ZERO:
                parts[other] += moved
                excess -= moved


def check_parts(
    parts: Sequence[RateAmount], gross: Sequence[RateAmount], collected: Sequence[RateAmount]
) -> list[RateAmount]:
    """Amounts per rate given as they are (not from one payment): each at a rate of the invoice, once,
    and no rate taken past its gross, nor below zero by a refund. Returned in the order of `gross`."""
    due = {part.rate.normalize(): part.amount for part in gross}
    before = {part.rate.normalize(): part.amount for part in collected}
    given: dict[Decimal, Decimal] = {}
    for part in parts:
        rate = part.rate.normalize()
        if rate not in due:
            rates = ", ".join(str(known) for known in due)
            raise CollectionRefused(
                "vat_rate_not_on_invoice", f"The invoice has no VAT rate {rate} (its rates: {rates})"
            )
        if rate in given:
            raise CollectionRefused(
                "vat_rate_repeated", f"VAT rate {rate} is given twice: one amount per rate (A7 G7.45)"
            )
        given[rate] = part.amount.quantize(CENT)
    if all(amount == ZERO for amount in given.values()):
        raise CollectionRefused("collection_zero", "A collection of zero changes nothing")
    for rate, amount in given.items():
        held = before.get(rate, ZERO)
        if held + amount > due[rate]:
            message = f"{amount} at {rate} % is more than what remains to collect at that rate ({due[rate] - held})"
            raise CollectionRefused("collection_above_total", message)
        if held + amount < ZERO:
            message = f"A refund of {-amount} at {rate} % is more than what was collected at that rate ({held})"
            raise CollectionRefused("refund_above_collected", message)
    return [RateAmount(rate, given[rate]) for rate in due if rate in given]
