"""The native rules decide as the official artefacts, finding for finding: a bounded sample of the
differential harness (bench/differential.py runs it in full)."""

from pathlib import Path

import pytest

from coursier.validation.native.differential import (
    Case,
    base_invoices,
    compare,
    corpora,
    mutated_cases,
)
from support.native import overrule

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# Mutations per base invoice in CI: about 350 documents, a few seconds per restated artefact.
MUTATIONS_PER_BASE = 10


@pytest.mark.corpus
def test_native_and_official_agree_on_every_corpus_and_a_sample_of_mutations(shared_dir):
    cases = [case for _, found in corpora(PROJECT_ROOT, shared_dir) for case in found]
    cases += mutated_cases(base_invoices(PROJECT_ROOT, shared_dir), MUTATIONS_PER_BASE, seed=12)
    tally = compare(cases)
    assert [difference.describe() for difference in tally.differences] == []
    assert tally.documents > 1200
    # Documents on which Saxon stopped are counted apart; they must stay a minority of the sample.
    assert len(tally.official_failures) < tally.comparisons / 5
    assert tally.agreements == tally.comparisons - len(tally.official_failures)


def test_the_harness_catches_a_rule_that_decides_differently(monkeypatch):
    """A restated assertion made wrong on purpose (BR-CO-10 never holds) is a difference."""
    overrule(monkeypatch, "cen-en16931-cii", "BR-CO-10", lambda element, document: False)
    valid = (PROJECT_ROOT / "tests/validation/fixtures/valid-cii.xml").read_bytes()
    tally = compare([Case("valid-cii", valid)])
    assert [(difference.artefact, difference.native_only[0][0]) for difference in tally.differences] == [
        ("cen-en16931-cii", "BR-CO-10")
    ]


def test_mutations_are_reproducible():
    base = [Case("valid-cii", (PROJECT_ROOT / "tests/validation/fixtures/valid-cii.xml").read_bytes())]
    first = [(case.name, case.xml) for case in mutated_cases(base, 20, seed=3)]
    again = [(case.name, case.xml) for case in mutated_cases(base, 20, seed=3)]
    other = [(case.name, case.xml) for case in mutated_cases(base, 20, seed=4)]
    assert first == again
    assert first != other
    assert len({xml for _, xml in first}) == len(first)
