"""Peppol France identifiers read from the documents, and the envelope's body both ways."""

import pytest

from coursier.formats import cii, facturx, ubl
from coursier.network.peers import peppol
from coursier.sandbox.register import generated_company
from support import factories


@pytest.fixture(scope="module")
def invoice():
    return factories.french_invoice(generated_company(1), generated_company(2), number="P-1")


def test_each_syntax_has_its_france_document_type(invoice):
    assert peppol.document_type(cii.write(invoice).xml) == (
        "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100::CrossIndustryInvoice"
        "##urn:cen.eu:en16931:2017#compliant#urn:peppol:france:billing:cius:1.0::D22B"
    )
    assert peppol.document_type(ubl.write(invoice).xml) == (
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
        "##urn:cen.eu:en16931:2017#compliant#urn:peppol:france:billing:cius:1.0::2.1"
    )
    assert peppol.document_type(facturx.to_pdf(invoice)) == peppol.FACTURX_DOCUMENT_TYPE
    cdar = b'<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="' + peppol.CDAR_NAMESPACE.encode() + b'"/>'
    assert peppol.document_type(cdar) == peppol.CDAR_DOCUMENT_TYPE
    assert set(peppol.RECEIVED_DOCUMENT_TYPES) >= {
        peppol.document_type(cii.write(invoice).xml),
        peppol.document_type(ubl.write(invoice).xml),
        peppol.FACTURX_DOCUMENT_TYPE,
        peppol.CDAR_DOCUMENT_TYPE,
    }


def test_an_extended_profile_is_the_conformant_variant(invoice):
    xml = cii.write(invoice).xml.replace(
        b"urn:cen.eu:en16931:2017</ram:ID>",
        b"urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr</ram:ID>",
    )
    assert peppol.document_type(xml).endswith("#conformant#urn:peppol:france:billing:extended:1.0::D22B")


def test_other_content_has_no_document_type():
    for content in (b"<Order xmlns='urn:x'/>", b"not xml", b""):
        with pytest.raises(peppol.UnsupportedDocument):
            peppol.document_type(content)


def _sbd(body: bytes, instance_id: str = "inv_1") -> bytes:
    return (
        (
            f'<StandardBusinessDocument xmlns="{peppol.SBDH_NAMESPACE}"><StandardBusinessDocumentHeader>'
            f"<DocumentIdentification><InstanceIdentifier>{instance_id}</InstanceIdentifier></DocumentIdentification>"
            "</StandardBusinessDocumentHeader>"
        ).encode()
        + body
        + b"</StandardBusinessDocument>"
    )


def test_a_pdf_travels_as_binary_content_and_comes_back_byte_for_byte(invoice):
    pdf = facturx.to_pdf(invoice)
    body = peppol.envelope_body(pdf)
    assert body.startswith(b"<BinaryContent") and b'mimeType="application/pdf"' in body
    carried = peppol.unwrap(_sbd(body))
    assert (carried.content, carried.media_type, carried.instance_id) == (pdf, "application/pdf", "inv_1")


def test_an_xml_document_is_the_envelopes_own_element(invoice):
    xml = cii.write(invoice).xml
    assert peppol.envelope_body(xml) == xml
    carried = peppol.unwrap(_sbd(xml.split(b"?>", 1)[1]))
    assert carried.media_type == "application/xml"
    assert cii.parse(carried.content).invoice == cii.parse(xml).invoice


def test_an_envelope_without_exactly_one_document_or_its_id_is_refused(invoice):
    for sbd in (_sbd(b""), _sbd(b"<a/><b/>"), _sbd(b"<a/>", instance_id=" "), b"<not-closed"):
        with pytest.raises(peppol.UnsupportedDocument):
            peppol.unwrap(sbd)


def test_participants_are_directory_addresses_under_0225():
    assert peppol.participant("200000008_20000000800014") == "0225:200000008_20000000800014"
    assert peppol.participant("0225:200000008") == "0225:200000008"
    assert peppol.address_of("0225:200000008") == "200000008"
    assert peppol.address_of("0088:123") is None and peppol.address_of("0225:") is None
