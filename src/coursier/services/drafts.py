"""Drafts: invoices written in the JSON invoice model, checked at every change, then finalized.

A draft stays `draft` while its sponsor fills it in (any number of full replacements). Finalizing
checks it, gives it the next number of the client's series, freezes it (`finalized`: no change,
no deletion any more), and produces the invoice in the chosen format as a stored document, which
is sent at once or kept ready for `send_draft`.

Numbering is gap-free per client and series: `next_in_sequence` locks the series row until the
request's transaction ends, so concurrent finalizations of one client queue on it, and one that
fails after taking its number (rendering, sending) rolls back and gives the number back.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.documents import Document, DocumentRepository
from coursier.db.invoices import Draft, DraftRepository, InvoiceRepository, next_in_sequence
from coursier.db.invoices import Invoice as SentInvoice
from coursier.formats import cii, facturx, ubl
from coursier.formats.facturx import FacturXError
from coursier.kit import clock
from coursier.kit.errors import Conflict, NotFound, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice
from coursier.model.lifecycle import REFUSAL_STATUSES
from coursier.services import usage
from coursier.services.draft_report import VALIDATION_PROFILE, Assessment, assess, json_path
from coursier.services.invoices import deposit
from coursier.services.numbering import render_number, series_of
from coursier.services.settings import get_client_settings

DRAFT, FINALIZED = "draft", "finalized"
OutputFormat = Literal["facturx", "cii", "ubl"]
OUTPUT_FORMATS: tuple[str, ...] = get_args(OutputFormat)
_DOCUMENT_KIND_PREFIX = "draft_"
_MEDIA_TYPES = {"facturx": "application/pdf", "cii": "application/xml", "ubl": "application/xml"}
_EXTENSIONS = {"facturx": "pdf", "cii": "cii.xml", "ubl": "ubl.xml"}

# Text that can be neither stored (PostgreSQL refuses NUL and lone surrogates in JSON) nor
# written into an invoice (XML 1.0 refuses control characters).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Finalized:
    draft: Draft
    output_format: str
    invoice: SentInvoice | None  # what sending it gave: accepted, or refused with the reason


def create_draft(session: Session, ctx: TenantContext, data: dict[str, Any]) -> Draft:
    _require_writable(data)
    draft = Draft(id=new_id("drf"), sponsor_id=ctx.sponsor_id, client_id=ctx.client_id, status=DRAFT, data=data)
    session.add(draft)
    session.flush()
    return draft


def get_draft(session: Session, ctx: TenantContext, draft_id: str, *, for_update: bool = False) -> Draft:
    draft = DraftRepository(session).get(ctx, draft_id, for_update=for_update)
    if draft is None:
        raise NotFound(f"No draft {draft_id}", code="draft_not_found")
    return draft


def replace_draft(session: Session, ctx: TenantContext, draft_id: str, data: dict[str, Any]) -> Draft:
    _require_writable(data)
    draft = _editable(session, ctx, draft_id)
    draft.data = data
    session.flush()
    return draft


def delete_draft(session: Session, ctx: TenantContext, draft_id: str) -> None:
    session.delete(_editable(session, ctx, draft_id))
    session.flush()


def list_drafts_query(ctx: TenantContext, *, status: str | None = None) -> Select[tuple[Draft]]:
    stmt = DraftRepository.readable(ctx)
    return stmt if status is None else stmt.where(Draft.status == status)


def report_on(session: Session, ctx: TenantContext, data: dict[str, Any]) -> Assessment:
    """The report on draft data, stored or not, numbered as the client numbers its invoices."""
    _require_writable(data)
    return assess(data, number_pattern=get_client_settings(session, ctx).invoice_number_pattern)


def finalize_draft(
    session: Session,
    ctx: TenantContext,
    draft_id: str,
    *,
    output_format: str,
    send: bool,
    language: str | None,
    ppf,
    settings,
) -> Finalized:
    draft = _editable(session, ctx, draft_id)
    client_settings = get_client_settings(session, ctx)
    pattern = client_settings.invoice_number_pattern
    assessment = assess(draft.data, number_pattern=pattern)
    if not assessment.report.valid:
        raise Unprocessable(
            "The draft has errors; fix them before finalizing",
            code="draft_invalid",
            extra={"report": assessment.report.model_dump(mode="json")},
        )
    invoice = assessment.invoice
    # Taken as late as possible: the series stays locked from here until the transaction ends.
    sequence = next_in_sequence(session, draft.client_id, series_of(pattern, invoice.issue_date))
    number = render_number(pattern, sequence=sequence, issue_date=invoice.issue_date)
    content = _produce(
        invoice.model_copy(update={"number": number}), output_format, language or client_settings.language
    )
    document = DocumentRepository(session).store(
        ctx,
        kind=_DOCUMENT_KIND_PREFIX + output_format,
        media_type=_MEDIA_TYPES[output_format],
        filename=f"{number.replace('/', '_')}.{_EXTENSIONS[output_format]}",
        content=content,
    )
    draft.status, draft.number, draft.document_id = FINALIZED, number, document.id
    draft.finalized_at = clock.now()
    usage.count(session, ctx, "drafts_finalized")
    session.flush()
    sent = _deposit(session, ctx, draft, document, ppf=ppf, settings=settings) if send else None
    return Finalized(draft, output_format, sent)


def send_draft(session: Session, ctx: TenantContext, draft_id: str, *, ppf, settings) -> Finalized:
    """Send a finalized draft kept ready, or send again one whose last sending was refused (say, a
    buyer not yet in the directory): a refused invoice does not count as issued."""
    draft = get_draft(session, ctx, draft_id, for_update=True)
    if draft.status != FINALIZED:
        raise Conflict("Finalize the draft before sending it", code="draft_not_finalized")
    previous = InvoiceRepository(session).get(ctx, draft.invoice_id) if draft.invoice_id else None
    if previous is not None and previous.status_code not in REFUSAL_STATUSES:
        raise Conflict(f"This draft was already sent as invoice {draft.invoice_id}", code="draft_already_sent")
    document = finalized_document(session, ctx, draft)
    return Finalized(
        draft, _output_format_of(document.kind), _deposit(session, ctx, draft, document, ppf=ppf, settings=settings)
    )


def finalized_document(session: Session, ctx: TenantContext, draft: Draft) -> Document:
    document = DocumentRepository(session).get(ctx, draft.document_id) if draft.document_id else None
    if document is None:
        raise NotFound("This draft has no document until it is finalized", code="draft_not_finalized")
    return document


def output_formats(session: Session, ctx: TenantContext, drafts: list[Draft]) -> dict[str, str]:
    """Draft id -> output format of its document, for the finalized ones among `drafts` (one query)."""
    by_document = {draft.document_id: draft.id for draft in drafts if draft.document_id}
    if not by_document:
        return {}
    rows = session.execute(
        select(Document.id, Document.kind).where(Document.sponsor_id == ctx.sponsor_id, Document.id.in_(by_document))
    )
    return {by_document[document_id]: _output_format_of(kind) for document_id, kind in rows}


def _output_format_of(document_kind: str) -> str:
    return document_kind.removeprefix(_DOCUMENT_KIND_PREFIX)


def _editable(session: Session, ctx: TenantContext, draft_id: str) -> Draft:
    # Locked, so a change racing a finalization waits for it and then sees the draft frozen.
    draft = get_draft(session, ctx, draft_id, for_update=True)
    if draft.status != DRAFT:
        raise Conflict(
            f"Draft {draft_id} is finalized (number {draft.number}) and can no longer change", code="draft_finalized"
        )
    return draft


def _produce(invoice: Invoice, output_format: str, language: str) -> bytes:
    if output_format == "cii":
        return cii.write(invoice, profile=VALIDATION_PROFILE).xml
    if output_format == "ubl":
        return ubl.write(invoice).xml
    try:
        return facturx.to_pdf(invoice, language=language, profile=VALIDATION_PROFILE)
    except FacturXError as exc:
        raise Unprocessable(
            f"The Factur-X document could not be made: {exc.message}", code="draft_not_facturx"
        ) from exc


def _deposit(session: Session, ctx: TenantContext, draft: Draft, document: Document, *, ppf, settings) -> SentInvoice:
    invoice = deposit(
        session,
        ctx,
        content=document.content,
        filename=document.filename,
        ppf=ppf,
        settings=settings,
        draft_id=draft.id,
    )
    draft.invoice_id = invoice.id
    session.flush()
    return invoice


def _require_writable(data: dict[str, Any]) -> None:
    """Refuse text with characters no invoice can carry, naming where they are."""
    bad: list[str] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str) and _UNWRITABLE.search(value):
            bad.append(json_path(loc) or "(root)")
        elif isinstance(value, dict):
            bad.extend(json_path((*loc, key)) for key in value if _UNWRITABLE.search(key))
            stack.extend(((*loc, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
    if bad:
        raise Unprocessable(
            "Control characters and unpaired surrogates cannot go into an invoice: " + ", ".join(sorted(bad)),
            code="invalid_characters",
            extra={"paths": sorted(bad)},
        )
