"""Flow intake: F6 (CDAR) and F10 judged by their official XSD and schematron, F1 by name and XSD."""

from pathlib import Path

import pytest

from coursier.sandbox.conformance import judge, profile_for

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def send(client, flow_type: str, syntax: str, filename: str, content: bytes, **form) -> dict:
    response = client.post(
        "/flows",
        data={"flow_type": flow_type, "flow_syntax": syntax, **form},
        files={"file": (filename, content, "application/xml")},
    )
    assert response.status_code == 202, response.text
    return response.json()


def rules(report: dict) -> list[str]:
    return [error["rule"] for error in report["errors"]]


def test_a_valid_status_message_is_receivable(ppf):
    report = send(ppf, "F6", "CDAR", "cdv-0001.xml", fixture("cdar_212_encaissee.xml"), processing_rule="B2B")
    assert (report["status"], report["errors"], report["rejection"]) == ("RECEIVABLE", [], None)
    assert (report["flow_type"], report["flow_syntax"], report["processing_rule"], report["platform_id"]) == (
        "F6",
        "CDAR",
        "B2B",
        "0042",
    )


def test_a_status_message_breaking_a_rule_gets_a_601_rejection(ppf):
    report = send(ppf, "F6", "CDAR", "cdv-0002.xml", fixture("cdar_212_without_amount.xml"))
    assert report["status"] == "UNACCEPTABLE"
    [error] = report["errors"]
    assert error["rule"] == "BR-FR-CDV-14_MDT-207" and error["severity"] == "fatal"
    assert "MDT-105 = 212" in error["message"]
    assert error["location"] == (
        "/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:AcknowledgementDocument[1]"
        "/ram:ReferenceReferencedDocument[1]"
    )
    assert report["rejection"] == {"status_code": "601", "reasons": ["BR-FR-CDV-14_MDT-207"]}


def test_a_status_message_failing_its_schema_is_unacceptable(ppf):
    content = fixture("cdar_212_encaissee.xml").replace(
        b"<ram:TypeCode>23</ram:TypeCode>", b"<ram:TypeCode>23</ram:TypeCode><ram:Unexpected>1</ram:Unexpected>"
    )
    report = send(ppf, "F6", "CDAR", "cdv-0003.xml", content)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == ["SCHEMAV_ELEMENT_CONTENT"]
    assert "ram:Unexpected" in report["errors"][0]["message"]
    assert report["rejection"] == {"status_code": "601", "reasons": ["SCHEMAV_ELEMENT_CONTENT"]}


def test_a_valid_e_report_is_receivable(ppf):
    report = send(ppf, "F10", "FRR", "ER-2026-09.xml", fixture("f10_payments.xml"))
    assert (report["status"], report["errors"], report["rejection"]) == ("RECEIVABLE", [], None)


def test_an_e_report_breaking_rules_lists_every_fault(ppf):
    report = send(ppf, "F10", "FRR", "ER-2026-09.xml", fixture("f10_payments_bad_rate_and_period.xml"))
    assert report["status"] == "UNACCEPTABLE" and report["rejection"] is None
    assert rules(report) == ["G6.25", "G1.24"]
    assert report["errors"][1]["location"] == (
        "/Report[1]/PaymentsReport[1]/Transactions[1]/Payment[1]/SubTotals[2]/TaxPercent[1]"
    )


def test_an_f1_file_declares_its_profile_by_name(ppf):
    invoice = fixture("Base_F2026-0042.xml")
    assert send(ppf, "F1", "CII", "Base_F2026-0042.xml", invoice)["status"] == "RECEIVABLE"
    # Named Full, the same file is judged by the Full profile, which carries the lines.
    full = send(ppf, "F1", "CII", "Full_F2026-0042.xml", invoice)
    assert full["status"] == "UNACCEPTABLE" and rules(full) == ["G6.08"]
    report = send(ppf, "F1", "CII", "base_F2026-0042.xml", invoice)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == ["IRR_NOM_F"]
    assert "S1.06" in report["errors"][0]["message"]


def test_an_f1_file_is_checked_against_the_cii_schema(ppf):
    broken = fixture("Base_F2026-0042.xml").replace(
        b"<ram:ID>F2026-0042</ram:ID>", b"<ram:Identifier>F2026-0042</ram:Identifier>"
    )
    report = send(ppf, "F1", "CII", "Base_F2026-0042.xml", broken)
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
def test_a_file_that_cannot_be_read_is_unacceptable(ppf, content, rule):
    report = send(ppf, "F10", "FRR", "ER.xml", content)
    assert report["status"] == "UNACCEPTABLE" and rules(report) == [rule]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"flow_type": "F6", "flow_syntax": "FRR"}, "syntax_not_accepted"),
        ({"flow_type": "F1", "flow_syntax": "UBL"}, "syntax_not_accepted"),
        ({"flow_type": "F9", "flow_syntax": "CII"}, "validation_error"),
        ({"flow_type": "F10", "flow_syntax": "FRR", "processing_rule": "B2X"}, "validation_error"),
    ],
)
def test_a_flow_of_an_unknown_kind_is_refused(ppf, problem, form, code):
    response = ppf.post("/flows", data=form, files={"file": ("x.xml", b"<a/>", "application/xml")})
    assert problem(response, 422)["code"] == code


def test_a_flow_without_a_file_is_refused(ppf, problem):
    response = ppf.post("/flows", data={"flow_type": "F10", "flow_syntax": "FRR"})
    assert problem(response, 422)["code"] == "validation_error"


def test_every_flow_is_kept_with_its_content_for_its_sender_only(ppf, competitor, problem):
    content = fixture("f10_payments.xml")
    sent = send(ppf, "F10", "FRR", "dir/ER-kept.xml", content)
    assert sent["filename"] == "ER-kept.xml"
    assert ppf.get(f"/flows/{sent['flow_id']}").json() == sent
    stored = ppf.get(f"/flows/{sent['flow_id']}/content")
    assert stored.content == content
    assert stored.headers["content-disposition"] == "attachment; filename*=UTF-8''ER-kept.xml"
    for path in (f"/flows/{sent['flow_id']}", f"/flows/{sent['flow_id']}/content"):
        assert problem(competitor.get(path), 404)["code"] == "flow_not_found"


def test_a_platform_lists_its_own_flows_newest_first(ppf, competitor, problem):
    first = send(competitor, "F10", "FRR", "ER-1.xml", fixture("f10_payments.xml"))
    second = send(competitor, "F6", "CDAR", "CDV-1.xml", fixture("cdar_212_encaissee.xml"))
    listed = [flow["flow_id"] for flow in competitor.get("/flows").json()]
    assert listed.index(second["flow_id"]) < listed.index(first["flow_id"])
    only_f10 = competitor.get("/flows", params={"flow_type": "F10", "platform_id": "0099"}).json()
    assert {flow["flow_type"] for flow in only_f10} == {"F10"} and first["flow_id"] in [f["flow_id"] for f in only_f10]
    assert all(flow["platform_id"] == "0042" for flow in ppf.get("/flows").json())
    assert problem(ppf.get("/flows", params={"platform_id": "0099"}), 403)["code"] == "platform_mismatch"


def test_judging_in_process_gives_the_same_verdict():
    findings = judge(profile_for("F10", "FRR"), "ER.xml", fixture("f10_payments_bad_rate_and_period.xml"))
    assert [finding.rule for finding in findings] == ["G6.25", "G1.24"]
