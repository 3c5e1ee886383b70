"""Numbers, amounts and dates written the way each language reads them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from coursier.kit.texts import Language

# French groups thousands with a narrow no-break space and separates decimals with a comma.
_NARROW_NO_BREAK_SPACE = "\u202f"
_NO_BREAK_SPACE = "\u00a0"
_MINUS_SIGN = "\u2212"

_CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Formatter:
    language: Language
    currency: str

    def number(self, value: Decimal, *, min_decimals: int = 0) -> str:
        """`value` with all its significant decimals, at least `min_decimals` of them."""
        exponent = value.normalize().as_tuple().exponent
        decimals = max(min_decimals, -exponent if isinstance(exponent, int) else 0)
        text = f"{value:,.{decimals}f}"
        if self.language == "fr":
            text = text.replace(",", _NARROW_NO_BREAK_SPACE).replace(".", ",")
        return text.replace("-", _MINUS_SIGN)

    def amount(self, value: Decimal | None) -> str:
        return "" if value is None else self.number(value, min_decimals=2)

    def money(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        symbol = _CURRENCY_SYMBOLS.get(self.currency, self.currency)
        return f"{self.amount(value)}{_NO_BREAK_SPACE}{symbol}"

    def quantity(self, value: Decimal | None) -> str:
        return "" if value is None else self.number(value)

    def percent(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        separator = _NO_BREAK_SPACE if self.language == "fr" else ""
        return f"{self.number(value)}{separator}%"

    def date(self, value: date | None) -> str:
        if value is None:
            return ""
        return value.strftime("%d/%m/%Y") if self.language == "fr" else value.isoformat()
