"""Native validation: the official schematron artefacts' assertions restated in Python.

The official artefacts (XSLT 2.0 run by Saxon) cost most of an upload's CPU; the same assertions
written as Python over the one lxml tree give the same findings (same ids, flags, messages and
locations, checked by `differential`) for a fraction of it. `BOOKS` holds the restated artefacts
by key; `books_for(syntax)` those of a syntax; `proven(artefact)` the restatement validation runs
by default, only for the artefacts in `PROVEN`.
"""

from coursier.formats.detect import Syntax
from coursier.validation.artefacts import BR_FR_CII, BR_FR_UBL, CEN_CII, CEN_UBL, Artefact
from coursier.validation.native.book import RuleBook
from coursier.validation.native.br_fr_cii import BR_FR_CII_BOOK
from coursier.validation.native.br_fr_ubl import BR_FR_UBL_BOOK
from coursier.validation.native.cen_cii import CEN_CII_BOOK
from coursier.validation.native.cen_ubl import CEN_UBL_BOOK

BOOKS: dict[str, RuleBook] = {
    book.artefact.key: book for book in (CEN_CII_BOOK, BR_FR_CII_BOOK, CEN_UBL_BOOK, BR_FR_UBL_BOOK)
}

# The restatements the differential harness found identical to the official artefact on every
# corpus (the 1140 CEN unit cases, the samples, the fixtures) and on thousands of seeded mutations
# (bench/differential.py). Only these replace the official run by default.
PROVEN = frozenset({CEN_CII.key, BR_FR_CII.key, CEN_UBL.key, BR_FR_UBL.key})

_BY_SYNTAX: dict[Syntax, tuple[RuleBook, ...]] = {
    Syntax.CII: (CEN_CII_BOOK, BR_FR_CII_BOOK),
    Syntax.UBL_INVOICE: (CEN_UBL_BOOK, BR_FR_UBL_BOOK),
    Syntax.UBL_CREDIT_NOTE: (CEN_UBL_BOOK, BR_FR_UBL_BOOK),
}


def books_for(syntax: Syntax) -> tuple[RuleBook, ...]:
    """The restated artefacts of a syntax."""
    return _BY_SYNTAX[syntax]


def proven(artefact: Artefact) -> RuleBook | None:
    """The native restatement that replaces `artefact` by default, if there is one."""
    return BOOKS.get(artefact.key) if artefact.key in PROVEN else None
