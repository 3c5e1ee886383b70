"""Invoice drafts: create, validate, finalize (`/api/drafts`)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from coursier.api.deps import PPF, ClientCtx, DbSession, Settings
from coursier.api.documentation import INVOICE_MODEL
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.drafts import Draft
from coursier.services.drafts import editing, finalizing
from coursier.services.drafts.report import DraftReport
from coursier.services.invoicing.statuses import seqino_status

router = Router(prefix="/drafts", tags=["Drafts"])

DraftStatus = Literal["draft", "finalized"]
# Taken as any object, so that a draft that does not fit the model yet is stored and reported
# (`report.structure`), but published as the model, for clients to generate code from.
DraftData = Annotated[
    dict[str, Any],
    WithJsonSchema(
        INVOICE_MODEL
        | {
            "description": "The invoice in the JSON invoice model (fields named after EN 16931 terms); partial "
            "data is accepted and reported on. The number (BT-1) is assigned at finalization."
        }
    ),
]
InvoiceData = Annotated[DraftData, Body()]


class DraftOut(BaseModel):
    draft_id: str
    client_id: str
    status: DraftStatus
    number: str | None = Field(description="BT-1, assigned at finalization")
    output_format: finalizing.OutputFormat | None = Field(description="Format of the finalized document")
    document_url: str | None = Field(description="Where to download the finalized document")
    invoice_id: str | None = Field(description="The sent invoice, once sent")
    invoice_data: DraftData
    report: DraftReport | None = Field(description="Issues and computed amounts; not given in lists")
    created_at: datetime
    updated_at: datetime | None
    finalized_at: datetime | None


class ValidateDataIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_data: DraftData


class FinalizeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output_format: finalizing.OutputFormat = Field(
        default="facturx", description="facturx: Factur-X EN 16931 PDF with its readable page; cii, ubl: XML"
    )
    send: bool = Field(
        default=True,
        description="Send at once (refused, 422 recipient_unknown, while no directory line covers the buyer); "
        "false keeps the document ready for /send",
    )
    language: Literal["fr", "en"] | None = Field(
        default=None, description="Language of the readable page; default the client's setting"
    )


class FinalizedOut(BaseModel):
    draft_id: str
    status: DraftStatus
    number: str
    invoice_id: str | None
    output_format: finalizing.OutputFormat
    document_url: str
    invoice_status: Literal["validated", "processed", "rejected"] | None = Field(
        description="The sent invoice's status, as /api/invoicing gives it"
    )
    rejection_reason: str | None = Field(description="Why sending was refused (DEST_INC...); /send tries again")
    rejection_message: str | None


def _document_url(draft: Draft) -> str | None:
    return f"/api/drafts/{draft.id}/document" if draft.document_id else None


def draft_out(draft: Draft, output_format: str | None, report: DraftReport | None) -> DraftOut:
    return DraftOut(
        draft_id=draft.id,
        client_id=draft.client_id,
        status=draft.status,
        number=draft.number,
        output_format=output_format,
        document_url=_document_url(draft),
        invoice_id=draft.invoice_id,
        invoice_data=draft.data,
        report=report,
        created_at=draft.created_at,
        updated_at=draft.updated_at,
        finalized_at=draft.finalized_at,
    )


def _with_report(session, ctx, draft: Draft, ppf, settings) -> DraftOut:
    report = editing.report_on(session, ctx, draft.data, ppf=ppf, settings=settings).report
    return draft_out(draft, finalizing.output_formats(session, ctx, [draft]).get(draft.id), report)


def finalized_out(finalized: finalizing.Finalized) -> FinalizedOut:
    draft, invoice = finalized.draft, finalized.invoice
    return FinalizedOut(
        draft_id=draft.id,
        status=draft.status,
        number=draft.number,
        invoice_id=draft.invoice_id,
        output_format=finalized.output_format,
        document_url=_document_url(draft),
        invoice_status=seqino_status(invoice.status_code) if invoice else None,
        rejection_reason=invoice.rejection_reason if invoice else None,
        rejection_message=invoice.rejection_message if invoice else None,
    )


@router.post("", status_code=201, response_model=DraftOut, summary="Create a draft")
def create_draft(data: InvoiceData, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings) -> DraftOut:
    return _with_report(session, ctx, editing.create_draft(session, ctx, data), ppf, settings)


@router.post("/validate-data", response_model=DraftReport, summary="Check invoice data without storing it")
def validate_data(
    body: ValidateDataIn, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings
) -> DraftReport:
    return editing.report_on(session, ctx, body.invoice_data, ppf=ppf, settings=settings).report


@router.get("", response_model=list[DraftOut], summary="List the client's drafts")
def list_drafts(
    ctx: ClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    status: Annotated[DraftStatus | None, Query()] = None,
) -> list[DraftOut]:
    drafts = paginate(session, editing.list_drafts_query(ctx, status=status), Draft, page, request, response)
    formats = finalizing.output_formats(session, ctx, drafts)
    return [draft_out(draft, formats.get(draft.id), None) for draft in drafts]


@router.get("/{draft_id}", response_model=DraftOut, summary="Get a draft and its current report")
def get_draft(draft_id: str, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings) -> DraftOut:
    return _with_report(session, ctx, editing.get_draft(session, ctx, draft_id), ppf, settings)


@router.put("/{draft_id}", response_model=DraftOut, summary="Replace a draft's data")
def replace_draft(
    draft_id: str, data: InvoiceData, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings
) -> DraftOut:
    return _with_report(session, ctx, editing.replace_draft(session, ctx, draft_id, data), ppf, settings)


@router.delete("/{draft_id}", status_code=204, response_class=Response, summary="Delete a draft")
def delete_draft(draft_id: str, ctx: ClientCtx, session: DbSession) -> Response:
    editing.delete_draft(session, ctx, draft_id)
    return Response(status_code=204)


@router.post(
    "/{draft_id}/validate",
    response_model=FinalizedOut,
    summary="Finalize a draft (and send it)",
    responses={
        422: {
            "description": "The draft has errors (`draft_invalid`: the problem document carries its `report`), "
            "or, to send it, no directory line covers its buyer (`recipient_unknown`: nothing is numbered)"
        }
    },
)
def finalize_draft(
    draft_id: str,
    ctx: ClientCtx,
    session: DbSession,
    ppf: PPF,
    settings: Settings,
    body: FinalizeIn | None = None,
) -> FinalizedOut:
    """Checks the draft, assigns its number from the client's pattern, freezes it and produces the
    document; sends it unless `send` is false. A sending the platform refuses (`invoice_status`
    rejected, with its reason) leaves the draft finalized: `/send` tries again with the same number."""
    body = body or FinalizeIn()
    return finalized_out(
        finalizing.finalize_draft(
            session,
            ctx,
            draft_id,
            output_format=body.output_format,
            send=body.send,
            language=body.language,
            ppf=ppf,
            settings=settings,
        )
    )


@router.post("/{draft_id}/send", response_model=FinalizedOut, summary="Send a finalized draft kept ready")
def send_draft(draft_id: str, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings) -> FinalizedOut:
    return finalized_out(finalizing.send_draft(session, ctx, draft_id, ppf=ppf, settings=settings))


@router.get(
    "/{draft_id}/document",
    summary="Download the finalized document",
    responses={200: {"content": {"application/pdf": {}, "application/xml": {}}}},
)
def get_draft_document(draft_id: str, ctx: ClientCtx, session: DbSession) -> Response:
    document = finalizing.finalized_document(session, ctx, editing.get_draft(session, ctx, draft_id))
    return Response(
        document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "Digest": f"sha-256={document.sha256}",
        },
    )
