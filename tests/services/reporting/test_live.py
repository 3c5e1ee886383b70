"""E-reporting on the live server with real commits, the job worker, and the PPF sandbox reached over
SFTP: reports leave at their deadline, an outage of the PPF delays them and loses nothing, the
sandbox accepts them and holds the right totals."""

import dataclasses
import time
from datetime import timedelta
from decimal import Decimal

import httpx

from coursier.kit.defer import defer
from coursier.network.ppf_flows import SFTPFlowExchange
from coursier.runtime import sftp_settings
from coursier.sandbox.process import free_port
from coursier.services.ppf_exchange import EXCHANGE_LOCK, EXCHANGE_TASK
from support.reporting import invoice_data

from .conftest import month_ago


def _run(runtime, drain_jobs, task: str, **options) -> None:
    with runtime.sessions.begin() as session:
        defer(session, task, **options)
    drain_jobs()


def test_reports_leave_at_their_deadline_survive_an_outage_and_are_accepted(
    live_server, registered_party, drain_jobs, sandbox_server
):
    base, runtime = live_server
    party = registered_party()
    siren = party.company.siren

    def call(method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{base}/api{path}", headers=party.headers, timeout=60, **kwargs)

    assert call("PATCH", "/settings", json={"vat_regime": "simplified"}).status_code == 200
    month = month_ago(4)
    days = [(month + timedelta(days=3), "120.00", "24.00"), (month + timedelta(days=17), "80.50", "16.10")]
    for day, taxable, tax in days:
        r = call(
            "POST",
            "/reporting/b2c-transactions",
            json={
                "date": day.isoformat(),
                "category": "TPS1",
                "vat": [{"rate": "20", "taxable_amount": taxable, "tax_amount": tax}],
            },
        )
        assert r.status_code == 201, r.text
    model = invoice_data(siren, "LIVE-1", month + timedelta(days=9), lines=(("1500.00", "20"),))
    sale = call(
        "POST", "/reporting/exempt-invoices", json={"direction": "outgoing", "country_code": "DE", "model": model}
    )
    assert sale.status_code == 201, sale.text
    paid = call(
        "POST",
        "/reporting/payments",
        json={
            "date": (month + timedelta(days=20)).isoformat(),
            "invoice_id": sale.json()["invoice_id"],
            "amounts": [{"rate": "20", "amount": "1800.00"}],
        },
    )
    assert paid.status_code == 201, paid.text

    # The PPF cannot be reached: the reports are built and queued, and wait.
    reachable = runtime.connectors
    unreachable = SFTPFlowExchange(dataclasses.replace(sftp_settings(runtime.settings), port=free_port()))
    runtime.connectors = dataclasses.replace(reachable, flows=unreachable)
    try:
        _run(runtime, drain_jobs, "reporting.transmit_due", timestamp=0)
        periods = call("GET", "/reporting/periods").json()
        assert sorted((p["kind"], p["state"]) for p in periods) == [("payments", "sent"), ("transactions", "sent")]
        assert all([t["state"] for t in p["transmissions"]] == ["queued"] for p in periods)
    finally:
        runtime.connectors = reachable
    # Once it is back, the next exchange deposits them and collects the answers: nothing lost.
    _run(runtime, drain_jobs, EXCHANGE_TASK, lock=EXCHANGE_LOCK, timestamp=0)
    periods = call("GET", "/reporting/periods").json()
    assert sorted((p["kind"], p["state"], p["start"]) for p in periods) == [
        ("payments", "accepted", month.isoformat()),
        ("transactions", "accepted", month.isoformat()),
    ]
    [transactions] = [p for p in periods if p["kind"] == "transactions"]
    [sent] = transactions["transmissions"]
    assert (sent["type_code"], sent["state"], sent["reasons"]) == ("IN", "deposited", [])
    assert sent["flow_id"].startswith("CRS0421025")  # an F10 flow (FFE1025A) of our application code

    with sandbox_server.client() as ppf:
        held = ppf.get(
            f"/ereporting/declarants/{siren}/totals",
            params={"start": month.isoformat(), "end": (month + timedelta(days=40)).isoformat()},
        ).json()
    seller = held["roles"]["SE"]
    assert seller["transactions"] == {"TPS1": {"20": {"taxable_amount": "200.50", "tax_amount": "40.10"}}}
    assert (seller["invoices"]["numbers"], Decimal(seller["invoices"]["tax_amount_eur"])) == (["LIVE-1"], Decimal(300))
    assert seller["invoice_payments"] == {"20": "1800.00"}
    # The client follows it on the invoice's timeline (an event shows once every transaction that
    # could come before it has ended: a moment after it is written, on a loaded machine).
    wanted = [
        "TransactionDataStatus.RECORDED",  # the invoice, 10.1
        "TransactionDataStatus.RECORDED",  # its payment, 10.2
        "TransactionDataStatus.DEPOSITED",
        "TransactionDataStatus.DEPOSITED",
    ]
    params = {"object_type": "invoice", "object_id": sale.json()["invoice_id"]}
    deadline = time.monotonic() + 30
    while (timeline := [e["status_code"] for e in call("GET", "/lifecycle-events", params=params).json()]) != wanted:
        assert time.monotonic() < deadline, timeline
        time.sleep(0.1)


def test_an_invoice_exchanged_here_with_a_buyer_abroad_goes_to_the_sellers_e_reporting(
    live_server, registered_party, drain_jobs, french_invoice, as_file
):
    base, _ = live_server
    seller, buyer = registered_party(), registered_party()
    invoice = french_invoice(seller.company, buyer.company, number="ABROAD-1")
    invoice.buyer.postal_address.country_code = "DE"  # its establishment abroad: an international sale
    name, content = as_file(invoice, "cii")
    r = httpx.post(
        f"{base}/api/invoicing/files/submit", headers=seller.headers, files={"file": (name, content)}, timeout=60
    )
    assert r.status_code == 201 and r.json()["status"] == "validated", r.text
    drain_jobs()

    [period] = httpx.get(f"{base}/api/reporting/periods", headers=seller.headers).json()
    assert (period["kind"], period["declarant_role"], period["siren"]) == (
        "transactions",
        "seller",
        seller.company.siren,
    )
    preview = httpx.get(f"{base}/api/reporting/periods/{period['id']}/preview", headers=seller.headers).json()
    [reported] = preview["report"]["transactions"]["invoices"]
    assert (reported["id"], reported["buyer"]["country"]) == ("ABROAD-1", "DE")
    # The buyer's side: bought from a seller in France, nothing to e-report.
    assert httpx.get(f"{base}/api/reporting/periods", headers=buyer.headers).json() == []
