"""CII trade parties: seller (BG-4), buyer (BG-7), payee (BG-10), tax representative (BG-11).

All are `ram:TradePartyType`; each EN party uses a different subset of it.
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import REPEATED_VALUE, Leaf, XmlBuilder, XmlReader, present
from coursier.model import Address, Buyer, Contact, Identifier, Payee, Seller, TaxRepresentative, term_for_path

ADDRESS = (
    Leaf("ram:PostcodeCode", "postal_zone"),
    Leaf("ram:LineOne", "street_name"),
    Leaf("ram:LineTwo", "additional_street_name"),
    Leaf("ram:LineThree", "address_line_3"),
    Leaf("ram:CityName", "city_name"),
    Leaf("ram:CountryID", "country_code"),
    Leaf("ram:CountrySubDivisionName", "country_subdivision"),
)
CONTACT = (
    Leaf("ram:PersonName", "name"),
    Leaf("ram:TelephoneUniversalCommunication/ram:CompleteNumber", "telephone"),
    Leaf("ram:EmailURIUniversalCommunication/ram:URIID", "email"),
)
VAT_SCHEME = "VA"  # SpecifiedTaxRegistration scheme of a VAT identifier
FISCAL_SCHEME = "FC"  # SpecifiedTaxRegistration scheme of a local tax registration (BT-32)


# --- reading -------------------------------------------------------------------------------


def read_address(reader: XmlReader, party: etree._Element | None, origin: str) -> Address | None:
    return reader.group(reader.find(party, "ram:PostalTradeAddress"), Address, ADDRESS, origin)


def _read_contact(reader: XmlReader, party: etree._Element, origin: str) -> Contact | None:
    element = reader.find(party, "ram:DefinedTradeContact", "BG-6")
    contact = reader.group(element, Contact, CONTACT, origin)
    department = reader.text(element, "ram:DepartmentName")
    if department and contact and contact.name is None:
        # The binding lets a department stand for the contact point when no person is named.
        return contact.model_copy(update={"name": department})
    if department and contact is None:
        return Contact(name=department)
    return contact


def read_identifier(reader: XmlReader, element: etree._Element | None) -> Identifier | None:
    value = reader.text(element)
    if value is None:
        return None
    return Identifier(value=value, scheme_id=element.get("schemeID") or None)


def read_party_identifiers(reader: XmlReader, party: etree._Element | None) -> list[Identifier]:
    """`ram:ID` (no scheme) then `ram:GlobalID` (with an ICD scheme)."""
    elements = reader.findall(party, "ram:ID") + reader.findall(party, "ram:GlobalID")
    return [identifier for element in elements if (identifier := read_identifier(reader, element))]


def _single(reader: XmlReader, identifiers: list[Identifier], party: etree._Element, term: str) -> Identifier | None:
    for extra in identifiers[1:]:
        reader.warn(REPEATED_VALUE, term, party, f"{term} holds one identifier; {extra.value!r} was left out")
    return identifiers[0] if identifiers else None


def _read_tax_registrations(reader: XmlReader, party: etree._Element, allowed: dict[str, str]) -> dict[str, str]:
    """Tax registration ids by scheme (VA, FC) among `allowed` (scheme -> term); others are reported."""
    found: dict[str, str] = {}
    for registration in reader.findall(party, "ram:SpecifiedTaxRegistration/ram:ID"):
        scheme = registration.get("schemeID", "")
        value = reader.text(registration)
        if value is None:
            continue
        if scheme not in allowed or scheme in found:
            reader.warn(REPEATED_VALUE, allowed.get(scheme), registration, f"tax registration {scheme!r} left out")
            continue
        found[scheme] = value
    return found


def _read_electronic_address(reader: XmlReader, party: etree._Element, term: str) -> Identifier | None:
    return read_identifier(reader, reader.find(party, "ram:URIUniversalCommunication/ram:URIID", term))


def _read_trading_party(reader: XmlReader, party: etree._Element, origin: str, tax_schemes: dict[str, str]) -> dict:
    """The fields seller and buyer share: name, legal organisation, VAT id, addresses, contact."""
    legal = reader.find(party, "ram:SpecifiedLegalOrganization")
    taxes = _read_tax_registrations(reader, party, tax_schemes)
    fields = {
        "name": reader.text(party, "ram:Name", term_for_path(f"{origin}.name")),
        "trading_name": reader.text(legal, "ram:TradingBusinessName"),
        "legal_registration_identifier": read_identifier(reader, reader.find(legal, "ram:ID")),
        "vat_identifier": taxes.get(VAT_SCHEME),
        "electronic_address": _read_electronic_address(reader, party, term_for_path(f"{origin}.electronic_address")),
        "postal_address": read_address(reader, party, f"{origin}.postal_address"),
        "contact": _read_contact(reader, party, f"{origin}.contact"),
    }
    if FISCAL_SCHEME in tax_schemes:
        fields["tax_registration_identifier"] = taxes.get(FISCAL_SCHEME)
    return fields


def read_seller(reader: XmlReader, party: etree._Element | None) -> Seller | None:
    if party is None:
        return None
    return present(
        Seller(
            **_read_trading_party(reader, party, "seller", {VAT_SCHEME: "BT-31", FISCAL_SCHEME: "BT-32"}),
            identifiers=read_party_identifiers(reader, party),
            additional_legal_information=reader.text(party, "ram:Description", "BT-33"),
        )
    )


def read_buyer(reader: XmlReader, party: etree._Element | None) -> Buyer | None:
    if party is None:
        return None
    return present(
        Buyer(
            **_read_trading_party(reader, party, "buyer", {VAT_SCHEME: "BT-48"}),
            identifier=_single(reader, read_party_identifiers(reader, party), party, "BT-46"),
        )
    )


def read_payee(reader: XmlReader, party: etree._Element | None) -> Payee | None:
    if party is None:
        return None
    return present(
        Payee(
            name=reader.text(party, "ram:Name", "BT-59"),
            identifier=_single(reader, read_party_identifiers(reader, party), party, "BT-60"),
            legal_registration_identifier=read_identifier(
                reader, reader.find(party, "ram:SpecifiedLegalOrganization/ram:ID", "BT-61")
            ),
        )
    )


def read_tax_representative(reader: XmlReader, party: etree._Element | None) -> TaxRepresentative | None:
    if party is None:
        return None
    taxes = _read_tax_registrations(reader, party, {VAT_SCHEME: "BT-63"})
    return present(
        TaxRepresentative(
            name=reader.text(party, "ram:Name", "BT-62"),
            vat_identifier=taxes.get(VAT_SCHEME),
            postal_address=read_address(reader, party, "tax_representative.postal_address"),
        )
    )


# --- writing -------------------------------------------------------------------------------


def write_address(builder: XmlBuilder, party: etree._Element, address: Address | None, origin: str) -> None:
    if present(address):
        builder.leaves(builder.child(party, "ram:PostalTradeAddress", origin), address, ADDRESS, origin)


def write_identifier(
    builder: XmlBuilder, parent: etree._Element, name: str, identifier: Identifier | None, origin: str
) -> None:
    if identifier is not None:
        builder.leaf(parent, name, identifier.value, origin, schemeID=identifier.scheme_id)


def write_party_identifier(
    builder: XmlBuilder, party: etree._Element, identifier: Identifier | None, origin: str
) -> None:
    """An identifier with a scheme goes to `ram:GlobalID`, one without to `ram:ID`."""
    if identifier is not None:
        name = "ram:GlobalID" if identifier.scheme_id else "ram:ID"
        write_identifier(builder, party, name, identifier, origin)


def _write_legal_organization(
    builder: XmlBuilder, party: etree._Element, identifier: Identifier | None, trading_name: str | None, origin: str
) -> None:
    if identifier is None and trading_name is None:
        return
    legal = builder.child(party, "ram:SpecifiedLegalOrganization", origin)
    write_identifier(builder, legal, "ram:ID", identifier, f"{origin}.legal_registration_identifier")
    builder.leaf(legal, "ram:TradingBusinessName", trading_name, f"{origin}.trading_name")


def _write_contact(builder: XmlBuilder, party: etree._Element, contact: Contact | None, origin: str) -> None:
    if present(contact):
        builder.leaves(builder.child(party, "ram:DefinedTradeContact", origin), contact, CONTACT, origin)


def _write_tax_registration(
    builder: XmlBuilder, party: etree._Element, value: str | None, scheme: str, origin: str
) -> None:
    if value is not None:
        builder.leaf(builder.child(party, "ram:SpecifiedTaxRegistration"), "ram:ID", value, origin, schemeID=scheme)


def _write_electronic_address(
    builder: XmlBuilder, party: etree._Element, address: Identifier | None, origin: str
) -> None:
    if address is not None:
        holder = builder.child(party, "ram:URIUniversalCommunication", origin)
        write_identifier(builder, holder, "ram:URIID", address, origin)


def _write_trading_party(builder: XmlBuilder, party: etree._Element, model: Seller | Buyer, origin: str) -> None:
    """The elements seller and buyer share (see `_read_trading_party`)."""
    builder.leaf(party, "ram:Name", model.name, f"{origin}.name")
    _write_legal_organization(builder, party, model.legal_registration_identifier, model.trading_name, origin)
    _write_contact(builder, party, model.contact, f"{origin}.contact")
    write_address(builder, party, model.postal_address, f"{origin}.postal_address")
    _write_electronic_address(builder, party, model.electronic_address, f"{origin}.electronic_address")
    _write_tax_registration(builder, party, model.vat_identifier, VAT_SCHEME, f"{origin}.vat_identifier")


def write_seller(builder: XmlBuilder, parent: etree._Element, seller: Seller | None) -> None:
    party = builder.child(parent, "ram:SellerTradeParty", "seller")
    if seller is None:
        return
    _write_trading_party(builder, party, seller, "seller")
    for index, identifier in enumerate(seller.identifiers):
        write_party_identifier(builder, party, identifier, f"seller.identifiers[{index}]")
    builder.leaf(party, "ram:Description", seller.additional_legal_information, "seller.additional_legal_information")
    _write_tax_registration(
        builder, party, seller.tax_registration_identifier, FISCAL_SCHEME, "seller.tax_registration_identifier"
    )


def write_buyer(builder: XmlBuilder, parent: etree._Element, buyer: Buyer | None) -> None:
    party = builder.child(parent, "ram:BuyerTradeParty", "buyer")
    if buyer is not None:
        _write_trading_party(builder, party, buyer, "buyer")
        write_party_identifier(builder, party, buyer.identifier, "buyer.identifier")


def write_payee(builder: XmlBuilder, parent: etree._Element, payee: Payee | None) -> None:
    if not present(payee):
        return
    party = builder.child(parent, "ram:PayeeTradeParty", "payee")
    write_party_identifier(builder, party, payee.identifier, "payee.identifier")
    builder.leaf(party, "ram:Name", payee.name, "payee.name")
    _write_legal_organization(builder, party, payee.legal_registration_identifier, None, "payee")


def write_tax_representative(
    builder: XmlBuilder, parent: etree._Element, representative: TaxRepresentative | None
) -> None:
    if not present(representative):
        return
    party = builder.child(parent, "ram:SellerTaxRepresentativeTradeParty", "tax_representative")
    builder.leaf(party, "ram:Name", representative.name, "tax_representative.name")
    write_address(builder, party, representative.postal_address, "tax_representative.postal_address")
    _write_tax_registration(
        builder, party, representative.vat_identifier, VAT_SCHEME, "tax_representative.vat_identifier"
    )
