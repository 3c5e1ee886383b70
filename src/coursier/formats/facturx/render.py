"""The readable invoice: HTML from its template, printed to PDF/A-3b."""

from coursier.formats.facturx.view import build_view
from coursier.kit.render import html_to_pdf, render, stylesheet
from coursier.kit.texts import Language
from coursier.model.invoice import Invoice

# PDF/A-3 is the archival PDF that may carry attachments: Factur-X embeds its XML in one, and a
# readable view of an XML invoice uses the same profile so both kinds of PDF archive alike.
# WeasyPrint embeds the fonts and adds the sRGB output intent the profile requires.
PDF_VARIANT = "pdf/a-3b"


def html(invoice: Invoice, language: Language | str = Language.FR) -> str:
    """A self-contained HTML page (styles inlined) showing `invoice` in `language`."""
    view = build_view(invoice, language)
    return render("invoice.html.j2", view.language, view=view, stylesheet=stylesheet("invoice.css"))


def readable_pdf(invoice: Invoice, language: Language | str = Language.FR) -> bytes:
    """The invoice page as a PDF/A-3b with nothing embedded: the readable view of any invoice."""
    return html_to_pdf(html(invoice, language), pdf_variant=PDF_VARIANT)
