"""A real worker killed (SIGKILL) while a receiver holds a delivery, then another started: nothing
is lost, and the one duplicate carries the same webhook-id (at least once)."""

import os
import signal

import httpx
from sqlalchemy import text

from coursier.kit.tenancy import TenantContext
from coursier.services.lifecycle import record_event


def test_a_worker_killed_mid_delivery_loses_nothing(
    live_server, committed_tenant, webhook_receiver, private_webhooks, worker_process, tmp_path
):
    base, runtime = live_server
    private_webhooks(runtime)
    receiver = webhook_receiver(lambda n, request: "hang" if n == 0 else 200)
    r = httpx.post(f"{base}/api/webhooks", json={"url": receiver.url}, headers=committed_tenant.auth)
    webhook_id = r.json()["webhook_id"]
    ctx = TenantContext(sponsor_id=committed_tenant.sponsor_id, client_id=committed_tenant.client_id)
    events: dict[str, list[str]] = {"inv_k1": [], "inv_k2": []}
    with runtime.sessions.begin() as session:
        for step in ("DEPOSITED", "TRANSMITTED_BY_PLATFORM", "APPROVED"):
            for object_id in events:
                event = record_event(
                    session,
                    ctx,
                    object_type="invoice",
                    object_id=object_id,
                    status_code=f"InvoiceLifecycleStatus.{step}",
                )
                events[object_id].append(event.id)

    try:
        worker = worker_process(COURSIER_WEBHOOK_ALLOW_PRIVATE="true")
        receiver.wait_for(lambda r: len(r.requests) == 1, timeout=60)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        held = receiver.requests[0].webhook_id
        with runtime.sessions() as session:
            job = session.execute(
                text(
                    "SELECT j.id, j.worker_id FROM procrastinate_jobs j JOIN webhook_deliveries d"
                    " ON d.id = j.args->>'delivery_id' WHERE d.endpoint_id = :e AND j.status = 'doing'"
                ),
                {"e": webhook_id},
            ).one()
        # Time passes (fast-forwarded): the dead worker's heartbeat gets old; the next worker's sweep
        # of stalled jobs puts the delivery back.
        with runtime.sessions.begin() as session:
            session.execute(
                text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = :id"),
                {"id": job.worker_id},
            )
        worker_process(COURSIER_WEBHOOK_ALLOW_PRIVATE="true")
        everything = [event_id for ids in events.values() for event_id in ids]
        receiver.wait_for(lambda r: len(r.delivered()) == len(everything), timeout=90)
    finally:
        receiver.released.set()
        httpx.delete(f"{base}/api/webhooks/{webhook_id}", headers=committed_tenant.auth)

    delivered = receiver.delivered()
    assert sorted(r.webhook_id for r in delivered) == sorted(everything)  # nothing lost, none twice
    for object_id, ids in events.items():
        assert [r.webhook_id for r in delivered if r.payload["object"]["id"] == object_id] == ids
    sent = [r.webhook_id for r in receiver.requests]
    assert sent.count(held) == 2 and len(sent) == len(everything) + 1  # the one duplicate: the same id
    assert "of a dead worker runs again" in (tmp_path / "worker.log").read_text()
