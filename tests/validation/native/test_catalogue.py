"""The native catalogue and code lists are the installed artefacts' own, and every assertion is restated."""

import re

import pytest

from coursier.validation.native import BOOKS, PROVEN, catalogue, codes, extended_ctc_fr_cii
from coursier.validation.native.catalogue import RESTATED, build, read_artefact


def test_the_catalogue_is_the_installed_artefacts():
    stored = {
        key: {rule: [str(entry.severity), entry.message] for rule, entry in catalogue.entries(key).items()}
        for key in RESTATED
    }
    assert stored == build()


@pytest.mark.parametrize("key", sorted(BOOKS))
def test_every_assertion_of_a_restated_artefact_is_restated(key):
    assert BOOKS[key].rules == set(catalogue.entries(key))


def test_proven_restatements_exist():
    built_from_artefacts = {key for key in PROVEN if key.startswith(catalogue.PROFILE_PREFIX)}
    assert set(BOOKS) >= PROVEN - built_from_artefacts


# The lists the BR-CL assertions and BR-CO-09 test, by syntax.
_LISTS = {
    "cen-en16931-cii": {
        "BR-CL-01": codes.INVOICE_TYPE_CII,
        "BR-CL-03": codes.CURRENCY,
        "BR-CL-04": codes.CURRENCY,
        "BR-CL-05": codes.CURRENCY,
        "BR-CL-06": codes.VAT_DATE_CII,
        "BR-CL-07": codes.REFERENCE_TYPE,
        "BR-CL-08": codes.NOTE_SUBJECT_CII,
        "BR-CL-10": codes.ICD,
        "BR-CL-11": codes.ICD,
        "BR-CL-13": codes.ITEM_CLASSIFICATION,
        "BR-CL-14": codes.COUNTRY_CII,
        "BR-CL-15": codes.COUNTRY_CII,
        "BR-CL-16": codes.PAYMENT_MEANS,
        "BR-CL-17": codes.VAT_CATEGORY,
        "BR-CL-18": codes.VAT_CATEGORY,
        "BR-CL-19": codes.ALLOWANCE_REASON,
        "BR-CL-20": codes.CHARGE_REASON,
        "BR-CL-21": codes.ICD,
        "BR-CL-22": codes.VAT_EXEMPTION_REASON,
        "BR-CL-23": codes.UNIT,
        "BR-CL-25": codes.EAS,
        "BR-CL-26": codes.ICD,
        "BR-CO-09": codes.VAT_PREFIX_CII,
    },
    "cen-en16931-ubl": {
        "BR-CL-03": codes.CURRENCY,
        "BR-CL-04": codes.CURRENCY,
        "BR-CL-05": codes.CURRENCY,
        "BR-CL-06": codes.VAT_DATE_UBL,
        "BR-CL-07": codes.REFERENCE_TYPE,
        "BR-CL-08": codes.NOTE_SUBJECT_UBL,
        "BR-CL-10": codes.ICD,
        "BR-CL-11": codes.ICD,
        "BR-CL-13": codes.ITEM_CLASSIFICATION,
        "BR-CL-14": codes.COUNTRY_UBL,
        "BR-CL-15": codes.COUNTRY_UBL,
        "BR-CL-16": codes.PAYMENT_MEANS,
        "BR-CL-17": codes.VAT_CATEGORY,
        "BR-CL-18": codes.VAT_CATEGORY,
        "BR-CL-19": codes.ALLOWANCE_REASON,
        "BR-CL-20": codes.CHARGE_REASON,
        "BR-CL-21": codes.ICD,
        "BR-CL-22": codes.VAT_EXEMPTION_REASON,
        "BR-CL-23": codes.UNIT,
        "BR-CL-25": codes.EAS,
        "BR-CL-26": codes.ICD,
        "BR-CO-09": codes.VAT_PREFIX_UBL,
    },
    "extended-ctc-fr-cii": {
        "BR-FREXT-CL-10": extended_ctc_fr_cii.GLOBAL_ID_SCHEMES,
        "BR-FREXT-CL-19-GP": codes.ALLOWANCE_REASON,
        "BR-FREXT-CL-20": codes.CHARGE_REASON,
        "BR-FREXT-CL-20-TAX": extended_ctc_fr_cii.TAX_CHARGE_REASON,
        "BR-FREXT-CL-20-LISTID": extended_ctc_fr_cii.REASON_LISTS,
        "BR-FREXT-CL-27": extended_ctc_fr_cii.DELIVERY_TERMS,
        "BR-FXEXT-04": extended_ctc_fr_cii.ITEM_ATTRIBUTE,
    },
}


@pytest.mark.parametrize("key", sorted(_LISTS))
def test_code_lists_are_the_artefacts_lists(key):
    official = read_artefact(RESTATED[key].path)
    for rule, listed in _LISTS[key].items():
        literal = max(re.findall(r"'([^']*)'", official[rule].test), key=len)
        assert "  " not in literal, rule  # the membership test by substring is a test by code
        assert set(literal.split()) == listed, rule
        if rule in ("BR-CL-08", "BR-CO-09") and key == "cen-en16931-ubl":
            assert literal == listed.text, rule  # tested by substring: the order matters too
