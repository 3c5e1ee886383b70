"""validate(engine=...): the native restatement where it is proven, the official artefacts elsewhere."""

from pathlib import Path

import pytest

from coursier.formats.detect import detect
from coursier.kit.xml import parse_xml
from coursier.validation import Engine, validate
from coursier.validation.native import books_for
from coursier.validation.native.cen_cii import CEN_CII_BOOK
from coursier.validation.native.cen_ubl import CEN_UBL_BOOK
from coursier.validation.native.differential import Case, base_invoices, compare, mutated_cases
from coursier.validation.native.xpath import Document

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _engines(report) -> dict[str, str]:
    return {run.artefact.key: run.engine for run in report.artefacts}


def test_native_by_default_for_proven_artefacts_official_for_the_others(variant):
    french = variant("valid-cii.xml", ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>FR</ram:CountryID>"))
    report = validate(french, rules=["all"])
    assert _engines(report) == {
        "cii-xsd": "official",
        "cen-en16931-cii": "native",
        "facturx-en16931": "native",
        "br-fr-flux2-cii": "native",
    }


def test_official_engine_runs_every_artefact_with_saxon(fixtures_dir):
    report = validate(fixtures_dir / "valid-cii.xml", engine=Engine.OFFICIAL)
    assert set(_engines(report).values()) == {"official"}


def test_both_engines_give_the_same_report(variant):
    broken = variant(
        "valid-cii.xml",
        ("<ram:LineTotalAmount>100.00</ram:LineTotalAmount>", "<ram:LineTotalAmount>100.005</ram:LineTotalAmount>"),
        ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>XX</ram:CountryID>"),
    )
    native = validate(broken).to_dict()
    official = validate(broken, engine="official").to_dict()
    assert native["errors"] and native["errors"] == official["errors"]
    assert native["warnings"] == official["warnings"]
    for run in native["artefacts"] + official["artefacts"]:
        run.pop("engine")
    assert native == official


def test_a_french_ubl_invoice_runs_no_saxon_at_all(monkeypatch, fixtures_dir):
    def no_saxon(xml):
        raise AssertionError("Saxon was asked to load the document")

    monkeypatch.setattr("coursier.validation.engine.load_document", no_saxon)
    french_ubl = fixtures_dir.parent.parent / "formats" / "golden" / "fr-b2b-invoice.ubl.xml"
    report = validate(french_ubl.read_bytes(), rules=["all"])
    assert _engines(report) == {
        "ubl-invoice-xsd": "official",
        "cen-en16931-ubl": "native",
        "br-fr-flux2-ubl": "native",
    }
    assert report.valid


def _findings(issues) -> list[tuple]:
    return [(issue.rule, issue.location, issue.message) for issue in issues]


def test_books_sharing_a_document_find_what_each_finds_alone():
    """Validation runs a document's books on one `Document` (shared memoised values): no book may
    read another's value under the same key. Every book of each base invoice's syntax and profile,
    on a few mutations of it, alone and then all on one shared document."""
    cases = list(mutated_cases(base_invoices(PROJECT_ROOT, None), 3, seed=5))
    compared = 0
    for case in cases:
        root = parse_xml(case.xml).getroot()
        detection = detect(case.xml)
        shared = Document(root)
        for book in books_for(detection.syntax, detection.profile):
            assert _findings(book.run(root, shared)) == _findings(book.run(root)), (case.name, book.artefact.key)
            compared += 1
    assert compared > 100


def test_a_book_refuses_the_document_of_another_tree(fixtures_dir):
    root = parse_xml((fixtures_dir / "valid-cii.xml").read_bytes()).getroot()
    other = parse_xml((fixtures_dir / "valid-cii.xml").read_bytes()).getroot()
    with pytest.raises(ValueError, match="not the one validated"):
        CEN_CII_BOOK.run(root, Document(other))


def test_a_book_remembers_a_bounded_number_of_element_paths(monkeypatch, fixtures_dir):
    """The rules of each element path are remembered across documents, up to a limit: a document
    of made-up names cannot grow a long-lived worker without end."""
    monkeypatch.setattr("coursier.validation.native.book._DISPATCH_LIMIT", 10)
    monkeypatch.setattr(CEN_CII_BOOK, "_dispatch", {})
    root = parse_xml((fixtures_dir / "valid-cii.xml").read_bytes()).getroot()
    alone = _findings(CEN_CII_BOOK.run(root))
    assert len(CEN_CII_BOOK._dispatch) <= 10
    assert _findings(CEN_CII_BOOK.run(root)) == alone


def test_two_payee_ids_without_a_scheme_break_ubl_sr_20_as_the_official_artefact_says():
    """upper-case(@schemeID) of an id without one is "", not 'SEPA': such ids count (UBL-SR-20
    allows one), as Saxon decides (a case the mutations found)."""
    parties = (PROJECT_ROOT / "tests/validation/fixtures/fr-ubl-parties.ubl.xml").read_text(encoding="utf-8")
    scheme_id = '<cbc:ID schemeID="0009">80000000700015</cbc:ID>'
    for ids, broken in (("<cbc:ID>A</cbc:ID><cbc:ID>B</cbc:ID>", True), ("<cbc:ID>A</cbc:ID>", False)):
        xml = parties.replace(scheme_id, ids, 1).encode()
        found = {issue.rule for issue in CEN_UBL_BOOK.run(parse_xml(xml).getroot())}
        assert ("UBL-SR-20" in found) is broken
        tally = compare([Case("payee ids", xml)])
        assert tally.comparisons and not tally.differences
