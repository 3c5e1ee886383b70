"""F1 over the flow exchange, end to end with the sandbox reached by SFTP only: a refused flow's
501 lands on the invoice with its reason, and a deposit cut by a kill -9 between the put and its
commit is not sent twice (stable flow id)."""

import dataclasses
import os
import subprocess
import sys
import textwrap

import httpx
from sqlalchemy import text

from coursier.formats.ppf import envelope
from coursier.kit.defer import defer
from coursier.network.ppf_flows import FlowExchangeUnavailable
from coursier.services.ppf_exchange import EXCHANGE_LOCK, EXCHANGE_TASK, queue_flow


def _sent_invoice(live_server, registered_party, french_invoice, as_file, number: str) -> tuple[str, object]:
    base, _ = live_server
    seller, buyer = registered_party(), registered_party()
    name, pdf = as_file(french_invoice(seller.company, buyer.company, number=number), "facturx")
    r = httpx.post(
        base + "/api/invoicing/files/submit",
        headers=seller.headers,
        files={"file": (name, pdf, "application/pdf")},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    return r.json()["invoice_id"], seller


def _f1_events(live_server, invoice_id: str, party) -> list[dict]:
    base, _ = live_server
    invoice = httpx.get(f"{base}/api/invoicing/invoices/{invoice_id}", headers=party.headers, timeout=60).json()
    return [event for event in invoice["history"] if event["event"].startswith("RegulatoryDataStatus.")]


class _Unreachable:
    def open(self):
        raise FlowExchangeUnavailable("the PPF is down")


def test_a_refused_flow_comes_back_501_on_the_invoice(
    live_server, registered_party, french_invoice, as_file, drain_jobs
):
    _, runtime = live_server
    invoice_id, seller = _sent_invoice(live_server, registered_party, french_invoice, as_file, "F1-501")
    with runtime.sessions.begin() as session:
        # A file named without its profile (DG §3.4.4 note 71), for this invoice.
        flow_id = queue_flow(
            session,
            interface=envelope.F1_CII,
            files=[("F1-501.xml", b"<a/>")],
            subject_type="invoice",
            subject_ids=[invoice_id],
            application_code=runtime.settings.ppf_application_code,
        )
    drain_jobs()
    refused = [event for event in _f1_events(live_server, invoice_id, seller) if event["details"]["flow_id"] == flow_id]
    [event] = refused
    assert (event["event"], event["details"]["flow_status"]) == ("RegulatoryDataStatus.REJECTED", 501)
    assert "IRR_NOM_F" in [reason["code"] for reason in event["details"]["reasons"]]
    assert "IRR_NOM_F" in event["reason"]


KILLED_RUN = """
import os, signal
from coursier.config import Settings
from coursier.db.session import make_engine, make_sessionmaker
from coursier.jobs import app, ppf
from coursier.network.ppf_flows import SFTPFlowExchange
from coursier.runtime import connectors_for

settings = Settings()
engine = make_engine(settings.database_url, pool_size=2)
connectors = connectors_for(settings)
original = SFTPFlowExchange.open


class KilledAfterPut:
    def __init__(self, space):
        self.space = space

    def deposit(self, name, content):
        self.space.deposit(name, content)
        os.kill(os.getpid(), signal.SIGKILL)  # the flow is on the server, its commit never comes


def open_killing(self):
    from contextlib import contextmanager

    @contextmanager
    def opened():
        with original(self) as space:
            yield KilledAfterPut(space)

    return opened()


SFTPFlowExchange.open = open_killing
app.connect(settings.database_url, make_sessionmaker(engine), settings, connectors)
ppf.exchange()
"""


def test_a_deposit_killed_before_its_commit_is_not_sent_twice(
    live_server, sandbox_server, registered_party, french_invoice, as_file, drain_jobs, monkeypatch, tmp_path
):
    _, runtime = live_server
    down = dataclasses.replace(runtime.connectors, flows=_Unreachable())
    monkeypatch.setattr(runtime, "connectors", down)
    invoice_id, seller = _sent_invoice(live_server, registered_party, french_invoice, as_file, "F1-KILL")
    drain_jobs()  # routed, F1 queued and sealed; the exchange is down
    with runtime.sessions() as session:
        [(flow_id, state)] = session.execute(
            text(
                "SELECT f.flow_id, f.state FROM ppf_flows f JOIN ppf_flow_subjects s ON s.flow_id = f.flow_id"
                " WHERE s.subject_type = 'invoice' AND s.subject_id = :id"
            ),
            {"id": invoice_id},
        ).all()
    assert state == "sealed"

    environment = {
        **os.environ,
        "DATABASE_URL": runtime.database_url,
        "COURSIER_DATA_DIR": str(tmp_path),
        **{key.upper(): str(value) for key, value in sandbox_server.sftp_settings().items()},
    }
    environment["COURSIER_PPF_APPLICATION_CODE"] = environment.pop("PPF_APPLICATION_CODE")
    environment["COURSIER_PPF_BATCH_SECONDS"] = environment.pop("PPF_BATCH_SECONDS")
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_RUN)], env=environment, timeout=120)
    assert killed.returncode == -9
    with runtime.sessions() as session:
        assert session.scalar(text("SELECT state FROM ppf_flows WHERE flow_id = :f"), {"f": flow_id}) == "sealed"

    monkeypatch.undo()
    with runtime.sessions.begin() as session:  # the next run of the exchange (every minute)
        defer(session, EXCHANGE_TASK, lock=EXCHANGE_LOCK)
    drain_jobs()  # deposited again: the sandbox holds it already, so it counts as deposited
    [event] = _f1_events(live_server, invoice_id, seller)
    assert (event["event"], event["details"]["flow_id"], event["details"]["flow_status"]) == (
        "RegulatoryDataStatus.DEPOSITED",
        flow_id,
        500,
    )
    with runtime.sessions() as session:
        answers = session.scalar(text("SELECT count(*) FROM ppf_collected_files WHERE flow_id = :f"), {"f": flow_id})
    assert answers == 1  # received once by the sandbox: one 500, no second answer
