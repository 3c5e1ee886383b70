"""Factur-X: the hybrid PDF invoice (a readable PDF/A-3 page carrying its CII XML).

`extract` takes the XML out of any hybrid PDF (Factur-X, ZUGFeRD, XRechnung); `html` and
`readable_pdf` show any invoice of the model as a French (or English) invoice page.
"""

from coursier.formats.facturx.errors import FacturXError, FacturXErrorCode
from coursier.formats.facturx.extract import (
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_XML_BYTES,
    Extracted,
    Flavor,
    extract,
)
from coursier.formats.facturx.render import html, readable_pdf

__all__ = [
    "DEFAULT_MAX_PDF_BYTES",
    "DEFAULT_MAX_XML_BYTES",
    "Extracted",
    "FacturXError",
    "FacturXErrorCode",
    "Flavor",
    "extract",
    "html",
    "readable_pdf",
]
