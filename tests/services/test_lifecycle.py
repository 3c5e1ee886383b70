from sqlalchemy import select

from coursier.db.lifecycle import LifecycleEvent
from coursier.kit.tenancy import TenantContext
from coursier.services.lifecycle import record_event


def test_events_of_one_transaction_keep_their_order(session, tenant_a):
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    codes = [f"InvoiceLifecycleStatus.STEP_{i}" for i in range(5)]
    for code in codes:
        record_event(session, ctx, object_type="invoice", object_id="inv_order", status_code=code)
    stamps = session.execute(
        select(LifecycleEvent.status_code, LifecycleEvent.created_at)
        .where(LifecycleEvent.object_id == "inv_order")
        .order_by(LifecycleEvent.created_at)
    ).all()
    assert [code for code, _ in stamps] == codes
    assert len({stamp for _, stamp in stamps}) == 5
