"""Factur-X: the hybrid PDF invoice (a readable PDF/A-3 page carrying its CII XML).

`extract` takes the XML out of any hybrid PDF (Factur-X, ZUGFeRD, XRechnung).
"""

from coursier.formats.facturx.errors import FacturXError, FacturXErrorCode
from coursier.formats.facturx.extract import (
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_XML_BYTES,
    Extracted,
    Flavor,
    extract,
)

__all__ = [
    "DEFAULT_MAX_PDF_BYTES",
    "DEFAULT_MAX_XML_BYTES",
    "Extracted",
    "FacturXError",
    "FacturXErrorCode",
    "Flavor",
    "extract",
]
