"""The sandbox's e-reporting desk: F10 files judged as the PPF would (300 / 301 and its reasons), and
what it holds afterwards, a corrective report replacing the data before it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import create_engine

from coursier.formats.ppf.f10 import build_f10
from coursier.sandbox.ereporting import held_totals, judge_report
from coursier.sandbox.storage import metadata
from support.reporting import DECLARANT, b2c_day, international_invoice, payments_report, transactions_report

NOW = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)  # after October's periods and their transmissions


@pytest.fixture(scope="module")
def sandbox_engine(fresh_database, worker_id):
    engine = create_engine(fresh_database(f"coursier_sandbox_unit_{worker_id}"))
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def conn(sandbox_engine):
    with sandbox_engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


def judge(conn, report, caller="0042", now=NOW):
    return judge_report(conn, caller, build_f10(report).xml, now=now)


def test_a_valid_report_is_deposited_and_held(conn):
    verdict = judge(conn, transactions_report())
    assert (verdict.status, verdict.reasons, verdict.findings) == ("300", [], [])
    assert verdict.transmission_id == "0042-732829320-TSE20261001-1"
    held = held_totals(conn, "0042", siren=DECLARANT, start=date(2026, 10, 1), end=date(2026, 10, 31))
    seller = held["roles"]["SE"]
    assert seller["invoices"] == {
        "count": 1,
        "numbers": ["F2026-0001"],
        "tax_exclusive_amount": "1000.00",
        "tax_amount_eur": "0.00",
    }
    assert seller["transactions"] == {
        "TLB1": {
            "20": {"taxable_amount": "100.00", "tax_amount": "20.00"},
            "5.5": {"taxable_amount": "50.50", "tax_amount": "5.10"},
        },
    }
    # Another platform sees nothing of it.
    assert held_totals(conn, "0099", siren=DECLARANT, start=date(2026, 10, 1), end=date(2026, 10, 31))["roles"] == {}


def test_a_report_breaking_the_official_rules_is_rejected_for_semantics(conn):
    xml = build_f10(transactions_report()).xml.replace(b"<CategoryCode>TLB1", b"<CategoryCode>TXX1")
    verdict = judge_report(conn, "0042", xml, now=NOW)
    assert (verdict.status, verdict.reasons) == ("301", ["REJ_SEMAN"])
    assert verdict.rules == ["G1.68"]


def test_the_same_transmission_id_twice_for_a_declarant_and_period_is_rejected(conn):
    assert judge(conn, transactions_report(invoices=[])).accepted
    again = judge(conn, transactions_report(invoices=[], type_code="RE"))
    assert (again.status, again.reasons, again.rules) == ("301", ["REJ_UNI"], ["G8.05"])
    # The same id for another period is another transmission.
    other = transactions_report(date(2026, 10, 11), date(2026, 10, 20), invoices=[], days=[b2c_day(date(2026, 10, 12))])
    assert judge(conn, other).accepted


def test_an_invoice_already_reported_is_rejected_unless_the_report_replaces_it(conn):
    assert judge(conn, transactions_report(days=[])).accepted
    elsewhere = transactions_report(date(2026, 10, 11), date(2026, 10, 20), days=[], id="0042-X-2")
    verdict = judge(conn, elsewhere)
    assert (verdict.reasons, verdict.rules) == (["REJ_UNI"], ["G1.42"])
    # A corrective report of its own period carries it again: it replaces what was held.
    assert judge(conn, transactions_report(days=[], id="0042-X-3", type_code="RE")).accepted


def test_a_period_not_over_or_a_transmission_made_before_its_end_is_rejected_for_the_period(conn):
    early = judge(conn, transactions_report(), now=datetime(2026, 10, 9, 12, 0, tzinfo=UTC))
    assert "REJ_PER" in early.reasons and "G7.43" in early.rules
    backdated = transactions_report(issued_at=datetime(2026, 10, 10, 12, 0, tzinfo=UTC))
    verdict = judge(conn, backdated)
    assert (verdict.status, verdict.reasons) == ("301", ["REJ_PER"])
    future = judge(conn, transactions_report(start=date(2026, 12, 1), end=date(2026, 12, 10), invoices=[], days=[]))
    assert set(future.rules) >= {"G6.24", "G7.43"}


def test_data_outside_the_period_or_from_another_sender_is_incoherent(conn):
    stray = transactions_report(invoices=[], days=[b2c_day(date(2026, 10, 15))])
    verdict = judge(conn, stray)
    assert (verdict.reasons, verdict.rules) == (["REJ_COH"], ["COURSIER-F10-01"])
    impostor = judge(conn, transactions_report(), caller="0099")
    assert (impostor.reasons, impostor.rules) == (["REJ_COH"], ["G6.22"])


def test_a_corrective_report_replaces_all_the_data_of_its_period_kind_and_role(conn):
    assert judge(conn, transactions_report()).accepted
    assert judge(conn, payments_report()).accepted
    day = b2c_day()
    corrected_day = day.model_copy(
        update={"tax_exclusive_amount": Decimal(100), "tax_total": Decimal(20), "subtotals": day.subtotals[:1]}
    )
    assert judge(conn, transactions_report(invoices=[], days=[corrected_day], id="0042-RE-1", type_code="RE")).accepted
    held = held_totals(conn, "0042", siren=DECLARANT, start=date(2026, 10, 1), end=date(2026, 10, 31))["roles"]["SE"]
    assert held["invoices"]["count"] == 0  # the RE carries no invoice: it is gone
    assert held["transactions"] == {"TLB1": {"20": {"taxable_amount": "100.00", "tax_amount": "20.00"}}}
    assert held["invoice_payments"] == {"20": "120.00"}  # payments are another kind: kept
    assert sorted((t["type_code"], t["kind"]) for t in held["transmissions"]) == [
        ("IN", "payments"),
        ("RE", "transactions"),
    ]


def test_buyer_and_seller_reports_are_held_apart(conn):
    invoice = international_invoice("IMP-1")
    purchase = transactions_report(invoices=[invoice], days=[], role="BY", id="0042-BY-1")
    assert judge(conn, purchase).accepted
    assert judge(conn, transactions_report(invoices=[], id="0042-SE-1")).accepted
    held = held_totals(conn, "0042", siren=DECLARANT, start=date(2026, 10, 1), end=date(2026, 10, 31))["roles"]
    assert held["BY"]["invoices"]["numbers"] == ["IMP-1"] and held["SE"]["invoices"]["count"] == 0


def test_an_f10_flow_over_sftp_is_received_then_each_report_answered(exchange_flow):
    """The whole path of the PPF's exchange system: the flow's 500, then a 300 or 301 per report in a
    flow of interface FFE0624A (the platform 0099 deposits: its space is no live server's)."""
    import secrets

    from coursier.formats.ppf import envelope, flow_status

    suffix = secrets.token_hex(4)
    good = transactions_report(id=f"0099-OK-{suffix}", sender_id="0099", declarant_siren="552100554")
    early = transactions_report(
        date(2099, 1, 1),
        date(2099, 1, 10),
        invoices=[],
        days=[],
        id=f"0099-EARLY-{suffix}",
        sender_id="0099",
        declarant_siren="552100554",
    )
    name = exchange_flow.new_name(envelope.F10)
    with exchange_flow.exchange.open() as space:
        space.deposit(name, envelope.pack([("F10_a.xml", build_f10(good).xml), ("F10_b.xml", build_f10(early).xml)]))
        statuses, answers = [], []
        for collected in space.collectable():
            opened = envelope.parse_name(collected)
            files = envelope.unpack(opened, space.read(collected))
            if opened.interface == envelope.answer_interface(envelope.F10):
                statuses += [flow_status.parse(xml) for _, xml in files]
            elif opened.interface == envelope.F6_TRANSACTIONS:
                answers += [flow_status.parse(xml, guideline=flow_status.EREPORTING_GUIDELINE) for _, xml in files]
            space.remove(collected)
    assert [status.code for status in statuses if status.flow_id == envelope.parse_name(name).flow_id] == [500]
    by_id = {answer.flow_id: answer for answer in answers}
    assert (by_id[good.document.id].code, by_id[good.document.id].reasons) == (300, ())
    late = by_id[early.document.id]
    assert late.code == 301 and {reason for reason, _ in late.reasons} == {"REJ_PER"}


def test_an_f10_file_failing_its_schema_makes_the_flow_unacceptable(exchange_flow):
    from coursier.formats.ppf import envelope

    broken = build_f10(transactions_report(sender_id="0099")).xml.replace(b"<TypeCode>IN</TypeCode>", b"")
    deposited, answers = exchange_flow([("F10_broken.xml", broken)], name=exchange_flow.new_name(envelope.F10))
    [answer] = answers
    assert answer.code == 501 and [reason for reason, _ in answer.reasons] == ["IRR_SYNTAX"]
