"""Statuses the parties set through the API, on the rolled-back database: refused moves (409 with the
rule) and bad details (422 naming what is allowed) change nothing; 212 from payments; tenancy."""

import pytest
from sqlalchemy import func, select, text

from coursier.db.invoice_statuses import InvoiceStatusRecord
from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.model.lifecycle import ALLOWED_REASONS, InvoiceStatus


def _path(invoice_id: str) -> str:
    return f"/api/invoicing/invoices/{invoice_id}/statuses"


def _history(api, party, invoice_id) -> list[dict]:
    r = api.get(_path(invoice_id), headers=party.headers)
    assert r.status_code == 200, r.text
    return r.json()


def _set(api, party, invoice_id, **body) -> dict:
    r = api.post(_path(invoice_id), headers=party.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _state(session, *invoice_ids) -> tuple:
    """What a refused request must leave as it was: statuses, current statuses, events and jobs."""
    session.expire_all()
    return (
        session.scalar(select(func.count()).where(InvoiceStatusRecord.invoice_id.in_(invoice_ids))),
        [session.get(Invoice, invoice_id).status_code for invoice_id in invoice_ids],
        session.scalar(select(func.count()).where(LifecycleEvent.object_id.in_(invoice_ids))),
        session.scalar(text("SELECT count(*) FROM procrastinate_jobs")),
    )


@pytest.fixture
def pair(exchanged):
    return exchanged()


@pytest.mark.parametrize(
    ("side", "body", "rule"),
    [
        ("buyer", {"status": 209}, "LC-SIDE"),  # the seller answers a suspension
        ("seller", {"status": 204}, "LC-SIDE"),
        ("buyer", {"status": 203}, "LC-PLATFORM-STATUS"),
        ("seller", {"status": 200}, "LC-PLATFORM-STATUS"),
        ("seller", {"status": 209}, "LC-209-ANSWERS-208"),
        ("seller", {"status": 211}, "LC-REFUND-NEEDS-COLLECTION"),
    ],
)
def test_a_move_the_rules_refuse_is_a_409_naming_the_rule_and_changes_nothing(
    api, session, seller, buyer_here, pair, side, body, rule
):
    sent, received = pair
    party, invoice_id = (seller, sent) if side == "seller" else (buyer_here, received)
    before = _state(session, sent, received)
    r = api.post(_path(invoice_id), headers=party.headers, json=body)
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json", r.text
    assert (r.json()["code"], r.json()["rule"]) == ("status_not_allowed", rule)
    assert rule in r.json()["detail"]
    assert _state(session, sent, received) == before


def test_nothing_follows_a_refusal_and_the_refusal_is_reported(api, session, seller, buyer_here, pair):
    sent, received = pair
    refused = _set(api, buyer_here, received, status=210, reason_code="TX_TVA_ERR", comment="Taux de TVA erroné")
    assert (refused["reason_label"], refused["ppf"]["state"]) == ("Taux de TVA erroné", "pending")
    for party, invoice_id, body in (
        (buyer_here, received, {"status": 205}),
        (seller, sent, {"status": 212, "payment": {"amount": "1", "date": "2026-12-01"}}),
    ):
        r = api.post(_path(invoice_id), headers=party.headers, json=body)
        assert (r.status_code, r.json()["rule"]) == (409, "LC-REFUSED-FINAL")
    outbound = api.get(f"/api/invoicing/invoices/{sent}", headers=seller.headers).json()
    assert (outbound["status_code"], outbound["rejection_reason"]) == (210, "TX_TVA_ERR")
    reporting = "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'invoicing.report_status'"
    jobs = session.execute(text(reporting + " AND args->>'status_id' = :id"), {"id": refused["status_id"]}).scalar()
    assert jobs == 1


@pytest.mark.parametrize(
    ("body", "code", "allowed"),
    [
        (
            {"status": 206, "reason_code": "DOUBLON"},
            "reason_not_allowed",
            sorted(ALLOWED_REASONS[InvoiceStatus.PARTIALLY_APPROVED]),
        ),
        ({"status": 207}, "reason_required", sorted(ALLOWED_REASONS[InvoiceStatus.IN_DISPUTE])),
        ({"status": 205, "reason_code": "PU_ERR"}, "reason_not_allowed", []),
        ({"status": 210, "reason_code": "TX_TVA_ERR"}, "comment_required", None),
        ({"status": 205, "amounts": [{"vat_rate": "20", "amount": "1"}]}, "amounts_not_allowed", None),
        ({"status": 299}, "validation_error", None),
        ({"status": 205, "requested_action": "XYZ"}, "validation_error", None),
        ({"status": 205, "colour": "blue"}, "validation_error", None),
    ],
)
def test_bad_details_are_a_422_naming_what_is_allowed_and_change_nothing(
    api, session, buyer_here, pair, body, code, allowed
):
    sent, received = pair
    before = _state(session, sent, received)
    r = api.post(_path(received), headers=buyer_here.headers, json=body)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == code
    if allowed is not None:
        assert problem["allowed_reasons"] == allowed
        assert all(reason in problem["detail"] for reason in allowed)
    assert _state(session, sent, received) == before


def test_collections_split_accumulate_refund_and_stop_at_the_total(
    api, session, seller, buyer_here, exchanged, french_invoice, two_rate_invoice
):
    sent, received = exchanged(invoice=two_rate_invoice(seller.company, buyer_here.company, number="PAY-1"))
    # 761.55 in all: 221.55 at 5.5 %, 540.00 at 20 %.
    first = _set(api, seller, sent, status=212, payment={"amount": "100", "date": "2026-12-01", "payment_id": "p-1"})
    assert first["amounts"] == [{"vat_rate": "5.5", "amount": "29.09"}, {"vat_rate": "20", "amount": "70.91"}]
    assert (first["payment"], first["payment_id"]) == (
        {"amount": "100.00", "date": "2026-12-01", "currency": "EUR"},
        "p-1",
    )
    # The same payment again: its first record, nothing new; with other values, a conflict.
    again = api.post(
        _path(sent),
        headers=seller.headers,
        json={"status": 212, "payment": {"amount": "100.00", "date": "2026-12-01", "payment_id": "p-1"}},
    )
    assert (again.status_code, again.json()["status_id"]) == (200, first["status_id"])
    reused = api.post(
        _path(sent),
        headers=seller.headers,
        json={"status": 212, "payment": {"amount": "5", "date": "2026-12-01", "payment_id": "p-1"}},
    )
    assert (reused.status_code, reused.json()["code"]) == (409, "payment_id_reused")
    # Explicit amounts per rate; then the rest of the invoice, then a cent more is refused.
    _set(api, seller, sent, status=212, amounts=[{"vat_rate": "20", "amount": "100.00"}])
    rest = _set(api, seller, sent, status=212, payment={"amount": "561.55", "date": "2026-12-03"})
    assert rest["amounts"] == [{"vat_rate": "5.5", "amount": "192.46"}, {"vat_rate": "20", "amount": "369.09"}]
    before = _state(session, sent, received)
    over = api.post(
        _path(sent), headers=seller.headers, json={"status": 212, "payment": {"amount": "0.01", "date": "2026-12-04"}}
    )
    assert (over.status_code, over.json()["code"]) == (409, "collection_above_total")
    assert _state(session, sent, received) == before
    # A refund reverses what was collected, with negative amounts.
    refund = _set(api, seller, sent, status=212, payment={"amount": "-50", "date": "2026-12-05"})
    assert sum(float(part["amount"]) for part in refund["amounts"]) == -50
    assert all(float(part["amount"]) <= 0 for part in refund["amounts"])
    for body, code in (
        ({"amounts": [{"vat_rate": "10", "amount": "1"}]}, "vat_rate_not_on_invoice"),
        ({"amounts": [{"vat_rate": "20", "amount": "1"}, {"vat_rate": "20", "amount": "1"}]}, "vat_rate_repeated"),
        ({"payment": {"amount": "1", "date": "2026-12-06", "currency": "USD"}}, "currency_mismatch"),
        (
            {"payment": {"amount": "1", "date": "2026-12-06"}, "amounts": [{"vat_rate": "20", "amount": "1"}]},
            "payment_and_amounts",
        ),
        ({"payment": {"amount": "0", "date": "2026-12-06"}}, "collection_zero"),
        ({}, "amounts_required"),
    ):
        r = api.post(_path(sent), headers=seller.headers, json={"status": 212, **body})
        assert (r.status_code, r.json()["code"]) == (422, code), r.text
    # Every collection is on both sides; the PPF is told of each, from the seller's side only.
    collections = [s for s in _history(api, buyer_here, received) if s["status"] == 212]
    assert [s["ppf"]["state"] for s in collections] == ["pending"] * 4
    reporters = session.scalar(
        select(func.count()).where(
            InvoiceStatusRecord.status_code == 212,
            InvoiceStatusRecord.ppf_reporter,
            InvoiceStatusRecord.invoice_id.in_([sent, received]),
        )
    )
    assert reporters == 4


def test_both_sides_see_the_statuses_with_their_seqino_events(api, session, seller, buyer_here, pair):
    sent, received = pair
    approved = _set(api, buyer_here, received, status=205)
    assert (approved["status"], approved["label"], approved["event"]) == (
        205,
        "Approuvée",
        "InvoiceLifecycleStatus.APPROVED",
    )
    assert approved["emitter"] == {"role": "buyer", "platform": "0042"}
    seller_view = _history(api, seller, sent)
    assert [s["status"] for s in seller_view] == [200, 201, 202, 203, 205]
    assert seller_view[-1]["message_id"] == approved["message_id"]
    # The seller's invoice reads as approved; each side has the event of the buyer's status.
    assert api.get(f"/api/invoicing/invoices/{sent}", headers=seller.headers).json()["status_code"] == 205
    for party in (seller, buyer_here):
        events = api.get("/api/lifecycle-events", headers=party.headers, params={"object_type": "invoice"}).json()
        assert "InvoiceLifecycleStatus.APPROVED" in [e["status_code"] for e in events]
    # Labels follow the client's language.
    assert api.patch("/api/settings", headers=seller.headers, json={"language": "en"}).status_code == 200
    assert _history(api, seller, sent)[-1]["label"] == "Approved"


def test_the_other_sponsor_sees_nothing_of_an_invoice_it_does_not_hold(api, session, seller, buyer_here, pair):
    sent, received = pair
    before = _state(session, sent, received)
    for party, foreign_id in ((buyer_here, sent), (seller, received)):
        assert api.get(_path(foreign_id), headers=party.headers).json()["code"] == "invoice_not_found"
        r = api.post(_path(foreign_id), headers=party.headers, json={"status": 205})
        assert (r.status_code, r.json()["code"]) == (404, "invoice_not_found")
    assert api.get(_path("inv_unknown"), headers=seller.headers).status_code == 404
    assert _state(session, sent, received) == before


def test_auto_acknowledge_emits_204_when_the_invoice_is_made_available(api, seller, buyer_here, exchanged):
    r = api.patch("/api/settings", headers=buyer_here.headers, json={"auto_acknowledge_received": True})
    assert r.status_code == 200, r.text
    sent, received = exchanged(number="AUTO-1")
    for party, invoice_id in ((seller, sent), (buyer_here, received)):
        steps = [(s["status"], s["emitter"]["role"]) for s in _history(api, party, invoice_id)]
        assert steps[-3:] == [(202, "receiver_platform"), (203, "receiver_platform"), (204, "buyer")]
    # Taken in charge already: the buyer goes on from there.
    _set(api, buyer_here, received, status=205)
