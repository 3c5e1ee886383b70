"""Detection of container, syntax and profile from the header only."""

from pathlib import Path

import pytest

from coursier.formats.detect import Container, Detection, Profile, Syntax, detect

FIXTURES = Path(__file__).parent.parent / "validation" / "fixtures"
VALID_CII = (FIXTURES / "valid-cii.xml").read_bytes()
VALID_UBL = (FIXTURES / "valid-ubl.xml").read_bytes()
EN16931 = "urn:cen.eu:en16931:2017"


def test_cii_and_its_specification_identifier():
    assert detect(VALID_CII) == Detection(Container.XML, Syntax.CII, EN16931, Profile.EN16931)


def test_ubl_invoice_and_credit_note():
    assert detect(VALID_UBL) == Detection(Container.XML, Syntax.UBL_INVOICE, EN16931, Profile.EN16931)
    credit_note = (
        VALID_UBL.replace(b"<Invoice xmlns=", b"<CreditNote xmlns=")
        .replace(b"Invoice-2", b"CreditNote-2")
        .replace(b"</Invoice>", b"</CreditNote>")
    )
    assert detect(credit_note).syntax is Syntax.UBL_CREDIT_NOTE
    assert Syntax.UBL_CREDIT_NOTE.family == "ubl"


@pytest.mark.parametrize(
    ("guideline_id", "profile"),
    [
        ("urn:factur-x.eu:1p0:minimum", Profile.MINIMUM),
        ("urn:factur-x.eu:1p0:basicwl", Profile.BASIC_WL),
        ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", Profile.BASIC),
        ("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic", Profile.BASIC),
        ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", Profile.EXTENDED),
        ("urn:zugferd.de:2p0:minimum", Profile.MINIMUM),
        (
            "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
            Profile.EXTENDED_CTC_FR,
        ),
        ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", None),
    ],
)
def test_profile_from_bt_24(guideline_id, profile):
    detection = detect(VALID_CII.replace(EN16931.encode(), guideline_id.encode()))
    assert (detection.guideline_id, detection.profile) == (guideline_id, profile)


def test_only_the_header_is_read():
    # Everything after the document context is garbage: detection never gets there.
    header_end = VALID_CII.index(b"<rsm:ExchangedDocument>")
    truncated = VALID_CII[:header_end] + b"<rsm:ExchangedDocument><<<not xml at all"
    assert detect(truncated).profile is Profile.EN16931
    # BT-23 (business process) shares BT-24's element name but not its place.
    with_bt23 = VALID_CII.replace(
        b"<rsm:ExchangedDocumentContext>",
        b"<rsm:ExchangedDocumentContext><ram:BusinessProcessSpecifiedDocumentContextParameter>"
        b"<ram:ID>A1</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>",
    )
    assert detect(with_bt23).guideline_id == EN16931


def test_missing_guideline_id_and_unknown_documents():
    ubl_without_bt24 = VALID_UBL.replace(b"<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>", b"")
    assert detect(ubl_without_bt24) == Detection(Container.XML, Syntax.UBL_INVOICE)
    assert detect(b"<order xmlns='urn:example'/>") == Detection(Container.XML)
    assert detect(b"not xml") == Detection(Container.XML)
    assert detect(b"") == Detection(Container.XML)


def test_pdf():
    assert detect(b"%PDF-1.7\n...") == Detection(Container.PDF)
    assert detect(b"\x00" * 100 + b"%PDF-1.4") == Detection(Container.PDF)
