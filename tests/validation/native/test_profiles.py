"""The Factur-X profile schematrons, built natively from the artefacts (validation.native.profiles)."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.formats.detect import Profile, Syntax
from coursier.validation import validate
from coursier.validation.artefacts import PROFILE_SCHEMATRONS
from coursier.validation.native import PROVEN, books_for, catalogue, is_profile_artefact, proven
from coursier.validation.native.differential import Case, compare
from coursier.validation.native.facturx_breakdowns import breakdown_test
from coursier.validation.native.facturx_rules import RESTATED, fingerprint
from coursier.validation.native.profiles import (
    NotRecognised,
    Unrecognised,
    compile_test,
    profile_book,
    read_patterns,
)
from coursier.validation.native.xpath import Document, XPathError

PROJECT_ROOT = Path(__file__).resolve().parents[3]
GOLDEN = PROJECT_ROOT / "tests/formats/golden"
FERD = sorted(
    (artefact for artefact in PROFILE_SCHEMATRONS.values() if is_profile_artefact(artefact)), key=lambda a: a.key
)


@pytest.mark.parametrize("artefact", FERD, ids=lambda artefact: artefact.key)
def test_every_assertion_and_report_is_built_or_listed_as_unrecognised(artefact):
    built = profile_book(artefact)
    unrecognised = {missing.key for missing in built.unrecognised}
    assert built.book.rules | unrecognised == set(catalogue.entries(artefact.key))
    assert not built.book.rules & unrecognised
    # One pattern per mode the root template applies, one rule per template.
    assert len(built.book.patterns) == len(read_patterns(artefact.path))


def test_proven_profiles_are_complete_and_replace_the_official_run():
    assert {artefact.key for artefact in FERD} <= PROVEN
    for artefact in FERD:
        assert profile_book(artefact).complete
        assert proven(artefact) is profile_book(artefact).book


def test_an_incomplete_profile_book_keeps_the_official_artefact(monkeypatch):
    extended = next(artefact for artefact in FERD if artefact.key == "facturx-extended")
    built = profile_book(extended)
    monkeypatch.setattr(built, "unrecognised", [Unrecognised("BR-FXEXT-CO-10", "//x", "a test")])
    assert proven(extended) is None
    assert built.book not in books_for(Syntax.CII, Profile.EXTENDED)


def test_every_restatement_is_of_a_text_an_artefact_has():
    """A restatement whose text no artefact carries any more is dead: the release changed it."""
    texts = set()
    for artefact in FERD:
        for templates in read_patterns(artefact.path):
            for template in templates:
                texts |= {fingerprint(check.test) for check in template.checks}
                texts |= {fingerprint(predicate) for predicate in _predicates_of(template.match)}
    assert set(RESTATED) <= texts


def _predicates_of(match: str) -> list[str]:
    from coursier.validation.native.profiles import _predicates, _split_steps

    return [predicate for step in _split_steps(match) for predicate in _predicates(step[step.find("[") :])]


def _element(xml: str) -> etree._Element:
    return etree.fromstring(
        f'<x xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">{xml}</x>'
    )


def test_recognised_shapes_decide_as_xpath_2():
    two_names = _element("<ram:Name>a</ram:Name><ram:Name> </ram:Name>")
    document = Document(two_names)
    assert compile_test("count(ram:Name)<=1", ())(two_names, document) is False
    assert compile_test("count(ram:Name)=2", ())(two_names, document) is True
    assert compile_test("@schemeID", ())(two_names, document) is False
    negative_zero = _element("<ram:RateApplicablePercent>-0.00</ram:RateApplicablePercent>")
    # Saxon orders an untyped negative zero below zero.
    assert compile_test("ram:RateApplicablePercent = 0", ())(negative_zero, Document(negative_zero)) is False
    # XPath 1.0 would take the first name; XPath 2.0 stops on two.
    with pytest.raises(XPathError):
        compile_test("normalize-space(ram:Name) != ''", ())(two_names, document)


def test_arithmetic_and_xpath_2_syntax_are_not_left_to_xpath_1():
    for test in ("ram:A + 1 = 2", "sum(ram:A) = 1", "every $a in ram:A satisfies $a = 1", "xs:decimal(ram:A) = 1"):
        with pytest.raises(NotRecognised):
            compile_test(test, ())


def _en16931(replace: tuple[str, str]) -> Case:
    xml = (GOLDEN / "fr-b2b-invoice.cii-en16931.xml").read_text(encoding="utf-8")
    assert replace[0] in xml
    return Case(f"en16931 {replace[1][:40]}", xml.replace(replace[0], replace[1], 1).encode("utf-8"))


@pytest.mark.parametrize(
    ("replace", "finding"),
    [
        # A report without id: an attribute the profile does not use.
        (("<ram:ID>F2025-0042</ram:ID>", '<ram:ID schemeID="x">F2025-0042</ram:ID>'), None),
        # A code the codedb does not list.
        (("<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>999</ram:TypeCode>"), "FX-SCH-A-000555"),
        # A cardinality.
        (("<ram:SubjectCode>PMD</ram:SubjectCode>", "<ram:SubjectCode>PMD</ram:SubjectCode>" * 2), "FX-SCH-A-000161"),
        # An element of white space only (told without normalising it), beside a long text of lines.
        (
            (
                "<ram:Content>Pénalités de retard : trois fois le taux d'intérêt légal.</ram:Content>",
                "<ram:Content>\n\t </ram:Content>",
            ),
            "PEPPOL-EN16931-R008",
        ),
        (
            (
                "<ram:Content>Pénalités de retard : trois fois le taux d'intérêt légal.</ram:Content>",
                "<ram:Content>" + ("QUJD  " * 9 + "\n") * 200 + "</ram:Content><ram:Content> </ram:Content>",
            ),
            "PEPPOL-EN16931-R008",
        ),
    ],
)
def test_native_and_official_agree_on_direct_cases(replace, finding):
    case = _en16931(replace)
    tally = compare([case])
    assert tally.differences == [] and tally.official_failures == []
    # CEN, BR-FR and EXTENDED-CTC-FR (restated for every CII invoice), and Factur-X EN 16931
    assert tally.agreements == tally.comparisons == 4
    artefact = next(artefact for artefact in FERD if artefact.key == "facturx-en16931")
    issues = profile_book(artefact).book.run(etree.fromstring(case.xml))
    assert issues, "the case must make the profile schematron report"
    if finding is not None:
        assert finding in {issue.rule for issue in issues}


def _breakdown_texts() -> list[str]:
    return [
        check.test
        for artefact in FERD
        for templates in read_patterns(artefact.path)
        for template in templates
        for check in template.checks
        if "$exempReasonText" in check.test and "$basisAmount" in check.test and "BT117" not in check.test
    ]


def test_the_breakdown_sums_are_read_as_one_family():
    texts = _breakdown_texts()
    assert len(texts) == 40
    assert all(breakdown_test(text) is not None for text in texts)


def test_a_breakdown_text_the_family_cannot_write_back_is_not_recognised():
    text = _breakdown_texts()[0]
    assert breakdown_test(text.replace(" le ", " lt ")) is None
    assert breakdown_test(text.replace("xs:decimal(ram:LineTotalAmount)", "xs:decimal(ram:LineTotalAmount[1])")) is None


@pytest.mark.parametrize("profile", ["minimum", "basicwl", "basic", "en16931", "extended"])
def test_validation_runs_the_profile_book_and_reports_as_the_official_artefact(profile):
    invoice = GOLDEN / f"allowances-charges-multi-vat.cii-{profile}.xml"
    native = validate(invoice, rules=["facturx"]).to_dict()
    official = validate(invoice, rules=["facturx"], engine="official").to_dict()
    engines = {run["artefact"]: run.pop("engine") for run in native["artefacts"]}
    for run in official["artefacts"]:
        run.pop("engine")
    assert engines[f"facturx-{profile}"] == "native"
    assert native == official


LINE_GROUPS = PROJECT_ROOT / "tests/validation/fixtures/facturx-extended-line-groups.xml"


@pytest.mark.parametrize(
    ("replace", "finding"),
    [
        (("202503101230", "202513101230"), "BR-FXEXT-CII-DT-097a"),
        (
            ("<ram:LineTotalAmount>660.00</ram:LineTotalAmount>", "<ram:LineTotalAmount>661.00</ram:LineTotalAmount>"),
            "BR-FXEXT-08",
        ),
        (("<ram:ParentLineID>G1</ram:ParentLineID>", "<ram:ParentLineID>G2</ram:ParentLineID>"), "BR-FXEXT-11"),
    ],
)
def test_extended_line_groups_and_dates_agree_with_the_official_artefact(replace, finding):
    xml = LINE_GROUPS.read_text(encoding="utf-8")
    assert replace[0] in xml
    case = Case(f"line groups {finding}", xml.replace(replace[0], replace[1], 1).encode("utf-8"))
    tally = compare([case])
    assert tally.differences == [] and tally.official_failures == []
    extended = next(artefact for artefact in FERD if artefact.key == "facturx-extended")
    assert finding in {issue.rule for issue in profile_book(extended).book.run(etree.fromstring(case.xml))}
