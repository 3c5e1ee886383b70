"""Factur-X generation: the readable page as PDF/A-3b, with the profile's CII embedded in it.

The factur-x library does the PDF work the specification describes: it embeds the XML as
`factur-x.xml`, lists it in the catalog's /AF array, and writes the XMP metadata that declares
PDF/A-3 and the Factur-X extension schema (document type, file name, conformance level).

AFRelationship is "Data" for every profile: the PDF/A-3 meaning of "Data" is a file from which
the visual presentation was derived, which is exactly how this page is made (both come from the
same model). The Factur-X specification accepts "Data" for all profiles (German ZUGFeRD
practice prefers "Alternative" from BASIC up), and the French samples published by FNFE-MPE use it.
"""

from dataclasses import dataclass, field

import facturx

from coursier.formats import cii
from coursier.formats.base import FormatWarning
from coursier.formats.facturx.errors import FacturXError, FacturXErrorCode
from coursier.formats.facturx.render import readable_pdf
from coursier.formats.facturx.view import build_view
from coursier.kit.texts import Language
from coursier.model.invoice import Invoice

# The profiles a Factur-X PDF can declare in its XMP (EXTENDED-CTC-FR exists as plain CII only).
PDF_PROFILES = tuple(facturx.facturx.FACTURX_LEVEL2xmp)
DEFAULT_PROFILE = "en16931"
AF_RELATIONSHIP = "data"

_PDF_LANGUAGE_TAGS = {Language.FR: "fr-FR", Language.EN: "en-GB"}


@dataclass(frozen=True)
class FacturXDocument:
    pdf: bytes
    xml: bytes
    # What the CII of this profile could not carry: the PDF page still shows it.
    warnings: list[FormatWarning] = field(default_factory=list)


def build(invoice: Invoice, *, language: Language | str = Language.FR, profile: str | None = None) -> FacturXDocument:
    """The Factur-X PDF of `invoice`, with the embedded CII and the writer's warnings.

    Without `profile`, the one the invoice names (BT-24) when a Factur-X PDF can declare it,
    else EN 16931.
    """
    profile = profile or _named_profile(invoice)
    if profile not in PDF_PROFILES:
        raise FacturXError(
            FacturXErrorCode.UNSUPPORTED_PROFILE,
            f"a Factur-X PDF declares one of {', '.join(PDF_PROFILES)}, not {profile!r}",
        )
    written = cii.write(invoice, profile=profile)
    # Checked before the page is printed, so a refused invoice costs no rendering. The library
    # signals a rejection with a bare Exception that carries the XSD's reason.
    try:
        facturx.xml_check_xsd(written.xml, flavor="factur-x", level=profile)
    except Exception as exc:
        raise FacturXError(FacturXErrorCode.XML_SCHEMA_INVALID, str(exc)) from exc
    pdf = facturx.generate_from_binary(
        readable_pdf(invoice, language),
        written.xml,
        flavor="factur-x",
        level=profile,
        check_xsd=False,  # done just above
        pdf_metadata=_pdf_metadata(invoice, language),
        lang=_PDF_LANGUAGE_TAGS[Language(language)],
        afrelationship=AF_RELATIONSHIP,
    )
    return FacturXDocument(pdf=pdf, xml=written.xml, warnings=list(written.warnings))


def to_pdf(invoice: Invoice, *, language: Language | str = Language.FR, profile: str | None = None) -> bytes:
    """The Factur-X PDF/A-3 of `invoice`: its readable page carrying the CII of `profile`."""
    return build(invoice, language=language, profile=profile).pdf


def _named_profile(invoice: Invoice) -> str:
    named = cii.profile_for_guideline(invoice.specification_identifier)
    return named.name if named and named.name in PDF_PROFILES else DEFAULT_PROFILE


def _pdf_metadata(invoice: Invoice, language: Language | str) -> dict[str, str]:
    """Document information in the page's language (the library's own would be in English)."""
    view = build_view(invoice, language)
    title = f"{view.title} {view.number}".strip()
    seller = view.seller.name
    return {
        "author": seller,
        "title": f"{seller}: {title}" if seller else title,
        "subject": f"Factur-X {title}",
        "keywords": "Factur-X",
    }
