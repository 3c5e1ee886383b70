"""Factur-X: the hybrid PDF invoice (a readable PDF/A-3 page carrying its CII XML).

`extract` takes the XML out of any hybrid PDF (Factur-X, ZUGFeRD, XRechnung); `html` and
`readable_pdf` show any invoice of the model as a French (or English) invoice page; `to_pdf`
(or `build`, which also returns the CII and what the profile could not carry) makes the
Factur-X PDF/A-3 of an invoice.
"""

import importlib
from typing import TYPE_CHECKING

from coursier.formats.facturx.errors import FacturXError, FacturXErrorCode
from coursier.formats.facturx.extract import (
    DEFAULT_MAX_PDF_BYTES,
    DEFAULT_MAX_XML_BYTES,
    Extracted,
    Flavor,
    extract,
)

if TYPE_CHECKING:
    from coursier.formats.facturx.generate import DEFAULT_PROFILE, PDF_PROFILES, FacturXDocument, build, to_pdf
    from coursier.formats.facturx.render import html, readable_pdf

# Rendering imports WeasyPrint, about a second of start-up; extraction, which validation runs on
# every PDF, must not pay for it, so these names are loaded on first use.
_LAZY_NAMES = {
    "html": "render",
    "readable_pdf": "render",
    "build": "generate",
    "to_pdf": "generate",
    "FacturXDocument": "generate",
    "PDF_PROFILES": "generate",
    "DEFAULT_PROFILE": "generate",
}


def __getattr__(name: str) -> object:
    module = _LAZY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DEFAULT_MAX_PDF_BYTES",
    "DEFAULT_MAX_XML_BYTES",
    "DEFAULT_PROFILE",
    "PDF_PROFILES",
    "Extracted",
    "FacturXDocument",
    "FacturXError",
    "FacturXErrorCode",
    "Flavor",
    "build",
    "extract",
    "html",
    "readable_pdf",
    "to_pdf",
]
