"""The sandbox judges F1 files as the PPF would: what `build_f1` makes is receivable, a file
breaking a flow 1 rule is unacceptable with the rule's id, as `check_f1` finds it."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import cii
from coursier.formats.cii.syntax import NAMESPACES
from coursier.formats.ppf.f1 import build_f1
from coursier.model import Invoice
from coursier.network.ppf import PPFClient
from coursier.validation.f1.check import check_f1

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def ppf_client(sandbox_server):
    with PPFClient(sandbox_server.url, sandbox_server.token) as client:
        yield client


@pytest.mark.parametrize("profile", ["base", "full"])
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_a_built_f1_is_receivable(ppf_client, sandbox_server, name, profile):
    document = build_f1(fixture_invoice(name), profile=profile, issuer_platform_id=sandbox_server.platform_id)
    receipt = ppf_client.submit_flow("F1", "CII", document.filename, document.xml)
    assert (receipt.status, receipt.errors, receipt.filename) == ("RECEIVABLE", (), document.filename)


def test_an_f1_breaking_a_rule_is_unacceptable_with_the_reason(ppf_client, sandbox_server):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id=sandbox_server.platform_id)
    root = etree.fromstring(document.xml)
    root.xpath("//ram:ApplicableTradeTax/ram:RateApplicablePercent", namespaces=NAMESPACES)[0].text = "19"
    receipt = ppf_client.submit_flow("F1", "CII", document.filename, etree.tostring(root))
    assert receipt.status == "UNACCEPTABLE" and receipt.rejection_reasons is None
    [error] = receipt.errors
    assert (error.rule, error.severity) == ("G1.24", "fatal")
    assert "19" in error.message and error.location.endswith("/ram:RateApplicablePercent")


def test_a_file_name_without_profile_is_irrecevable(ppf_client, sandbox_server):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id=sandbox_server.platform_id)
    receipt = ppf_client.submit_flow("F1", "CII", document.filename.removeprefix("Base_"), document.xml)
    assert receipt.status == "UNACCEPTABLE"
    assert [(error.rule, error.message[:6]) for error in receipt.errors] == [("IRR_NOM_F", "S1.06:")]


@pytest.mark.corpus
def test_the_sandbox_and_check_f1_agree_on_a_foreign_sample(ppf_client, sandbox_server, shared_dir):
    invoice = cii.parse((shared_dir / "samples" / "cii" / "CII_example1.xml").read_bytes()).invoice
    document = build_f1(invoice, profile="full", issuer_platform_id=sandbox_server.platform_id)
    receipt = ppf_client.submit_flow("F1", "CII", document.filename, document.xml)
    expected = [
        (finding.rule, finding.message, finding.location) for finding in check_f1(document.xml, document.filename)
    ]
    assert receipt.status == "UNACCEPTABLE" and expected
    assert [(error.rule, error.message, error.location) for error in receipt.errors] == expected
