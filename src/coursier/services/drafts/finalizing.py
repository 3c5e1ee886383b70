"""Finalizing a draft: checked, numbered, frozen, produced in the chosen format, and sent.

Finalizing checks the draft (and, to send it, that the directory knows its buyer: a draft the
deposit would refuse as DEST_INC takes no number), gives it the next number of the client's series, freezes it
(`finalized`: no change, no deletion any more), and produces the invoice in the chosen format as a
stored document, which is sent at once (deposited as any uploaded file) or kept ready for
`send_draft`.

Numbering is gap-free per client and series: `next_in_sequence` locks the series row until the
request's transaction ends, so concurrent finalizations of one client queue on it, and one that
fails after taking its number (rendering, sending) rolls back and gives the number back.
"""

from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.documents import Document, DocumentRepository
from coursier.db.drafts import Draft, DraftRepository
from coursier.db.invoices import Invoice as SentInvoice
from coursier.db.invoices import InvoiceRepository
from coursier.db.numbering import next_in_sequence
from coursier.formats import cii, facturx, ubl
from coursier.formats.facturx import FacturXError
from coursier.kit import clock, cpu
from coursier.kit.errors import Conflict, NotFound, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice
from coursier.model.lifecycle import REFUSAL_STATUSES
from coursier.network.ppf import PPF
from coursier.services import usage
from coursier.services.drafts.editing import FINALIZED, editable, get_draft
from coursier.services.drafts.numbering import render_number, series_of
from coursier.services.drafts.recipient import require_known_recipient
from coursier.services.drafts.report import VALIDATION_PROFILE, assess
from coursier.services.invoicing.deposit import deposit
from coursier.services.settings import get_client_settings

OutputFormat = Literal["facturx", "cii", "ubl"]
OUTPUT_FORMATS: tuple[str, ...] = get_args(OutputFormat)
_DOCUMENT_KIND_PREFIX = "draft_"
_MEDIA_TYPES = {"facturx": "application/pdf", "cii": "application/xml", "ubl": "application/xml"}
_EXTENSIONS = {"facturx": "pdf", "cii": "cii.xml", "ubl": "ubl.xml"}


@dataclass(frozen=True)
class Finalized:
    draft: Draft
    output_format: str
    invoice: SentInvoice | None  # what sending it gave: accepted, or refused with the reason


def finalize_draft(
    session: Session,
    ctx: TenantContext,
    draft_id: str,
    *,
    output_format: str,
    send: bool,
    language: str | None,
    ppf: PPF,
    settings: Settings,
) -> Finalized:
    draft = editable(session, ctx, draft_id)
    client_settings = get_client_settings(session, ctx)
    pattern = client_settings.invoice_number_pattern
    assessment = cpu.run(assess, draft.data, number_pattern=pattern)
    if not assessment.report.valid:
        raise Unprocessable(
            "The draft has errors; fix them before finalizing",
            code="draft_invalid",
            extra={"report": assessment.report.model_dump(mode="json")},
        )
    invoice = assessment.invoice
    if send:
        require_known_recipient(session, ppf, invoice, settings)
    # Taken as late as possible: the series stays locked from here until the transaction ends.
    sequence = next_in_sequence(session, draft.client_id, series_of(pattern, invoice.issue_date))
    number = render_number(pattern, sequence=sequence, issue_date=invoice.issue_date)
    content = cpu.run(
        _produce, invoice.model_copy(update={"number": number}), output_format, language or client_settings.language
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


def send_draft(session: Session, ctx: TenantContext, draft_id: str, *, ppf: PPF, settings: Settings) -> Finalized:
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
    kinds = DraftRepository(session).document_kinds(ctx, drafts)
    return {draft_id: _output_format_of(kind) for draft_id, kind in kinds.items()}


def _output_format_of(document_kind: str) -> str:
    return document_kind.removeprefix(_DOCUMENT_KIND_PREFIX)


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


def _deposit(
    session: Session, ctx: TenantContext, draft: Draft, document: Document, *, ppf: PPF, settings: Settings
) -> SentInvoice:
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
