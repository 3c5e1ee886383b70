"""The text catalogue: every language says everything, with the same placeholders."""

import string

import pytest

from coursier.kit.texts import CATALOGUE, LANGUAGES, Language, has_text, parse_language, text
from coursier.model.lifecycle import REASONS, InvoiceStatus, status_label


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_language_has_the_same_keys_with_the_same_placeholders():
    french = CATALOGUE[Language.FR]
    for language in LANGUAGES:
        texts = CATALOGUE[language]
        assert texts.keys() == french.keys(), language
        for key, template in texts.items():
            assert _placeholders(template) == _placeholders(french[key]), (language, key)


def test_keys_are_namespaced_by_area():
    areas = {"language", "onboarding", "mail", "mandate_pdf", "invoice_pdf", "status", "reason", "dashboard"}
    assert {key.partition(".")[0] for key in CATALOGUE[Language.FR]} == areas


def test_placeholders_are_filled_and_an_unknown_key_comes_back_as_it_is():
    assert text("en", "onboarding.kyc.code_sent", email="a@b.example").startswith("A 6-digit code was sent to a@b")
    assert text(Language.FR, "onboarding.problem.no_such_code") == "onboarding.problem.no_such_code"
    assert not has_text("onboarding.problem.no_such_code") and has_text("onboarding.problem.invalid_siren")


@pytest.mark.parametrize(("value", "expected"), [("fr", "fr"), ("en", "en"), ("de", "fr"), (None, "fr"), ("", "fr")])
def test_a_language_coursier_does_not_have_reads_french(value, expected):
    assert parse_language(value) is Language(expected)


def test_an_unknown_language_can_fall_back_to_another_default():
    assert parse_language("xx", "en") is Language.EN


def test_every_status_and_reason_has_its_labels():
    assert status_label(InvoiceStatus.DEPOSITED) == "Déposée"
    assert status_label(InvoiceStatus.UNACCEPTABLE, "en") == "Unacceptable"
    for status in InvoiceStatus:
        assert has_text(f"status.{status.value}"), status
    assert REASONS["DOUBLON"].label() == "Facture en doublon"
    assert REASONS["DOUBLON"].label(Language.EN) == "Duplicate invoice"
    assert all(has_text(f"reason.{code}") for code in REASONS)
