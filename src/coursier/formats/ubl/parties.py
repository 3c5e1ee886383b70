"""UBL parties: seller (BG-4), buyer (BG-7), payee (BG-10), tax representative (BG-11).

The bank-assigned creditor identifier (BT-90) is, in UBL, a party identification with the
scheme "SEPA" on the seller (or payee); it belongs to BG-19, not to the party's identifiers.
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import REPEATED_VALUE, Leaf, XmlBuilder, XmlReader, present
from coursier.model import Address, Buyer, Contact, Identifier, Payee, Seller, TaxRepresentative, term_for_path

ADDRESS = (
    Leaf("cbc:StreetName", "street_name"),
    Leaf("cbc:AdditionalStreetName", "additional_street_name"),
    Leaf("cbc:CityName", "city_name"),
    Leaf("cbc:PostalZone", "postal_zone"),
    Leaf("cbc:CountrySubentity", "country_subdivision"),
    Leaf("cac:AddressLine/cbc:Line", "address_line_3"),
    Leaf("cac:Country/cbc:IdentificationCode", "country_code"),
)
CONTACT = (
    Leaf("cbc:Name", "name"),
    Leaf("cbc:Telephone", "telephone"),
    Leaf("cbc:ElectronicMail", "email"),
)
VAT_SCHEME = "VAT"  # cac:TaxScheme/cbc:ID of a VAT identifier; any other marks BT-32
OTHER_TAX_SCHEME = "TAX"
SEPA_CREDITOR_SCHEME = "SEPA"


# --- reading -------------------------------------------------------------------------------


def read_address(reader: XmlReader, element: etree._Element | None, origin: str) -> Address | None:
    return reader.group(element, Address, ADDRESS, origin)


def read_identifier(reader: XmlReader, element: etree._Element | None) -> Identifier | None:
    value = reader.text(element)
    if value is None:
        return None
    return Identifier(value=value, scheme_id=element.get("schemeID") or None)


def _party_identifiers(reader: XmlReader, party: etree._Element | None) -> list[Identifier]:
    """Party identifications other than the SEPA creditor identifier (read by `read_creditor_identifier`)."""
    elements = reader.findall(party, "cac:PartyIdentification/cbc:ID")
    identifiers = [
        read_identifier(reader, element) for element in elements if element.get("schemeID") != SEPA_CREDITOR_SCHEME
    ]
    return [identifier for identifier in identifiers if identifier is not None]


def read_creditor_identifier(reader: XmlReader, parties: list[etree._Element | None]) -> str | None:
    """BT-90, from the first of `parties` (seller, payee) that gives one."""
    for party in parties:
        for element in reader.findall(party, "cac:PartyIdentification/cbc:ID"):
            if element.get("schemeID") == SEPA_CREDITOR_SCHEME:
                return reader.text(element)
    return None


def _single(reader: XmlReader, identifiers: list[Identifier], party: etree._Element, term: str) -> Identifier | None:
    for extra in identifiers[1:]:
        reader.warn(REPEATED_VALUE, term, party, f"{term} holds one identifier; {extra.value!r} was left out")
    return identifiers[0] if identifiers else None


def _tax_schemes(reader: XmlReader, party: etree._Element) -> dict[str, str]:
    """Tax ids by kind: "VAT" for the VAT identifier, anything else for the tax registration."""
    found: dict[str, str] = {}
    for scheme in reader.findall(party, "cac:PartyTaxScheme"):
        kind = VAT_SCHEME if reader.text(scheme, "cac:TaxScheme/cbc:ID") == VAT_SCHEME else OTHER_TAX_SCHEME
        value = reader.text(scheme, "cbc:CompanyID")
        if value is None:
            continue
        if kind in found:
            reader.warn(REPEATED_VALUE, None, scheme, f"a second {kind} tax identifier was left out")
            continue
        found[kind] = value
    return found


def _read_trading_party(reader: XmlReader, party: etree._Element, origin: str) -> dict:
    """The fields seller and buyer share."""
    legal = reader.find(party, "cac:PartyLegalEntity", term_for_path(origin))
    return {
        "name": reader.text(legal, "cbc:RegistrationName", term_for_path(f"{origin}.name")),
        "trading_name": reader.text(party, "cac:PartyName/cbc:Name", term_for_path(f"{origin}.trading_name")),
        "legal_registration_identifier": read_identifier(reader, reader.find(legal, "cbc:CompanyID")),
        "electronic_address": read_identifier(reader, reader.find(party, "cbc:EndpointID")),
        "postal_address": read_address(reader, reader.find(party, "cac:PostalAddress"), f"{origin}.postal_address"),
        "contact": reader.group(reader.find(party, "cac:Contact"), Contact, CONTACT, f"{origin}.contact"),
    }


def read_seller(reader: XmlReader, party: etree._Element | None) -> Seller | None:
    if party is None:
        return None
    taxes = _tax_schemes(reader, party)
    return present(
        Seller(
            **_read_trading_party(reader, party, "seller"),
            identifiers=_party_identifiers(reader, party),
            vat_identifier=taxes.get(VAT_SCHEME),
            tax_registration_identifier=taxes.get(OTHER_TAX_SCHEME),
            additional_legal_information=reader.text(party, "cac:PartyLegalEntity/cbc:CompanyLegalForm", "BT-33"),
        )
    )


def read_buyer(reader: XmlReader, party: etree._Element | None) -> Buyer | None:
    if party is None:
        return None
    taxes = _tax_schemes(reader, party)
    if OTHER_TAX_SCHEME in taxes:
        reader.warn(REPEATED_VALUE, "BT-48", party, "a buyer has no tax registration besides VAT; left out")
    return present(
        Buyer(
            **_read_trading_party(reader, party, "buyer"),
            identifier=_single(reader, _party_identifiers(reader, party), party, "BT-46"),
            vat_identifier=taxes.get(VAT_SCHEME),
        )
    )


def read_payee(reader: XmlReader, party: etree._Element | None) -> Payee | None:
    if party is None:
        return None
    return present(
        Payee(
            name=reader.text(party, "cac:PartyName/cbc:Name", "BT-59"),
            identifier=_single(reader, _party_identifiers(reader, party), party, "BT-60"),
            legal_registration_identifier=read_identifier(
                reader, reader.find(party, "cac:PartyLegalEntity/cbc:CompanyID", "BT-61")
            ),
        )
    )


def read_tax_representative(reader: XmlReader, party: etree._Element | None) -> TaxRepresentative | None:
    if party is None:
        return None
    return present(
        TaxRepresentative(
            name=reader.text(party, "cac:PartyName/cbc:Name", "BT-62"),
            vat_identifier=_tax_schemes(reader, party).get(VAT_SCHEME),
            postal_address=read_address(
                reader, reader.find(party, "cac:PostalAddress"), "tax_representative.postal_address"
            ),
        )
    )


# --- writing -------------------------------------------------------------------------------


def write_address(builder: XmlBuilder, parent: etree._Element, name: str, address: Address | None, origin: str) -> None:
    if present(address):
        builder.leaves(builder.child(parent, name, origin), address, ADDRESS, origin)


def write_identifier(
    builder: XmlBuilder, parent: etree._Element, name: str, identifier: Identifier | None, origin: str
) -> None:
    if identifier is not None:
        builder.leaf(parent, name, identifier.value, origin, schemeID=identifier.scheme_id)


def _write_party_identification(
    builder: XmlBuilder, party: etree._Element, identifier: Identifier | None, origin: str
) -> None:
    if identifier is not None:
        write_identifier(builder, builder.child(party, "cac:PartyIdentification", origin), "cbc:ID", identifier, origin)


def _write_tax_scheme(builder: XmlBuilder, party: etree._Element, value: str | None, scheme: str, origin: str) -> None:
    if value is not None:
        element = builder.child(party, "cac:PartyTaxScheme", origin)
        builder.leaf(element, "cbc:CompanyID", value, origin)
        builder.leaf(element, "cac:TaxScheme/cbc:ID", scheme, origin)


def _write_trading_party(
    builder: XmlBuilder, party: etree._Element, model: Seller | Buyer, origin: str, legal_form: str | None = None
) -> None:
    """The elements seller and buyer share (see `_read_trading_party`); `legal_form` is the seller's BT-33."""
    write_identifier(builder, party, "cbc:EndpointID", model.electronic_address, f"{origin}.electronic_address")
    builder.leaf(party, "cac:PartyName/cbc:Name", model.trading_name, f"{origin}.trading_name")
    write_address(builder, party, "cac:PostalAddress", model.postal_address, f"{origin}.postal_address")
    _write_tax_scheme(builder, party, model.vat_identifier, VAT_SCHEME, f"{origin}.vat_identifier")
    if model.name or model.legal_registration_identifier or legal_form:
        legal = builder.child(party, "cac:PartyLegalEntity", origin)
        builder.leaf(legal, "cbc:RegistrationName", model.name, f"{origin}.name")
        write_identifier(
            builder,
            legal,
            "cbc:CompanyID",
            model.legal_registration_identifier,
            f"{origin}.legal_registration_identifier",
        )
        builder.leaf(legal, "cbc:CompanyLegalForm", legal_form, f"{origin}.additional_legal_information")
    if present(model.contact):
        builder.leaves(
            builder.child(party, "cac:Contact", f"{origin}.contact"), model.contact, CONTACT, f"{origin}.contact"
        )


def write_seller(
    builder: XmlBuilder, root: etree._Element, seller: Seller | None, creditor_identifier: str | None
) -> None:
    party = builder.child(builder.child(root, "cac:AccountingSupplierParty", "seller"), "cac:Party", "seller")
    seller = seller or Seller()
    _write_trading_party(builder, party, seller, "seller", seller.additional_legal_information)
    for index, identifier in enumerate(seller.identifiers):
        _write_party_identification(builder, party, identifier, f"seller.identifiers[{index}]")
    if creditor_identifier is not None:
        creditor = Identifier(value=creditor_identifier, scheme_id=SEPA_CREDITOR_SCHEME)
        _write_party_identification(builder, party, creditor, "payment_instructions.direct_debit.creditor_identifier")
    _write_tax_scheme(
        builder, party, seller.tax_registration_identifier, OTHER_TAX_SCHEME, "seller.tax_registration_identifier"
    )


def write_buyer(builder: XmlBuilder, root: etree._Element, buyer: Buyer | None) -> None:
    party = builder.child(builder.child(root, "cac:AccountingCustomerParty", "buyer"), "cac:Party", "buyer")
    buyer = buyer or Buyer()
    _write_trading_party(builder, party, buyer, "buyer")
    _write_party_identification(builder, party, buyer.identifier, "buyer.identifier")


def write_payee(builder: XmlBuilder, root: etree._Element, payee: Payee | None) -> None:
    if not present(payee):
        return
    party = builder.child(root, "cac:PayeeParty", "payee")
    _write_party_identification(builder, party, payee.identifier, "payee.identifier")
    builder.leaf(party, "cac:PartyName/cbc:Name", payee.name, "payee.name")
    if payee.legal_registration_identifier is not None:
        legal = builder.child(party, "cac:PartyLegalEntity", "payee.legal_registration_identifier")
        write_identifier(
            builder, legal, "cbc:CompanyID", payee.legal_registration_identifier, "payee.legal_registration_identifier"
        )


def write_tax_representative(
    builder: XmlBuilder, root: etree._Element, representative: TaxRepresentative | None
) -> None:
    if not present(representative):
        return
    party = builder.child(root, "cac:TaxRepresentativeParty", "tax_representative")
    builder.leaf(party, "cac:PartyName/cbc:Name", representative.name, "tax_representative.name")
    write_address(
        builder, party, "cac:PostalAddress", representative.postal_address, "tax_representative.postal_address"
    )
    _write_tax_scheme(builder, party, representative.vat_identifier, VAT_SCHEME, "tax_representative.vat_identifier")
