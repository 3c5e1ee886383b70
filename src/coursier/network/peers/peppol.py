"""Peppol France: who and what a message names, and the business document inside its envelope.

Identifiers (shared/spec/french-einvoicing.md, "PA-to-PA network" and "CDAR messages"):
participants are `0225:<addressing id>` (the directory's electronic address: SIREN, SIREN_SIRET,
SIREN_SIRET_CODE or SIREN_SUFFIX) under the ISO 6523 scheme `iso6523-actorid-upis`; the process
is `urn:peppol:france:billing:regulated`; the document type is the syntax's root element and the
French customization, read here from the document itself, so a transport carries invoices and
lifecycle messages (CDAR) alike.

The envelope is the Peppol Business Message Envelope (SBDH): an XML document goes in as its own
root element; a PDF (Factur-X) goes in base64 in the envelope's `BinaryContent` element with its
MIME type (Peppol envelope 2.0, namespace http://peppol.eu/xsd/ticc/envelope/1.0).
"""

import base64
import binascii
import io
from dataclasses import dataclass

from lxml import etree

from coursier.formats.detect import (
    CII_NAMESPACE,
    UBL_CREDIT_NOTE_NAMESPACE,
    UBL_INVOICE_NAMESPACE,
    Profile,
    detect,
    is_pdf,
)
from coursier.kit.xml import XMLRejected, parse_xml

PARTICIPANT_SCHEME = "iso6523-actorid-upis"
FRENCH_ADDRESS_ICD = "0225"
DOCUMENT_TYPE_SCHEME = "busdox-docid-qns"
PROCESS_SCHEME = "cenbii-procid-ubl"
PROCESS_REGULATED = "urn:peppol:france:billing:regulated"
# Peppol's country of the sender (C1), SBDH scope COUNTRY_C1.
COUNTRY_C1 = "FR"

CDAR_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
ENVELOPE_NAMESPACE = "http://peppol.eu/xsd/ticc/envelope/1.0"
SBDH_NAMESPACE = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"

_COMPLIANT = "urn:cen.eu:en16931:2017#compliant#urn:peppol:france:billing:cius:1.0"
_EXTENDED = "urn:cen.eu:en16931:2017#conformant#urn:peppol:france:billing:extended:1.0"
FACTURX_DOCUMENT_TYPE = (
    "urn:peppol:doctype:pdf+xml##urn:cen.eu:en16931:2017#conformant#urn:peppol:france:billing:Factur-X:1.0::D22B"
)
CDAR_DOCUMENT_TYPE = f"{CDAR_NAMESPACE}::CrossDomainAcknowledgementAndResponse##urn:peppol:france:billing:cdv:1.0::D22B"
# The syntax's root and its version suffix: ::2.1 for UBL, ::D22B for CII.
_XML_ROOTS = {
    etree.QName(CII_NAMESPACE, "CrossIndustryInvoice").text: (f"{CII_NAMESPACE}::CrossIndustryInvoice", "D22B"),
    etree.QName(UBL_INVOICE_NAMESPACE, "Invoice").text: (f"{UBL_INVOICE_NAMESPACE}::Invoice", "2.1"),
    etree.QName(UBL_CREDIT_NOTE_NAMESPACE, "CreditNote").text: (f"{UBL_CREDIT_NOTE_NAMESPACE}::CreditNote", "2.1"),
}
_CDAR_ROOT = etree.QName(CDAR_NAMESPACE, "CrossDomainAcknowledgementAndResponse").text
# What a platform receives, as it publishes it in the SMP for each participant it serves.
RECEIVED_DOCUMENT_TYPES = (
    FACTURX_DOCUMENT_TYPE,
    *(
        f"{syntax_root}##{customization}::{version}"
        for syntax_root, version in _XML_ROOTS.values()
        for customization in (_COMPLIANT, _EXTENDED)
    ),
    CDAR_DOCUMENT_TYPE,
)
_EXTENDED_PROFILES = {Profile.EXTENDED, Profile.EXTENDED_CTC_FR}
_BINARY_CONTENT = etree.QName(ENVELOPE_NAMESPACE, "BinaryContent").text
PDF_MEDIA_TYPE = "application/pdf"
_INSTANCE_IDENTIFIER = "/".join(
    etree.QName(SBDH_NAMESPACE, name).text
    for name in ("StandardBusinessDocumentHeader", "DocumentIdentification", "InstanceIdentifier")
)


class UnsupportedDocument(ValueError):
    """Content no Peppol France document type describes (not a Factur-X, CII, UBL or CDAR)."""


def participant(address: str) -> str:
    """The Peppol participant of a directory electronic address (`0225:` + the address)."""
    prefix = FRENCH_ADDRESS_ICD + ":"
    return address if address.startswith(prefix) else prefix + address


def address_of(participant_id: str) -> str | None:
    """The directory address of a `0225:` participant; None for any other scheme."""
    icd, separator, address = participant_id.partition(":")
    return address if separator and icd == FRENCH_ADDRESS_ICD and address else None


def document_type(content: bytes) -> str:
    """The Peppol France document type of a Factur-X PDF, a CII or UBL invoice, or a CDAR."""
    if is_pdf(content):
        return FACTURX_DOCUMENT_TYPE
    root = _root_tag(content)
    if root == _CDAR_ROOT:
        return CDAR_DOCUMENT_TYPE
    if root not in _XML_ROOTS:
        raise UnsupportedDocument(f"No Peppol France document type for a document whose root is {root!r}")
    syntax_root, version = _XML_ROOTS[root]
    customization = _EXTENDED if detect(content).profile in _EXTENDED_PROFILES else _COMPLIANT
    return f"{syntax_root}##{customization}::{version}"


def envelope_body(content: bytes) -> bytes:
    """What goes into the SBD after its header: the XML document, or a PDF as BinaryContent."""
    if not is_pdf(content):
        return content
    element = etree.Element(_BINARY_CONTENT, mimeType=PDF_MEDIA_TYPE, nsmap={None: ENVELOPE_NAMESPACE})
    element.text = base64.b64encode(content).decode("ascii")
    return etree.tostring(element)


@dataclass(frozen=True)
class Carried:
    """The business document an SBD carries, and the sender's identifier of it (SBDH
    DocumentIdentification/InstanceIdentifier)."""

    content: bytes
    media_type: str
    instance_id: str


def unwrap(standard_business_document: bytes) -> Carried:
    """The document after the SBDH: the XML element itself, or the bytes of its BinaryContent."""
    try:
        root = parse_xml(standard_business_document).getroot()
    except (XMLRejected, etree.XMLSyntaxError) as exc:
        raise UnsupportedDocument(f"The envelope is not readable XML: {exc}") from exc
    body = [child for child in root if isinstance(child.tag, str) and etree.QName(child).namespace != SBDH_NAMESPACE]
    if len(body) != 1:
        raise UnsupportedDocument(f"The envelope carries {len(body)} documents, not one")
    (document,) = body
    instance_id = (root.findtext(_INSTANCE_IDENTIFIER) or "").strip()
    if not instance_id:
        raise UnsupportedDocument("The envelope's header names no InstanceIdentifier")
    if document.tag != _BINARY_CONTENT:
        xml = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
        return Carried(xml, "application/xml", instance_id)
    try:
        content = base64.b64decode("".join((document.text or "").split()), validate=True)
    except binascii.Error as exc:
        raise UnsupportedDocument("The envelope's BinaryContent is not base64") from exc
    return Carried(content, document.get("mimeType") or "application/octet-stream", instance_id)


def _root_tag(content: bytes) -> str | None:
    try:
        for _, element in etree.iterparse(
            io.BytesIO(content), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            return element.tag
    except etree.XMLSyntaxError:
        return None
    return None
