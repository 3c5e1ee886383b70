"""How the sandbox judges a file: F6 (CDAR) and F10 by their official XSD and schematron, F1 by name
and XSD (the judges of `sandbox.flows` run these on the files of a flow)."""

from pathlib import Path

import pytest

from coursier.sandbox.conformance import judge, profile_for

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def send(flow_type: str, syntax: str, filename: str, content: bytes) -> dict:
    findings = judge(profile_for(flow_type, syntax), filename, content)
    fatal = any(finding.severity == "fatal" for finding in findings)
    return {"status": "UNACCEPTABLE" if fatal else "RECEIVABLE", "errors": [f.model_dump() for f in findings]}


def rules(report: dict) -> list[str]:
    return [error["rule"] for error in report["errors"]]


def test_a_valid_status_message_is_receivable():
    report = send("F6", "CDAR", "cdv-0001.xml", fixture("cdar_212_encaissee.xml"))
    assert (report["status"], report["errors"]) == ("RECEIVABLE", [])


def test_a_status_message_breaking_a_rule_is_unacceptable():
    report = send("F6", "CDAR", "cdv-0002.xml", fixture("cdar_212_without_amount.xml"))
    assert report["status"] == "UNACCEPTABLE"
    [error] = report["errors"]
    assert error["rule"] == "BR-FR-CDV-14_MDT-207" and error["severity"] == "fatal"
    assert "MDT-105 = 212" in error["message"]
    assert error["location"] == (
        "/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:AcknowledgementDocument[1]"
        "/ram:ReferenceReferencedDocument[1]"
    )


def test_a_status_message_failing_its_schema_is_unacceptable():
    content = fixture("cdar_212_encaissee.xml").replace(
        b"<ram:TypeCode>23</ram:TypeCode>", b"<ram:TypeCode>23</ram:TypeCode><ram:Unexpected>1</ram:Unexpected>"
    )
    report = send("F6", "CDAR", "cdv-0003.xml", content)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == ["SCHEMAV_ELEMENT_CONTENT"]
    assert "ram:Unexpected" in report["errors"][0]["message"]


def test_a_valid_e_report_is_receivable():
    report = send("F10", "FRR", "ER-2026-09.xml", fixture("f10_payments.xml"))
    assert (report["status"], report["errors"]) == ("RECEIVABLE", [])


def test_an_e_report_breaking_rules_lists_every_fault():
    report = send("F10", "FRR", "ER-2026-09.xml", fixture("f10_payments_bad_rate_and_period.xml"))
    assert report["status"] == "UNACCEPTABLE"
    assert rules(report) == ["G6.25", "G1.24"]
    assert report["errors"][1]["location"] == (
        "/Report[1]/PaymentsReport[1]/Transactions[1]/Payment[1]/SubTotals[2]/TaxPercent[1]"
    )


def test_an_f1_file_declares_its_profile_by_name():
    invoice = fixture("Base_F2026-0042.xml")
    assert send("F1", "CII", "Base_F2026-0042.xml", invoice)["status"] == "RECEIVABLE"
    # Named Full, the same file is judged by the Full profile, which carries the lines.
    full = send("F1", "CII", "Full_F2026-0042.xml", invoice)
    assert full["status"] == "UNACCEPTABLE" and rules(full) == ["G6.08"]
    report = send("F1", "CII", "base_F2026-0042.xml", invoice)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == ["IRR_NOM_F"]
    assert "S1.06" in report["errors"][0]["message"]


def test_an_f1_file_is_checked_against_the_cii_schema():
    broken = fixture("Base_F2026-0042.xml").replace(
        b"<ram:ID>F2026-0042</ram:ID>", b"<ram:Identifier>F2026-0042</ram:Identifier>"
    )
    report = send("F1", "CII", "Base_F2026-0042.xml", broken)
    # The schema error does not hide what F1 itself finds: an unknown element and no BT-1.
    assert report["status"] == "UNACCEPTABLE" and rules(report) == ["SCHEMAV_ELEMENT_CONTENT", "F1-STRUCTURE", "G6.08"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "IRR_VIDE_F"),
        (b"  \n", "IRR_VIDE_F"),
        (b"<Report><ReportDocument>", "IRR_SYNTAX"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><Report>&e;</Report>', "IRR_SYNTAX"),
    ],
)
def test_a_file_that_cannot_be_read_is_unacceptable(content, rule):
    report = send("F10", "FRR", "ER.xml", content)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == [rule]


def test_judging_in_process_gives_the_same_verdict():
    findings = judge(profile_for("F10", "FRR"), "ER.xml", fixture("f10_payments_bad_rate_and_period.xml"))
    assert [finding.rule for finding in findings] == ["G6.25", "G1.24"]
