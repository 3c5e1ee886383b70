"""The rules no official artefact carries keep stable, distinct ids; the deposit checks are named by
the reason code of the refusal they cause."""

from coursier.model.lifecycle import REASONS
from coursier.validation import rules
from coursier.validation.rules import NOT_A_DUPLICATE, RECIPIENT_IN_DIRECTORY, SELLER_IS_CLIENT, Rule


def test_every_rule_has_its_own_id_and_a_source():
    listed = [value for value in vars(rules).values() if isinstance(value, Rule)]
    assert len({rule.id for rule in listed}) == len(listed)
    assert all(rule.source for rule in listed)


def test_the_deposit_checks_are_named_by_their_refusal_reason():
    for rule in (SELLER_IS_CLIENT, NOT_A_DUPLICATE, RECIPIENT_IN_DIRECTORY):
        assert REASONS[rule.id].code == rule.id
