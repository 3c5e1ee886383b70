"""Take the invoice XML out of a hybrid PDF (Factur-X, ZUGFeRD, XRechnung), whatever the PDF is.

The input comes from outside, so every failure becomes a `FacturXError` with a stable code, and
decompression is capped so that a small PDF cannot expand into gigabytes.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO

import pypdf
from facturx import get_level
from lxml import etree
from pypdf.errors import FileNotDecryptedError, LimitReachedError

from coursier.formats.facturx.active import active_content
from coursier.formats.facturx.errors import FacturXError, FacturXErrorCode
from coursier.kit.xml import hardened_parser

# pypdf logs each repair it tries on a broken PDF. Here a PDF it cannot read is a FacturXError
# saying so, and one it could repair needs no note: its lines would only be noise on stderr (CLI)
# and in the logs (API).
logging.getLogger("pypdf").setLevel(logging.ERROR)

DEFAULT_MAX_PDF_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024

# Names the hybrid-invoice specifications give the embedded file, most specific first. ZUGFeRD 2.x
# files may still use the 1.0 name, and readers compare names without regard to case.
INVOICE_ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

# The PDF specification lets readers accept a header anywhere in the first kilobyte.
_HEADER_WINDOW = 1024

_CII_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
_ZUGFERD_1_NAMESPACE = "urn:ferd:CrossIndustryDocument:invoice:1p0"
_UBL_NAMESPACES = (
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
)


class Flavor(StrEnum):
    """The syntax of the embedded XML."""

    CII = "cii"  # Factur-X, ZUGFeRD 2.x and XRechnung-CII: UN/CEFACT CII D16B
    ZUGFERD_1 = "zugferd-1"  # ZUGFeRD 1.0: the older CrossIndustryDocument, not EN 16931
    UBL = "ubl"  # XRechnung in its UBL syntax


@dataclass(frozen=True)
class Extracted:
    xml: bytes
    filename: str
    flavor: Flavor
    # Factur-X level of CII from its guideline id ("minimum", "basicwl", "basic", "en16931",
    # "extended"...); None for other flavors or a guideline id the factur-x library does not know.
    level: str | None
    # The XML as the hardened parser of `coursier.kit.xml` read it, so that no one parses it again.
    tree: etree._ElementTree
    # What in the PDF would run or launch (JavaScript, launch actions, embedded programs), read in
    # the same pass as the XML: see `active`. Empty for a sound invoice.
    active_content: tuple[str, ...] = ()


def extract(
    pdf: bytes,
    *,
    max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES,
    max_xml_bytes: int = DEFAULT_MAX_XML_BYTES,
) -> Extracted:
    """The invoice XML embedded in `pdf`; raises `FacturXError` for anything else."""
    if len(pdf) > max_pdf_bytes:
        raise FacturXError(
            FacturXErrorCode.TOO_LARGE,
            f"the PDF is {len(pdf)} bytes, more than the {max_pdf_bytes} accepted",
        )
    if b"%PDF-" not in pdf[:_HEADER_WINDOW]:
        raise FacturXError(FacturXErrorCode.NOT_PDF, "the file has no PDF header (%PDF-)")
    filename, xml, active = _read_invoice_attachment(pdf, max_xml_bytes)
    root = _parse_xml(xml, filename)
    flavor = _flavor_of(root, filename)
    level = _factur_x_level_of(root) if flavor is Flavor.CII else None
    return Extracted(
        xml=xml, filename=filename, flavor=flavor, level=level, tree=root.getroottree(), active_content=active
    )


def _read_invoice_attachment(pdf: bytes, max_xml_bytes: int) -> tuple[str, bytes, tuple[str, ...]]:
    """The invoice attachment's name and content, and the PDF's active content."""
    # Each decoded stream (the attachment, and object streams read on the way) is capped at the
    # XML limit: an invoice PDF has no business holding bigger ones.
    try:
        with pypdf.apply_configuration(
            zlib_maximum_output_length=max_xml_bytes,
            lzw_maximum_output_length=max_xml_bytes,
            run_length_maximum_output_length=max_xml_bytes,
            array_based_stream_maximum_output_length=max_xml_bytes,
        ):
            reader = pypdf.PdfReader(BytesIO(pdf))
            if reader.is_encrypted:
                raise FacturXError(
                    FacturXErrorCode.PDF_ENCRYPTED,
                    "the PDF is encrypted; PDF/A (and so Factur-X) forbids encryption",
                )
            attachments = {item.name: item for item in reader.attachment_list}
            chosen = _choose_invoice_attachment(list(attachments))
            xml = attachments[chosen].content
            active = active_content(reader)
    except FacturXError:
        raise
    except LimitReachedError as exc:
        raise FacturXError(
            FacturXErrorCode.TOO_LARGE,
            f"a stream of the PDF decompresses to more than {max_xml_bytes} bytes ({exc})",
        ) from exc
    except FileNotDecryptedError as exc:
        raise FacturXError(FacturXErrorCode.PDF_ENCRYPTED, f"the PDF is encrypted ({exc})") from exc
    # pypdf reports broken input through many exception types (its own, but also KeyError,
    # TypeError, RecursionError...); for hostile input they all mean the same thing.
    except Exception as exc:
        raise FacturXError(
            FacturXErrorCode.PDF_UNREADABLE, f"the PDF cannot be read: {type(exc).__name__}: {exc}"
        ) from exc
    if len(xml) > max_xml_bytes:
        raise FacturXError(
            FacturXErrorCode.TOO_LARGE,
            f"{chosen} is {len(xml)} bytes, more than the {max_xml_bytes} accepted",
        )
    return chosen, xml, active


def _choose_invoice_attachment(names: list[str]) -> str:
    by_lower_name = {name.lower(): name for name in names}
    for wanted in INVOICE_ATTACHMENT_NAMES:
        if wanted in by_lower_name:
            return by_lower_name[wanted]
    found = ", ".join(sorted(names)) or "none"
    raise FacturXError(
        FacturXErrorCode.PDF_NO_XML,
        f"the PDF embeds no invoice XML ({' / '.join(INVOICE_ATTACHMENT_NAMES)}); attachments found: {found}",
    )


def _parse_xml(xml: bytes, filename: str) -> etree._Element:
    try:
        return etree.fromstring(xml, parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise FacturXError(FacturXErrorCode.XML_MALFORMED, f"{filename} is not well-formed XML: {exc}") from exc


def _flavor_of(root: etree._Element, filename: str) -> Flavor:
    namespace = etree.QName(root).namespace
    if namespace == _CII_NAMESPACE:
        return Flavor.CII
    if namespace == _ZUGFERD_1_NAMESPACE:
        return Flavor.ZUGFERD_1
    if namespace in _UBL_NAMESPACES:
        return Flavor.UBL
    raise FacturXError(
        FacturXErrorCode.PDF_NO_XML,
        f"{filename} is not an invoice: its root element is {root.tag}",
    )


def _factur_x_level_of(root: etree._Element) -> str | None:
    # The factur-x library raises when the guideline id is missing or unknown: no level to report.
    try:
        return get_level(root)
    except Exception:
        return None
