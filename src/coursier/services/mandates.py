"""Mandates: the client's consent that the platform receives for it on one directory line.

A mandate is `created` (or `pending_kyc` while its onboarding asks for identity checks) until it
is signed; signed, it is `processing` while a job registers its line at the PPF; then `active`.
Revoked or past its end date it is `expired` and a job closes the line. A registration the PPF
keeps refusing, or that cannot reach it within the retry budget, ends in `error` with the reason.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.documents import Document, DocumentRepository
from coursier.db.mandates import Mandate, MandateRepository
from coursier.kit import clock
from coursier.kit.defer import defer
from coursier.kit.errors import Conflict, InvalidInput, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.network.ppf import PPFAuthError, PPFUnavailable
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event

MAX_SIGNED_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass
class MandateRequest:
    siren: str
    suffix: str | None = None
    siret: str | None = None
    routing_code: str | None = None
    routing_code_label: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    # A PDF of the consent the sponsor collected itself; without it the client signs through onboarding.
    signed_document: bytes | None = None


def decode_signed_document(encoded: str) -> bytes:
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("file_attachment must be a base64-encoded PDF", code="invalid_attachment") from None
    if not content.startswith(b"%PDF-"):
        raise InvalidInput("file_attachment must be a PDF", code="invalid_attachment")
    if len(content) > MAX_SIGNED_DOCUMENT_BYTES:
        raise InvalidInput("file_attachment is larger than 10 MB", code="invalid_attachment")
    return content


def _scope_taken() -> Conflict:
    # The same answer whoever holds the line (a client of any sponsor here, or another PA).
    return Conflict("This directory line is already served by a platform", code="directory_line_taken")


def create_mandate(
    session: Session,
    ctx: TenantContext,
    request: MandateRequest,
    *,
    ppf,
    our_platform_id: str,
    initial_status: str = "created",
) -> Mandate:
    scope = DirectoryScope.parse(
        siren=request.siren, suffix=request.suffix, siret=request.siret, routing_code=request.routing_code
    )
    start = request.start_date or clock.today()
    if request.end_date is not None and request.end_date < start:
        raise InvalidInput("end_date is before start_date", code="invalid_date_range")
    repo = MandateRepository(session)
    if repo.live_holder(scope.key) is not None:
        raise _scope_taken()
    if ppf is not None and held_by_another_platform(ppf, scope, start, request.end_date, our_platform_id):
        raise _scope_taken()

    mandate = Mandate(
        id=new_id("mdt"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        status=initial_status,
        siren=scope.siren,
        suffix=scope.suffix,
        siret=scope.siret,
        routing_code=scope.routing_code,
        routing_code_label=request.routing_code_label,
        scope_key=scope.key,
        start_date=start,
        end_date=request.end_date,
    )
    try:
        with session.begin_nested():
            repo.add(mandate)
    except IntegrityError as exc:  # a concurrent mandate took the line first
        raise _scope_taken() from exc
    record_event(
        session,
        ctx,
        object_type="mandate",
        object_id=mandate.id,
        status_code="MandateLifecycleStatus.CREATED",
        details={"scope": scope.kind},
    )
    if request.signed_document is not None:
        mark_signed(session, ctx, mandate, request.signed_document, filename=f"mandate-{mandate.id}.pdf")
    return mandate


def held_by_another_platform(ppf, scope: DirectoryScope, start: date, end: date | None, our_platform_id: str) -> bool:
    """Whether a line on this exact addressing key, of another PA, overlaps [start, end].

    When the PPF cannot be reached (or refuses our credentials) the answer is "no" here: the
    registration job asks again and ends the mandate in `error` if the line turns out to be taken.
    """

    try:
        lines = ppf.search_lines(
            siren=scope.siren, siret=scope.siret, routing_code=scope.routing_code, suffix=scope.suffix
        )
    except (PPFUnavailable, PPFAuthError):
        return False
    for line in lines:
        if (
            DirectoryScope(siren=line.siren, suffix=line.suffix, siret=line.siret, routing_code=line.routing_code).key
            != scope.key
        ):
            continue
        if line.platform_id == our_platform_id:
            continue
        # Line ends are exclusive, mandate ends inclusive.
        if line.effective_from <= (end or date.max) and (line.effective_to is None or start < line.effective_to):
            return True
    return False


def mark_signed(session: Session, ctx: TenantContext, mandate: Mandate, signed_pdf: bytes, *, filename: str) -> None:
    """Keep the signed document and start the registration of the line."""

    if mandate.status not in ("created", "pending_kyc"):
        raise Conflict(
            f"Mandate {mandate.id} is {mandate.status}; only an unsigned mandate can be signed",
            code="mandate_not_signable",
        )
    document = DocumentRepository(session).store(
        ctx.for_client(mandate.client_id),
        kind="mandate_signed",
        media_type="application/pdf",
        filename=filename,
        content=signed_pdf,
    )
    mandate.signed_document_id = document.id
    mandate.status = "processing"
    session.flush()
    defer(session, "mandates.register_line", mandate_id=mandate.id)


def list_mandates_query(ctx: TenantContext, *, status: str | None = None) -> Select[tuple[Mandate]]:
    stmt = MandateRepository.readable(ctx)
    if status is not None:
        stmt = stmt.where(Mandate.status == status)
    return stmt


def get_mandate(session: Session, ctx: TenantContext, mandate_id: str, *, for_update: bool = False) -> Mandate:
    return MandateRepository(session).get_or_404(ctx, mandate_id, for_update=for_update)


def signed_document(session: Session, ctx: TenantContext, mandate_id: str) -> Document:
    mandate = get_mandate(session, ctx, mandate_id)
    document = DocumentRepository(session).get(ctx, mandate.signed_document_id) if mandate.signed_document_id else None
    if document is None:
        raise NotFound("This mandate has no signed document yet", code="mandate_not_signed")
    return document


def revoke_mandate(session: Session, ctx: TenantContext, mandate_id: str) -> Mandate:
    """End the mandate now; its directory line is closed by a job. The record and its evidence stay."""

    mandate = get_mandate(session, ctx, mandate_id, for_update=True)
    if mandate.status in ("expired", "error") and mandate.revoked_at is not None:
        return mandate  # revoking twice changes nothing
    had_line = mandate.ppf_line_id is not None
    mandate.status = "expired"
    mandate.revoked_at = clock.now()
    mandate.end_date = min(mandate.end_date or clock.today(), clock.today())
    session.flush()
    record_event(
        session,
        ctx.for_client(mandate.client_id),
        object_type="mandate",
        object_id=mandate.id,
        status_code="MandateLifecycleStatus.REVOKED",
    )
    if had_line:
        defer(session, "mandates.close_line", mandate_id=mandate.id)
    return mandate
