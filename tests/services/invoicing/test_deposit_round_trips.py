"""The database work of an accepted upload, counted at the wire."""

import pytest
from fastapi.testclient import TestClient

from coursier.kit import cpu
from support.round_trips import WireTrace


@pytest.fixture
def traced_api(database_url, sandbox_server, company, buyer_elsewhere):
    """A client of the API on an engine of its own, traced; the seller's tenant and mandate committed."""
    from conftest import make_runtime, make_tenant
    from coursier.api.app import create_app
    from coursier.db.session import make_engine, make_sessionmaker
    from support.invoicing import Party, activate_mandate

    engine = make_engine(database_url, pool_size=2)
    sessions = make_sessionmaker(engine)
    runtime = make_runtime(database_url, engine, sessions, ppf_line_notice_days=0)
    ppf = sandbox_server.ppf()
    runtime.ppf = lambda: ppf
    with sessions() as session:
        tenant = make_tenant(session, "round-trips")
        activate_mandate(session, tenant, company.siren)
    trace = WireTrace(engine)
    with TestClient(create_app(runtime), raise_server_exceptions=False) as api:
        yield api, trace, Party(tenant, company), buyer_elsewhere
    trace.close()
    ppf.close()


def test_an_accepted_upload_takes_a_handful_of_round_trips(traced_api, french_invoice, as_file):
    api, trace, seller, buyer = traced_api

    def upload(number: str):
        name, content = as_file(french_invoice(seller.company, buyer, number=number), "cii")
        r = api.post("/api/invoicing/files/submit", headers=seller.headers, files={"file": (name, content)})
        assert r.status_code == 201 and r.json()["status"] == "validated", r.text

    upload("RT-1")  # the first asks the directory and starts the validation workers
    assert api.get("/api/settings", headers=seller.headers).status_code == 200  # who is calling: kept for seconds
    with trace.window() as wire:
        upload("RT-2")
    # Each statement is its own round trip; none is a savepoint, a token or client read, or an UPDATE.
    expected = [
        "BEGIN",
        "SELECT pg_try_advisory_xact_lock(",  # the sponsor's heavy-request slot
        "INSERT INTO documents ",  # the file, kept whatever the verdict
        "SELECT DISTINCT mandates.siren",  # the seller is the client
        "SELECT directory_cache.key,",  # the buyer's platform
        "INSERT INTO invoices ",  # with its recipient; ON CONFLICT is the duplicate check
        "INSERT INTO usage_counters ",  # invoices_sent, in the transaction: billed, never lost
        # The 200's record: no look-up of the other side's copy, which a new invoice cannot have.
        "INSERT INTO invoice_statuses ",
        "INSERT INTO lifecycle_events ",  # 200 Déposée
        "SELECT webhook_endpoints.id,",  # who is told
        "SELECT  unnest(",  # the jobs: routing, webhook deliveries (procrastinate_defer_jobs_v1)
        "COMMIT",
    ]
    sent = [
        start if statement.startswith(start) else statement[:60]
        for statement, start in zip(wire.statements, expected, strict=False)
    ]
    assert (sent, len(wire.statements)) == (expected, len(expected))
    assert "ON CONFLICT (duplicate_key)" in wire.statements[5] and "recipient_platform_id" in wire.statements[5]
    assert wire.round_trips == len(wire.statements)


def test_a_bulk_deposit_takes_the_round_trips_of_one_upload(traced_api, french_invoice, as_file):
    api, trace, seller, buyer = traced_api
    files = [
        ("files", as_file(french_invoice(seller.company, buyer, number=f"RB-{n}"), fmt))
        for n, fmt in enumerate(["cii", "ubl", "facturx"] * 4)
    ]
    first = api.post("/api/invoicing/files/submit-batch", headers=seller.headers, files=files[:1])
    assert first.json()["accepted"] == 1  # the directory asked, the validation workers started
    assert api.get("/api/settings", headers=seller.headers).status_code == 200
    with trace.window() as wire:
        r = api.post("/api/invoicing/files/submit-batch", headers=seller.headers, files=files[1:])
    assert r.status_code == 201 and r.json()["accepted"] == 11, r.text
    # (Once psycopg prepared a statement, its later runs send no SQL text.)
    inserts = [statement.split(" (")[0] for statement in wire.statements if statement.startswith("INSERT")]
    assert inserts == [
        "INSERT INTO documents",
        "INSERT INTO invoices",
        "INSERT INTO usage_counters",
        "INSERT INTO invoice_statuses",
        "INSERT INTO lifecycle_events",
    ]
    # The 12 of one upload, plus a heavy-request slot for each file checked at once beyond the
    # first, and the look-up of the slots this transaction holds already.
    more_slots = min(cpu.workers(), 11) - 1
    assert wire.round_trips == 12 + (1 + more_slots if more_slots else 0), wire.statements
