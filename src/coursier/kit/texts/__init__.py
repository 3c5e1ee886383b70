"""The languages Coursier speaks, and the one catalogue of every text it shows people.

Pages, the mandate and invoice PDFs, e-mails and lifecycle labels look their words up here by key
and language. Keys are namespaced by where they appear (`onboarding.*`, `mandate_pdf.*`, `mail.*`,
`invoice_pdf.*`, `status.*`, `reason.*`, `language.*`); the texts of each language live in one
module of this package, and a test checks that both languages have the same keys with the same
`{name}` placeholders.

Fallback rule: a language Coursier does not have reads French (`parse_language`); as every key
exists in every language, a text never falls back to another language; a key the catalogue does
not know comes back as it is, so a missing text shows where it is missing instead of failing a
page. `has_text` lets a caller do otherwise (show a code's own name, a service's own message).
"""

from enum import StrEnum

from coursier.kit.texts import en, fr


class Language(StrEnum):
    """A language of the texts; a plain "fr" or "en" compares and formats as the value it is."""

    FR = "fr"
    EN = "en"


LANGUAGES: tuple[Language, ...] = tuple(Language)

CATALOGUE: dict[Language, dict[str, str]] = {Language.FR: fr.TEXTS, Language.EN: en.TEXTS}


def parse_language(value: str | None, default: Language | str = Language.FR) -> Language:
    """`value` as a language, or `default` when it names none Coursier has."""
    return Language(value) if value in LANGUAGES else Language(default)


def has_text(key: str) -> bool:
    return key in fr.TEXTS


def text(language: Language | str, key: str, **values: object) -> str:
    """The text of `key` in `language`, its `{name}` placeholders filled with `values`."""
    template = CATALOGUE[Language(language)].get(key)
    if template is None:
        return key
    return template.format(**values) if values else template
