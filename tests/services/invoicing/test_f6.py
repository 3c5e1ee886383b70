"""F6 reporting on the rolled-back database: a mandatory status is queued once on the flow seam,
as the PPF's checks accept it; the flow's 500/501 and the PPF's 601 are kept on every copy."""

from datetime import UTC, datetime

from sqlalchemy import select

from coursier.db.invoice_statuses import InvoiceStatusRecord
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.ppf_flows import PPFFlowRepository
from coursier.formats import cdar
from coursier.formats.ppf import envelope
from coursier.services import ppf_exchange
from coursier.services.invoicing import f1, f6
from coursier.validation.f6 import check_f6


def _records(session, *invoice_ids, status: int) -> list[InvoiceStatusRecord]:
    session.expire_all()
    return list(
        session.scalars(
            select(InvoiceStatusRecord).where(
                InvoiceStatusRecord.invoice_id.in_(invoice_ids), InvoiceStatusRecord.status_code == status
            )
        )
    )


def test_a_mandatory_status_is_queued_once_and_its_answers_kept_on_both_sides(
    api, session, runtime, seller, buyer_here, exchanged
):
    sent, received = exchanged(number="F6-1")
    [reporter] = [record for record in _records(session, sent, received, status=200) if record.ppf_reporter]
    assert reporter.invoice_id == sent and reporter.ppf_state == "pending"
    assert f6.status_to_report(session, reporter.id) is reporter
    flow_id = f6.report_status(session, reporter, settings=runtime.settings)
    # Queued: the next run of the job finds nothing to do.
    assert f6.status_to_report(session, reporter.id) is None
    flow = PPFFlowRepository(session).get(flow_id)
    assert flow.interface == envelope.F6_INVOICE and reporter.message_id in flow.subject_ids(f6.SUBJECT)
    [(name, xml)] = [(file.name, file.content) for file in flow.files if file.name == f"{reporter.message_id}.xml"]
    assert check_f6(xml, sender_matricule="0042").accepted
    message = cdar.parse(xml)
    assert (message.status, message.guideline, message.recipients[0].id.value) == (200, cdar.Guideline.PPF, "9998")

    f6.record_flow_status(session, flow, ppf_exchange.FlowStatus(500, [], datetime.now(UTC)))
    assert {(r.invoice_id, r.ppf_state, r.ppf_flow_id) for r in _records(session, sent, received, status=200)} == {
        (sent, "accepted", flow_id),
        (received, "accepted", flow_id),
    }

    # Then the PPF's 601 on it: rejected on both sides, an event for the reporting side.
    rejection = cdar.ppf_rejection(
        message_id="PPF001-601-x",
        rejected_message_id=reporter.message_id,
        invoice=cdar.InvoiceReference("F6-1", "380", datetime.now(UTC).date(), seller.company.siren),
        platform_matricule="0042",
        ppf_matricule="9998",
        at=datetime.now(UTC),
        reasons=[("REJ_INC", "incohérent")],
    )
    collected = ppf_exchange.CollectedMessage(
        "FFE0654A_CRS042_x.tar.gz",
        envelope.F6_MANDATORY_STATUSES,
        "PPF001",
        "CDAR",
        b"",
        [("601.xml", cdar.write(rejection))],
    )
    f6.record_rejections(session, collected)
    f6.record_rejections(session, collected)  # collected twice: kept once
    assert {(r.ppf_state, r.ppf_reason) for r in _records(session, sent, received, status=200)} == {
        ("rejected", "REJ_INC")
    }
    events = session.scalars(
        select(LifecycleEvent).where(
            LifecycleEvent.status_code == f6.REJECTED_EVENT, LifecycleEvent.object_id.in_([sent, received])
        )
    ).all()
    assert [(e.object_type, e.object_id, e.rejection_reason, e.client_id) for e in events] == [
        ("lifecycle_status", sent, "REJ_INC", seller.tenant.client_id)
    ]
    shown = api.get(f"/api/invoicing/invoices/{sent}/statuses", headers=seller.headers).json()[0]["ppf"]
    assert (shown["state"], shown["reason"]) == ("rejected", "REJ_INC") and "incohérent" in shown["detail"]
    # The invoice's own history shows the rejection as an event from the PPF.
    history = api.get(f"/api/invoicing/invoices/{sent}", headers=seller.headers).json()["history"]
    assert [(e["event"], e["emitter"], e["status_code"]) for e in history][-1] == (f6.REJECTED_EVENT, "PPF", 601)


def test_an_unacceptable_flow_rejects_its_statuses(session, runtime, exchanged):
    sent, received = exchanged(number="F6-2")
    [reporter] = [record for record in _records(session, sent, status=200)]
    flow_id = f6.report_status(session, reporter, settings=runtime.settings)
    flow = PPFFlowRepository(session).get(flow_id)
    f6.record_flow_status(
        session, flow, ppf_exchange.FlowStatus(501, [("IRR_SYNTAX", "f.xml: bad")], datetime.now(UTC))
    )
    assert {(r.ppf_state, r.ppf_reason) for r in _records(session, sent, received, status=200)} == {
        ("rejected", "IRR_SYNTAX")
    }


def test_an_invoice_to_a_buyer_abroad_leaves_no_status_and_no_f1_to_the_ppf(
    session, seller, buyer_here, exchanged, french_invoice
):
    # DG §3.2, F8 note 30: an international invoice's data is e-reported; no F1 and no F6.
    home = exchanged(number="F6-HOME")
    abroad = french_invoice(seller.company, buyer_here.company, number="F6-ABROAD")
    abroad.buyer.postal_address.country_code = "BE"
    sent, received = exchanged(invoice=abroad)
    assert {(r.ppf_reporter, r.ppf_state) for r in _records(session, sent, received, status=200)} == {(False, None)}
    assert f1.invoice_to_report(session, sent) is None
    assert f1.invoice_to_report(session, home[0]) is not None
    assert any(r.ppf_reporter for r in _records(session, *home, status=200))
