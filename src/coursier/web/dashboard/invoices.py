"""Invoices, sent and received: the filtered list, an upload for a client, one invoice with its
statuses, validation report and downloads in every format.

The lifecycle actions an invoice allows (statuses 204 to 228) are not offered yet: the invoice
page has an empty `lifecycle_actions` block for them.
"""

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from coursier.db.invoices import INBOUND, OUTBOUND, Invoice
from coursier.kit.errors import InvalidInput
from coursier.model.lifecycle import REASONS, InvoiceStatus
from coursier.services import clients as client_service
from coursier.services.invoicing import deposit, reading, statuses
from coursier.services.invoicing.checks import MAX_INVOICE_BYTES
from coursier.services.invoicing.downloads import download
from coursier.services.settings import get_client_settings
from coursier.web.dashboard.common import (
    PREFIX,
    DashboardRoute,
    Db,
    Looking,
    Posting,
    TextField,
    attachment,
    day_param,
    listing,
    page,
    to,
    wants_fragment,
)

router = APIRouter(prefix=PREFIX + "/invoices", route_class=DashboardRoute)

DIRECTIONS = (OUTBOUND, INBOUND)
STATUS_GROUPS = ("validated", "processed", "rejected")
DOWNLOAD_FORMATS = ("original", "pdf", "facturx", "cii", "ubl")
# As the API: a file up to twice the limit is refused as an invoice, a bigger request not read.
MAX_REQUEST_BYTES = 2 * MAX_INVOICE_BYTES


@router.get("")
def list_invoices(
    request: Request,
    session: Db,
    viewer: Looking,
    direction: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    counterparty: str = "",
    number: str = "",
    client: str = "",
    cursor: str | None = None,
) -> Response:
    ctx = viewer.ctx
    chosen_client = client_service.get_client(session, ctx, client) if client else None
    if chosen_client is not None:
        ctx = ctx.for_client(chosen_client.id)
    filters = reading.InvoiceFilters(
        direction=direction if direction in DIRECTIONS else None,
        status=status if status in STATUS_GROUPS or status.isdigit() else None,
        date_from=day_param(date_from),
        date_to=day_param(date_to),
        counterparty=counterparty[:300] or None,
        number=number[:200] or None,
    )
    invoices = listing(session, reading.list_invoices_query(session, ctx, filters), Invoice, cursor)
    filtered = any((direction, status, date_from, date_to, counterparty, number, client))
    return page(
        request,
        viewer,
        "invoices/rows.html.j2" if wants_fragment(request) else "invoices/list.html.j2",
        section="invoices",
        invoices=invoices,
        filtered=filtered,
        form={
            "direction": direction,
            "status": status,
            "date_from": date_from,
            "date_to": date_to,
            "counterparty": counterparty,
            "number": number,
            "client": client,
        },
        chosen_client=chosen_client,
        directions=DIRECTIONS,
        status_groups=STATUS_GROUPS,
        status_codes=list(InvoiceStatus),
        seqino_status=statuses.seqino_status,
    )


@router.post("", max_body_size=MAX_REQUEST_BYTES)
def upload_invoice(
    request: Request,
    session: Db,
    viewer: Posting,
    file: Annotated[UploadFile, File()],
    client_id: TextField = "",
) -> Response:
    """The client, as the seller, sends an invoice file: checked and kept as the API does it."""
    client = client_service.get_client(session, viewer.ctx, client_id)
    content = file.file.read(MAX_INVOICE_BYTES + 1)
    if not content and not file.filename:
        raise InvalidInput("Choose the invoice file to send", code="file_missing")
    invoice = deposit.deposit(
        session,
        viewer.ctx.for_client(client.id),
        content=content,
        filename=file.filename or "invoice",
        ppf=request.app.state.runtime.ppf(),
        settings=request.app.state.settings,
        file_size=file.size if file.size and file.size > len(content) else None,
    )
    return to(f"/invoices/{invoice.id}")


@router.get("/{invoice_id}")
def invoice_page(request: Request, session: Db, viewer: Looking, invoice_id: str) -> Response:
    invoice = reading.get_invoice(session, viewer.ctx, invoice_id)
    validation = invoice.validation or {}
    return page(
        request,
        viewer,
        "invoices/detail.html.j2",
        section="invoices",
        invoice=invoice,
        client=client_service.get_client(session, viewer.ctx, invoice.client_id),
        history=reading.history(session, viewer.ctx, invoice),
        errors=validation.get("errors", []),
        warnings=validation.get("warnings", []),
        report=validation.get("report"),
        formats=DOWNLOAD_FORMATS,
        seqino_status=statuses.seqino_status,
        reasons=REASONS,
    )


@router.get("/{invoice_id}/download")
def download_invoice(session: Db, viewer: Looking, invoice_id: str, format: str = "original") -> Response:
    if format not in DOWNLOAD_FORMATS:
        raise InvalidInput(f"format is one of {', '.join(DOWNLOAD_FORMATS)}", code="invalid_format")
    invoice = reading.get_invoice(session, viewer.ctx, invoice_id)
    ctx = viewer.ctx.for_client(invoice.client_id)
    result = download(session, ctx, invoice, format, language=get_client_settings(session, ctx).language)
    return attachment(result.content, result.media_type, result.filename)
