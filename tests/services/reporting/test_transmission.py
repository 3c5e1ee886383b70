"""A month of e-reporting per VAT regime, from the API to the sandbox's desk: the flows and their
periods, every total against a computation written here, every flow valid and accepted; a late item
in a corrective report that replaces its period's data; a rejected report corrected and sent again;
a report queued exactly once however often the job runs or dies."""

import calendar
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from coursier.db.ppf_flows import PPFFlowRepository
from coursier.db.reporting import ReportingPeriod
from coursier.formats.ppf import envelope, flow_status
from coursier.formats.ppf.f10 import build_f10, parse_f10
from coursier.kit import clock
from coursier.kit.xml import parse_xml
from coursier.sandbox.ereporting import held_totals, judge_report
from coursier.services import ppf_exchange, ppf_handlers
from coursier.services.reporting import transmission
from coursier.services.reporting.transmission import SUBJECT
from coursier.validation.f10 import check_f10
from support.reporting import international_invoice, invoice_data, transactions_report

from .conftest import SIREN_A

CENT = Decimal("0.01")
RATES = {"TLB1": ("20", "5.5"), "TPS1": ("20", "10"), "TMA1": ("20",)}


def post(api, tenant, path, body):
    r = api.post(f"/api/reporting/{path}", headers=tenant.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def money(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(100, 500_000)) / 100


def vat(amount: Decimal, rate: str) -> Decimal:
    return (amount * Decimal(rate) / 100).quantize(CENT)


class Expected:
    """What the PPF should hold once everything is accepted, computed from what was sent."""

    def __init__(self) -> None:
        self.transactions = defaultdict(lambda: defaultdict(lambda: [Decimal(0), Decimal(0)]))
        self.sales, self.purchases = [], []  # (number, day, amount excluding VAT)
        self.invoice_payments, self.daily_payments = defaultdict(Decimal), defaultdict(Decimal)
        self.dates = defaultdict(set)  # (kind, role) -> the dates that decide periods

    def held(self) -> dict:
        def plain(values):
            return {rate: str(amount) for rate, amount in values.items()}

        seller = {
            "invoices": {
                "count": len(self.sales),
                "numbers": sorted(number for number, _, _ in self.sales),
                "tax_exclusive_amount": str(sum(amount for _, _, amount in self.sales)),
                "tax_amount_eur": str(sum(vat(amount, "20") for _, _, amount in self.sales)),
            },
            "transactions": {
                category: {rate: {"taxable_amount": str(t), "tax_amount": str(v)} for rate, (t, v) in rates.items()}
                for category, rates in self.transactions.items()
            },
            "invoice_payments": plain(self.invoice_payments),
            "daily_payments": plain(self.daily_payments),
        }
        buyer = {
            "invoices": {
                "count": len(self.purchases),
                "numbers": sorted(number for number, _, _ in self.purchases),
                "tax_exclusive_amount": str(sum(amount for _, _, amount in self.purchases)),
                "tax_amount_eur": str(sum(vat(amount, "20") for _, _, amount in self.purchases)),
            },
            "transactions": {},
            "invoice_payments": {},
            "daily_payments": {},
        }
        return {"SE": seller, "BY": buyer}


def report_month(api, tenant, month: date, rng: random.Random) -> Expected:
    """Post a month of B2C days, international sales and purchases and service payments."""
    expected = Expected()
    last = calendar.monthrange(month.year, month.month)[1]
    for offset in range(last):
        day = month + timedelta(days=offset)
        for category, rates in RATES.items():
            if rng.random() < (0.3 if category == "TMA1" else 0.8):
                lines = [(rate, money(rng)) for rate in rates]
                body = [{"rate": r, "taxable_amount": str(a), "tax_amount": str(vat(a, r))} for r, a in lines]
                post(api, tenant, "b2c-transactions", {"date": day.isoformat(), "category": category, "vat": body})
                for rate, amount in lines:
                    expected.transactions[category][rate][0] += amount
                    expected.transactions[category][rate][1] += vat(amount, rate)
                expected.dates[("transactions", "SE")].add(day)
        if offset % 3 == 1:
            collected = money(rng)
            post(
                api,
                tenant,
                "payments",
                {"date": day.isoformat(), "category": "TPS1", "amounts": [{"rate": "20", "amount": str(collected)}]},
            )
            expected.daily_payments["20"] += collected
            expected.dates[("payments", "SE")].add(day)
        if offset % 4 == 2:
            amount, number = money(rng), f"EXP-{month:%Y%m}-{offset:02d}"
            model = invoice_data(SIREN_A, number, day, lines=((str(amount), "20"),))
            sale = post(api, tenant, "exempt-invoices", {"direction": "outgoing", "country_code": "DE", "model": model})
            expected.sales.append((number, day, amount))
            expected.dates[("transactions", "SE")].add(day)
            if offset < last - 3:
                paid = (amount + vat(amount, "20")).quantize(CENT)
                when = day + timedelta(days=2)
                post(
                    api,
                    tenant,
                    "payments",
                    {
                        "date": when.isoformat(),
                        "invoice_id": sale["invoice_id"],
                        "amounts": [{"rate": "20", "amount": str(paid)}],
                    },
                )
                expected.invoice_payments["20"] += paid
                expected.dates[("payments", "SE")].add(when)
        if offset % 7 == 6:
            amount, number = money(rng), f"US-{month:%Y%m}-{offset:02d}"
            model = invoice_data(SIREN_A, number, day, country="US", incoming=True, lines=((str(amount), "20"),))
            post(api, tenant, "exempt-invoices", {"direction": "incoming", "country_code": "US", "model": model})
            expected.purchases.append((number, day, amount))
            expected.dates[("transactions", "BY")].add(day)
    return expected


def periods_by_table_13(regime: str, kind: str, days: set[date]) -> set[tuple[date, date]]:
    """DG §3.7.7 table 13, restated: décades for the transactions of réel normal mensuel, two-month
    periods from January for the franchise, months otherwise."""
    found = set()
    for day in days:
        month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if regime == "normal_monthly" and kind == "transactions":
            first = 1 if day.day <= 10 else 11 if day.day <= 20 else 21
            found.add((day.replace(day=first), day.replace(day=first + 9) if first < 21 else month_end))
        elif regime == "franchise":
            start = day.replace(month=day.month if day.month % 2 else day.month - 1, day=1)
            second = start.replace(month=start.month + 1)
            found.add((start, second.replace(day=calendar.monthrange(second.year, second.month)[1])))
        else:
            found.add((day.replace(day=1), month_end))
    return found


def send_due(session, runtime, tenant) -> list:
    """What the job does: every due period's report built, checked and queued (the periods of this
    test's clients only: live tests commit theirs in the same database)."""
    sent = []
    for period_id in due_here(session, tenant):
        queued = transmission.transmit_due(session, period_id, settings=runtime.settings)
        if queued is not None:
            sent.append(queued)
    return sent


def due_here(session, tenant) -> list[str]:
    clients = ReportingPeriod.client_id == tenant.client_id
    own = {period.id for period in session.query(ReportingPeriod).filter(clients)}
    return [period_id for period_id in transmission.periods_to_transmit(session) if period_id in own]


def answer_like_the_ppf(session, desk, sent) -> list:
    """Each queued report judged by the sandbox's desk, its answer recorded as the handler does."""
    verdicts = []
    for queued in sent:
        verdict = judge_report(desk, "0042", queued.xml)
        transmission.record_answer(
            session,
            queued.document_id,
            accepted=verdict.accepted,
            reasons=verdict.reasons,
            findings=[{"rule": f.rule, "message": f.message, "location": f.location} for _, f in verdict.findings],
        )
        verdicts.append(verdict)
    return verdicts


def held(desk, month: date) -> dict:
    totals = held_totals(desk, "0042", siren=SIREN_A, start=month - timedelta(days=62), end=month + timedelta(days=62))
    return {
        role: {key: value for key, value in data.items() if key != "transmissions"}
        for role, data in totals["roles"].items()
    }


@pytest.mark.parametrize("regime", ["normal_monthly", "normal_quarterly", "simplified", "franchise"])
def test_a_month_of_data_is_reported_on_the_regimes_calendar_and_accepted(
    api, session, runtime, declarant_a, month, ppf_desk, regime
):
    assert api.patch("/api/settings", headers=declarant_a.headers, json={"vat_regime": regime}).status_code == 200
    expected = report_month(api, declarant_a, month, random.Random(regime))

    sent = send_due(session, runtime, declarant_a)
    # One report per period, declarant role and kind of data, at the periods of table 13.
    got = defaultdict(set)
    for queued in sent:
        report = parse_f10(parse_xml(queued.xml))
        got[(report.kind.value, report.document.role.value)].add((report.period.start, report.period.end))
        assert queued.type_code == "IN" and queued.state == "queued"
        assert check_f10(queued.xml).valid  # checked before it left, and again here
    wanted = {key: periods_by_table_13(regime, key[0], days) for key, days in expected.dates.items()}
    assert dict(got) == wanted
    assert len(sent) == sum(len(periods) for periods in wanted.values())
    # Each went on the flow seam as an F10 flow (FFE1025A), found again by its transmission id.
    flows = PPFFlowRepository(session)
    for queued in sent:
        [flow] = flows.flows_of_subject(SUBJECT, queued.document_id, [envelope.F10])
        assert queued.flow_id == flow.flow_id
    assert send_due(session, runtime, declarant_a) == []  # nothing is sent twice

    verdicts = answer_like_the_ppf(session, ppf_desk, sent)
    assert [(v.status, v.findings) for v in verdicts] == [("300", [])] * len(sent)
    assert held(ppf_desk, month) == expected.held()
    shown = api.get("/api/reporting/periods", headers=declarant_a.headers, params={"limit": 200}).json()
    assert {p["state"] for p in shown} == {"accepted"} and len(shown) == len(sent)
    assert all(p["transmissions"][0]["state"] == "deposited" for p in shown)
    answered = api.get(
        "/api/lifecycle-events", headers=declarant_a.headers, params={"object_type": "period", "limit": 200}
    ).json()
    assert sorted(e["status_code"] for e in answered) == sorted(
        ["ReportingPeriodStatus.SENT", "ReportingPeriodStatus.ACCEPTED"] * len(sent)
    )
    assert send_due(session, runtime, declarant_a) == []  # accepted, unchanged: no report


def test_a_late_item_goes_into_a_corrective_report_that_replaces_the_period(
    api, session, runtime, declarant_a, month, ppf_desk
):
    day = month + timedelta(days=4)
    body = {
        "date": day.isoformat(),
        "category": "TLB1",
        "vat": [{"rate": "20", "taxable_amount": "100.00", "tax_amount": "20.00"}],
    }
    post(api, declarant_a, "b2c-transactions", body)
    post(api, declarant_a, "b2c-transactions", dict(body, date=(day + timedelta(days=1)).isoformat()))
    answer_like_the_ppf(session, ppf_desk, send_due(session, runtime, declarant_a))
    assert held(ppf_desk, month)["SE"]["transactions"] == {
        "TLB1": {"20": {"taxable_amount": "200.00", "tax_amount": "40.00"}}
    }

    # Late: the first day again with other totals, and a day not reported yet, same period.
    late = post(
        api,
        declarant_a,
        "b2c-transactions",
        dict(body, vat=[{"rate": "5.5", "taxable_amount": "10.00", "tax_amount": "0.55"}]),
    )
    assert late["late"] is True and late["replaces"]
    post(api, declarant_a, "b2c-transactions", dict(body, date=(day + timedelta(days=2)).isoformat()))
    preview = api.get(f"/api/reporting/periods/{late['period_id']}/preview", headers=declarant_a.headers).json()
    assert preview["due"] and preview["report"]["document"]["type_code"] == "RE"
    [corrective] = send_due(session, runtime, declarant_a)
    assert (corrective.type_code, corrective.sequence) == ("RE", 2)
    answer_like_the_ppf(session, ppf_desk, [corrective])
    # The RE replaced all the period's data: nothing lost, nothing counted twice.
    assert held(ppf_desk, month)["SE"]["transactions"] == {
        "TLB1": {
            "20": {"taxable_amount": "200.00", "tax_amount": "40.00"},
            "5.5": {"taxable_amount": "10.00", "tax_amount": "0.55"},
        }
    }
    period = api.get(f"/api/reporting/periods/{late['period_id']}", headers=declarant_a.headers).json()
    assert [(t["type_code"], t["state"]) for t in period["transmissions"]] == [("IN", "deposited"), ("RE", "deposited")]


def test_a_rejected_report_is_corrected_and_sent_again(api, session, runtime, declarant_a, month, ppf_desk):
    issued = month + timedelta(days=2)
    # Another platform already reported this invoice of the seller: the PPF knows it, Coursier does not.
    elsewhere = transactions_report(
        issued,
        issued + timedelta(days=1),
        days=[],
        id="0099-OTHER-1",
        invoices=[international_invoice("EXP-DUP", issued)],
        sender_id="0099",
    )
    assert judge_report(ppf_desk, "0099", build_f10(elsewhere).xml).accepted
    duplicate = post(
        api,
        declarant_a,
        "exempt-invoices",
        {"direction": "outgoing", "country_code": "DE", "model": invoice_data(SIREN_A, "EXP-DUP", issued)},
    )
    genuine = post(
        api,
        declarant_a,
        "exempt-invoices",
        {"direction": "outgoing", "country_code": "DE", "model": invoice_data(SIREN_A, "EXP-OK", issued)},
    )
    [first] = send_due(session, runtime, declarant_a)
    [verdict] = answer_like_the_ppf(session, ppf_desk, [first])
    assert (verdict.status, verdict.reasons, verdict.rules) == ("301", ["REJ_UNI"], ["G1.42"])
    period = api.get(f"/api/reporting/periods/{first.period_id}", headers=declarant_a.headers).json()
    assert period["state"] == "rejected" and period["transmissions"][0]["reasons"] == ["REJ_UNI"]
    events = api.get(
        "/api/lifecycle-events",
        headers=declarant_a.headers,
        params={"object_type": "invoice", "object_id": genuine["invoice_id"]},
    ).json()
    assert events[-1]["status_code"] == "TransactionDataStatus.REJECTED" and events[-1]["rejection_reason"] == "REJ_UNI"
    assert send_due(session, runtime, declarant_a) == []  # unchanged: not sent again as it is

    # The client withdraws the duplicate (its period was not accepted: a direct change is allowed).
    r = api.delete(f"/api/reporting/exempt-invoices/{duplicate['invoice_id']}", headers=declarant_a.headers)
    assert r.status_code == 204, r.text
    [second] = send_due(session, runtime, declarant_a)
    assert (second.type_code, second.sequence) == ("IN", 2)  # nothing was accepted before: initial again
    assert answer_like_the_ppf(session, ppf_desk, [second])[0].accepted
    assert held(ppf_desk, month)["SE"]["invoices"]["numbers"] == ["EXP-OK"]
    # Accepted now: the invoice is the tax administration's; withdrawing it is a direct change refused.
    closed = api.delete(f"/api/reporting/exempt-invoices/{genuine['invoice_id']}", headers=declarant_a.headers)
    assert (closed.status_code, closed.json()["code"]) == (422, "period_closed")
    assert "credit note" in closed.json()["detail"]
    resend = api.post(f"/api/reporting/periods/{second.period_id}/resend", headers=declarant_a.headers)
    assert (resend.status_code, resend.json()["code"]) == (409, "nothing_to_correct")


def test_a_report_is_queued_once_however_often_the_job_runs_or_dies(
    api, sessions, session, runtime, declarant_a, month
):
    post(
        api,
        declarant_a,
        "b2c-transactions",
        {
            "date": month.isoformat(),
            "category": "TLB1",
            "vat": [{"rate": "20", "taxable_amount": "1.00", "tax_amount": "0.20"}],
        },
    )
    [period_id] = due_here(session, declarant_a)
    # A worker dies before its transaction commits: nothing of its work remains.
    dying = sessions()
    assert transmission.transmit_due(dying, period_id, settings=runtime.settings) is not None
    dying.rollback()
    dying.close()
    period = api.get(f"/api/reporting/periods/{period_id}", headers=declarant_a.headers).json()
    assert (period["state"], period["transmissions"]) == ("due", [])
    # The next run queues it once; later runs find nothing to do.
    queued = transmission.transmit_due(session, period_id, settings=runtime.settings)
    assert transmission.transmit_due(session, period_id, settings=runtime.settings) is None
    assert len(PPFFlowRepository(session).flows_of_subject(SUBJECT, queued.document_id, [envelope.F10])) == 1
    # An answer that comes twice (a deposit repeated after a crash) counts once.
    assert transmission.record_answer(session, queued.document_id, accepted=True) is not None
    assert transmission.record_answer(session, queued.document_id, accepted=False, reasons=["REJ_UNI"]) is None


def _collect(session, interface: str, sequence: int, files) -> str:
    """What the exchange job does with a file the PPF left: dispatched to our handlers."""
    name = envelope.Envelope(interface, "CRS042", envelope.flow_id("PPF001", interface, sequence)).name
    return ppf_exchange.collect(
        session,
        name,
        envelope.pack(files),
        flow_status_handlers=ppf_handlers.FLOW_STATUS_HANDLERS,
        message_handlers=ppf_handlers.MESSAGE_HANDLERS,
    )


def test_the_ppf_answers_reach_the_reports_they_name(session, runtime, api, declarant_a, month):
    post(
        api,
        declarant_a,
        "payments",
        {"date": month.isoformat(), "category": "TPS1", "amounts": [{"rate": "20", "amount": "12.00"}]},
    )
    post(
        api,
        declarant_a,
        "b2c-transactions",
        {
            "date": month.isoformat(),
            "category": "TLB1",
            "vat": [{"rate": "20", "taxable_amount": "1.00", "tax_amount": "0.20"}],
        },
    )
    payments, days = sorted(send_due(session, runtime, declarant_a), key=lambda queued: queued.document_id)
    # A 301 in the PPF's lifecycle of transaction data (FFE0624A) names the report by its id.
    rejected = flow_status.FlowStatusMessage(
        "m1",
        payments.document_id,
        301,
        datetime.now(UTC),
        "0042",
        (("REJ_PER", "[G7.43] too early"),),
        flow_status.EREPORTING_GUIDELINE,
    )
    kind = _collect(session, envelope.F6_TRANSACTIONS, 9_100_001, [("CR_1.xml", flow_status.write(rejected))])
    assert kind == "F10_STATUS"
    period = api.get(f"/api/reporting/periods/{payments.period_id}", headers=declarant_a.headers).json()
    assert (period["state"], period["transmissions"][0]["reasons"]) == ("rejected", ["REJ_PER"])
    assert period["transmissions"][0]["findings"][0]["message"] == "[G7.43] too early"
    # A 501 refuses a whole flow before any report is read: each report it carried is rejected.
    refused = flow_status.FlowStatusMessage(
        "m2", days.flow_id, 501, datetime.now(UTC), "0042", (("IRR_SYNTAX", "F10_x.xml: not valid"),)
    )
    answer = [(f"{days.flow_id}.xml", flow_status.write(refused))]
    _collect(session, envelope.answer_interface(envelope.F10), 9_100_002, answer)
    period = api.get(f"/api/reporting/periods/{days.period_id}", headers=declarant_a.headers).json()
    assert (period["state"], period["transmissions"][0]["reasons"]) == ("rejected", ["IRR_SYNTAX"])
    mailed = api.get(
        "/api/lifecycle-events",
        headers=declarant_a.headers,
        params={"object_type": "period", "object_id": days.period_id},
    ).json()
    assert [e["event_type"] for e in mailed] == ["reporting_period.sent", "reporting_period.rejected"]


def test_a_report_is_sent_again_on_the_clients_call(api, session, runtime, declarant_a, month):
    day = {"category": "TLB1", "vat": [{"rate": "20", "taxable_amount": "1.00", "tax_amount": "0.20"}]}
    period_id = post(api, declarant_a, "b2c-transactions", {"date": month.isoformat(), **day})["period_id"]

    def resend():
        return api.post(f"/api/reporting/periods/{period_id}/resend", headers=declarant_a.headers)

    first = resend()  # due: sent now rather than at the job's next run
    assert (first.status_code, first.json()["type_code"], first.json()["state"]) == (202, "IN", "queued")
    assert (resend().status_code, resend().json()["code"]) == (409, "transmission_in_progress")
    # Rejected for a cause outside its data (a period answer, say): sent again as it is.
    transmission.record_answer(session, first.json()["id"], accepted=False, reasons=["REJ_PER"])
    again = resend()
    assert (again.status_code, again.json()["type_code"]) == (202, "IN") and again.json()["id"] != first.json()["id"]
    transmission.record_answer(session, again.json()["id"], accepted=True)
    assert (resend().status_code, resend().json()["code"]) == (409, "nothing_to_correct")
    today = post(api, declarant_a, "b2c-transactions", {"date": clock.today().isoformat(), **day})
    early = api.post(f"/api/reporting/periods/{today['period_id']}/resend", headers=declarant_a.headers)
    assert (early.status_code, early.json()["code"]) == (409, "not_sent_yet")


def test_no_empty_initial_report_even_after_a_rejection(api, session, runtime, declarant_a, month):
    only = post(
        api,
        declarant_a,
        "exempt-invoices",
        {"direction": "outgoing", "country_code": "DE", "model": invoice_data(SIREN_A, "EXP-ALONE", month)},
    )
    [sent] = send_due(session, runtime, declarant_a)
    transmission.record_answer(session, sent.document_id, accepted=False, reasons=["REJ_COH"])
    assert (
        api.delete(f"/api/reporting/exempt-invoices/{only['invoice_id']}", headers=declarant_a.headers).status_code
        == 204
    )
    assert send_due(session, runtime, declarant_a) == []
    preview = api.get(f"/api/reporting/periods/{only['period_id']}/preview", headers=declarant_a.headers).json()
    assert (preview["due"], preview["why"]) == (False, "Nothing to report: no report is due")
    nothing = api.post(f"/api/reporting/periods/{only['period_id']}/resend", headers=declarant_a.headers)
    assert (nothing.status_code, nothing.json()["code"]) == (409, "nothing_to_send")
