"""The flow exchange with the PPF (DG §3.4): `ppf.exchange`, deferred by `queue_flow` and run every
minute, deposits the flows that are due and collects what the PPF left for us.

Each step commits on its own (`coursier.services.ppf_exchange`): a deposited flow is marked so in
the transaction that held it locked while it was put, and a collected file is removed from the
server only after what it brought is committed. An unreachable server ends the run quietly: the
next minute's run takes everything up again.
"""

import logging

from coursier.jobs.app import job_app, task, task_connectors, task_session, task_settings
from coursier.network.ppf_flows import FlowExchangeUnavailable
from coursier.services import ppf_exchange, ppf_handlers

log = logging.getLogger(__name__)


@job_app.periodic(cron="* * * * *")
@task(ppf_exchange.EXCHANGE_TASK, lock=ppf_exchange.EXCHANGE_LOCK)
def exchange(timestamp: int | None = None) -> None:
    """Seal what is due, deposit every sealed flow, collect every waiting file."""
    settings = task_settings()
    with task_session() as session:
        ppf_exchange.seal_due_flows(session, batch_seconds=settings.ppf_batch_seconds)
    try:
        with task_connectors().flows.open() as space:
            while True:
                with task_session() as session:
                    if ppf_exchange.deposit_next(session, space, flows_per_hour=settings.ppf_flows_per_hour) is None:
                        break
            for name in space.collectable():
                try:
                    with task_session() as session:
                        ppf_exchange.collect(
                            session,
                            name,
                            space.read(name),
                            flow_status_handlers=ppf_handlers.FLOW_STATUS_HANDLERS,
                            message_handlers=ppf_handlers.MESSAGE_HANDLERS,
                        )
                except FlowExchangeUnavailable:
                    raise
                except Exception:  # one file a handler cannot take must not hold back the others
                    log.exception("collected file %s: handling failed; it stays on the server", name)
                    continue
                space.remove(name)
    except FlowExchangeUnavailable as exc:
        log.warning("PPF exchange unavailable, tried again next minute: %s", exc)
    with task_session() as session:
        ppf_exchange.purge_collected(session)
