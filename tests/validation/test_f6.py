"""A status message to the PPF judged as the PPF would (validation.f6): the flow-level syntax
checks, then BR-FR-CDV and each annex 7 rule with the 601 reason it gives."""

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from coursier.formats.cdar import (
    DGFIP_PPF_MATRICULE,
    SIREN_SCHEME,
    Amount,
    Identifier,
    InvoiceReference,
    Party,
    PartyRole,
    StatusDetail,
    for_peer,
    for_ppf,
    platform,
    write,
)
from coursier.formats.cdar.document import NAMESPACES
from coursier.model.lifecycle import AmountType, InvoiceStatus
from coursier.validation.f6 import check_f6

INVOICE = InvoiceReference("F2026-0042", "380", date(2026, 9, 1), "100000009")
SELLER = Party(PartyRole.SELLER, Identifier("100000009", SIREN_SCHEME), "Acme Industrie SA")
BUYER = Party(PartyRole.BUYER, Identifier("200000008", SIREN_SCHEME), "Béta Négoce SARL")
AT = datetime(2026, 9, 15, 8, 30, tzinfo=UTC)


def collection(*pairs: tuple[str, str | None]) -> StatusDetail:
    return StatusDetail(
        amounts=tuple(
            Amount(AmountType.COLLECTED, Decimal(amount), "EUR", None if rate is None else Decimal(rate))
            for amount, rate in pairs
        )
    )


def message(status=InvoiceStatus.COLLECTED, **changes) -> bytes:
    arguments = {
        "message_id": "cdv_1",
        "platform_matricule": "0042",
        "ppf_matricule": DGFIP_PPF_MATRICULE,
        "status_at": AT,
        "issuer": SELLER if status == InvoiceStatus.COLLECTED else None,
        "details": [collection(("120.00", "20"), ("10.55", "5.5"))] if status == InvoiceStatus.COLLECTED else [],
    }
    return write(for_ppf(status, INVOICE, **(arguments | changes)))


def rules(xml: bytes, sender: str = "0042") -> list[tuple[str, str]]:
    verdict = check_f6(xml, sender_matricule=sender)
    assert not verdict.syntax_errors, verdict.syntax_errors
    return [(finding.rule.partition("_")[0], finding.reason) for finding in verdict.findings]


@pytest.mark.parametrize("status", [InvoiceStatus.DEPOSITED, InvoiceStatus.COLLECTED, InvoiceStatus.REJECTED])
def test_our_mandatory_statuses_are_accepted(status):
    details = {InvoiceStatus.REJECTED: {"details": [StatusDetail(reason="REJ_SEMAN")]}}.get(status, {})
    verdict = check_f6(message(status, **details), sender_matricule="0042")
    assert verdict.accepted, (verdict.syntax_errors, verdict.findings)
    # The PPF's matricule (9998) is set apart from the findings of BR-FR-CDV-02, which expects 0000.
    assert verdict.report.ppf_matricule == "9998" and verdict.report.matricule_findings


def test_a_status_that_is_not_mandatory_is_rej_rg_by_g7_44():
    approval = for_peer(
        InvoiceStatus.APPROVED,
        INVOICE,
        message_id="cdv_2",
        platform_matricule="0042",
        recipient=platform("0099"),
        ppf_matricule=DGFIP_PPF_MATRICULE,
        status_at=AT,
        issuer=BUYER,
    )
    assert ("G7.44", "REJ_RG") in rules(write(approval))


def test_a_collection_not_split_per_rate_is_rej_encaissement_by_g7_45():
    one_rate_twice = message().replace(
        b"<ram:ValuePercent>5.5</ram:ValuePercent>", b"<ram:ValuePercent>20</ram:ValuePercent>"
    )
    assert ("G7.45", "REJ_ENCAISSEMENT") in rules(one_rate_twice)
    no_rate = message().replace(b"<ram:ValuePercent>5.5</ram:ValuePercent>", b"")
    assert set(rules(no_rate)) == {("G7.45", "REJ_ENCAISSEMENT"), ("BR-FR-CDV-14", "REJ_ENCAISSEMENT")}


def test_a_rejection_without_its_reason_breaks_g7_08():
    xml = message(InvoiceStatus.REJECTED, details=[StatusDetail(reason="REJ_SEMAN")])
    assert ("G7.08", "REJ_RG") in rules(xml.replace(b"<ram:ReasonCode>REJ_SEMAN</ram:ReasonCode>", b""))


def edited(xml: bytes, path: str, change) -> bytes:
    """`xml` with `change(element)` applied to the element at `path`."""
    root = etree.fromstring(xml)
    change(root.xpath(path, namespaces=NAMESPACES)[0])
    return etree.tostring(root)


def test_the_seller_is_named_by_exactly_one_siren_g7_17():
    seller = "rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument/ram:IssuerTradeParty/ram:GlobalID"
    twice = edited(message(), seller, lambda element: element.addnext(copy.deepcopy(element)))
    assert ("G7.17", "REJ_RG") in rules(twice)


def test_the_sender_is_a_platform_with_its_own_matricule_g7_47_g7_54():
    assert rules(message(), sender="0099") == [("G7.54", "REJ_HAB")]
    sender = "rsm:ExchangedDocument/ram:SenderTradeParty"

    def as_seller(element):
        element.find("ram:RoleCode", NAMESPACES).text = "SE"

    def by_siret(element):
        element.find("ram:GlobalID", NAMESPACES).set("schemeID", "0009")

    assert ("G7.47", "REJ_HAB") in rules(edited(message(), sender, as_seller))
    assert ("G7.54", "REJ_HAB") in rules(edited(message(), sender, by_siret))


def test_what_is_not_xml_or_breaks_the_xsd_fails_the_flow():
    assert check_f6(b"not xml").syntax_errors
    broken = message().replace(b"<ram:TypeCode>23</ram:TypeCode>", b"<ram:Colour>23</ram:Colour>", 1)
    verdict = check_f6(broken)
    assert verdict.syntax_errors and not verdict.findings and not verdict.accepted
