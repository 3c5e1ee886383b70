"""The readable invoice: HTML from a Jinja2 template, printed to PDF/A-3b by WeasyPrint."""

from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup
from weasyprint import HTML

from coursier.formats.facturx.labels import Language
from coursier.formats.facturx.view import build_view
from coursier.model.invoice import Invoice

# PDF/A-3 is the archival PDF that may carry attachments: Factur-X embeds its XML in one, and a
# readable view of an XML invoice uses the same profile so both kinds of PDF archive alike.
# WeasyPrint embeds the fonts and adds the sRGB output intent the profile requires.
PDF_VARIANT = "pdf/a-3b"

_PACKAGE = files(__package__)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _stylesheet() -> str:
    return _PACKAGE.joinpath("static", "invoice.css").read_text(encoding="utf-8")


def html(invoice: Invoice, language: Language | str = Language.FR) -> str:
    """A self-contained HTML page (styles inlined) showing `invoice` in `language`."""
    template = _environment().get_template("invoice.html.j2")
    # The stylesheet is our own file, so it goes in unescaped.
    return template.render(view=build_view(invoice, language), stylesheet=Markup(_stylesheet()))


def readable_pdf(invoice: Invoice, language: Language | str = Language.FR) -> bytes:
    """The invoice page as a PDF/A-3b with nothing embedded: the readable view of any invoice."""
    return HTML(string=html(invoice, language)).write_pdf(pdf_variant=PDF_VARIANT)
