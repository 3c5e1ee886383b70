"""Conversion through the model: CII <-> UBL keeps every term, losses are explicit warnings,
and the writers' output is pinned by golden files.

Regenerate the golden files after an intended change with
`COURSIER_UPDATE_GOLDEN=1 pytest tests/formats/test_convert.py` and review the diff.
"""

import os
import re
from pathlib import Path

import pytest

from coursier.formats import cii, ubl
from coursier.formats.base import BLANK_VALUE, NOT_IN_PROFILE, NOT_IN_SYNTAX, REPLACED_VALUE, FormatError
from coursier.formats.cii import PROFILES
from coursier.formats.convert import convert, parse
from coursier.formats.detect import detect
from coursier.formats.facturx import extract
from coursier.model import Invoice, PaymentInstructions, term_for_path
from coursier.validation import RuleSet, Severity, validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("COURSIER_UPDATE_GOLDEN") == "1"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
TARGETS = [f"cii-{profile}" for profile in PROFILES] + ["ubl"]


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / f"{name}.json").read_text())


def differences(before: object, after: object, path: str = "") -> list[str]:
    """Model paths whose values differ between two dumps; an absent group compares as an empty one,
    so that a lost term is named by its own path."""
    if isinstance(before, dict) or isinstance(after, dict):
        before, after = before or {}, after or {}
    if isinstance(before, dict) and isinstance(after, dict):
        keys = before.keys() | after.keys()
        return [diff for key in sorted(keys) for diff in differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            diff
            for i, pair in enumerate(zip(before, after, strict=True))
            for diff in differences(*pair, f"{path}[{i}]")
        ]
    return [] if before == after or (before in (None, []) and after in (None, [])) else [path.lstrip(".")]


# ---- the round trip over every corpus the tests have ----------------------------------------

TESTS_DIR = Path(__file__).resolve().parents[1]
SHARED = TESTS_DIR.parent.parent / "shared"
OTHER_SYNTAX = {"cii": "ubl", "ubl": "cii"}
WRITER_CODES = {NOT_IN_PROFILE, NOT_IN_SYNTAX, REPLACED_VALUE, BLANK_VALUE}
# CEN artefact findings a faithful conversion cannot avoid: CII-SR-475 allows one description
# (BT-123) over all supporting documents, where UBL allows one per document; CII's BR-53 refuses a
# VAT accounting currency (BT-6) equal to the invoice currency, which UBL accepts.
UNAVOIDABLE = {"cii": {"CII-SR-475", "BR-53"}, "ubl": set()}


def _own_documents() -> list[Path]:
    folders = [GOLDEN, TESTS_DIR / "formats" / "facturx_fixtures", TESTS_DIR / "validation" / "fixtures"]
    return sorted(path for folder in folders for path in folder.glob("*.xml"))


def _shared_documents(*patterns: str) -> list[Path]:
    return sorted(path for pattern in patterns for path in SHARED.glob(pattern))


def _invoice_xml(path: Path) -> bytes:
    return extract(path.read_bytes()).xml if path.suffix == ".pdf" else path.read_bytes()


def _syntax(xml: bytes) -> str | None:
    detection = detect(xml)
    return detection.syntax.family if detection.syntax else None


def _findings(xml: bytes) -> tuple[set[str], bool]:
    """The XSD and CEN rules `xml` breaks, and whether any of them is fatal."""
    report = validate(xml, rules=[RuleSet.EN16931])
    issues = report.errors + report.warnings + report.advisories
    return {issue.rule for issue in issues}, any(issue.severity is Severity.FATAL for issue in issues)


def _places(path: str) -> set[str]:
    """The terms (or, unnumbered, the paths) of `path` and of every group that holds it."""
    prefixes = [path[: cut.start()] for cut in re.finditer(r"[.\[]", path)] + [path]
    return {term_for_path(prefix) or prefix for prefix in prefixes}


def assert_round_trip(xml: bytes, *, check_validity: bool = True) -> None:
    """Convert `xml` to the other syntax and back: the model comes back equal but for the losses and
    replaced values the writers reported, and the conversion of a valid EN 16931 invoice is valid
    too, with no new warning. (An invalid one, a MINIMUM or a CEN unit case, cannot be judged
    across syntaxes: their XSDs ask for different things.)"""
    syntax = _syntax(xml)
    there, there_warnings = convert(xml, to=OTHER_SYNTAX[syntax])
    back, back_warnings = convert(there, to=syntax)
    # Everything our own writer wrote, our reader reads.
    assert [w for w in back_warnings if w.code not in WRITER_CODES] == []
    reported = {w.term or w.path for w in there_warnings + back_warnings if w.code in WRITER_CODES}
    changed = differences(parse(xml).invoice.model_dump(), parse(back).invoice.model_dump())
    # A writer names a lost term, or the group it lost as a whole.
    assert [path for path in changed if not _places(path) & reported] == []
    assert reported <= {place for path in changed for place in _places(path)}
    if check_validity:
        before, broken = _findings(xml)
        if not broken:
            assert _findings(there)[0] - before - UNAVOIDABLE[OTHER_SYNTAX[syntax]] == set()


@pytest.mark.parametrize("path", [p for p in _own_documents() if _syntax(p.read_bytes())], ids=lambda p: p.name)
def test_own_documents_round_trip(path):
    assert_round_trip(path.read_bytes())


SHARED_INVOICES = _shared_documents("samples/cii/*.xml", "samples/ubl/*.xml", "samples/facturx/*.pdf")


@pytest.mark.corpus
@pytest.mark.parametrize("path", SHARED_INVOICES, ids=lambda path: path.name)
def test_shared_samples_round_trip(shared_dir, path):
    # The 3 MB Italian sample: its attachment only slows the schematron down.
    assert_round_trip(_invoice_xml(path), check_validity=path.stat().st_size < 1_000_000)


@pytest.mark.corpus
def test_conformance_cases_round_trip(shared_dir):
    """The CEN unit cases are fragments made to trip one rule each, not invoices: their models must
    cross both syntaxes, but there is no validity to keep."""
    failures = {}
    for path in _shared_documents("conformance/en16931-unit/*.xml"):
        try:
            assert_round_trip(path.read_bytes(), check_validity=False)
        except AssertionError as exc:
            failures[path.name] = str(exc).splitlines()[0]
    assert failures == {}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_cross_both_syntaxes_unchanged(name):
    invoice = fixture_invoice(name)
    as_ubl, warnings = convert(cii.write(invoice).xml, to="ubl")
    assert warnings == []
    assert parse(as_ubl).invoice == invoice
    as_cii, warnings = convert(as_ubl, to="cii", profile="en16931")
    assert warnings == []
    assert parse(as_cii).invoice == invoice


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("target", TARGETS)
def test_writer_output_matches_golden_file(name, target):
    invoice = fixture_invoice(name)
    xml = ubl.write(invoice).xml if target == "ubl" else cii.write(invoice, profile=target.removeprefix("cii-")).xml
    golden = GOLDEN / f"{name}.{target}.xml"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(xml)
    assert golden.exists(), f"{golden.name} is missing: run with COURSIER_UPDATE_GOLDEN=1"
    assert xml.decode() == golden.read_text()


def test_convert_refuses_what_it_cannot_read_or_write():
    xml = cii.write(fixture_invoice("fr-credit-note")).xml
    with pytest.raises(FormatError, match="PDF"):
        convert(b"%PDF-1.7\n...", to="cii")
    with pytest.raises(FormatError, match="neither"):
        convert(b"<order xmlns='urn:example'/>", to="ubl")
    with pytest.raises(ValueError, match="target"):
        convert(xml, to="pdf")
    with pytest.raises(ValueError, match="profiles apply to CII"):
        convert(xml, to="ubl", profile="minimum")


def test_profile_losses_come_back_from_convert():
    xml = ubl.write(fixture_invoice("allowances-charges-multi-vat")).xml
    converted, warnings = convert(xml, to="cii", profile="basicwl")
    lost = {warning.term for warning in warnings}
    assert "BG-25" in lost and "BG-20" not in lost  # BASIC WL has no lines but keeps document allowances
    reread = parse(converted).invoice
    assert reread.lines == [] and len(reread.allowances) == 1


@pytest.mark.parametrize("credit_note", [False, True])
def test_a_remittance_reference_without_payment_means_is_a_loss_in_ubl(credit_note):
    """CII holds BT-83 beside the payment means; UBL only inside one, which needs its code (BT-81)."""
    invoice = fixture_invoice("fr-credit-note" if credit_note else "fr-b2b-invoice")
    invoice.payment_instructions = PaymentInstructions(remittance_information="RF18539007547034")
    original = cii.write(invoice).xml
    assert validate(original, rules=[RuleSet.EN16931]).valid
    as_ubl, warnings = convert(original, to="ubl")
    report = validate(as_ubl, rules=[RuleSet.EN16931])
    assert report.valid, [(issue.rule, issue.message) for issue in report.errors]
    assert {(warning.code, warning.term) for warning in warnings} >= {(NOT_IN_SYNTAX, "BT-83")}
    assert parse(as_ubl).invoice.payment_instructions is None
    assert_round_trip(original)
