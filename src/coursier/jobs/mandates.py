"""Mandate tasks: registering and closing their directory lines at the PPF (with retries), expiring them.

A line starts and ends `COURSIER_PPF_LINE_NOTICE_DAYS` ahead at the earliest (annex 7 G1.87,
G1.88: J+1): a mandate starting today gets a line from tomorrow; one revoked today keeps its line
until tomorrow, or has it masked if the line had not begun (G1.85, DG §3.5.5.5 note 85).
"""

import logging
from datetime import date, timedelta

import procrastinate

from coursier.db.mandates import Mandate, MandateRepository
from coursier.jobs.app import (
    job_app,
    last_network_attempt,
    network_retry,
    task,
    task_connectors,
    task_session,
    task_settings,
)
from coursier.kit import clock
from coursier.kit.defer import defer
from coursier.kit.tenancy import TenantContext
from coursier.network.ppf import PPFError, PPFNotFound, PPFRejected, PPFUnavailable
from coursier.services import directory
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event

log = logging.getLogger(__name__)

_PPF_RETRY = network_retry(PPFUnavailable)


def _ctx(mandate: Mandate) -> TenantContext:
    return TenantContext(sponsor_id=mandate.sponsor_id, client_id=mandate.client_id)


def _earliest(notice_days: int) -> date:
    """The first day a line may start or end (annex 7 G1.87, G1.88)."""
    return clock.today() + timedelta(days=notice_days)


@task("mandates.register_line", pass_context=True, retry=_PPF_RETRY)
def register_line(context: procrastinate.JobContext, mandate_id: str) -> None:
    """Create the mandate's line at the PPF and activate the mandate. Idempotent."""
    settings = task_settings()
    ppf = task_connectors().ppf
    with task_session() as session:
        mandate = MandateRepository(session).get_for_job(mandate_id)
        if mandate is None or mandate.status != "processing":
            return  # revoked meanwhile, or already done by an earlier attempt
        scope = DirectoryScope(
            siren=mandate.siren, suffix=mandate.suffix, siret=mandate.siret, routing_code=mandate.routing_code
        )
        try:
            company = ppf.get_company(scope.siren)
            establishment = ppf.get_establishment(scope.siret) if scope.siret else None
            if scope.routing_code:
                _declare_routing_code(ppf, mandate)
            start = max(mandate.start_date, _earliest(settings.ppf_line_notice_days))
            line = _create_or_adopt_line(ppf, mandate, scope, settings.pa_matricule, start)
        except PPFUnavailable as exc:
            if not last_network_attempt(context):
                raise
            _fail(session, mandate, f"The PPF could not be reached: {exc}", "ppf_unreachable")
            return
        except PPFNotFound:
            _fail(session, mandate, "The company or establishment is not in the register", "unknown_company")
            return
        except PPFRejected as exc:
            if exc.rule == "G1.86":  # another line of the level overlaps: no one else's
                _fail(session, mandate, "This directory line is already served by another platform", "G1.86")
            else:
                _fail(session, mandate, f"The PPF refused the line: {exc}", exc.rule or exc.code or "ppf_refused")
            return
        except PPFError as exc:
            _fail(session, mandate, f"The PPF refused the line: {exc}", getattr(exc, "code", "ppf_refused"))
            return
        mandate.ppf_line_id = line.line_id
        mandate.directory_entry = directory.entry_fields(
            line, company.legal_name, establishment, routing_code_label=mandate.routing_code_label
        )
        mandate.status = "active"
        mandate.status_reason = None
        mandate.activated_at = clock.now()
        directory.invalidate(session, mandate.siren)
        ctx = _ctx(mandate)
        record_event(
            session,
            ctx,
            object_type="directory_entry",
            object_id=line.line_id,
            status_code="DirectoryEntryStatus.ACCEPTED",
            details={"mandate_id": mandate.id},
        )
        record_event(
            session, ctx, object_type="mandate", object_id=mandate.id, status_code="MandateLifecycleStatus.ACTIVE"
        )
        if task_connectors().smp is not None:  # the line's participant, for the other platforms to find
            defer(session, "network.publish_participant", mandate_id=mandate.id)


def _create_or_adopt_line(ppf, mandate: Mandate, scope: DirectoryScope, platform_id: str, start: date):
    if mandate.ppf_line_id:
        return ppf.get_line(mandate.ppf_line_id)
    end = directory.line_end(mandate.end_date)
    # An earlier attempt may have created it and died before committing: our line on the level
    # over the period is this mandate's (no other mandate here holds the level, `live_holder`).
    for line in ppf.search_lines(
        siren=scope.siren,
        siret=scope.siret,
        routing_code=scope.routing_code,
        suffix=scope.suffix,
        platform_id=platform_id,
    ):
        if line.address == scope.electronic_address and (line.effective_to is None or line.effective_to > start):
            return line
    return ppf.create_line(
        siren=scope.siren,
        siret=scope.siret,
        routing_code=scope.routing_code,
        suffix=scope.suffix,
        platform_id=platform_id,
        effective_from=start,
        effective_to=end,
    )


def _declare_routing_code(ppf, mandate: Mandate) -> None:
    # Declared already (by us earlier, or by the company): the line can use it.
    try:
        ppf.get_routing_code(mandate.siret, mandate.routing_code)
    except PPFNotFound:
        ppf.declare_routing_code(
            siret=mandate.siret,
            routing_code=mandate.routing_code,
            label=mandate.routing_code_label or mandate.routing_code,
            legal_commitment_management=False,
        )


def _fail(session, mandate: Mandate, reason: str, code: str) -> None:
    log.warning("mandate %s: registration failed: %s", mandate.id, reason)
    mandate.status = "error"
    mandate.status_reason = reason
    ctx = _ctx(mandate)
    record_event(
        session,
        ctx,
        object_type="directory_entry",
        object_id=mandate.id,
        status_code="DirectoryEntryStatus.REJECTED",
        reason=reason,
        rejection_reason=code[:40],
    )
    record_event(
        session,
        ctx,
        object_type="mandate",
        object_id=mandate.id,
        status_code="MandateLifecycleStatus.ERROR",
        reason=reason,
    )


@task("mandates.close_line", pass_context=True, retry=_PPF_RETRY)
def close_line(context: procrastinate.JobContext, mandate_id: str) -> None:
    """End the line of an ended mandate at the PPF, or mask it if it has not begun. Idempotent."""
    ppf = task_connectors().ppf
    earliest = _earliest(task_settings().ppf_line_notice_days)
    with task_session() as session:
        mandate = MandateRepository(session).get_for_job(mandate_id)
        if mandate is None or mandate.ppf_line_id is None or mandate.status != "expired":
            return
        # Revoked: out of force from the day of revocation; expired: from the day after its end.
        wanted = clock.paris_date(mandate.revoked_at) if mandate.revoked_at else directory.line_end(mandate.end_date)
        try:
            ended = directory.withdraw_line(ppf, mandate.ppf_line_id, wanted, earliest)
        except PPFUnavailable as exc:
            if not last_network_attempt(context):
                raise
            mandate.status_reason = f"The directory line could not be closed yet: {exc}"
            record_event(
                session,
                _ctx(mandate),
                object_type="directory_entry",
                object_id=mandate.ppf_line_id,
                status_code="DirectoryEntryStatus.REJECTED",
                reason=mandate.status_reason,
            )
            return
        mandate.directory_entry = {
            **(mandate.directory_entry or {}),
            "addressable": ended is not None and ended.in_force(clock.today()),
            "effective_to": ended.effective_to.isoformat() if ended and ended.effective_to else None,
        }
        mandate.status_reason = None
        directory.invalidate(session, mandate.siren)
        record_event(
            session,
            _ctx(mandate),
            object_type="directory_entry",
            object_id=mandate.ppf_line_id,
            status_code="DirectoryEntryStatus.CLOSED",
            details={"mandate_id": mandate.id},
        )
        if task_connectors().smp is not None:
            defer(session, "network.withdraw_participant", mandate_id=mandate.id)


@job_app.periodic(cron="5 0 * * *")
@task("mandates.expire", queueing_lock="expire_mandates")
def expire(timestamp: int) -> int:
    """Mandates past their end date expire; their lines are closed by `close_line`."""
    with task_session() as session:
        ended = MandateRepository(session).lock_active_ended_before(clock.today())
        for mandate in ended:
            mandate.status = "expired"
            record_event(
                session,
                _ctx(mandate),
                object_type="mandate",
                object_id=mandate.id,
                status_code="MandateLifecycleStatus.EXPIRED",
            )
            defer(session, "mandates.close_line", mandate_id=mandate.id)
        return len(ended)
