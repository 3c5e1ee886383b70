"""The shadow check: a share of deposits validated again by the official artefacts; a native rule
that decides wrongly is caught, recorded as an incident, counted, and the official verdict wins."""

from dataclasses import replace

import pytest
from sqlalchemy import select, text

from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.usage import UsageCounter
from coursier.services.invoicing import shadow
from coursier.services.invoicing.checks import read_invoice_file, refusal
from coursier.services.webhook_events import VALIDATION_INCIDENT
from support.native import overrule


@pytest.fixture
def shadowed(monkeypatch, runtime):
    """Every deposit shadowed; validation in this process, where a rule can be made wrong."""
    from coursier.kit import cpu

    monkeypatch.setattr(runtime.settings, "validation_shadow_share", 1.0)
    monkeypatch.setattr(cpu, "run", lambda function, *args, **kwargs: function(*args, **kwargs))


def _shadow_jobs(session, invoice_id: str) -> int:
    return session.execute(
        text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :task AND args->>'invoice_id' = :id"),
        {"task": shadow.TASK, "id": invoice_id},
    ).scalar()


def _events(session, invoice_id: str) -> list[LifecycleEvent]:
    return list(
        session.scalars(
            select(LifecycleEvent).where(LifecycleEvent.object_id == invoice_id).order_by(LifecycleEvent.created_at)
        )
    )


def _incidents_counted(session, client_id: str) -> int | None:
    return session.scalar(
        select(UsageCounter.value).where(UsageCounter.client_id == client_id, UsageCounter.counter == shadow.COUNTER)
    )


def test_a_wrong_native_rule_is_caught_and_the_official_verdict_wins(
    monkeypatch, shadowed, submit, seller, buyer_elsewhere, french_invoice, as_file, session, runtime
):
    # BR-CO-15 (BT-112 = BT-109 + BT-110) made to hold always: the native engine accepts a wrong total.
    overrule(monkeypatch, "cen-en16931-cii", "BR-CO-15", lambda element, document: True)
    invoice = french_invoice(seller.company, buyer_elsewhere, number="SH-1")
    invoice.totals.total_with_vat += 1
    invoice.totals.amount_due += 1
    r = submit(seller, as_file(invoice, "cii")[1], "SH-1.xml")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status_code"] == 200, body  # accepted wrongly
    invoice_id = body["invoice_id"]
    assert _shadow_jobs(session, invoice_id) == 1

    incident = shadow.check(session, invoice_id, settings=runtime.settings)

    assert incident is not None and incident["outcome"] == "refused"
    assert (incident["native_valid"], incident["official_valid"]) == (True, False)
    assert incident["native_only"] == []
    assert [(f["artefact"], f["rule"], f["severity"]) for f in incident["official_only"]] == [
        ("cen-en16931-cii", "BR-CO-15", "fatal")
    ]
    row = session.get(Invoice, invoice_id)
    assert (row.status_code, row.rejection_reason) == (213, "REJ_SEMAN")
    assert "BR-CO-15" in row.rejection_message
    assert [e["rule"] for e in row.validation["errors"]] == ["BR-CO-15"]
    assert row.validation["report"]["valid"] is False
    assert {run["engine"] for run in row.validation["report"]["artefacts"] if run["stage"] == "schematron"} == {
        "official"
    }
    assert [e.status_code for e in _events(session, invoice_id)] == [
        "InvoiceLifecycleStatus.DEPOSITED",
        VALIDATION_INCIDENT,
        "InvoiceLifecycleStatus.REJECTED",
    ]
    recorded = _events(session, invoice_id)[1]
    assert recorded.details == incident and "official verdict wins (refused)" in recorded.reason
    assert _incidents_counted(session, seller.tenant.client_id) == 1
    # Checked once: the job run again finds nothing more to do.
    assert shadow.check(session, invoice_id, settings=runtime.settings) is None
    assert _incidents_counted(session, seller.tenant.client_id) == 1


def test_a_refusal_by_a_wrong_native_rule_stays_but_is_recorded(
    monkeypatch, shadowed, submit, seller, buyer_elsewhere, french_invoice, as_file, session, runtime
):
    overrule(monkeypatch, "cen-en16931-cii", "BR-CO-10", lambda element, document: False)
    invoice = french_invoice(seller.company, buyer_elsewhere, number="SH-2")
    body = submit(seller, as_file(invoice, "cii")[1], "SH-2.xml").json()
    assert (body["status_code"], body["rejection_reason"]) == (213, "REJ_SEMAN")

    incident = shadow.check(session, body["invoice_id"], settings=runtime.settings)

    assert incident["outcome"] == "refusal_kept" and incident["official_valid"] is True
    assert [f["rule"] for f in incident["native_only"]] == ["BR-CO-10"]
    row = session.get(Invoice, body["invoice_id"])
    assert row.status_code == 213 and [e["rule"] for e in row.validation["errors"]] == ["BR-CO-10"]
    assert row.validation["report"]["valid"] is True and row.validation["shadow"] == {"outcome": "refusal_kept"}
    assert _incidents_counted(session, seller.tenant.client_id) == 1


def test_when_native_and_official_agree_nothing_is_recorded(
    shadowed, submit, seller, buyer_elsewhere, french_invoice, as_file, session, runtime
):
    invoice = french_invoice(seller.company, buyer_elsewhere, number="SH-3")
    body = submit(seller, as_file(invoice, "cii")[1], "SH-3.xml").json()
    assert body["status_code"] == 200

    assert shadow.check(session, body["invoice_id"], settings=runtime.settings) is None

    row = session.get(Invoice, body["invoice_id"])
    assert row.status_code == 200 and row.validation["shadow"] == {"outcome": "agreed"}
    assert [e.status_code for e in _events(session, body["invoice_id"])] == ["InvoiceLifecycleStatus.DEPOSITED"]
    assert _incidents_counted(session, seller.tenant.client_id) is None


def test_where_saxon_stops_there_is_no_official_verdict_and_no_incident(
    shadowed, submit, seller, buyer_elsewhere, french_invoice, as_file, session, runtime
):
    _, xml = as_file(french_invoice(seller.company, buyer_elsewhere, number="SH-5"), "cii")
    body = submit(seller, xml.replace(b"<ram:LineTotalAmount>", b"<ram:LineTotalAmount>x", 1)).json()
    assert (body["status_code"], body["rejection_reason"]) == (501, "IRR_SYNTAX")

    assert shadow.check(session, body["invoice_id"], settings=runtime.settings) is None

    row = session.get(Invoice, body["invoice_id"])
    assert row.validation["shadow"] == {"outcome": "no_official_verdict"}
    assert _incidents_counted(session, seller.tenant.client_id) is None


def test_the_share_decides_which_deposits_are_shadowed(
    runtime, submit, seller, buyer_elsewhere, french_invoice, as_file, session
):
    content = as_file(french_invoice(seller.company, buyer_elsewhere, number="SH-4"), "cii")[1]
    invoice = session.get(Invoice, submit(seller, content).json()["invoice_id"])
    reading = read_invoice_file(content)
    before = _shadow_jobs(session, invoice.id)
    for share, deferred in ((0.0, False), (1.0, True)):
        settings = runtime.settings.model_copy(update={"validation_shadow_share": share})
        assert shadow.consider(session, invoice, reading, settings) is deferred
    assert _shadow_jobs(session, invoice.id) == before + 1
    # Refused on something else than its rules: the official artefacts could not change that.
    not_its_rules = replace(reading, refusal=refusal("IRR_ANTIVIRUS", "The PDF carries active content"))
    assert shadow.consider(session, invoice, not_its_rules, settings) is False
    # The draw comes from the invoice id: the same every time, about the share asked for.
    ids = [f"inv_{n:08d}" for n in range(2000)]
    assert [shadow.selected(i, 0.05) for i in ids] == [shadow.selected(i, 0.05) for i in ids]
    assert 50 < sum(shadow.selected(i, 0.05) for i in ids) < 150
    assert all(shadow.selected(i, 1.0) for i in ids) and not any(shadow.selected(i, 0.0) for i in ids)


def test_the_job_runs_with_the_deposit_on_the_live_server(
    monkeypatch, live_server, registered_party, drain_jobs, french_invoice, as_file
):
    import httpx

    base, runtime = live_server
    monkeypatch.setattr(runtime.settings, "validation_shadow_share", 1.0)
    seller, buyer = registered_party(), registered_party()
    name, pdf = as_file(french_invoice(seller.company, buyer.company, number="SH-LIVE-1"), "facturx")
    r = httpx.post(
        f"{base}/api/invoicing/files/submit", headers=seller.headers, files={"file": (name, pdf)}, timeout=60
    )
    assert r.status_code == 201 and r.json()["status_code"] == 200, r.text
    drain_jobs()
    with runtime.sessions() as session:
        row = session.get(Invoice, r.json()["invoice_id"])
        # Routed to the buyer, a client here: the seller's side reads the buyer's 203.
        assert row.validation["shadow"] == {"outcome": "agreed"} and row.status_code == 203
        assert _shadow_jobs(session, row.id) == 1
