"""Routing sent invoices: delivery on this platform or to another PA, and the F1 queued to the PPF;
the shadow check of a share of deposits by the official validation artefacts.

Exactly once. The routing job locks the outbound invoice and does nothing unless it is still
"Déposée"; the delivery and the 201 status commit in one transaction, so a worker killed midway
leaves nothing behind. Its job stays "doing" with the dead worker (procrastinate does not run it
again by itself): `maintenance.retry_stalled_jobs` puts such jobs back once their worker has
stopped beating, and they run again from the start.
"""

import logging

import procrastinate

from coursier.jobs.app import (
    job_app,
    last_network_attempt,
    network_retry,
    task,
    task_connectors,
    task_session,
    task_settings,
)
from coursier.kit.defer import defer
from coursier.kit.errors import Unavailable
from coursier.network.peers.transport import PeerInbox, TransportUnavailable
from coursier.services.invoicing import f1, f6, routing, shadow, status_exchange

log = logging.getLogger(__name__)

_ROUTING_RETRY = network_retry(Unavailable)


@task("invoicing.route", pass_context=True, retry=_ROUTING_RETRY)
def route_invoice(context: procrastinate.JobContext, invoice_id: str) -> None:
    """Deliver an accepted invoice to its recipient and mark it 201; then its F1. Idempotent."""
    settings, connectors = task_settings(), task_connectors()
    with task_session() as session:
        invoice = routing.invoice_to_route(session, invoice_id)
        if invoice is None:
            return
        try:
            transmitted = routing.route(session, invoice, ppf=connectors.ppf, peers=connectors.peers, settings=settings)
        except Unavailable as exc:
            if not last_network_attempt(context):
                raise
            routing.routing_failed(session, invoice, f"The recipient could not be reached: {exc}", settings)
            return
        if transmitted:
            defer(session, "invoicing.report_f1", invoice_id=invoice_id)


@task("invoicing.report_f1")
def report_f1(invoice_id: str) -> None:
    """Queue the invoice's regulated data (F1) to the PPF, once; `ppf.exchange` sends it. Idempotent."""
    with task_session() as session:
        invoice = f1.invoice_to_report(session, invoice_id)
        if invoice is not None:
            f1.report_f1(session, invoice, settings=task_settings())


@task("invoicing.report_status")
def report_status(status_id: str) -> None:
    """Queue a mandatory status to the PPF (F6), once; `ppf.exchange` sends it. Idempotent."""
    with task_session() as session:
        record = f6.status_to_report(session, status_id)
        if record is not None:
            f6.report_status(session, record, settings=task_settings())


@task("invoicing.send_status", retry=_ROUTING_RETRY)
def send_status(status_id: str) -> None:
    """Send a status of our client to the platform of the other party, once. Idempotent."""
    with task_session() as session:
        record = status_exchange.status_to_send(session, status_id)
        if record is not None:
            status_exchange.send_status(session, record, peers=task_connectors().peers, settings=task_settings())


RECEIVE_LOCK = "invoicing.receive_statuses"


@job_app.periodic(cron="* * * * *")
@task("invoicing.receive_statuses", lock=RECEIVE_LOCK, queueing_lock=RECEIVE_LOCK)
def receive_statuses(timestamp: int | None = None) -> None:
    """Apply (or refuse) the status messages other platforms sent us, each once, each in its own transaction."""
    settings, peers = task_settings(), task_connectors().peers
    if not isinstance(peers, PeerInbox):
        return  # messages are pushed to us on this network (AS4)
    try:
        with task_session() as session:
            waiting = status_exchange.waiting_messages(session, peers, settings)
        for message in waiting:
            content = peers.content(settings.pa_matricule, message.delivery_id)
            with task_session() as session:
                status_exchange.receive_status(session, message, content, settings=settings)
    except TransportUnavailable as exc:
        log.warning("the network between platforms is unreachable; tried again next minute: %s", exc)


@task("invoicing.shadow_check")
def shadow_check(invoice_id: str) -> None:
    """Validate a deposited invoice again with the official artefacts; a disagreement with the
    native rules is an incident, and the official verdict wins (see `services.invoicing.shadow`)."""
    with task_session() as session:
        shadow.check(session, invoice_id, settings=task_settings())
