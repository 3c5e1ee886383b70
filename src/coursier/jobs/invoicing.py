"""Routing sent invoices: delivery on this platform or to another PA, and the F1 queued to the PPF.

Exactly once. The routing job locks the outbound invoice and does nothing unless it is still
"Déposée"; the delivery and the 201 status commit in one transaction, so a worker killed midway
leaves nothing behind. Its job stays "doing" with the dead worker (procrastinate does not run it
again by itself): `maintenance.retry_stalled_jobs` puts such jobs back once their worker has
stopped beating, and they run again from the start.
"""

import logging

import procrastinate

from coursier.jobs.app import task, task_connectors, task_session, task_settings
from coursier.kit.defer import defer
from coursier.kit.errors import Unavailable
from coursier.model.lifecycle import InvoiceStatus
from coursier.services.invoicing import f1, routing

log = logging.getLogger(__name__)

# Waits of 2, 4, 8, 16, 32 s between attempts, as for the directory jobs.
_ROUTING_RETRY = procrastinate.RetryStrategy(max_attempts=6, exponential_wait=2, retry_exceptions={Unavailable})


def _last_attempt(context: procrastinate.JobContext) -> bool:
    return context.job.attempts + 1 >= min(_ROUTING_RETRY.max_attempts, task_settings().ppf_retry_attempts)


@task("invoicing.route", pass_context=True, retry=_ROUTING_RETRY)
def route_invoice(context: procrastinate.JobContext, invoice_id: str) -> None:
    """Deliver an accepted invoice to its recipient and mark it 201; then its F1. Idempotent."""
    settings, connectors = task_settings(), task_connectors()
    with task_session() as session:
        invoice = routing.invoice_to_route(session, invoice_id)
        if invoice is None:
            return
        try:
            routing.route(session, invoice, ppf=connectors.ppf, peers=connectors.peers, settings=settings)
        except Unavailable as exc:
            if not _last_attempt(context):
                raise
            routing.routing_failed(session, invoice, f"The recipient could not be reached: {exc}")
            return
        if invoice.status_code == InvoiceStatus.TRANSMITTED_BY_PLATFORM:
            defer(session, "invoicing.report_f1", invoice_id=invoice_id)


@task("invoicing.report_f1")
def report_f1(invoice_id: str) -> None:
    """Queue the invoice's regulated data (F1) to the PPF, once; `ppf.exchange` sends it. Idempotent."""
    with task_session() as session:
        invoice = f1.invoice_to_report(session, invoice_id)
        if invoice is not None:
            f1.report_f1(session, invoice, settings=task_settings())
