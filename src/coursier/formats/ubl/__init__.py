"""OASIS UBL 2.1 binding of the EN 16931 model (Invoice and CreditNote):
`parse(xml) -> ParseResult`, `write(invoice) -> WriteResult`."""

from .document import parse, write

__all__ = ["parse", "write"]
