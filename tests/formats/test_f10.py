"""Flow 10 files: written in the order of the official XSDs, valid against them and the Flux10
schematron, and read back to the same report."""

import pytest

from coursier.formats.ppf.f10 import build_f10, parse_f10
from coursier.kit.xml import parse_xml
from coursier.validation.f10 import check_f10
from support.reporting import payments_report, transactions_report


@pytest.mark.parametrize("report", [transactions_report(), payments_report()], ids=["transactions", "payments"])
def test_a_report_is_valid_and_reads_back_the_same(report):
    document = build_f10(report)
    checked = check_f10(document.xml)
    assert checked.valid, [(issue.rule, issue.message) for issue in checked.errors]
    assert not checked.warnings
    assert [run.artefact.key for run in checked.artefacts] == ["ereporting-xsd", "flux10"]
    back = parse_f10(parse_xml(document.xml))
    assert back.model_dump() == report.model_dump() | {"document": back.document.model_dump()}
    assert back.document.issued_at == report.document.issued_at


def test_no_references_block_and_dates_without_dashes():
    xml = build_f10(transactions_report()).xml
    assert b"<References>" not in xml  # removed in XSD v3.1
    assert b"<StartDate>20261001</StartDate>" in xml
    assert b"<DateTimeString>20261111020000</DateTimeString>" in xml  # Paris time


def _rules(xml: bytes) -> set[str]:
    return {issue.rule for issue in check_f10(xml).errors}


def test_the_official_rules_catch_what_the_ppf_refuses():
    xml = build_f10(transactions_report()).xml
    assert "G1.68" in _rules(xml.replace(b"<CategoryCode>TLB1", b"<CategoryCode>TXX1"))
    assert "G1.24" in _rules(xml.replace(b"<TaxPercent>20<", b"<TaxPercent>19<"))
    assert "G8.01" in _rules(xml.replace(b"<TypeCode>IN<", b"<TypeCode>XX<"))
    assert "G6.25" in _rules(xml.replace(b"<EndDate>20261010<", b"<EndDate>20261001<"))
    both = xml.replace(b"</Report>", build_f10(payments_report()).xml.split(b"</ReportDocument>")[1])
    assert "G6.29" in _rules(both)


def test_a_document_that_is_not_f10_is_said_so():
    report = check_f10(b"<Invoice/>")
    assert [issue.rule for issue in report.errors] == ["XML-NOT-F10"]
    assert [issue.rule for issue in check_f10(b"<Report><oops></Report>").errors] == ["XML-MALFORMED"]
