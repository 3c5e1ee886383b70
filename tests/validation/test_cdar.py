"""check_cdar: a lifecycle message judged by the CDAR XSD and BR-FR-CDV, the PPF-matricule findings marked."""

import json
from pathlib import Path

import pytest

from coursier.validation.cdar import NOT_CDAR, check_cdar

FIXTURES = Path(__file__).parents[1] / "sandbox" / "fixtures"
TO_THE_PPF = (FIXTURES / "cdar_212_encaissee.xml").read_bytes()  # names the PPF 0238:0000, as BR-FR-CDV-02 expects
WITHOUT_AMOUNT = (FIXTURES / "cdar_212_without_amount.xml").read_bytes()
ARTEFACT_PPF = b'<ram:GlobalID schemeID="0238">0000</ram:GlobalID>'
DGFIP_PPF = b'<ram:GlobalID schemeID="0238">9998</ram:GlobalID>'
CONTEXT = "/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:ExchangedDocumentContext[1]"


def rules(issues) -> list[str]:
    return [issue.rule for issue in issues]


def test_a_message_to_the_ppf_as_the_artefact_knows_it_is_valid():
    report = check_cdar(TO_THE_PPF, file="cdv.xml")
    assert report.valid and (report.errors, report.warnings, report.matricule_findings) == ([], [], [])
    assert [(run.artefact.key, run.valid) for run in report.artefacts] == [
        ("cdar-d22b-xsd", True),
        ("br-fr-cdv", True),
    ]
    assert (report.file, report.guideline_id, report.ppf_matricule) == (
        "cdv.xml",
        "urn.cpro.gouv.fr:1p0:CDV:einvoicingF2",
        "0000",
    )


def test_findings_that_only_concern_the_ppf_matricule_are_marked():
    report = check_cdar(TO_THE_PPF.replace(ARTEFACT_PPF, DGFIP_PPF))
    assert [(issue.rule, issue.location) for issue in report.errors] == [
        ("BR-FR-CDV-02_MDT-3", CONTEXT),
        ("BR-FR-CDV-CL-01_MDT-2", CONTEXT),
    ]
    assert [finding.issue for finding in report.matricule_findings] == report.errors
    assert report.ppf_matricule == "9998"
    assert not report.valid and report.valid_apart_from_matricule
    document = json.loads(json.dumps(report.to_dict()))
    assert document["ppf_matricule"] == "9998"
    assert document["matricule_findings"] == [
        {"rule": "BR-FR-CDV-02_MDT-3", "location": CONTEXT, "matricule": "9998", "artefact_matricule": "0000"},
        {"rule": "BR-FR-CDV-CL-01_MDT-2", "location": CONTEXT, "matricule": "9998", "artefact_matricule": "0000"},
    ]


def test_a_real_fault_stays_unmarked_beside_the_matricule_findings():
    report = check_cdar(WITHOUT_AMOUNT.replace(ARTEFACT_PPF, DGFIP_PPF))
    assert rules(report.errors) == ["BR-FR-CDV-02_MDT-3", "BR-FR-CDV-14_MDT-207", "BR-FR-CDV-CL-01_MDT-2"]
    assert rules(finding.issue for finding in report.matricule_findings) == [
        "BR-FR-CDV-02_MDT-3",
        "BR-FR-CDV-CL-01_MDT-2",
    ]
    assert not report.valid_apart_from_matricule


def test_a_message_between_platforms_that_copies_the_ppf_has_no_matricule_finding():
    between_platforms = (
        TO_THE_PPF.replace(ARTEFACT_PPF, DGFIP_PPF)
        .replace(b"CDV:einvoicingF2", b"CDV:invoice")
        .replace(b"<ram:ID>B1</ram:ID>", b"<ram:ID>REGULATED</ram:ID>")
    )
    report = check_cdar(between_platforms)
    assert report.valid and report.matricule_findings == [] and report.ppf_matricule == "9998"


def test_a_schema_error_does_not_hide_a_rule():
    content = WITHOUT_AMOUNT.replace(
        b"<ram:TypeCode>23</ram:TypeCode>", b"<ram:TypeCode>23</ram:TypeCode><ram:Unexpected>1</ram:Unexpected>"
    )
    report = check_cdar(content)
    assert rules(report.errors) == ["SCHEMAV_ELEMENT_CONTENT", "BR-FR-CDV-14_MDT-207"]
    assert "ram:Unexpected" in report.errors[0].message


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"not XML at all", "XML-MALFORMED"),
        (b'<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>', "XML-DOCTYPE"),
        (b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', NOT_CDAR),
    ],
    ids=["malformed", "doctype", "not-cdar"],
)
def test_what_is_not_a_cdar_gets_one_parser_finding(content, rule):
    report = check_cdar(content)
    assert rules(report.errors) == [rule] and report.artefacts == []
