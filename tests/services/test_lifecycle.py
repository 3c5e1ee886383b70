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


def test_the_feed_shows_an_event_only_once_no_earlier_one_can_still_appear(live_server, committed_tenant):
    """Transaction 1 writes first and commits last: the feed hides transaction 2's event until
    transaction 1 has ended, then lists 1's before 2's, so a poller's cursor never skips one."""
    import time

    from coursier.db.lifecycle import LifecycleEventRepository

    _, runtime = live_server
    ctx = TenantContext(sponsor_id=committed_tenant.sponsor_id, client_id=committed_tenant.client_id)

    def feed() -> list[str]:
        with runtime.sessions() as reader:
            return [e.object_id for e in LifecycleEventRepository(reader).feed(ctx, after=(0, 0), limit=50)]

    first = runtime.sessions()
    first.begin()
    record_event(
        first, ctx, object_type="invoice", object_id="inv_first", status_code="InvoiceLifecycleStatus.DEPOSITED"
    )
    with runtime.sessions.begin() as second:
        record_event(
            second, ctx, object_type="invoice", object_id="inv_second", status_code="InvoiceLifecycleStatus.DEPOSITED"
        )
    assert feed() == []  # committed, but an older transaction is still running
    first.commit()
    first.close()
    # Other transactions still running on the server (other tests) may hold it back a moment longer.
    deadline = time.monotonic() + 60
    while not (listed := feed()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert listed == ["inv_first", "inv_second"]
