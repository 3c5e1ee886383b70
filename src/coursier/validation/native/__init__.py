"""Native validation: the official schematron artefacts' assertions restated in Python.

The official artefacts (XSLT 2.0 run by Saxon) cost most of an upload's CPU; the same assertions
written as Python over the one lxml tree give the same findings (same ids, flags, messages and
locations, checked by `differential`) for a fraction of it. `BOOKS` holds the restated artefacts
by key; the Factur-X profile schematrons are built from the artefacts themselves (`profiles`);
`books_for(syntax, profile)` the books of a document; `proven(artefact)` the restatement validation
runs by default, only for the artefacts in `PROVEN`.
"""

from coursier.formats.detect import Profile, Syntax
from coursier.validation.artefacts import BR_FR_CII, BR_FR_UBL, CEN_CII, CEN_UBL, PROFILE_SCHEMATRONS, Artefact
from coursier.validation.native.book import RuleBook
from coursier.validation.native.br_fr_cii import BR_FR_CII_BOOK
from coursier.validation.native.br_fr_ubl import BR_FR_UBL_BOOK
from coursier.validation.native.cen_cii import CEN_CII_BOOK
from coursier.validation.native.cen_ubl import CEN_UBL_BOOK
from coursier.validation.native.extended_ctc_fr_cii import EXTENDED_CTC_FR_CII_BOOK
from coursier.validation.native.extended_ctc_fr_ubl import EXTENDED_CTC_FR_UBL_BOOK
from coursier.validation.native.profiles import PROFILE_PREFIX, profile_book

BOOKS: dict[str, RuleBook] = {
    book.artefact.key: book
    for book in (
        CEN_CII_BOOK,
        BR_FR_CII_BOOK,
        CEN_UBL_BOOK,
        BR_FR_UBL_BOOK,
        EXTENDED_CTC_FR_CII_BOOK,
        EXTENDED_CTC_FR_UBL_BOOK,
    )
}

# The restatements the differential harness found identical to the official artefact on every
# corpus (the 1140 CEN unit cases, the samples, the fixtures) and on thousands of seeded mutations
# (bench/differential.py). Only these replace the official run by default.
# The Factur-X profile schematrons are built from the artefacts (`profiles`) when first used; only
# a complete book (every test recognised or restated) may be proven. All five are: each showed no
# disagreement on the corpora and on thousands of mutations of its own profile's invoices.
# EXTENDED-CTC-FR (CII and UBL): the same corpora and about 5,900 mutations each, with bases that
# have sub-lines. BR-FR UBL: the full harness and some 10,000 mutations of French UBL invoices.
FACTURX_PROFILES = tuple(
    PROFILE_SCHEMATRONS[(Syntax.CII, profile)]
    for profile in (Profile.EN16931, Profile.EXTENDED, Profile.BASIC, Profile.BASIC_WL, Profile.MINIMUM)
)
PROVEN = frozenset(
    {
        CEN_CII.key,
        BR_FR_CII.key,
        CEN_UBL.key,
        BR_FR_UBL.key,
        EXTENDED_CTC_FR_CII_BOOK.artefact.key,
        EXTENDED_CTC_FR_UBL_BOOK.artefact.key,
        *(artefact.key for artefact in FACTURX_PROFILES),
    }
)

_BY_SYNTAX: dict[Syntax, tuple[RuleBook, ...]] = {
    Syntax.CII: (CEN_CII_BOOK, BR_FR_CII_BOOK, EXTENDED_CTC_FR_CII_BOOK),
    Syntax.UBL_INVOICE: (CEN_UBL_BOOK, BR_FR_UBL_BOOK, EXTENDED_CTC_FR_UBL_BOOK),
    Syntax.UBL_CREDIT_NOTE: (CEN_UBL_BOOK, BR_FR_UBL_BOOK, EXTENDED_CTC_FR_UBL_BOOK),
}


def books_for(syntax: Syntax, profile: Profile | None = None) -> tuple[RuleBook, ...]:
    """The restated artefacts of a syntax, and of the document's Factur-X profile when it has one."""
    profile_artefact = PROFILE_SCHEMATRONS.get((syntax, profile))
    if profile_artefact is None or not is_profile_artefact(profile_artefact):
        return _BY_SYNTAX[syntax]
    built = profile_book(profile_artefact)
    return _BY_SYNTAX[syntax] + ((built.book,) if built.complete else ())


def is_profile_artefact(artefact: Artefact) -> bool:
    """A FeRD Factur-X profile schematron (built natively by `profiles`)."""
    return artefact.key.startswith(PROFILE_PREFIX)


def proven(artefact: Artefact) -> RuleBook | None:
    """The native restatement that replaces `artefact` by default, if there is one."""
    if artefact.key not in PROVEN:
        return None
    if is_profile_artefact(artefact):
        built = profile_book(artefact)
        return built.book if built.complete else None
    return BOOKS.get(artefact.key)
