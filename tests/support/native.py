"""A native rule made wrong on purpose, for one test: what the differential harness and the
shadow check are there to catch."""

from collections.abc import Callable

from coursier.validation.artefacts import PROFILE_SCHEMATRONS
from coursier.validation.native import BOOKS, is_profile_artefact
from coursier.validation.native.book import Assert
from coursier.validation.native.profiles import profile_book


def overrule(monkeypatch, artefact: str, rule_id: str, holds: Callable[..., bool]) -> None:
    """Make the native assertion `rule_id` of `artefact` decide as `holds(element, document)` says."""
    # The profile books reuse the CEN and BR-FR functions and are built once per process: built
    # now, they keep the genuine ones.
    for profile_artefact in PROFILE_SCHEMATRONS.values():
        if is_profile_artefact(profile_artefact):
            profile_book(profile_artefact)
    book = BOOKS[artefact]
    for pattern in book.patterns:
        rules = tuple(
            rule.__class__(
                rule.context,
                tuple(Assert(check.rule, holds) if check.rule == rule_id else check for check in rule.asserts),
            )
            for rule in pattern.rules
        )
        monkeypatch.setattr(pattern, "rules", rules)
    monkeypatch.setattr(book, "_dispatch", {})
