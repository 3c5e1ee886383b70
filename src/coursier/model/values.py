"""Value types shared by the model: decimals that never pass through binary floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer


def to_decimal(value: Any) -> Any:
    """Accept str, int, Decimal and JSON numbers; a float goes through its shortest repr.

    `Decimal(0.1)` would keep the binary error (0.1000000000000000055...); `Decimal(str(0.1))`
    gives the number the sender wrote. NaN and infinities are refused: no amount is infinite.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("amounts and quantities must be finite")
    return value


def decimal_text(value: Decimal) -> str:
    """Plain positional notation as XML Schema's xs:decimal wants it (never `1E+2`)."""
    return format(value, "f")


# Serialised as a JSON string so no client rounds it through a float.
Amount = Annotated[
    Decimal, BeforeValidator(to_decimal), PlainSerializer(decimal_text, return_type=str, when_used="json")
]
Quantity = Amount
Percentage = Amount
