"""What an invoice file is, from its first bytes: container, syntax and profile (BT-24).

Detection reads only the header: the PDF signature, the root element and the specification
identifier (BT-24: CII GuidelineSpecifiedDocumentContextParameter/ID, UBL CustomizationID). It
stops parsing there, so it costs the same for a ten-line and a ten-thousand-line invoice.
"""

from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

CII_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NAMESPACE = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UBL_INVOICE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CBC_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

# A PDF reader accepts the header anywhere in the first kilobyte (ISO 32000 implementation note).
_PDF_HEADER_WINDOW = 1024
_FEED_BYTES = 4096


class Container(StrEnum):
    XML = "xml"
    PDF = "pdf"


class Syntax(StrEnum):
    CII = "cii"
    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-creditnote"

    @property
    def family(self) -> str:
        """The EN 16931 syntax binding the document uses: "cii" or "ubl"."""
        return "cii" if self is Syntax.CII else "ubl"


class Profile(StrEnum):
    """The profiles Coursier applies rules for; other CIUS (XRechnung, Peppol...) have none."""

    MINIMUM = "minimum"
    BASIC_WL = "basicwl"
    BASIC = "basic"
    EN16931 = "en16931"
    EXTENDED = "extended"
    EXTENDED_CTC_FR = "extended-ctc-fr"


# BT-24 values of each profile: Factur-X 1.0x, the same profiles under their ZUGFeRD 2.x names,
# the colon-separated form of early Factur-X files, and the French extended profile.
PROFILE_BY_GUIDELINE_ID: dict[str, Profile] = {
    "urn:factur-x.eu:1p0:minimum": Profile.MINIMUM,
    "urn:zugferd.de:2p0:minimum": Profile.MINIMUM,
    "urn:factur-x.eu:1p0:basicwl": Profile.BASIC_WL,
    "urn:zugferd.de:2p0:basicwl": Profile.BASIC_WL,
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": Profile.BASIC,
    "urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic": Profile.BASIC,
    "urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic": Profile.BASIC,
    "urn:cen.eu:en16931:2017": Profile.EN16931,
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": Profile.EXTENDED,
    "urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended": Profile.EXTENDED,
    "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr": (Profile.EXTENDED_CTC_FR),
}

_SYNTAX_BY_ROOT = {
    etree.QName(CII_NAMESPACE, "CrossIndustryInvoice").text: Syntax.CII,
    etree.QName(UBL_INVOICE_NAMESPACE, "Invoice").text: Syntax.UBL_INVOICE,
    etree.QName(UBL_CREDIT_NOTE_NAMESPACE, "CreditNote").text: Syntax.UBL_CREDIT_NOTE,
}

# Where BT-24 sits, below the root: CII in the document context, UBL as a direct child of the root.
_GUIDELINE_ID_PATH = {
    Syntax.CII: (
        etree.QName(CII_NAMESPACE, "ExchangedDocumentContext").text,
        etree.QName(RAM_NAMESPACE, "GuidelineSpecifiedDocumentContextParameter").text,
        etree.QName(RAM_NAMESPACE, "ID").text,
    ),
    Syntax.UBL_INVOICE: (etree.QName(CBC_NAMESPACE, "CustomizationID").text,),
    Syntax.UBL_CREDIT_NOTE: (etree.QName(CBC_NAMESPACE, "CustomizationID").text,),
}
# Children of the root that may come before BT-24; the first other child ends the header.
_CII_CONTEXT = etree.QName(CII_NAMESPACE, "ExchangedDocumentContext").text
_UBL_HEADER = frozenset(
    f"{{{ns}}}{name}"
    for ns, name in [
        (
            "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
            "UBLExtensions",
        ),
        (CBC_NAMESPACE, "UBLVersionID"),
        (CBC_NAMESPACE, "CustomizationID"),
        (CBC_NAMESPACE, "ProfileID"),
        (CBC_NAMESPACE, "ProfileExecutionID"),
    ]
)


@dataclass(frozen=True)
class Detection:
    container: Container
    # None for a PDF (its XML is inside) and for XML that is no EN 16931 invoice.
    syntax: Syntax | None = None
    guideline_id: str | None = None
    profile: Profile | None = None


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:_PDF_HEADER_WINDOW]


def detect(data: bytes) -> Detection:
    """Container, syntax and profile of `data`; never raises on bad content, it just knows less."""
    if is_pdf(data):
        return Detection(Container.PDF)
    syntax, guideline_id = _read_header(data)
    profile = PROFILE_BY_GUIDELINE_ID.get(guideline_id) if guideline_id else None
    return Detection(Container.XML, syntax, guideline_id, profile)


def _read_header(data: bytes) -> tuple[Syntax | None, str | None]:
    # Same protections as the validation parser: no DTD, no entities, no network.
    parser = etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    syntax: Syntax | None = None
    try:
        for offset in range(0, len(data), _FEED_BYTES):
            parser.feed(data[offset : offset + _FEED_BYTES])
            for event, element in parser.read_events():
                path = _path_below_root(element)
                if not path:
                    syntax = _SYNTAX_BY_ROOT.get(element.tag)
                    if syntax is None:
                        return None, None
                elif event == "end" and path == _GUIDELINE_ID_PATH[syntax]:
                    return syntax, (element.text or "").strip() or None
                elif event == "start" and len(path) == 1 and _past_header(syntax, element.tag):
                    return syntax, None
    except etree.XMLSyntaxError:
        pass
    return syntax, None


def _path_below_root(element: etree._Element) -> tuple[str, ...]:
    tags = [element.tag]
    tags.extend(ancestor.tag for ancestor in element.iterancestors())
    return tuple(reversed(tags[:-1]))


def _past_header(syntax: Syntax, tag: str) -> bool:
    if syntax is Syntax.CII:
        return tag != _CII_CONTEXT
    return tag not in _UBL_HEADER
