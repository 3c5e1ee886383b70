"""F6 flows of invoice statuses deposited over SFTP: the sandbox holds the statuses that pass the
PPF's checks, answers the others 601 with their reasons (a message of interface FFE0654A after
the flow's 500), holds a status message once, and finds a flow it cannot read unacceptable."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from coursier.formats import cdar
from coursier.formats.ppf import envelope, flow_status
from coursier.model.lifecycle import AmountType, InvoiceStatus

SELLER_SIREN = "100000009"
AT = datetime(2026, 9, 15, 8, 30, tzinfo=UTC)


def invoice(number: str) -> cdar.InvoiceReference:
    return cdar.InvoiceReference(number, "380", date(2026, 9, 1), SELLER_SIREN)


def collection(number: str, message_id: str, *rates: str) -> tuple[str, bytes]:
    seller = cdar.Party(cdar.PartyRole.SELLER, cdar.Identifier(SELLER_SIREN, cdar.SIREN_SCHEME), "Acme SA")
    amounts = tuple(Amount(rate) for rate in rates)
    message = cdar.for_ppf(
        InvoiceStatus.COLLECTED,
        invoice(number),
        message_id=message_id,
        platform_matricule="0099",
        ppf_matricule=cdar.DGFIP_PPF_MATRICULE,
        status_at=AT,
        issuer=seller,
        details=[cdar.StatusDetail(amounts=amounts)],
    )
    return f"{message_id}.xml", cdar.write(message)


def Amount(rate: str) -> cdar.Amount:  # noqa: N802 (reads as the block it builds)
    return cdar.Amount(AmountType.COLLECTED, Decimal("100.00"), "EUR", Decimal(rate))


@pytest.fixture
def exchange(exchange_flow):
    """exchange(files) -> (the flow's 500/501, the 601 files the sandbox answered), as platform 0099."""

    def run(files):
        name = exchange_flow.new_name(envelope.F6_INVOICE)
        answers, rejections = [], []
        with exchange_flow.exchange.open() as space:
            assert space.deposit(name, envelope.pack(files))
            for collected in space.collectable():
                opened = envelope.parse_name(collected)
                files_in = envelope.unpack(opened, space.read(collected))
                if opened.interface.startswith("C"):
                    answers += [flow_status.parse(xml) for _, xml in files_in]
                elif opened.interface == envelope.F6_MANDATORY_STATUSES:
                    rejections += [cdar.parse(xml) for _, xml in files_in]
                space.remove(collected)
        [answer] = answers
        return answer, rejections

    return run


def test_statuses_are_held_or_answered_601_with_their_reasons(exchange, sandbox_server, suffix):
    number = f"F6-{suffix}"
    valid = collection(number, f"cdv_ok_{suffix}", "20", "5.5")
    name, xml = collection(number, f"cdv_twice_{suffix}", "20", "5.5")
    same_rate_twice = name, xml.replace(b">5.5</ram:ValuePercent>", b">20</ram:ValuePercent>")
    approval = cdar.for_peer(
        InvoiceStatus.APPROVED,
        invoice(number),
        message_id=f"cdv_205_{suffix}",
        platform_matricule="0099",
        recipient=cdar.platform("0042"),
        ppf_matricule=cdar.DGFIP_PPF_MATRICULE,
        status_at=AT,
        issuer=cdar.Party(cdar.PartyRole.BUYER, cdar.Identifier("200000008", cdar.SIREN_SCHEME), "Béta SARL"),
    )
    answer, rejections = exchange([valid, same_rate_twice, (f"cdv_205_{suffix}.xml", cdar.write(approval))])
    assert (answer.code, answer.reasons) == (500, ())
    by_message = {rejection.invoice.number: rejection for rejection in rejections}
    assert set(by_message) == {f"cdv_twice_{suffix}", f"cdv_205_{suffix}"}
    assert "REJ_ENCAISSEMENT" in by_message[f"cdv_twice_{suffix}"].reasons
    assert "REJ_RG" in by_message[f"cdv_205_{suffix}"].reasons
    assert all(r.status == InvoiceStatus.REPORT_REJECTED and r.invoice.seller_siren == SELLER_SIREN for r in rejections)
    with sandbox_server.client("0099") as competitor:
        params = {"seller_siren": SELLER_SIREN, "invoice_number": number}
        [held] = competitor.get("/statuses", params=params).json()
        assert (held["message_id"], held["status_code"]) == (f"cdv_ok_{suffix}", 212)
        assert [a["vat_rate"] for a in held["amounts"]] == ["20", "5.5"]
    with sandbox_server.client("0042") as ours:  # another platform's statuses are not ours to see
        assert ours.get("/statuses", params=params).json() == []

    # The same status message in a later flow is held already: 601 REJ_INC.
    answer, [repeat] = exchange([valid])
    assert answer.code == 500 and (repeat.invoice.number, repeat.reasons) == (f"cdv_ok_{suffix}", ("REJ_INC",))


def test_a_flow_with_a_file_that_breaks_the_schema_is_unacceptable(exchange, suffix):
    name, xml = collection(f"F6X-{suffix}", f"cdv_x_{suffix}", "20")
    broken = xml.replace(b"<ram:TypeCode>23</ram:TypeCode>", b"<ram:Colour>23</ram:Colour>", 1)
    answer, rejections = exchange([(name, broken)])
    assert answer.code == 501 and rejections == []
    assert {reason for reason, _ in answer.reasons} == {envelope.IRR_SYNTAX}
