"""Mandate tasks: registering and closing their directory lines at the PPF (with retries), expiring them."""

import contextlib
import logging

import procrastinate

from coursier.db.mandates import Mandate, MandateRepository
from coursier.jobs.app import job_app, task, task_connectors, task_session, task_settings
from coursier.kit import clock
from coursier.kit.defer import defer
from coursier.kit.tenancy import TenantContext
from coursier.network.ppf import PPFConflict, PPFError, PPFNotFound, PPFUnavailable
from coursier.services import directory
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event

log = logging.getLogger(__name__)

# Waits of 2, 4, 8, 16, 32 s between attempts (with the default of 6 attempts: about a minute).
_PPF_RETRY = procrastinate.RetryStrategy(max_attempts=6, exponential_wait=2, retry_exceptions={PPFUnavailable})


def _ctx(mandate: Mandate) -> TenantContext:
    return TenantContext(sponsor_id=mandate.sponsor_id, client_id=mandate.client_id)


def _last_attempt(context: procrastinate.JobContext) -> bool:
    return context.job.attempts + 1 >= min(_PPF_RETRY.max_attempts, task_settings().ppf_retry_attempts)


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
            establishment = ppf.get_establishment(scope.siret).establishment if scope.siret else None
            if scope.routing_code:
                _declare_routing_code(ppf, mandate)
            line = _create_or_adopt_line(ppf, mandate, scope, settings.pa_matricule)
        except PPFUnavailable as exc:
            if not _last_attempt(context):
                raise
            _fail(session, mandate, f"The PPF could not be reached: {exc}", "ppf_unreachable")
            return
        except PPFNotFound:
            _fail(session, mandate, "The company or establishment is not in the register", "unknown_company")
            return
        except PPFConflict as exc:
            _fail(session, mandate, "This directory line is already served by another platform", exc.code)
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


def _create_or_adopt_line(ppf, mandate: Mandate, scope: DirectoryScope, platform_id: str):
    if mandate.ppf_line_id:
        return ppf.get_line(mandate.ppf_line_id)
    try:
        return ppf.create_line(
            siren=scope.siren,
            siret=scope.siret,
            routing_code=scope.routing_code,
            suffix=scope.suffix,
            platform_id=platform_id,
            effective_from=mandate.start_date,
            effective_to=directory.line_end(mandate.end_date),
        )
    except PPFConflict as exc:
        if exc.code != "line_exists" or not exc.line_id:
            raise
        # An earlier attempt created it but died before committing: the line is ours, take it.
        return ppf.get_line(exc.line_id)


def _declare_routing_code(ppf, mandate: Mandate) -> None:
    # Declared already (by us earlier, or by the company): the line can use it.
    with contextlib.suppress(PPFConflict):
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
    """Close the line of an ended mandate at the PPF (from its end date). Idempotent."""
    ppf = task_connectors().ppf
    with task_session() as session:
        mandate = MandateRepository(session).get_for_job(mandate_id)
        if mandate is None or mandate.ppf_line_id is None or mandate.status != "expired":
            return
        try:
            # Revoked: out of force from the day of revocation; expired: from the day after its end.
            line_end = mandate.revoked_at.date() if mandate.revoked_at else directory.line_end(mandate.end_date)
            line = ppf.close_line(mandate.ppf_line_id, line_end or clock.today())
        except PPFUnavailable as exc:
            if not _last_attempt(context):
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
            "addressable": False,
            "effective_to": line.effective_to.isoformat() if line.effective_to else None,
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
