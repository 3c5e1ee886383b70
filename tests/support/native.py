"""A native rule made wrong on purpose, for one test: what the differential harness and the
shadow check are there to catch."""

from collections.abc import Callable

from coursier.validation.native import BOOKS
from coursier.validation.native.book import Assert


def overrule(monkeypatch, artefact: str, rule_id: str, holds: Callable[..., bool]) -> None:
    """Make the native assertion `rule_id` of `artefact` decide as `holds(element, document)` says."""
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
        monkeypatch.setattr(pattern, "_by_name", {})
    monkeypatch.setattr(book, "_dispatch", {})
