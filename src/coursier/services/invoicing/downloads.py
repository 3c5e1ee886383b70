"""An invoice in the format asked for: the original file, or a rendering of its EN 16931 model.

A format the original already is gives the original itself (nothing lost); any other goes
through the model, and what the target cannot carry comes back as warnings.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from coursier.db.documents import DocumentRepository
from coursier.db.invoices import Invoice
from coursier.formats import cii, facturx, ubl
from coursier.formats.base import FormatWarning
from coursier.kit import cpu
from coursier.kit.errors import Conflict, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice as InvoiceModel

_XML = "application/xml"
_PDF = "application/pdf"


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str
    warnings: list[FormatWarning] = field(default_factory=list)


def _is_original(invoice: Invoice, fmt: str) -> bool:
    if fmt == "original":
        return True
    if invoice.container == "pdf":
        return fmt in ("facturx", "pdf")
    return fmt == invoice.syntax


def download(session: Session, ctx: TenantContext, invoice: Invoice, fmt: str, *, language: str) -> Download:
    """`invoice` as `fmt`: original, cii, ubl, facturx or pdf (readable); pages in `language`."""
    if _is_original(invoice, fmt):
        original = DocumentRepository(session).get(ctx, invoice.document_id) if invoice.document_id else None
        if original is None:
            raise Conflict(
                "The file of this invoice was not kept (it was over the size limit)", code="invoice_file_not_kept"
            )
        return Download(original.content, original.media_type, original.filename)
    if invoice.model is None:
        raise Conflict(
            "This invoice could not be read, so it exists only as its original file", code="invoice_not_readable"
        )
    model = InvoiceModel.model_validate(invoice.model)
    stem = _file_stem(invoice)
    if fmt == "cii":
        written = cii.write(model)
        return Download(written.xml, _XML, f"{stem}.cii.xml", written.warnings)
    if fmt == "ubl":
        written = ubl.write(model)
        return Download(written.xml, _XML, f"{stem}.ubl.xml", written.warnings)
    if fmt == "pdf":
        return Download(cpu.run(facturx.readable_pdf, model, language), _PDF, f"{stem}.pdf")
    try:
        built = cpu.run(facturx.build, model, language=language)
    except facturx.FacturXError as exc:
        raise Unprocessable(
            f"No Factur-X PDF can be made of this invoice: {exc.message}", code="facturx_not_possible"
        ) from exc
    return Download(built.pdf, _PDF, f"{stem}.facturx.pdf", built.warnings)


def _file_stem(invoice: Invoice) -> str:
    """The invoice number, kept to characters every file system and header takes."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in invoice.number or invoice.id)
    return stem.strip("._")[:100] or invoice.id
