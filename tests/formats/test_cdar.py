"""CDAR lifecycle messages: every status in both forms is valid and reads back equal; bad input is refused."""

import copy
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from coursier.formats.cdar import (
    DGFIP_PPF_MATRICULE,
    ELECTRONIC_ADDRESS_SCHEME,
    SIREN_SCHEME,
    Amount,
    CdarError,
    Guideline,
    Identifier,
    InvoiceReference,
    Party,
    PartyRole,
    StatusDetail,
    for_peer,
    for_ppf,
    parse,
    platform,
    ppf,
    write,
)
from coursier.formats.cdar.document import NAMESPACES
from coursier.model.lifecycle import (
    EMITTERS,
    MANDATORY,
    AmountType,
    Emitter,
    InvoiceStatus,
    Phase,
    RequestedAction,
)
from coursier.validation.cdar import ARTEFACT_PPF_MATRICULE, check_cdar

SANDBOX_FIXTURES = Path(__file__).parents[1] / "sandbox" / "fixtures"
OUR_MATRICULE = "0042"
INVOICE = InvoiceReference("F2026-0042", "380", date(2026, 9, 1), "100000009")
SELLER = Party(
    PartyRole.SELLER,
    Identifier("100000009", SIREN_SCHEME),
    "Acme Industrie SA",
    Identifier("100000009_FACTURES", ELECTRONIC_ADDRESS_SCHEME),
)
BUYER = Party(
    PartyRole.BUYER,
    Identifier("200000008", SIREN_SCHEME),
    "Béta Négoce SARL",
    Identifier("200000008", ELECTRONIC_ADDRESS_SCHEME),
)
OTHER_PLATFORM = platform("0077")
# 10:30:00.5 in Paris: format 204 keeps the second, in French time.
STATUS_AT = datetime(2026, 9, 15, 8, 30, 0, 500_000, tzinfo=UTC)


def collected(*amounts_by_rate: tuple[str, str]) -> StatusDetail:
    return StatusDetail(
        amounts=tuple(
            Amount(AmountType.COLLECTED, Decimal(amount), "EUR", Decimal(rate)) for amount, rate in amounts_by_rate
        )
    )


# What each status needs beside itself: its reason (A7 G7.08, BR-FR-CDV-15), comment (A7 G7.25), amounts.
DETAILS = {
    InvoiceStatus.PARTIALLY_APPROVED: (
        StatusDetail(reason="QTE_ERR", requested_action=RequestedAction.PARTIAL_CREDIT_NOTE),
    ),
    InvoiceStatus.IN_DISPUTE: (
        StatusDetail(reason="PU_ERR", comment="Prix unitaire de la ligne 2 hors contrat"),
        StatusDetail(reason="QTE_ERR", comment="12 cartons livrés, 14 facturés"),
    ),
    InvoiceStatus.SUSPENDED: (
        StatusDetail(
            reason="JUSTIF_ABS", comment="Bon de livraison manquant", requested_action=RequestedAction.MORE_INFORMATION
        ),
    ),
    InvoiceStatus.REFUSED: (StatusDetail(reason="DOUBLON", comment="Déjà reçue sous le numéro F2026-0041"),),
    InvoiceStatus.COLLECTED: (collected(("1200.00", "20")),),
    InvoiceStatus.REJECTED: (StatusDetail(reason="REJ_SEMAN"),),
    InvoiceStatus.ROUTING_ERROR: (StatusDetail(reason="ROUTAGE_ERR"),),
}


def issuer_of(status: InvoiceStatus) -> Party | None:
    return {Emitter.BUYER: BUYER, Emitter.SELLER: SELLER}.get(EMITTERS[status])


def counterpart_of(status: InvoiceStatus) -> Party:
    return {Emitter.BUYER: SELLER, Emitter.SELLER: BUYER}.get(EMITTERS[status], OTHER_PLATFORM)


def to_peer(status: InvoiceStatus, **changes):
    arguments = {
        "message_id": f"CDV-{status.value}-0001",
        "platform_matricule": OUR_MATRICULE,
        "recipient": counterpart_of(status),
        "ppf_matricule": DGFIP_PPF_MATRICULE,
        "status_at": STATUS_AT,
        "issuer": issuer_of(status),
        "details": DETAILS.get(status, ()),
    }
    return for_peer(status, INVOICE, **(arguments | changes))


def to_ppf(status: InvoiceStatus, **changes):
    arguments = {
        "message_id": f"FFE0614A_CC{OUR_MATRICULE}_{status.value}",
        "platform_matricule": OUR_MATRICULE,
        "ppf_matricule": DGFIP_PPF_MATRICULE,
        "status_at": STATUS_AT,
        "issuer": issuer_of(status),
        "details": DETAILS.get(status, ()),
    }
    return for_ppf(status, INVOICE, **(arguments | changes))


INVOICE_STATUSES = sorted(EMITTERS)  # 200 to 228; 501 concerns a flow, not an invoice
PPF_STATUSES = sorted(MANDATORY)


def xpath(xml: bytes, path: str) -> list:
    return etree.fromstring(xml).xpath(path, namespaces=NAMESPACES)


@pytest.mark.parametrize("status", INVOICE_STATUSES, ids=str)
def test_every_status_to_a_peer_is_valid_and_reads_back_equal(status):
    message = to_peer(status)
    xml = write(message)
    report = check_cdar(xml)
    assert (report.errors, report.warnings) == ([], [])
    assert [run.artefact.key for run in report.artefacts] == ["cdar-d22b-xsd", "br-fr-cdv"]
    assert parse(xml) == message


@pytest.mark.parametrize("status", PPF_STATUSES, ids=str)
def test_every_mandatory_status_to_the_ppf_is_valid_but_for_the_ppf_matricule(status):
    message = to_ppf(status)
    xml = write(message)
    report = check_cdar(xml)
    # The artefact knows the PPF only as 0238:0000 (BR-FR-CDV-02), so it takes a message to 9998 for one
    # to a peer, with the peer's MDT-2 rule; both findings are marked, nothing else is found.
    assert [(issue.rule, issue.location) for issue in report.errors] == [
        ("BR-FR-CDV-02_MDT-3", "/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:ExchangedDocumentContext[1]"),
        ("BR-FR-CDV-CL-01_MDT-2", "/rsm:CrossDomainAcknowledgementAndResponse[1]/rsm:ExchangedDocumentContext[1]"),
    ]
    assert [(finding.matricule, finding.artefact_matricule) for finding in report.matricule_findings] == [
        ("9998", "0000"),
        ("9998", "0000"),
    ]
    assert report.valid_apart_from_matricule and not report.valid
    assert parse(xml) == message

    as_the_artefact_expects = write(to_ppf(status, ppf_matricule=ARTEFACT_PPF_MATRICULE))
    assert check_cdar(as_the_artefact_expects).to_dict()["errors"] == []


@pytest.mark.parametrize("status", sorted(set(INVOICE_STATUSES) - MANDATORY), ids=str)
def test_only_mandatory_statuses_go_to_the_ppf(status):
    with pytest.raises(CdarError) as refused:
        to_ppf(status)
    assert refused.value.code == CdarError.NOT_FOR_PPF and "G7.44" in refused.value.message


def test_the_two_forms_of_a_212():
    peer, to_the_ppf = write(to_peer(InvoiceStatus.COLLECTED)), write(to_ppf(InvoiceStatus.COLLECTED))

    assert xpath(peer, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [Guideline.PEER]
    assert xpath(peer, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()") == ["REGULATED"]
    # The buyer at its electronic address, and the PPF.
    assert xpath(peer, "//ram:RecipientTradeParty/ram:RoleCode/text()") == ["BY", "DFH"]
    assert xpath(peer, "//ram:RecipientTradeParty/ram:URIUniversalCommunication/ram:URIID/text()") == ["200000008"]

    assert xpath(to_the_ppf, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [Guideline.PPF]
    assert xpath(to_the_ppf, "//ram:BusinessProcessSpecifiedDocumentContextParameter") == []
    # The PPF alone, by its matricule.
    ids = xpath(to_the_ppf, "//ram:RecipientTradeParty/ram:GlobalID")
    assert [(id_.get("schemeID"), id_.text) for id_ in ids] == [("0238", "9998")]
    assert xpath(to_the_ppf, "//ram:RecipientTradeParty/ram:RoleCode/text()") == ["DFH"]
    for xml in (peer, to_the_ppf):
        assert xpath(xml, "//ram:SenderTradeParty/ram:GlobalID/text()") == [OUR_MATRICULE]
        assert xpath(xml, "//ram:SenderTradeParty/ram:RoleCode/text()") == ["WK"]
        # Set by the seller: the issuer is the seller, by its SIREN.
        assert xpath(xml, "rsm:ExchangedDocument/ram:IssuerTradeParty/ram:GlobalID/text()") == ["100000009"]
        assert xpath(xml, "rsm:ExchangedDocument/ram:IssuerTradeParty/ram:RoleCode/text()") == ["SE"]
        assert xpath(xml, "//udt:DateTimeString[@format='204']/text()") == ["20260915103000"] * 2
        assert xpath(xml, "//rsm:AcknowledgementDocument/ram:TypeCode/text()") == ["23"]
        assert xpath(xml, "//ram:ReferenceReferencedDocument/ram:StatusCode/text()") == ["47"]


def test_platform_statuses_are_issued_by_the_platform_in_the_transmission_phase():
    message = to_ppf(InvoiceStatus.DEPOSITED)
    assert (message.issuer, message.sender, message.phase, message.document_status) == (
        platform(OUR_MATRICULE),
        platform(OUR_MATRICULE),
        Phase.TRANSMISSION,
        "10",
    )
    assert message.recipients == (ppf(DGFIP_PPF_MATRICULE),)
    with pytest.raises(CdarError) as refused:
        to_ppf(InvoiceStatus.DEPOSITED, issuer=SELLER)
    assert refused.value.code == CdarError.UNSUPPORTED


def test_a_refusal_is_issued_by_the_buyer():
    message = to_ppf(InvoiceStatus.REFUSED)
    assert (message.issuer, message.phase, message.document_status) == (BUYER, Phase.PROCESSING, "50")


def test_a_212_with_two_vat_rates_carries_one_amount_block_per_rate():
    message = to_ppf(InvoiceStatus.COLLECTED, details=(collected(("1200.00", "20"), ("110.00", "10")),))
    xml = write(message)
    blocks = xpath(xml, "//ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic")
    assert [
        (
            block.findtext("ram:TypeCode", namespaces=NAMESPACES),
            block.findtext("ram:ValueAmount", namespaces=NAMESPACES),
            block.find("ram:ValueAmount", namespaces=NAMESPACES).get("currencyID"),
            block.findtext("ram:ValuePercent", namespaces=NAMESPACES),
        )
        for block in blocks
    ] == [("MEN", "1200.00", "EUR", "20"), ("MEN", "110.00", "EUR", "10")]
    assert check_cdar(xml).valid_apart_from_matricule
    assert parse(xml) == message


def test_a_refund_is_a_negative_212():
    message = to_peer(InvoiceStatus.COLLECTED, details=(collected(("-300.00", "20")),))
    assert xpath(write(message), "//ram:ValueAmount/text()") == ["-300.00"]
    assert parse(write(message)).amounts[0].value == Decimal("-300.00")


@pytest.mark.parametrize(
    ("status", "details", "code", "cited"),
    [
        (InvoiceStatus.REFUSED, (StatusDetail(comment="Pas pour nous"),), CdarError.REASON_REQUIRED, "G7.08"),
        (InvoiceStatus.IN_DISPUTE, (), CdarError.REASON_REQUIRED, "BR-FR-CDV-15"),
        (InvoiceStatus.SUSPENDED, (StatusDetail(reason="JUSTIF_ABS"),), CdarError.COMMENT_REQUIRED, "G7.25"),
        (InvoiceStatus.REFUSED, (StatusDetail(reason="DOUBLON"),), CdarError.COMMENT_REQUIRED, "G7.25"),
        (InvoiceStatus.REJECTED, (StatusDetail(reason="PU_ERR"),), CdarError.REASON_NOT_ALLOWED, "BR-FR-CDV-CL-09"),
        (InvoiceStatus.COLLECTED, (), CdarError.AMOUNTS_REQUIRED, "BR-FR-CDV-14"),
        (
            InvoiceStatus.COLLECTED,
            (collected(("100.00", "20"), ("20.00", "20.0")),),
            CdarError.AMOUNTS_REQUIRED,
            "G7.45",
        ),
        (
            InvoiceStatus.COLLECTED,
            (StatusDetail(amounts=(Amount(AmountType.COLLECTED, Decimal("120.00"), "EUR"),)),),
            CdarError.AMOUNTS_REQUIRED,
            "P1.18",
        ),
    ],
    ids=[
        "210-no-reason",
        "207-no-reason",
        "208-no-comment",
        "210-no-comment",
        "213-foreign-reason",
        "212-no-amount",
        "212-rate-twice",
        "212-no-rate",
    ],
)
def test_a_status_missing_what_it_needs_is_not_built(status, details, code, cited):
    with pytest.raises(CdarError) as refused:
        to_peer(status, details=details)
    assert refused.value.code == code and cited in refused.value.message
    assert refused.value.status == 422


def test_parties_must_be_identified_named_and_addressed():
    anonymous = Party(PartyRole.BUYER, Identifier("200000008", SIREN_SCHEME))
    with pytest.raises(CdarError, match="G7.46"):
        to_peer(InvoiceStatus.APPROVED, issuer=anonymous)
    with pytest.raises(CdarError, match="BR-FR-CDV-07"):
        to_peer(InvoiceStatus.APPROVED, issuer=None)
    with pytest.raises(CdarError, match="BR-FR-CDV-08"):
        to_peer(InvoiceStatus.APPROVED, recipient=Party(PartyRole.SELLER, SELLER.id, SELLER.name))
    with pytest.raises(CdarError, match="G7.54"):
        to_peer(InvoiceStatus.APPROVED, platform_matricule="42")


def test_a_message_missing_its_reason_is_caught_by_br_fr_cdv_15():
    # Built by hand, past the builder's own check.
    refused = to_peer(InvoiceStatus.REFUSED)
    without_reason = replace(refused, details=(StatusDetail(comment="Déjà payée"),))
    report = check_cdar(write(without_reason))
    assert [issue.rule for issue in report.errors] == ["BR-FR-CDV-15_MDT-113"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"this is not XML", CdarError.NOT_XML),
        (b"<rsm:CrossDomainAcknowledgementAndResponse", CdarError.NOT_XML),
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>'
            b'<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="urn:un:unece:uncefact:data:standard:'
            b'CrossDomainAcknowledgementAndResponse:100">&lol;</rsm:CrossDomainAcknowledgementAndResponse>',
            CdarError.DOCTYPE,
        ),
        (
            b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>',
            CdarError.NOT_CDAR,
        ),
        (
            b'<CrossDomainAcknowledgementAndResponse xmlns="urn:example:other"/>',
            CdarError.NOT_CDAR,
        ),
    ],
    ids=["not-xml", "truncated", "doctype", "invoice", "foreign-namespace"],
)
def test_what_is_not_a_readable_cdar_is_refused(content, code):
    with pytest.raises(CdarError) as refused:
        parse(content)
    assert refused.value.code == code


def test_a_cdar_that_does_not_hold_one_status_message_is_refused():
    xml = write(to_peer(InvoiceStatus.APPROVED))
    without_status = xml.replace(b"<ram:ProcessConditionCode>205</ram:ProcessConditionCode>", b"")
    unknown_status = xml.replace(b">205</ram:ProcessConditionCode>", b">299</ram:ProcessConditionCode>")
    bad_date = xml.replace(b">20260915103000<", b">2026-09-15<", 1)
    root = etree.fromstring(xml)
    root.append(copy.deepcopy(root.find("rsm:AcknowledgementDocument", NAMESPACES)))
    two_objects = etree.tostring(root)
    for content, code, term in [
        (without_status, CdarError.MISSING, "MDT-105"),
        (unknown_status, CdarError.UNSUPPORTED, "MDT-105"),
        (bad_date, CdarError.INVALID_VALUE, "MDT-8"),
        (two_objects, CdarError.UNSUPPORTED, "MDG-31"),
    ]:
        with pytest.raises(CdarError) as refused:
            parse(content)
        assert (refused.value.code, refused.value.message.split(" ")[0].rstrip(":")) == (code, term)


def test_the_sandbox_example_reads():
    message = parse((SANDBOX_FIXTURES / "cdar_212_encaissee.xml").read_bytes())
    assert (message.status, message.recipients, message.business_process) == (
        InvoiceStatus.COLLECTED,
        (Party(PartyRole.PPF, Identifier("0000", "0238"), "PPF"),),
        "B1",
    )
    assert [(amount.value, amount.vat_rate) for amount in message.amounts] == [(Decimal("1200.00"), Decimal("20"))]


def test_the_ppfs_601_names_the_rejected_message_and_reads_back_equal():
    from coursier.formats.cdar import ppf_rejection

    rejection = ppf_rejection(
        message_id="PPF001-601-1",
        rejected_message_id="cdv_0001",
        invoice=INVOICE,
        platform_matricule=OUR_MATRICULE,
        ppf_matricule=DGFIP_PPF_MATRICULE,
        at=STATUS_AT,
        reasons=[("REJ_ENCAISSEMENT", "not split per VAT rate"), ("REJ_RG", "G7.44")],
    )
    read = parse(write(rejection))
    assert read == rejection
    assert (read.status, read.guideline, read.invoice.number) == (601, Guideline.STATUS_MESSAGE, "cdv_0001")
    assert read.reasons == ("REJ_ENCAISSEMENT", "REJ_RG") and read.sender.role is PartyRole.PPF
    with pytest.raises(CdarError) as refused:
        ppf_rejection(**{**dict(message_id="x", rejected_message_id="y", invoice=INVOICE, platform_matricule="0042",
                                ppf_matricule="9998", at=STATUS_AT), "reasons": [("DOUBLON", "")]})  # fmt: skip
    assert refused.value.code == CdarError.REASON_NOT_ALLOWED
