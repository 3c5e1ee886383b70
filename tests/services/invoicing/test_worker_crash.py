"""A real worker process killed (SIGKILL) in the middle of its work, then restarted: an invoice
routed in the middle is delivered exactly once; statuses reported in the middle are held once by
the PPF."""

import os
import signal
import subprocess
import sys
import time

import httpx
from sqlalchemy import func, select, text

from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.usage import UsageCounter
from coursier.kit.tenancy import TenantContext
from coursier.services import usage


def _start_worker(runtime, sandbox_server, log_path) -> subprocess.Popen:
    flows = sandbox_server.sftp_settings()
    env = {
        **os.environ,
        "DATABASE_URL": runtime.database_url,
        **sandbox_server.directory_environment(),
        "COURSIER_DATA_DIR": str(log_path.parent),
        "COURSIER_PPF_APPLICATION_CODE": flows["ppf_application_code"],
        "COURSIER_PPF_BATCH_SECONDS": "0",
        "PPF_SFTP_HOST": flows["ppf_sftp_host"],
        "PPF_SFTP_PORT": str(flows["ppf_sftp_port"]),
        "PPF_SFTP_KEY": str(flows["ppf_sftp_key"]),
        "PPF_SFTP_HOST_KEY": flows["ppf_sftp_host_key"],
    }
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "coursier", "worker", "--concurrency", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait_for(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _scalar(runtime, statement, **params):
    with runtime.sessions() as session:
        return session.scalar(statement if not isinstance(statement, str) else text(statement), params)


def _stop(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def _revive_jobs_of_dead_workers(runtime) -> None:
    """Time passes (fast-forwarded): the dead worker's last heartbeat gets old, so the stalled-job
    sweep of the next worker puts its jobs back."""
    with runtime.sessions.begin() as session:
        session.execute(
            text(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'"
                " WHERE last_heartbeat < now() - interval '2 seconds'"
            )
        )


def test_a_worker_killed_mid_routing_delivers_once_after_restart(
    live_server, registered_party, sandbox_server, french_invoice, as_file, tmp_path
):
    base, runtime = live_server
    seller, buyer = registered_party(), registered_party()
    recipient = TenantContext(sponsor_id=buyer.tenant.sponsor_id, client_id=buyer.tenant.client_id)
    with runtime.sessions.begin() as session:
        usage.count(session, recipient, "invoices_received", by=0)  # the row the routing will update

    # Hold the recipient's usage row: routing writes the inbound copy and its events, then blocks here.
    blocker = runtime.engine.connect()
    blocking = blocker.begin()
    blocker.execute(select(UsageCounter).where(UsageCounter.client_id == recipient.client_id).with_for_update())
    name, content = as_file(french_invoice(seller.company, buyer.company, number="K-1"), "cii")
    sent = httpx.post(
        f"{base}/api/invoicing/files/submit", headers=seller.headers, timeout=60, files={"file": (name, content)}
    ).json()
    assert sent["status"] == "validated", sent
    invoice_id = sent["invoice_id"]

    log_path = tmp_path / "worker.log"
    worker = _start_worker(runtime, sandbox_server, log_path)
    try:
        waiting = _wait_for(
            lambda: _scalar(
                runtime,
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE "
                "'%usage_counters%' AND datname = current_database() AND pid <> pg_backend_pid()",
            ),
            "the routing to block mid-way",
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        blocking.rollback()
        blocker.close()
    # Its connection gone, the killed worker's transaction ends without a commit.
    _wait_for(
        lambda: not _scalar(runtime, "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", pid=waiting),
        "the dead worker's session to end",
    )
    assert _scalar(runtime, select(Invoice.status_code).where(Invoice.id == invoice_id)) == 200
    assert _scalar(runtime, select(func.count()).where(Invoice.source_invoice_id == invoice_id)) == 0
    job_of_invoice = (
        "SELECT {} FROM procrastinate_jobs WHERE task_name = 'invoicing.route' AND args->>'invoice_id' = :id"
    )
    assert _scalar(runtime, job_of_invoice.format("status"), id=invoice_id) == "doing"

    # Time passes (fast-forwarded): the dead worker's last heartbeat gets old; a new worker starts,
    # and its stalled-job sweep puts the routing back.
    with runtime.sessions.begin() as session:
        session.execute(
            text(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = "
                f"({job_of_invoice.format('worker_id')})"
            ),
            {"id": invoice_id},
        )
    worker = _start_worker(runtime, sandbox_server, log_path)
    try:
        _wait_for(
            # Sent (201), then made available to the buyer (203), a status the seller sees too.
            lambda: _scalar(runtime, select(Invoice.status_code).where(Invoice.id == invoice_id)) == 203,
            "the invoice to be routed after the restart",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    with runtime.sessions() as session:
        copies = session.scalars(select(Invoice).where(Invoice.source_invoice_id == invoice_id)).all()
        assert len(copies) == 1, log_path.read_text()
        events = session.scalars(
            select(LifecycleEvent.status_code).where(
                LifecycleEvent.object_id.in_([invoice_id, copies[0].id]),
                LifecycleEvent.object_type == "invoice",
                LifecycleEvent.status_code.like("InvoiceLifecycleStatus.%"),
            )
        ).all()
        assert sorted(events) == sorted(
            [
                "InvoiceLifecycleStatus.DEPOSITED",
                "InvoiceLifecycleStatus.TRANSMITTED_BY_PLATFORM",
                "InvoiceLifecycleStatus.RECEIVED_BY_PLATFORM",
                "InvoiceLifecycleStatus.MADE_AVAILABLE",
            ]
        )
        received = session.scalar(
            select(UsageCounter.value).where(
                UsageCounter.client_id == recipient.client_id, UsageCounter.counter == "invoices_received"
            )
        )
        assert received == 1
    assert _scalar(runtime, job_of_invoice.format("status"), id=invoice_id) == "succeeded"
    assert "of a dead worker runs again" in log_path.read_text()


def test_a_worker_killed_while_the_ppf_takes_its_statuses_has_them_held_once_after_restart(
    live_server, registered_party, sandbox_server, drain_jobs, french_invoice, two_rate_invoice, as_file, tmp_path
):
    from sqlalchemy import create_engine

    from coursier.db.invoice_statuses import InvoiceStatusRecord
    from coursier.db.ppf_flows import PPFFlow

    base, runtime = live_server
    seller, buyer = registered_party(), registered_party()

    def call(method: str, path: str, party, **kwargs) -> httpx.Response:
        r = httpx.request(method, base + path, headers=party.headers, timeout=60, **kwargs)
        assert r.status_code in (200, 201), r.text
        return r

    def send(invoice) -> str:
        name, content = as_file(invoice, "cii")
        return call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()["invoice_id"]

    collected_id = send(two_rate_invoice(seller.company, buyer.company, number="KF6-1"))
    send(french_invoice(seller.company, buyer.company, number="KF6-2"))
    drain_jobs()  # routed, F1 sent, the 200s held by the PPF
    received = {
        i["extracted_data"]["invoice_number"]: i["invoice_id"]
        for i in call("GET", "/api/invoicing/invoices", buyer, params={"direction": "inbound"}).json()
    }
    payment = {"amount": "761.55", "date": "2026-12-01"}
    call("POST", f"/api/invoicing/invoices/{collected_id}/statuses", seller, json={"status": 212, "payment": payment})
    refusal = {"status": 210, "reason_code": "CONTRAT_TERM", "comment": "Contrat terminé"}
    call("POST", f"/api/invoicing/invoices/{received['KF6-2']}/statuses", buyer, json=refusal)
    wrong = french_invoice(seller.company, buyer.company, number="KF6-3")
    wrong.totals.total_with_vat += 1
    rejected_id = send(wrong)  # 213 at deposit

    # Hold the sandbox's table of statuses: the PPF takes the flow, then waits to keep its statuses.
    sandbox = create_engine(sandbox_server.database_url)
    blocker = sandbox.connect()
    blocking = blocker.begin()
    blocker.execute(text("LOCK TABLE held_statuses IN ACCESS EXCLUSIVE MODE"))
    log_path = tmp_path / "worker.log"
    worker = _start_worker(runtime, sandbox_server, log_path)
    try:
        _wait_for(
            # A lock asked for on that very table: the cluster is shared by the other tests' databases.
            lambda: blocker.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'held_statuses'::regclass"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            ).scalar(),
            "the PPF to be taking a flow of statuses",
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        blocking.rollback()
        blocker.close()
    reported = select(func.count()).where(
        InvoiceStatusRecord.ppf_reporter,
        InvoiceStatusRecord.status_code.in_((210, 212, 213)),
        InvoiceStatusRecord.invoice_id.in_([collected_id, received["KF6-2"], rejected_id]),
    )
    # The PPF got the flow; we never committed that it left: it is still to deposit on our side.
    with runtime.sessions() as session:
        flows = session.scalars(select(PPFFlow).where(PPFFlow.interface == "FFE0614A", PPFFlow.state == "sealed")).all()
        assert flows, log_path.read_text()
        assert session.scalar(reported.where(InvoiceStatusRecord.ppf_state == "accepted")) == 0

    _revive_jobs_of_dead_workers(runtime)
    worker = _start_worker(runtime, sandbox_server, log_path)
    try:
        _wait_for(
            lambda: _scalar(runtime, reported.where(InvoiceStatusRecord.ppf_state == "accepted")) == 3,
            "every status to be accepted after the restart",
            timeout=120,
        )
    finally:
        _stop(worker)
    assert "was already deposited" in log_path.read_text()
    with sandbox_server.client("0042") as ppf:

        def held(number: str) -> list[int]:
            params = {"seller_siren": seller.company.siren, "invoice_number": number}
            return [status["status_code"] for status in ppf.get("/statuses", params=params).json()]

        assert held("KF6-1") == [200, 212]
        assert held("KF6-2") == [200, 210]
        assert held("KF6-3") == [213]
    sandbox.dispose()
