"""The UBL syntax binding of EN 16931, natively: the UBL-CR, UBL-SR and UBL-DT assertions of the
CEN/TC 434 UBL artefact (release 1.3.16).

The UBL-CR assertions say which UBL 2.1 elements EN 16931 does not use (`absent`, decided for the
whole document in one walk); the others restrict cardinalities and attributes as the artefact's
tests do.
"""

from coursier.validation.native.book import (
    Assert,
    Pattern,
    absent,
    any_name_ending,
    at_most,
    both,
    either,
    exactly,
    lacking,
    present,
    rule,
)
from coursier.validation.native.xpath import (
    Document,
    Element,
    any_text,
    boolean,
    decimals_after_point,
    find,
    one,
    tag,
    text,
)

_PRICE = tag("cac:Price")
_ALLOWANCE_CHARGE = tag("cac:AllowanceCharge")


def amount_names(name: str) -> bool:
    """*[ends-with(name(), 'Amount') and not(ends-with(name(), 'PriceAmount'))]"""
    local = name.rpartition("}")[2]
    return local.endswith("Amount") and not local.endswith("PriceAmount")


def not_in_price_allowance(element: Element, document: Document) -> bool:
    """not(ancestor::cac:Price/cac:AllowanceCharge): no Price ancestor carries an allowance or charge."""
    return not any(
        ancestor.tag == _PRICE and any(True for _ in ancestor.iterchildren(_ALLOWANCE_CHARGE))
        for ancestor in element.iterancestors()
    )


def charge_indicator_is(wanted: bool):
    """[cbc:ChargeIndicator = true()] (or false()): one indicator, cast to a boolean, says so."""
    return lambda element, document: any(
        boolean(node) == wanted for node in find(element, document, "cbc:ChargeIndicator")
    )


def attachment_reference_type(reference: Element, document: Document) -> bool:
    """UBL-SR-43: a scheme on the id only for an invoiced object (130), or a tender (50) in a credit note."""
    type_codes = find(reference, document, "cbc:DocumentTypeCode")
    credit_note = document.root.tag == tag("cn:CreditNote")
    return (
        any_text(type_codes, "130")
        or (credit_note and any_text(type_codes, "50"))
        or (not find(reference, document, "cbc:ID/@schemeID") and not type_codes)
    )


def invoiced_object_references(root: Element, document: Document) -> list:
    """//cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']"""
    return [
        reference
        for reference in find(root, document, "//cac:AdditionalDocumentReference")
        if any_text(find(reference, document, "cbc:DocumentTypeCode"), "130")
    ]


def no_scheme_on_other_references(root: Element, document: Document) -> bool:
    """UBL-CR-665: no scheme on the id of a reference that is not to an invoiced object."""
    for reference in find(root, document, "//cac:AdditionalDocumentReference"):
        type_codes = find(reference, document, "cbc:DocumentTypeCode")
        other = any(text(code) != "130" for code in type_codes) or not type_codes
        if other and find(reference, document, "cbc:ID/@schemeID"):
            return False
    return True


def _attribute_names(document: Document) -> dict[str, int]:
    def count() -> dict[str, int]:
        names: dict[str, int] = {}
        for element in document.root.iter():
            for name in element.attrib:
                names[name] = names.get(name, 0) + 1
        return names

    return document.memo("attribute names", count)


def no_attribute_anywhere(name: str):
    """not(//@name)."""
    return lambda element, document: name not in _attribute_names(document)


def names_only_on_payment_means(root: Element, document: Document) -> bool:
    """UBL-DT-18: count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0."""
    on_payment_means = len(find(root, document, "//cbc:PaymentMeansCode/@name"))
    return _attribute_names(document).get("name", 0) - on_payment_means <= 0


def _vat_scheme(scheme_holder: Element, document: Document) -> bool:
    """[cac:TaxScheme/upper-case(cbc:ID) = 'VAT'] (not normalised, as UBL-SR-12 writes it)."""
    return any(
        text(one(find(scheme, document, "cbc:ID"))).upper() == "VAT"
        for scheme in find(scheme_holder, document, "cac:TaxScheme")
    )


def _non_vat_scheme(scheme_holder: Element, document: Document) -> bool:
    """[cac:TaxScheme/upper-case(cbc:ID) != 'VAT']"""
    return any(
        text(one(find(scheme, document, "cbc:ID"))).upper() != "VAT"
        for scheme in find(scheme_holder, document, "cac:TaxScheme")
    )


def company_ids(party: str, *, vat: bool):
    """UBL-SR-12/13/18: at most one company id in a VAT (or a non-VAT) tax scheme of the party."""
    scheme = _vat_scheme if vat else _non_vat_scheme

    def holds(root: Element, document: Document) -> bool:
        schemes = find(root, document, f"{party}/cac:Party/cac:PartyTaxScheme")
        return sum(len(find(node, document, "cbc:CompanyID")) for node in schemes if scheme(node, document)) <= 1

    return holds


def distinct_values_at_most_one(name: str):
    """count(//name[not(preceding::name/. = .)]) <= 1: the values of name, all alike."""
    return lambda element, document: len({text(node) for node in find(element, document, f"//{name}")}) <= 1


def payee_name_differs(payee: Element, document: Document) -> bool:
    """The payee's name differs from the seller's registered name (a general comparison: false when
    either is missing)."""
    names = [text(node) for node in find(payee, document, "cac:PartyName/cbc:Name")]
    registered = [
        text(node)
        for node in find(
            payee, document, "../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"
        )
    ]
    return any(name != other for name in names for other in registered)


SYNTAX_RULES = Pattern(
    (
        rule(
            "cac:PostalAddress | cac:Address",
            Assert("UBL-SR-51", either(lacking("cac:AddressLine"), exactly("cac:AddressLine", 1))),
        ),
        rule(
            "cac:AccountingSupplierParty/cac:Party",
            Assert("UBL-SR-42", at_most("cac:PartyTaxScheme", 2)),
        ),
        rule(
            "cac:AdditionalDocumentReference",
            Assert("UBL-SR-33", at_most("cbc:DocumentDescription", 1)),
            Assert("UBL-SR-43", attachment_reference_type),
        ),
        rule(
            "*",
            Assert("UBL-DT-01", lambda e, d: decimals_after_point(e) <= 2),
            names=amount_names,
            where=not_in_price_allowance,
        ),
        rule(
            "*",
            Assert("UBL-DT-06", lambda e, d: e.get("mimeCode") is not None),
            Assert("UBL-DT-07", lambda e, d: e.get("filename") is not None),
            names=any_name_ending("BinaryObject"),
        ),
        rule(
            "cac:Delivery",
            Assert("UBL-SR-25", at_most("cac:DeliveryParty/cac:PartyName/cbc:Name", 1)),
        ),
        rule(
            "cac:AllowanceCharge",
            Assert("UBL-SR-30", at_most("cbc:AllowanceChargeReason", 1)),
            where=charge_indicator_is(False),
        ),
        rule(
            "cac:AllowanceCharge",
            Assert("UBL-SR-31", at_most("cbc:AllowanceChargeReason", 1)),
            where=charge_indicator_is(True),
        ),
        rule(
            "cac:PartyTaxScheme",
            Assert("UBL-SR-53", both(present("cac:TaxScheme/cbc:ID"), present("cbc:CompanyID"))),
        ),
        rule(
            "/ubl:Invoice | /cn:CreditNote",
            absent("UBL-CR-001", "ext:UBLExtensions"),
            Assert(
                "UBL-CR-002",
                either(lacking("cbc:UBLVersionID"), lambda e, d: any_text(find(e, d, "cbc:UBLVersionID"), "2.1")),
            ),
            absent("UBL-CR-003", "cbc:ProfileExecutionID"),
            absent("UBL-CR-004", "cbc:CopyIndicator"),
            absent("UBL-CR-005", "cbc:UUID"),
            absent("UBL-CR-006", "cbc:IssueTime"),
            absent("UBL-CR-007", "cbc:PricingCurrencyCode"),
            absent("UBL-CR-008", "cbc:PaymentCurrencyCode"),
            absent("UBL-CR-009", "cbc:PaymentAlternativeCurrencyCode"),
            absent("UBL-CR-010", "cbc:AccountingCostCode"),
            absent("UBL-CR-011", "cbc:LineCountNumeric"),
            absent("UBL-CR-012", "cac:InvoicePeriod/cbc:StartTime"),
            absent("UBL-CR-013", "cac:InvoicePeriod/cbc:EndTime"),
            absent("UBL-CR-014", "cac:InvoicePeriod/cbc:DurationMeasure"),
            absent("UBL-CR-015", "cac:InvoicePeriod/cbc:Description"),
            absent("UBL-CR-016", "cac:OrderReference/cbc:CopyIndicator"),
            absent("UBL-CR-017", "cac:OrderReference/cbc:UUID"),
            absent("UBL-CR-018", "cac:OrderReference/cbc:IssueDate"),
            absent("UBL-CR-019", "cac:OrderReference/cbc:IssueTime"),
            absent("UBL-CR-020", "cac:OrderReference/cbc:CustomerReference"),
            absent("UBL-CR-021", "cac:OrderReference/cbc:OrderTypeCode"),
            absent("UBL-CR-022", "cac:OrderReference/cac:DocumentReference"),
            absent("UBL-CR-023", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-024", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID"),
            absent("UBL-CR-025", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-026", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode"),
            absent("UBL-CR-027", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-028", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:XPath"),
            absent("UBL-CR-029", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-030", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-031", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:VersionID"),
            absent("UBL-CR-032", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentStatusCode"),
            absent("UBL-CR-033", "cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentDescription"),
            absent("UBL-CR-034", "cac:BillingReference/cac:InvoiceDocumentReference/cac:Attachment"),
            absent("UBL-CR-035", "cac:BillingReference/cac:InvoiceDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-036", "cac:BillingReference/cac:InvoiceDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-037", "cac:BillingReference/cac:InvoiceDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-038", "cac:BillingReference/cac:SelfBilledInvoiceDocumentReference"),
            absent("UBL-CR-039", "cac:BillingReference/cac:CreditNoteDocumentReference"),
            absent("UBL-CR-040", "cac:BillingReference/cac:SelfBilledCreditNoteDocumentReference"),
            absent("UBL-CR-041", "cac:BillingReference/cac:DebitNoteDocumentReference"),
            absent("UBL-CR-042", "cac:BillingReference/cac:ReminderDocumentReference"),
            absent("UBL-CR-043", "cac:BillingReference/cac:AdditionalDocumentReference"),
            absent("UBL-CR-044", "cac:BillingReference/cac:BillingReferenceLine"),
            absent("UBL-CR-045", "cac:DespatchDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-046", "cac:DespatchDocumentReference/cbc:UUID"),
            absent("UBL-CR-047", "cac:DespatchDocumentReference/cbc:IssueDate"),
            absent("UBL-CR-048", "cac:DespatchDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-049", "cac:DespatchDocumentReference/cbc:DocumentTypeCode"),
            absent("UBL-CR-050", "cac:DespatchDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-051", "cac:DespatchDocumentReference/cbc:XPath"),
            absent("UBL-CR-052", "cac:DespatchDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-053", "cac:DespatchDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-054", "cac:DespatchDocumentReference/cbc:VersionID"),
            absent("UBL-CR-055", "cac:DespatchDocumentReference/cbc:DocumentStatusCode"),
            absent("UBL-CR-056", "cac:DespatchDocumentReference/cbc:DocumentDescription"),
            absent("UBL-CR-057", "cac:DespatchDocumentReference/cac:Attachment"),
            absent("UBL-CR-058", "cac:DespatchDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-059", "cac:DespatchDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-060", "cac:DespatchDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-061", "cac:ReceiptDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-062", "cac:ReceiptDocumentReference/cbc:UUID"),
            absent("UBL-CR-063", "cac:ReceiptDocumentReference/cbc:IssueDate"),
            absent("UBL-CR-064", "cac:ReceiptDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-065", "cac:ReceiptDocumentReference/cbc:DocumentTypeCode"),
            absent("UBL-CR-066", "cac:ReceiptDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-067", "cac:ReceiptDocumentReference/cbc:XPath"),
            absent("UBL-CR-068", "cac:ReceiptDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-069", "cac:ReceiptDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-070", "cac:ReceiptDocumentReference/cbc:VersionID"),
            absent("UBL-CR-071", "cac:ReceiptDocumentReference/cbc:DocumentStatusCode"),
            absent("UBL-CR-072", "cac:ReceiptDocumentReference/cbc:DocumentDescription"),
            absent("UBL-CR-073", "cac:ReceiptDocumentReference/cac:Attachment"),
            absent("UBL-CR-074", "cac:ReceiptDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-075", "cac:ReceiptDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-076", "cac:ReceiptDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-077", "cac:StatementDocumentReference"),
            absent("UBL-CR-078", "cac:OriginatorDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-079", "cac:OriginatorDocumentReference/cbc:UUID"),
            absent("UBL-CR-080", "cac:OriginatorDocumentReference/cbc:IssueDate"),
            absent("UBL-CR-081", "cac:OriginatorDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-082", "cac:OriginatorDocumentReference/cbc:DocumentTypeCode"),
            absent("UBL-CR-083", "cac:OriginatorDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-084", "cac:OriginatorDocumentReference/cbc:XPath"),
            absent("UBL-CR-085", "cac:OriginatorDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-086", "cac:OriginatorDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-087", "cac:OriginatorDocumentReference/cbc:VersionID"),
            absent("UBL-CR-088", "cac:OriginatorDocumentReference/cbc:DocumentStatusCode"),
            absent("UBL-CR-089", "cac:OriginatorDocumentReference/cbc:DocumentDescription"),
            absent("UBL-CR-090", "cac:OriginatorDocumentReference/cac:Attachment"),
            absent("UBL-CR-091", "cac:OriginatorDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-092", "cac:OriginatorDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-093", "cac:OriginatorDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-094", "cac:ContractDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-095", "cac:ContractDocumentReference/cbc:UUID"),
            absent("UBL-CR-096", "cac:ContractDocumentReference/cbc:IssueDate"),
            absent("UBL-CR-097", "cac:ContractDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-098", "cac:ContractDocumentReference/cbc:DocumentTypeCode"),
            absent("UBL-CR-099", "cac:ContractDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-100", "cac:ContractDocumentReference/cbc:XPath"),
            absent("UBL-CR-101", "cac:ContractDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-102", "cac:ContractDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-103", "cac:ContractDocumentReference/cbc:VersionID"),
            absent("UBL-CR-104", "cac:ContractDocumentReference/cbc:DocumentStatusCode"),
            absent("UBL-CR-105", "cac:ContractDocumentReference/cbc:DocumentDescription"),
            absent("UBL-CR-106", "cac:ContractDocumentReference/cac:Attachment"),
            absent("UBL-CR-107", "cac:ContractDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-108", "cac:ContractDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-109", "cac:ContractDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-110", "cac:AdditionalDocumentReference/cbc:CopyIndicator"),
            absent("UBL-CR-111", "cac:AdditionalDocumentReference/cbc:UUID"),
            absent("UBL-CR-112", "cac:AdditionalDocumentReference/cbc:IssueDate"),
            absent("UBL-CR-113", "cac:AdditionalDocumentReference/cbc:IssueTime"),
            absent("UBL-CR-114", "cac:AdditionalDocumentReference/cbc:DocumentType"),
            absent("UBL-CR-115", "cac:AdditionalDocumentReference/cbc:XPath"),
            absent("UBL-CR-116", "cac:AdditionalDocumentReference/cbc:LanguageID"),
            absent("UBL-CR-117", "cac:AdditionalDocumentReference/cbc:LocaleCode"),
            absent("UBL-CR-118", "cac:AdditionalDocumentReference/cbc:VersionID"),
            absent("UBL-CR-119", "cac:AdditionalDocumentReference/cbc:DocumentStatusCode"),
            absent(
                "UBL-CR-121", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:DocumentHash"
            ),
            absent(
                "UBL-CR-122",
                "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:HashAlgorithmMethod",
            ),
            absent("UBL-CR-123", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:ExpiryDate"),
            absent("UBL-CR-124", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:ExpiryTime"),
            absent("UBL-CR-125", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:MimeCode"),
            absent("UBL-CR-126", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:FormatCode"),
            absent(
                "UBL-CR-127", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:EncodingCode"
            ),
            absent(
                "UBL-CR-128",
                "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:CharacterSetCode",
            ),
            absent("UBL-CR-129", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:FileName"),
            absent(
                "UBL-CR-130", "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:Description"
            ),
            absent("UBL-CR-131", "cac:AdditionalDocumentReference/cac:ValidityPeriod"),
            absent("UBL-CR-132", "cac:AdditionalDocumentReference/cac:IssuerParty"),
            absent("UBL-CR-133", "cac:AdditionalDocumentReference/cac:ResultOfVerification"),
            absent("UBL-CR-134", "cac:ProjectReference/cbc:UUID"),
            absent("UBL-CR-135", "cac:ProjectReference/cbc:IssueDate"),
            absent("UBL-CR-136", "cac:ProjectReference/cac:WorkPhaseReference"),
            absent("UBL-CR-137", "cac:Signature"),
            absent("UBL-CR-138", "cac:AccountingSupplierParty/cbc:CustomerAssignedAccountID"),
            absent("UBL-CR-139", "cac:AccountingSupplierParty/cbc:AdditionalAccountID"),
            absent("UBL-CR-140", "cac:AccountingSupplierParty/cbc:DataSendingCapability"),
            absent("UBL-CR-141", "cac:AccountingSupplierParty/cac:Party/cbc:MarkCareIndicator"),
            absent("UBL-CR-142", "cac:AccountingSupplierParty/cac:Party/cbc:MarkAttentionIndicator"),
            absent("UBL-CR-143", "cac:AccountingSupplierParty/cac:Party/cbc:WebsiteURI"),
            absent("UBL-CR-144", "cac:AccountingSupplierParty/cac:Party/cbc:LogoReferenceID"),
            absent("UBL-CR-145", "cac:AccountingSupplierParty/cac:Party/cbc:IndustryClassificationCode"),
            absent("UBL-CR-146", "cac:AccountingSupplierParty/cac:Party/cac:Language"),
            absent("UBL-CR-147", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:ID"),
            absent("UBL-CR-148", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:AddressTypeCode"),
            absent("UBL-CR-149", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:AddressFormatCode"),
            absent("UBL-CR-150", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:Postbox"),
            absent("UBL-CR-151", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:Floor"),
            absent("UBL-CR-152", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:Room"),
            absent("UBL-CR-153", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:BlockName"),
            absent("UBL-CR-154", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:BuildingName"),
            absent("UBL-CR-155", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:BuildingNumber"),
            absent("UBL-CR-156", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:InhouseMail"),
            absent("UBL-CR-157", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:Department"),
            absent("UBL-CR-158", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:MarkAttention"),
            absent("UBL-CR-159", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:MarkCare"),
            absent("UBL-CR-160", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PlotIdentification"),
            absent("UBL-CR-161", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CitySubdivisionName"),
            absent("UBL-CR-162", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:CountrySubentityCode"),
            absent("UBL-CR-163", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:Region"),
            absent("UBL-CR-164", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:District"),
            absent("UBL-CR-165", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:TimezoneOffset"),
            absent("UBL-CR-166", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:Name"),
            absent("UBL-CR-167", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:LocationCoordinate"),
            absent("UBL-CR-168", "cac:AccountingSupplierParty/cac:Party/cac:PhysicalLocation"),
            absent("UBL-CR-169", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:RegistrationName"),
            absent("UBL-CR-170", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:TaxLevelCode"),
            absent("UBL-CR-171", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:ExemptionReasonCode"),
            absent("UBL-CR-172", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:ExemptionReason"),
            absent("UBL-CR-173", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:RegistrationAddress"),
            absent("UBL-CR-174", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name"),
            absent(
                "UBL-CR-175", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:TaxTypeCode"
            ),
            absent(
                "UBL-CR-176", "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:CurrencyCode"
            ),
            absent(
                "UBL-CR-177",
                "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cac:JurisdictionRegionAddress",
            ),
            absent("UBL-CR-178", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationDate"),
            absent(
                "UBL-CR-179",
                "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationExpirationDate",
            ),
            absent("UBL-CR-180", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalFormCode"),
            absent(
                "UBL-CR-181",
                "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:SoleProprietorshipIndicator",
            ),
            absent(
                "UBL-CR-182",
                "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLiquidationStatusCode",
            ),
            absent("UBL-CR-183", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CorporateStockAmount"),
            absent(
                "UBL-CR-184", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:FullyPaidSharesIndicator"
            ),
            absent("UBL-CR-185", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:RegistrationAddress"),
            absent(
                "UBL-CR-186",
                "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:CorporateRegistrationScheme",
            ),
            absent("UBL-CR-187", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:HeadOfficeParty"),
            absent("UBL-CR-188", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cac:ShareholderParty"),
            absent("UBL-CR-189", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ID"),
            absent("UBL-CR-190", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Telefax"),
            absent("UBL-CR-191", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Note"),
            absent("UBL-CR-192", "cac:AccountingSupplierParty/cac:Party/cac:Contact/cac:OtherCommunication"),
            absent("UBL-CR-193", "cac:AccountingSupplierParty/cac:Party/cac:Person"),
            absent("UBL-CR-194", "cac:AccountingSupplierParty/cac:Party/cac:AgentParty"),
            absent("UBL-CR-195", "cac:AccountingSupplierParty/cac:Party/cac:ServiceProviderParty"),
            absent("UBL-CR-196", "cac:AccountingSupplierParty/cac:Party/cac:PowerOfAttorney"),
            absent("UBL-CR-197", "cac:AccountingSupplierParty/cac:Party/cac:FinancialAccount"),
            absent("UBL-CR-198", "cac:AccountingSupplierParty/cac:DespatchContact"),
            absent("UBL-CR-199", "cac:AccountingSupplierParty/cac:AccountingContact"),
            absent("UBL-CR-200", "cac:AccountingSupplierParty/cac:SellerContact"),
            absent("UBL-CR-201", "cac:AccountingCustomerParty/cbc:CustomerAssignedAccountID"),
            absent("UBL-CR-202", "cac:AccountingCustomerParty/cbc:SupplierAssignedAccountID"),
            absent("UBL-CR-203", "cac:AccountingCustomerParty/cbc:AdditionalAccountID"),
            absent("UBL-CR-204", "cac:AccountingCustomerParty/cac:Party/cbc:MarkCareIndicator"),
            absent("UBL-CR-205", "cac:AccountingCustomerParty/cac:Party/cbc:MarkAttentionIndicator"),
            absent("UBL-CR-206", "cac:AccountingCustomerParty/cac:Party/cbc:WebsiteURI"),
            absent("UBL-CR-207", "cac:AccountingCustomerParty/cac:Party/cbc:LogoReferenceID"),
            absent("UBL-CR-208", "cac:AccountingCustomerParty/cac:Party/cbc:IndustryClassificationCode"),
            absent("UBL-CR-209", "cac:AccountingCustomerParty/cac:Party/cac:Language"),
            absent("UBL-CR-210", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:ID"),
            absent("UBL-CR-211", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:AddressTypeCode"),
            absent("UBL-CR-212", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:AddressFormatCode"),
            absent("UBL-CR-213", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:Postbox"),
            absent("UBL-CR-214", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:Floor"),
            absent("UBL-CR-215", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:Room"),
            absent("UBL-CR-216", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:BlockName"),
            absent("UBL-CR-217", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:BuildingName"),
            absent("UBL-CR-218", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:BuildingNumber"),
            absent("UBL-CR-219", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:InhouseMail"),
            absent("UBL-CR-220", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:Department"),
            absent("UBL-CR-221", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:MarkAttention"),
            absent("UBL-CR-222", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:MarkCare"),
            absent("UBL-CR-223", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:PlotIdentification"),
            absent("UBL-CR-224", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CitySubdivisionName"),
            absent("UBL-CR-225", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:CountrySubentityCode"),
            absent("UBL-CR-226", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:Region"),
            absent("UBL-CR-227", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:District"),
            absent("UBL-CR-228", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:TimezoneOffset"),
            absent("UBL-CR-229", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:Name"),
            absent("UBL-CR-230", "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:LocationCoordinate"),
            absent("UBL-CR-231", "cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation"),
            absent("UBL-CR-232", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:RegistrationName"),
            absent("UBL-CR-233", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:TaxLevelCode"),
            absent("UBL-CR-234", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:ExemptionReasonCode"),
            absent("UBL-CR-235", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:ExemptionReason"),
            absent("UBL-CR-236", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:RegistrationAddress"),
            absent("UBL-CR-237", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name"),
            absent(
                "UBL-CR-238", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:TaxTypeCode"
            ),
            absent(
                "UBL-CR-239", "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cbc:CurrencyCode"
            ),
            absent(
                "UBL-CR-240",
                "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cac:TaxScheme/cac:JurisdictionRegionAddress",
            ),
            absent("UBL-CR-241", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationDate"),
            absent(
                "UBL-CR-242",
                "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationExpirationDate",
            ),
            absent("UBL-CR-243", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalFormCode"),
            absent("UBL-CR-244", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm"),
            absent(
                "UBL-CR-245",
                "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:SoleProprietorshipIndicator",
            ),
            absent(
                "UBL-CR-246",
                "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLiquidationStatusCode",
            ),
            absent("UBL-CR-247", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CorporateStockAmount"),
            absent(
                "UBL-CR-248", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:FullyPaidSharesIndicator"
            ),
            absent("UBL-CR-249", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cac:RegistrationAddress"),
            absent(
                "UBL-CR-250",
                "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cac:CorporateRegistrationScheme",
            ),
            absent("UBL-CR-251", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cac:HeadOfficeParty"),
            absent("UBL-CR-252", "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cac:ShareholderParty"),
            absent("UBL-CR-253", "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID"),
            absent("UBL-CR-254", "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Telefax"),
            absent("UBL-CR-255", "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:Note"),
            absent("UBL-CR-256", "cac:AccountingCustomerParty/cac:Party/cac:Contact/cac:OtherCommunication"),
            absent("UBL-CR-257", "cac:AccountingCustomerParty/cac:Party/cac:Person"),
            absent("UBL-CR-258", "cac:AccountingCustomerParty/cac:Party/cac:AgentParty"),
            absent("UBL-CR-259", "cac:AccountingCustomerParty/cac:Party/cac:ServiceProviderParty"),
            absent("UBL-CR-260", "cac:AccountingCustomerParty/cac:Party/cac:PowerOfAttorney"),
            absent("UBL-CR-261", "cac:AccountingCustomerParty/cac:Party/cac:FinancialAccount"),
            absent("UBL-CR-262", "cac:AccountingCustomerParty/cac:DeliveryContact"),
            absent("UBL-CR-263", "cac:AccountingCustomerParty/cac:AccountingContact"),
            absent("UBL-CR-264", "cac:AccountingCustomerParty/cac:BuyerContact"),
            absent("UBL-CR-265", "cac:PayeeParty/cbc:MarkCareIndicator"),
            absent("UBL-CR-266", "cac:PayeeParty/cbc:MarkAttentionIndicator"),
            absent("UBL-CR-267", "cac:PayeeParty/cbc:WebsiteURI"),
            absent("UBL-CR-268", "cac:PayeeParty/cbc:LogoReferenceID"),
            absent("UBL-CR-269", "cac:PayeeParty/cbc:EndpointID"),
            absent("UBL-CR-270", "cac:PayeeParty/cbc:IndustryClassificationCode"),
            absent("UBL-CR-271", "cac:PayeeParty/cac:Language"),
            absent("UBL-CR-272", "cac:PayeeParty/cac:PostalAddress"),
            absent("UBL-CR-273", "cac:PayeeParty/cac:PhysicalLocation"),
            absent("UBL-CR-274", "cac:PayeeParty/cac:PartyTaxScheme"),
            absent("UBL-CR-275", "cac:PayeeParty/cac:PartyLegalEntity/cbc:RegistrationName"),
            absent("UBL-CR-276", "cac:PayeeParty/cac:PartyLegalEntity/cbc:RegistrationDate"),
            absent("UBL-CR-277", "cac:PayeeParty/cac:PartyLegalEntity/cbc:RegistrationExpirationDate"),
            absent("UBL-CR-278", "cac:PayeeParty/cac:PartyLegalEntity/cbc:CompanyLegalFormCode"),
            absent("UBL-CR-279", "cac:PayeeParty/cac:PartyLegalEntity/cbc:CompanyLegalForm"),
            absent("UBL-CR-280", "cac:PayeeParty/cac:PartyLegalEntity/cbc:SoleProprietorshipIndicator"),
            absent("UBL-CR-281", "cac:PayeeParty/cac:PartyLegalEntity/cbc:CompanyLiquidationStatusCode"),
            absent("UBL-CR-282", "cac:PayeeParty/cac:PartyLegalEntity/cbc:CorporateStockAmount"),
            absent("UBL-CR-283", "cac:PayeeParty/cac:PartyLegalEntity/cbc:FullyPaidSharesIndicator"),
            absent("UBL-CR-284", "cac:PayeeParty/cac:PartyLegalEntity/cac:RegistrationAddress"),
            absent("UBL-CR-285", "cac:PayeeParty/cac:PartyLegalEntity/cac:CorporateRegistrationScheme"),
            absent("UBL-CR-286", "cac:PayeeParty/cac:PartyLegalEntity/cac:HeadOfficeParty"),
            absent("UBL-CR-287", "cac:PayeeParty/cac:PartyLegalEntity/cac:ShareholderParty"),
            absent("UBL-CR-288", "cac:PayeeParty/cac:Contact"),
            absent("UBL-CR-289", "cac:PayeeParty/cac:Person"),
            absent("UBL-CR-290", "cac:PayeeParty/cac:AgentParty"),
            absent("UBL-CR-291", "cac:PayeeParty/cac:ServiceProviderParty"),
            absent("UBL-CR-292", "cac:PayeeParty/cac:PowerOfAttorney"),
            absent("UBL-CR-293", "cac:PayeeParty/cac:FinancialAccount"),
            absent("UBL-CR-294", "cac:BuyerCustomerParty"),
            absent("UBL-CR-295", "cac:SellerSupplierParty"),
            absent("UBL-CR-296", "cac:TaxRepresentativeParty/cbc:MarkCareIndicator"),
            absent("UBL-CR-297", "cac:TaxRepresentativeParty/cbc:MarkAttentionIndicator"),
            absent("UBL-CR-298", "cac:TaxRepresentativeParty/cbc:WebsiteURI"),
            absent("UBL-CR-299", "cac:TaxRepresentativeParty/cbc:LogoReferenceID"),
            absent("UBL-CR-300", "cac:TaxRepresentativeParty/cbc:EndpointID"),
            absent("UBL-CR-301", "cac:TaxRepresentativeParty/cbc:IndustryClassificationCode"),
            absent("UBL-CR-302", "cac:TaxRepresentativeParty/cac:PartyIdentification"),
            absent("UBL-CR-303", "cac:TaxRepresentativeParty/cac:Language"),
            absent("UBL-CR-304", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:ID"),
            absent("UBL-CR-305", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:AddressTypeCode"),
            absent("UBL-CR-306", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:AddressFormatCode"),
            absent("UBL-CR-307", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:Postbox"),
            absent("UBL-CR-308", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:Floor"),
            absent("UBL-CR-309", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:Room"),
            absent("UBL-CR-310", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:BlockName"),
            absent("UBL-CR-311", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:BuildingName"),
            absent("UBL-CR-312", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:BuildingNumber"),
            absent("UBL-CR-313", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:InhouseMail"),
            absent("UBL-CR-314", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:Department"),
            absent("UBL-CR-315", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:MarkAttention"),
            absent("UBL-CR-316", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:MarkCare"),
            absent("UBL-CR-317", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:PlotIdentification"),
            absent("UBL-CR-318", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:CitySubdivisionName"),
            absent("UBL-CR-319", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:CountrySubentityCode"),
            absent("UBL-CR-320", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:Region"),
            absent("UBL-CR-321", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:District"),
            absent("UBL-CR-322", "cac:TaxRepresentativeParty/cac:PostalAddress/cbc:TimezoneOffset"),
            absent("UBL-CR-323", "cac:TaxRepresentativeParty/cac:PostalAddress/cac:Country/cbc:Name"),
            absent("UBL-CR-324", "cac:TaxRepresentativeParty/cac:PostalAddress/cac:LocationCoordinate"),
            absent("UBL-CR-325", "cac:TaxRepresentativeParty/cac:PhysicalLocation"),
            absent("UBL-CR-326", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:RegistrationName"),
            absent("UBL-CR-327", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:TaxLevelCode"),
            absent("UBL-CR-328", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:ExemptionReasonCode"),
            absent("UBL-CR-329", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:ExemptionReason"),
            absent("UBL-CR-330", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:RegistrationAddress"),
            absent("UBL-CR-331", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name"),
            absent("UBL-CR-332", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme/cbc:TaxTypeCode"),
            absent("UBL-CR-333", "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme/cbc:CurrencyCode"),
            absent(
                "UBL-CR-334",
                "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cac:TaxScheme/cac:JurisdictionRegionAddress",
            ),
            absent("UBL-CR-335", "cac:TaxRepresentativeParty/cac:PartyLegalEntity"),
            absent("UBL-CR-336", "cac:TaxRepresentativeParty/cac:Contact"),
            absent("UBL-CR-337", "cac:TaxRepresentativeParty/cac:Person"),
            absent("UBL-CR-338", "cac:TaxRepresentativeParty/cac:AgentParty"),
            absent("UBL-CR-339", "cac:TaxRepresentativeParty/cac:ServiceProviderParty"),
            absent("UBL-CR-340", "cac:TaxRepresentativeParty/cac:PowerOfAttorney"),
            absent("UBL-CR-341", "cac:TaxRepresentativeParty/cac:FinancialAccount"),
            absent("UBL-CR-342", "cac:Delivery/cbc:ID"),
            absent("UBL-CR-343", "cac:Delivery/cbc:Quantity"),
            absent("UBL-CR-344", "cac:Delivery/cbc:MinimumQuantity"),
            absent("UBL-CR-345", "cac:Delivery/cbc:MaximumQuantity"),
            absent("UBL-CR-346", "cac:Delivery/cbc:ActualDeliveryTime"),
            absent("UBL-CR-347", "cac:Delivery/cbc:LatestDeliveryDate"),
            absent("UBL-CR-348", "cac:Delivery/cbc:LatestDeliveryTime"),
            absent("UBL-CR-349", "cac:Delivery/cbc:ReleaseID"),
            absent("UBL-CR-350", "cac:Delivery/cbc:TrackingID"),
            absent("UBL-CR-351", "cac:Delivery/cac:DeliveryLocation/cbc:Description"),
            absent("UBL-CR-352", "cac:Delivery/cac:DeliveryLocation/cbc:Conditions"),
            absent("UBL-CR-353", "cac:Delivery/cac:DeliveryLocation/cbc:CountrySubentity"),
            absent("UBL-CR-354", "cac:Delivery/cac:DeliveryLocation/cbc:CountrySubentityCode"),
            absent("UBL-CR-355", "cac:Delivery/cac:DeliveryLocation/cbc:LocationTypeCode"),
            absent("UBL-CR-356", "cac:Delivery/cac:DeliveryLocation/cbc:InformationURI"),
            absent("UBL-CR-357", "cac:Delivery/cac:DeliveryLocation/cbc:Name"),
            absent("UBL-CR-358", "cac:Delivery/cac:DeliveryLocation/cac:ValidityPeriod"),
            absent("UBL-CR-359", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:ID"),
            absent("UBL-CR-360", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:AddressTypeCode"),
            absent("UBL-CR-361", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:AddressFormatCode"),
            absent("UBL-CR-362", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:Postbox"),
            absent("UBL-CR-363", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:Floor"),
            absent("UBL-CR-364", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:Room"),
            absent("UBL-CR-365", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:BlockName"),
            absent("UBL-CR-366", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:BuildingName"),
            absent("UBL-CR-367", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:BuildingNumber"),
            absent("UBL-CR-368", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:InhouseMail"),
            absent("UBL-CR-369", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:Department"),
            absent("UBL-CR-370", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:MarkAttention"),
            absent("UBL-CR-371", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:MarkCare"),
            absent("UBL-CR-372", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:PlotIdentification"),
            absent("UBL-CR-373", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:CitySubdivisionName"),
            absent("UBL-CR-374", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:CountrySubentityCode"),
            absent("UBL-CR-375", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:Region"),
            absent("UBL-CR-376", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:District"),
            absent("UBL-CR-377", "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:TimezoneOffset"),
            absent("UBL-CR-378", "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:Name"),
            absent("UBL-CR-379", "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:LocationCoordinate"),
            absent("UBL-CR-380", "cac:Delivery/cac:DeliveryLocation/cac:SubsidiaryLocation"),
            absent("UBL-CR-381", "cac:Delivery/cac:DeliveryLocation/cac:LocationCoordinate"),
            absent("UBL-CR-382", "cac:Delivery/cac:AlternativeDeliveryLocation"),
            absent("UBL-CR-383", "cac:Delivery/cac:RequestedDeliveryPeriod"),
            absent("UBL-CR-384", "cac:Delivery/cac:EstimatedDeliveryPeriod"),
            absent("UBL-CR-385", "cac:Delivery/cac:CarrierParty"),
            absent("UBL-CR-386", "cac:Delivery/cac:DeliveryParty/cbc:MarkCareIndicator"),
            absent("UBL-CR-387", "cac:Delivery/cac:DeliveryParty/cbc:MarkAttentionIndicator"),
            absent("UBL-CR-388", "cac:Delivery/cac:DeliveryParty/cbc:WebsiteURI"),
            absent("UBL-CR-389", "cac:Delivery/cac:DeliveryParty/cbc:LogoReferenceID"),
            absent("UBL-CR-390", "cac:Delivery/cac:DeliveryParty/cbc:EndpointID"),
            absent("UBL-CR-391", "cac:Delivery/cac:DeliveryParty/cbc:IndustryClassificationCode"),
            absent("UBL-CR-392", "cac:Delivery/cac:DeliveryParty/cac:PartyIdentification"),
            absent("UBL-CR-393", "cac:Delivery/cac:DeliveryParty/cac:Language"),
            absent("UBL-CR-394", "cac:Delivery/cac:DeliveryParty/cac:PostalAddress"),
            absent("UBL-CR-395", "cac:Delivery/cac:DeliveryParty/cac:PhysicalLocation"),
            absent("UBL-CR-396", "cac:Delivery/cac:DeliveryParty/cac:PartyTaxScheme"),
            absent("UBL-CR-397", "cac:Delivery/cac:DeliveryParty/cac:PartyLegalEntity"),
            absent("UBL-CR-398", "cac:Delivery/cac:DeliveryParty/cac:Contact"),
            absent("UBL-CR-399", "cac:Delivery/cac:DeliveryParty/cac:Person"),
            absent("UBL-CR-400", "cac:Delivery/cac:DeliveryParty/cac:AgentParty"),
            absent("UBL-CR-401", "cac:Delivery/cac:DeliveryParty/cac:ServiceProviderParty"),
            absent("UBL-CR-402", "cac:Delivery/cac:DeliveryParty/cac:PowerOfAttorney"),
            absent("UBL-CR-403", "cac:Delivery/cac:DeliveryParty/cac:FinancialAccount"),
            absent("UBL-CR-404", "cac:Delivery/cac:NotifyParty"),
            absent("UBL-CR-405", "cac:Delivery/cac:Despatch"),
            absent("UBL-CR-406", "cac:Delivery/cac:DeliveryTerms"),
            absent("UBL-CR-407", "cac:Delivery/cac:MinimumDeliveryUnit"),
            absent("UBL-CR-408", "cac:Delivery/cac:MaximumDeliveryUnit"),
            absent("UBL-CR-409", "cac:Delivery/cac:Shipment"),
            absent("UBL-CR-410", "cac:DeliveryTerms"),
            absent("UBL-CR-411", "cac:PaymentMeans/cbc:ID"),
            Assert(
                "UBL-CR-412",
                either(lacking("cac:PaymentMeans/cbc:PaymentDueDate"), lambda e, d: d.root.tag == tag("cn:CreditNote")),
            ),
            absent("UBL-CR-413", "cac:PaymentMeans/cbc:PaymentChannelCode"),
            absent("UBL-CR-414", "cac:PaymentMeans/cbc:InstructionID"),
            absent("UBL-CR-415", "cac:PaymentMeans/cac:CardAccount/cbc:CardTypeCode"),
            absent("UBL-CR-416", "cac:PaymentMeans/cac:CardAccount/cbc:ValidityStartDate"),
            absent("UBL-CR-417", "cac:PaymentMeans/cac:CardAccount/cbc:ExpiryDate"),
            absent("UBL-CR-418", "cac:PaymentMeans/cac:CardAccount/cbc:IssuerID"),
            absent("UBL-CR-419", "cac:PaymentMeans/cac:CardAccount/cbc:IssueNumberID"),
            absent("UBL-CR-420", "cac:PaymentMeans/cac:CardAccount/cbc:CV2ID"),
            absent("UBL-CR-421", "cac:PaymentMeans/cac:CardAccount/cbc:CardChipCode"),
            absent("UBL-CR-422", "cac:PaymentMeans/cac:CardAccount/cbc:ChipApplicationID"),
            absent("UBL-CR-424", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:AliasName"),
            absent("UBL-CR-425", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:AccountTypeCode"),
            absent("UBL-CR-426", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:AccountFormatCode"),
            absent("UBL-CR-427", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:CurrencyCode"),
            absent("UBL-CR-428", "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:PaymentNote"),
            absent("UBL-CR-429", "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:Name"),
            absent(
                "UBL-CR-430",
                "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:Name",
            ),
            absent(
                "UBL-CR-431",
                "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cac:Address",
            ),
            absent(
                "UBL-CR-432", "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:Address"
            ),
            absent("UBL-CR-433", "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:Country"),
            absent("UBL-CR-434", "cac:PaymentMeans/cac:CreditAccount"),
            absent("UBL-CR-435", "cac:PaymentMeans/cac:PaymentMandate/cbc:MandateTypeCode"),
            absent("UBL-CR-436", "cac:PaymentMeans/cac:PaymentMandate/cbc:MaximumPaymentInstructionsNumeric"),
            absent("UBL-CR-437", "cac:PaymentMeans/cac:PaymentMandate/cbc:MaximumPaidAmount"),
            absent("UBL-CR-438", "cac:PaymentMeans/cac:PaymentMandate/cbc:SignatureID"),
            absent("UBL-CR-439", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerParty"),
            absent("UBL-CR-440", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:Name"),
            absent("UBL-CR-441", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:AliasName"),
            absent("UBL-CR-442", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:AccountTypeCode"),
            absent("UBL-CR-443", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:AccountFormatCode"),
            absent("UBL-CR-444", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:CurrencyCode"),
            absent("UBL-CR-445", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:PaymentNote"),
            absent(
                "UBL-CR-446",
                "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cac:FinancialInstitutionBranch",
            ),
            absent("UBL-CR-447", "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cac:Country"),
            absent("UBL-CR-448", "cac:PaymentMeans/cac:PaymentMandate/cac:ValidityPeriod"),
            absent("UBL-CR-449", "cac:PaymentMeans/cac:PaymentMandate/cac:PaymentReversalPeriod"),
            absent("UBL-CR-450", "cac:PaymentMeans/cac:PaymentMandate/cac:Clause"),
            absent("UBL-CR-451", "cac:PaymentMeans/cac:TradeFinancing"),
            absent("UBL-CR-452", "cac:PaymentTerms/cbc:ID"),
            absent("UBL-CR-453", "cac:PaymentTerms/cbc:PaymentMeansID"),
            absent("UBL-CR-454", "cac:PaymentTerms/cbc:PrepaidPaymentReferenceID"),
            absent("UBL-CR-455", "cac:PaymentTerms/cbc:ReferenceEventCode"),
            absent("UBL-CR-456", "cac:PaymentTerms/cbc:SettlementDiscountPercent"),
            absent("UBL-CR-457", "cac:PaymentTerms/cbc:PenaltySurchargePercent"),
            absent("UBL-CR-458", "cac:PaymentTerms/cbc:PaymentPercent"),
            absent("UBL-CR-459", "cac:PaymentTerms/cbc:Amount"),
            absent("UBL-CR-460", "cac:PaymentTerms/cbc:SettlementDiscountAmount"),
            absent("UBL-CR-461", "cac:PaymentTerms/cbc:PenaltyAmount"),
            absent("UBL-CR-462", "cac:PaymentTerms/cbc:PaymentTermsDetailsURI"),
            absent("UBL-CR-463", "cac:PaymentTerms/cbc:PaymentDueDate"),
            absent("UBL-CR-464", "cac:PaymentTerms/cbc:InstallmentDueDate"),
            absent("UBL-CR-465", "cac:PaymentTerms/cbc:InvoicingPartyReference"),
            absent("UBL-CR-466", "cac:PaymentTerms/cac:SettlementPeriod"),
            absent("UBL-CR-467", "cac:PaymentTerms/cac:PenaltyPeriod"),
            absent("UBL-CR-468", "cac:PaymentTerms/cac:ExchangeRate"),
            absent("UBL-CR-469", "cac:PaymentTerms/cac:ValidityPeriod"),
            absent("UBL-CR-470", "cac:PrepaidPayment"),
            absent("UBL-CR-471", "cac:AllowanceCharge/cbc:ID"),
            absent("UBL-CR-472", "cac:AllowanceCharge/cbc:PrepaidIndicator"),
            absent("UBL-CR-473", "cac:AllowanceCharge/cbc:SequenceNumeric"),
            absent("UBL-CR-474", "cac:AllowanceCharge/cbc:AccountingCostCode"),
            absent("UBL-CR-475", "cac:AllowanceCharge/cbc:AccountingCost"),
            absent("UBL-CR-476", "cac:AllowanceCharge/cbc:PerUnitAmount"),
            absent("UBL-CR-477", "cac:AllowanceCharge/cac:TaxCategory/cbc:Name"),
            absent("UBL-CR-478", "cac:AllowanceCharge/cac:TaxCategory/cbc:BaseUnitMeasure"),
            absent("UBL-CR-479", "cac:AllowanceCharge/cac:TaxCategory/cbc:PerUnitAmount"),
            absent("UBL-CR-480", "cac:AllowanceCharge/cac:TaxCategory/cbc:TaxExemptionReasonCode"),
            absent("UBL-CR-481", "cac:AllowanceCharge/cac:TaxCategory/cbc:TaxExemptionReason"),
            absent("UBL-CR-482", "cac:AllowanceCharge/cac:TaxCategory/cbc:TierRange"),
            absent("UBL-CR-483", "cac:AllowanceCharge/cac:TaxCategory/cbc:TierRatePercent"),
            absent("UBL-CR-484", "cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme/cbc:Name"),
            absent("UBL-CR-485", "cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode"),
            absent("UBL-CR-486", "cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme/cbc:CurrencyCode"),
            absent("UBL-CR-487", "cac:AllowanceCharge/cac:TaxCategory/cac:TaxScheme/cac:JurisdictionRegionAddress"),
            absent("UBL-CR-488", "cac:AllowanceCharge/cac:TaxTotal"),
            absent("UBL-CR-489", "cac:AllowanceCharge/cac:PaymentMeans"),
            absent("UBL-CR-490", "cac:TaxExchangeRate"),
            absent("UBL-CR-491", "cac:PricingExchangeRate"),
            absent("UBL-CR-492", "cac:PaymentExchangeRate"),
            absent("UBL-CR-493", "cac:PaymentAlternativeExchangeRate"),
            absent("UBL-CR-494", "cac:TaxTotal/cbc:RoundingAmount"),
            absent("UBL-CR-495", "cac:TaxTotal/cbc:TaxEvidenceIndicator"),
            absent("UBL-CR-496", "cac:TaxTotal/cbc:TaxIncludedIndicator"),
            absent("UBL-CR-497", "cac:TaxTotal/cac:TaxSubtotal/cbc:CalculationSequenceNumeric"),
            absent("UBL-CR-498", "cac:TaxTotal/cac:TaxSubtotal/cbc:TransactionCurrencyTaxAmount"),
            absent("UBL-CR-499", "cac:TaxTotal/cac:TaxSubtotal/cbc:Percent"),
            absent("UBL-CR-500", "cac:TaxTotal/cac:TaxSubtotal/cbc:BaseUnitMeasure"),
            absent("UBL-CR-501", "cac:TaxTotal/cac:TaxSubtotal/cbc:PerUnitAmount"),
            absent("UBL-CR-502", "cac:TaxTotal/cac:TaxSubtotal/cbc:TierRange"),
            absent("UBL-CR-503", "cac:TaxTotal/cac:TaxSubtotal/cbc:TierRatePercent"),
            absent("UBL-CR-504", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Name"),
            absent("UBL-CR-505", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:BaseUnitMeasure"),
            absent("UBL-CR-506", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:PerUnitAmount"),
            absent("UBL-CR-507", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TierRange"),
            absent("UBL-CR-508", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TierRatePercent"),
            absent("UBL-CR-509", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:Name"),
            absent("UBL-CR-510", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode"),
            absent("UBL-CR-511", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:CurrencyCode"),
            absent(
                "UBL-CR-512", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cac:JurisdictionRegionAddress"
            ),
            absent("UBL-CR-513", "cac:WithholdingTaxTotal"),
            absent("UBL-CR-514", "cac:LegalMonetaryTotal/cbc:PayableAlternativeAmount"),
            absent("UBL-CR-515", "cac:InvoiceLine/cbc:UUID", "cac:CreditNoteLine/cbc:UUID"),
            absent("UBL-CR-516", "cac:InvoiceLine/cbc:TaxPointDate", "cac:CreditNoteLine/cbc:TaxPointDate"),
            absent("UBL-CR-517", "cac:InvoiceLine/cbc:AccountingCostCode", "cac:CreditNoteLine/cbc:AccountingCostCode"),
            absent("UBL-CR-518", "cac:InvoiceLine/cbc:PaymentPurposeCode", "cac:CreditNoteLine/cbc:PaymentPurposeCode"),
            absent(
                "UBL-CR-519",
                "cac:InvoiceLine/cbc:FreeOfChargeIndicator",
                "cac:CreditNoteLine/cbc:FreeOfChargeIndicator",
            ),
            absent(
                "UBL-CR-520",
                "cac:InvoiceLine/cac:InvoicePeriod/cbc:StartTime",
                "cac:CreditNoteLine/cac:InvoicePeriod/cbc:StartTime",
            ),
            absent(
                "UBL-CR-521",
                "cac:InvoiceLine/cac:InvoicePeriod/cbc:EndTime",
                "cac:CreditNoteLine/cac:InvoicePeriod/cbc:EndTime",
            ),
            absent(
                "UBL-CR-522",
                "cac:InvoiceLine/cac:InvoicePeriod/cbc:DurationMeasure",
                "cac:CreditNoteLine/cac:InvoicePeriod/cbc:DurationMeasure",
            ),
            absent(
                "UBL-CR-523",
                "cac:InvoiceLine/cac:InvoicePeriod/cbc:DescriptionCode",
                "cac:CreditNoteLine/cac:InvoicePeriod/cbc:DescriptionCode",
            ),
            absent(
                "UBL-CR-524",
                "cac:InvoiceLine/cac:InvoicePeriod/cbc:Description",
                "cac:CreditNoteLine/cac:InvoicePeriod/cbc:Description",
            ),
            absent(
                "UBL-CR-525",
                "cac:InvoiceLine/cac:OrderLineReference/cbc:SalesOrderLineID",
                "cac:CreditNoteLine/cac:OrderLineReference/cbc:SalesOrderLineID",
            ),
            absent(
                "UBL-CR-526",
                "cac:InvoiceLine/cac:OrderLineReference/cbc:UUID",
                "cac:CreditNoteLine/cac:OrderLineReference/cbc:UUID",
            ),
            absent(
                "UBL-CR-527",
                "cac:InvoiceLine/cac:OrderLineReference/cbc:LineStatusCode",
                "cac:CreditNoteLine/cac:OrderLineReference/cbc:LineStatusCode",
            ),
            absent(
                "UBL-CR-528",
                "cac:InvoiceLine/cac:OrderLineReference/cac:OrderReference",
                "cac:CreditNoteLine/cac:OrderLineReference/cac:OrderReference",
            ),
            absent(
                "UBL-CR-529",
                "cac:InvoiceLine/cac:DespatchLineReference",
                "cac:CreditNoteLine/cac:DespatchLineReference",
            ),
            absent(
                "UBL-CR-530", "cac:InvoiceLine/cac:ReceiptLineReference", "cac:CreditNoteLine/cac:ReceiptLineReference"
            ),
            absent("UBL-CR-531", "cac:InvoiceLine/cac:BillingReference", "cac:CreditNoteLine/cac:BillingReference"),
            absent(
                "UBL-CR-532",
                "cac:InvoiceLine/cac:DocumentReference/cbc:CopyIndicator",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:CopyIndicator",
            ),
            absent(
                "UBL-CR-533",
                "cac:InvoiceLine/cac:DocumentReference/cbc:UUID",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:UUID",
            ),
            absent(
                "UBL-CR-534",
                "cac:InvoiceLine/cac:DocumentReference/cbc:IssueDate",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:IssueDate",
            ),
            absent(
                "UBL-CR-535",
                "cac:InvoiceLine/cac:DocumentReference/cbc:IssueTime",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:IssueTime",
            ),
            absent(
                "UBL-CR-537",
                "cac:InvoiceLine/cac:DocumentReference/cbc:DocumentType",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:DocumentType",
            ),
            absent(
                "UBL-CR-538",
                "cac:InvoiceLine/cac:DocumentReference/cbc:XPath",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:XPath",
            ),
            absent(
                "UBL-CR-539",
                "cac:InvoiceLine/cac:DocumentReference/cbc:LanguageID",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:LanguageID",
            ),
            absent(
                "UBL-CR-540",
                "cac:InvoiceLine/cac:DocumentReference/cbc:LocaleCode",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:LocaleCode",
            ),
            absent(
                "UBL-CR-541",
                "cac:InvoiceLine/cac:DocumentReference/cbc:VersionID",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:VersionID",
            ),
            absent(
                "UBL-CR-542",
                "cac:InvoiceLine/cac:DocumentReference/cbc:DocumentStatusCode",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:DocumentStatusCode",
            ),
            absent(
                "UBL-CR-543",
                "cac:InvoiceLine/cac:DocumentReference/cbc:DocumentDescription",
                "cac:CreditNoteLine/cac:DocumentReference/cbc:DocumentDescription",
            ),
            absent(
                "UBL-CR-544",
                "cac:InvoiceLine/cac:DocumentReference/cac:Attachment",
                "cac:CreditNoteLine/cac:DocumentReference/cac:Attachment",
            ),
            absent(
                "UBL-CR-545",
                "cac:InvoiceLine/cac:DocumentReference/cac:ValidityPeriod",
                "cac:CreditNoteLine/cac:DocumentReference/cac:ValidityPeriod",
            ),
            absent(
                "UBL-CR-546",
                "cac:InvoiceLine/cac:DocumentReference/cac:IssuerParty",
                "cac:CreditNoteLine/cac:DocumentReference/cac:IssuerParty",
            ),
            absent(
                "UBL-CR-547",
                "cac:InvoiceLine/cac:DocumentReference/cac:ResultOfVerification",
                "cac:CreditNoteLine/cac:DocumentReference/cac:ResultOfVerification",
            ),
            absent("UBL-CR-548", "cac:InvoiceLine/cac:PricingReference", "cac:CreditNoteLine/cac:PricingReference"),
            absent("UBL-CR-549", "cac:InvoiceLine/cac:OriginatorParty", "cac:CreditNoteLine/cac:OriginatorParty"),
            absent("UBL-CR-550", "cac:InvoiceLine/cac:Delivery", "cac:CreditNoteLine/cac:Delivery"),
            absent("UBL-CR-551", "cac:InvoiceLine/cac:PaymentTerms", "cac:CreditNoteLine/cac:PaymentTerms"),
            absent(
                "UBL-CR-552",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:ID",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:ID",
            ),
            absent(
                "UBL-CR-553",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:PrepaidIndicator",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:PrepaidIndicator",
            ),
            absent(
                "UBL-CR-554",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:SequenceNumeric",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:SequenceNumeric",
            ),
            absent(
                "UBL-CR-555",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:AccountingCostCode",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:AccountingCostCode",
            ),
            absent(
                "UBL-CR-556",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:AccountingCost",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:AccountingCost",
            ),
            absent(
                "UBL-CR-557",
                "cac:InvoiceLine/cac:AllowanceCharge/cbc:PerUnitAmount",
                "cac:CreditNoteLine/cac:AllowanceCharge/cbc:PerUnitAmount",
            ),
            absent(
                "UBL-CR-558",
                "cac:InvoiceLine/cac:AllowanceCharge/cac:TaxCategory",
                "cac:CreditNoteLine/cac:AllowanceCharge/cac:TaxCategory",
            ),
            absent(
                "UBL-CR-559",
                "cac:InvoiceLine/cac:AllowanceCharge/cac:TaxTotal",
                "cac:CreditNoteLine/cac:AllowanceCharge/cac:TaxTotal",
            ),
            absent(
                "UBL-CR-560",
                "cac:InvoiceLine/cac:AllowanceCharge/cac:PaymentMeans",
                "cac:CreditNoteLine/cac:AllowanceCharge/cac:PaymentMeans",
            ),
            absent("UBL-CR-561", "cac:InvoiceLine/cac:TaxTotal", "cac:CreditNoteLine/cac:TaxTotal"),
            absent(
                "UBL-CR-562", "cac:InvoiceLine/cac:WithholdingTaxTotal", "cac:CreditNoteLine/cac:WithholdingTaxTotal"
            ),
            absent(
                "UBL-CR-563",
                "cac:InvoiceLine/cac:Item/cbc:PackQuantity",
                "cac:CreditNoteLine/cac:Item/cbc:PackQuantity",
            ),
            absent(
                "UBL-CR-564",
                "cac:InvoiceLine/cac:Item/cbc:PackSizeNumeric",
                "cac:CreditNoteLine/cac:Item/cbc:PackSizeNumeric",
            ),
            absent(
                "UBL-CR-565",
                "cac:InvoiceLine/cac:Item/cbc:CatalogueIndicator",
                "cac:CreditNoteLine/cac:Item/cbc:CatalogueIndicator",
            ),
            absent(
                "UBL-CR-566",
                "cac:InvoiceLine/cac:Item/cbc:HazardousRiskIndicator",
                "cac:CreditNoteLine/cac:Item/cbc:HazardousRiskIndicator",
            ),
            absent(
                "UBL-CR-567",
                "cac:InvoiceLine/cac:Item/cbc:AdditionalInformation",
                "cac:CreditNoteLine/cac:Item/cbc:AdditionalInformation",
            ),
            absent("UBL-CR-568", "cac:InvoiceLine/cac:Item/cbc:Keyword", "cac:CreditNoteLine/cac:Item/cbc:Keyword"),
            absent("UBL-CR-569", "cac:InvoiceLine/cac:Item/cbc:BrandName", "cac:CreditNoteLine/cac:Item/cbc:BrandName"),
            absent("UBL-CR-570", "cac:InvoiceLine/cac:Item/cbc:ModelName", "cac:CreditNoteLine/cac:Item/cbc:ModelName"),
            absent(
                "UBL-CR-571",
                "cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification/cbc:ExtendedID",
                "cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification/cbc:ExtendedID",
            ),
            absent(
                "UBL-CR-572",
                "cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification/cbc:BarcodeSymbologyID",
                "cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification/cbc:BarcodeSymbologyID",
            ),
            absent(
                "UBL-CR-573",
                "cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification/cac:PhysicalAttribute",
                "cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification/cac:PhysicalAttribute",
            ),
            absent(
                "UBL-CR-574",
                "cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification/cac:MeasurementDimension",
                "cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification/cac:MeasurementDimension",
            ),
            absent(
                "UBL-CR-575",
                "cac:InvoiceLine/cac:Item/cac:BuyersItemIdentification/cac:IssuerParty",
                "cac:CreditNoteLine/cac:Item/cac:BuyersItemIdentification/cac:IssuerParty",
            ),
            absent(
                "UBL-CR-576",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cbc:ExtendedID",
                "cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cbc:ExtendedID",
            ),
            absent(
                "UBL-CR-577",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cbc:BarcodeSymbologyID",
                "cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cbc:BarcodeSymbologyID",
            ),
            absent(
                "UBL-CR-578",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute",
                "cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:PhysicalAttribute",
            ),
            absent(
                "UBL-CR-579",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension",
                "cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:MeasurementDimension",
            ),
            absent(
                "UBL-CR-580",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cac:IssuerParty",
                "cac:CreditNoteLine/cac:Item/cac:SellersItemIdentification/cac:IssuerParty",
            ),
            absent(
                "UBL-CR-581",
                "cac:InvoiceLine/cac:Item/cac:ManufacturersItemIdentification",
                "cac:CreditNoteLine/cac:Item/cac:ManufacturersItemIdentification",
            ),
            absent(
                "UBL-CR-582",
                "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ExtendedID",
                "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ExtendedID",
            ),
            absent(
                "UBL-CR-583",
                "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:BarcodeSymbologyID",
                "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:BarcodeSymbologyID",
            ),
            absent(
                "UBL-CR-584",
                "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cac:PhysicalAttribute",
                "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cac:PhysicalAttribute",
            ),
            absent(
                "UBL-CR-585",
                "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cac:MeasurementDimension",
                "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cac:MeasurementDimension",
            ),
            absent(
                "UBL-CR-586",
                "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cac:IssuerParty",
                "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cac:IssuerParty",
            ),
            absent(
                "UBL-CR-587",
                "cac:InvoiceLine/cac:Item/cac:CatalogueItemIdentification",
                "cac:CreditNoteLine/cac:Item/cac:CatalogueItemIdentification",
            ),
            absent(
                "UBL-CR-588",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemIdentification",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemIdentification",
            ),
            absent(
                "UBL-CR-589",
                "cac:InvoiceLine/cac:Item/cac:CatalogueDocumentReference",
                "cac:CreditNoteLine/cac:Item/cac:CatalogueDocumentReference",
            ),
            absent(
                "UBL-CR-590",
                "cac:InvoiceLine/cac:Item/cac:ItemSpecificationDocumentReference",
                "cac:CreditNoteLine/cac:Item/cac:ItemSpecificationDocumentReference",
            ),
            absent(
                "UBL-CR-591",
                "cac:InvoiceLine/cac:Item/cac:OriginCountry/cbc:Name",
                "cac:CreditNoteLine/cac:Item/cac:OriginCountry/cbc:Name",
            ),
            absent(
                "UBL-CR-592",
                "cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:NatureCode",
                "cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:NatureCode",
            ),
            absent(
                "UBL-CR-593",
                "cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:CargoTypeCode",
                "cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:CargoTypeCode",
            ),
            absent(
                "UBL-CR-594",
                "cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:CommodityCode",
                "cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:CommodityCode",
            ),
            absent(
                "UBL-CR-595",
                "cac:InvoiceLine/cac:Item/cac:TransactionConditions",
                "cac:CreditNoteLine/cac:Item/cac:TransactionConditions",
            ),
            absent(
                "UBL-CR-596",
                "cac:InvoiceLine/cac:Item/cac:HazardousItem",
                "cac:CreditNoteLine/cac:Item/cac:HazardousItem",
            ),
            absent(
                "UBL-CR-597",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Name",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Name",
            ),
            absent(
                "UBL-CR-598",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:BaseUnitMeasure",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:BaseUnitMeasure",
            ),
            absent(
                "UBL-CR-599",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:PerUnitAmount",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:PerUnitAmount",
            ),
            absent(
                "UBL-CR-600",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReasonCode",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReasonCode",
            ),
            absent(
                "UBL-CR-601",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason",
            ),
            absent(
                "UBL-CR-602",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TierRange",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TierRange",
            ),
            absent(
                "UBL-CR-603",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TierRatePercent",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:TierRatePercent",
            ),
            absent(
                "UBL-CR-604",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:Name",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:Name",
            ),
            absent(
                "UBL-CR-605",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:TaxTypeCode",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:TaxTypeCode",
            ),
            absent(
                "UBL-CR-606",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:CurrencyCode",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:CurrencyCode",
            ),
            absent(
                "UBL-CR-607",
                "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cac:JurisdictionRegionAddress",
                "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cac:JurisdictionRegionAddress",
            ),
            absent(
                "UBL-CR-608",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:ID",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:ID",
            ),
            absent(
                "UBL-CR-609",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:NameCode",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:NameCode",
            ),
            absent(
                "UBL-CR-610",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:TestMethod",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:TestMethod",
            ),
            absent(
                "UBL-CR-611",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:ValueQuantity",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:ValueQuantity",
            ),
            absent(
                "UBL-CR-612",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:ValueQualifier",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:ValueQualifier",
            ),
            absent(
                "UBL-CR-613",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:ImportanceCode",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:ImportanceCode",
            ),
            absent(
                "UBL-CR-614",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:ListValue",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:ListValue",
            ),
            absent(
                "UBL-CR-615",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:UsabilityPeriod",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:UsabilityPeriod",
            ),
            absent(
                "UBL-CR-616",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyGroup",
            ),
            absent(
                "UBL-CR-617",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:RangeDimension",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:RangeDimension",
            ),
            absent(
                "UBL-CR-618",
                "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyRange",
                "cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cac:ItemPropertyRange",
            ),
            absent(
                "UBL-CR-619",
                "cac:InvoiceLine/cac:Item/cac:ManufacturerParty",
                "cac:CreditNoteLine/cac:Item/cac:ManufacturerParty",
            ),
            absent(
                "UBL-CR-620",
                "cac:InvoiceLine/cac:Item/cac:InformationContentProviderParty",
                "cac:CreditNoteLine/cac:Item/cac:InformationContentProviderParty",
            ),
            absent(
                "UBL-CR-621",
                "cac:InvoiceLine/cac:Item/cac:OriginAddress",
                "cac:CreditNoteLine/cac:Item/cac:OriginAddress",
            ),
            absent(
                "UBL-CR-622",
                "cac:InvoiceLine/cac:Item/cac:ItemInstance",
                "cac:CreditNoteLine/cac:Item/cac:ItemInstance",
            ),
            absent(
                "UBL-CR-623", "cac:InvoiceLine/cac:Item/cac:Certificate", "cac:CreditNoteLine/cac:Item/cac:Certificate"
            ),
            absent("UBL-CR-624", "cac:InvoiceLine/cac:Item/cac:Dimension", "cac:CreditNoteLine/cac:Item/cac:Dimension"),
            absent(
                "UBL-CR-625",
                "cac:InvoiceLine/cac:Price/cbc:PriceChangeReason",
                "cac:CreditNoteLine/cac:Price/cbc:PriceChangeReason",
            ),
            absent(
                "UBL-CR-626",
                "cac:InvoiceLine/cac:Price/cbc:PriceTypeCode",
                "cac:CreditNoteLine/cac:Price/cbc:PriceTypeCode",
            ),
            absent(
                "UBL-CR-627", "cac:InvoiceLine/cac:Price/cbc:PriceType", "cac:CreditNoteLine/cac:Price/cbc:PriceType"
            ),
            absent(
                "UBL-CR-628",
                "cac:InvoiceLine/cac:Price/cbc:OrderableUnitFactorRate",
                "cac:CreditNoteLine/cac:Price/cbc:OrderableUnitFactorRate",
            ),
            absent(
                "UBL-CR-629",
                "cac:InvoiceLine/cac:Price/cbc:ValidityPeriod",
                "cac:CreditNoteLine/cac:Price/cbc:ValidityPeriod",
            ),
            absent(
                "UBL-CR-630", "cac:InvoiceLine/cac:Price/cbc:PriceList", "cac:CreditNoteLine/cac:Price/cbc:PriceList"
            ),
            absent(
                "UBL-CR-632",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:ID",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:ID",
            ),
            absent(
                "UBL-CR-633",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode",
            ),
            absent(
                "UBL-CR-634",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReason",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReason",
            ),
            absent(
                "UBL-CR-635",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:MultiplierFactorNumeric",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:MultiplierFactorNumeric",
            ),
            absent(
                "UBL-CR-636",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:PrepaidIndicator",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:PrepaidIndicator",
            ),
            absent(
                "UBL-CR-637",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:SequenceNumeric",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:SequenceNumeric",
            ),
            absent(
                "UBL-CR-638",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:AccountingCostCode",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:AccountingCostCode",
            ),
            absent(
                "UBL-CR-639",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:AccountingCost",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:AccountingCost",
            ),
            absent(
                "UBL-CR-640",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cbc:PerUnitAmount",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cbc:PerUnitAmount",
            ),
            absent(
                "UBL-CR-641",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cac:TaxCategory",
            ),
            absent(
                "UBL-CR-642",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cac:TaxTotal",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cac:TaxTotal",
            ),
            absent(
                "UBL-CR-643",
                "cac:InvoiceLine/cac:Price/cac:AllowanceCharge/cac:PaymentMeans",
                "cac:CreditNoteLine/cac:Price/cac:AllowanceCharge/cac:PaymentMeans",
            ),
            absent(
                "UBL-CR-644",
                "cac:InvoiceLine/cac:Price/cac:PricingExchangeRate",
                "cac:CreditNoteLine/cac:Price/cac:PricingExchangeRate",
            ),
            absent("UBL-CR-645", "cac:InvoiceLine/cac:DeliveryTerms", "cac:CreditNoteLine/cac:DeliveryTerms"),
            absent("UBL-CR-646", "cac:InvoiceLine/cac:SubInvoiceLine", "cac:CreditNoteLine/cac:SubInvoiceLine"),
            absent("UBL-CR-647", "cac:InvoiceLine/cac:ItemPriceExtension", "cac:CreditNoteLine/cac:ItemPriceExtension"),
            Assert("UBL-CR-648", lacking("cbc:CustomizationID/@schemeID")),
            Assert("UBL-CR-649", lacking("cbc:ProfileID/@schemeID")),
            Assert("UBL-CR-650", lacking("cbc:ID/@schemeID")),
            Assert("UBL-CR-651", lacking("cbc:SalesOrderID/@schemeID")),
            Assert("UBL-CR-652", lacking("//cac:PartyTaxScheme/cbc:CompanyID/@schemeID")),
            Assert("UBL-CR-653", lacking("cac:PaymentMeans/cbc:PaymentID/@schemeID")),
            Assert("UBL-CR-654", lacking("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID/@schemeID")),
            Assert(
                "UBL-CR-655",
                lacking("cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID/@schemeID"),
            ),
            Assert("UBL-CR-656", lacking("cbc:InvoiceTypeCode/@listID")),
            Assert("UBL-CR-657", lacking("cbc:DocumentCurrencyCode/@listID")),
            Assert("UBL-CR-658", lacking("cbc:TaxCurrencyCode/@listID")),
            Assert("UBL-CR-659", lacking("cac:AdditionalDocumentReference/cbc:DocumentTypeCode/@listID")),
            Assert("UBL-CR-660", lacking("//cac:Country/cbc:IdentificationCode/@listID")),
            Assert("UBL-CR-661", lacking("cac:PaymentMeans/cbc:PaymentMeansCode/@listID")),
            Assert("UBL-CR-662", lacking("//cbc:AllowanceChargeReasonCode/@listID")),
            Assert("UBL-CR-663", no_attribute_anywhere("unitCodeListID")),
            Assert("UBL-CR-664", lacking("//cac:FinancialInstitution")),
            Assert("UBL-CR-665", no_scheme_on_other_references),
            Assert(
                "UBL-CR-666",
                lambda e, d: not any(find(r, d, "cac:Attachment") for r in invoiced_object_references(e, d)),
            ),
            Assert("UBL-CR-667", lacking("//cac:BuyersItemIdentification/cbc:ID/@schemeID")),
            Assert("UBL-CR-668", lacking("//cac:SellersItemIdentification/cbc:ID/@schemeID")),
            Assert("UBL-CR-669", lacking("//cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode")),
            Assert("UBL-CR-670", lacking("//cac:Price/cac:AllowanceCharge/cbc:AllowanceChargeReason")),
            Assert("UBL-CR-671", lacking("//cac:Price/cac:AllowanceCharge/cbc:MultiplierFactorNumeric")),
            Assert("UBL-CR-672", lacking("cbc:CreditNoteTypeCode/@listID")),
            Assert(
                "UBL-CR-673",
                lambda e, d: not any(find(r, d, "cbc:DocumentDescription") for r in invoiced_object_references(e, d)),
            ),
            Assert("UBL-CR-674", lacking("//cbc:PrimaryAccountNumberID/@schemeID")),
            Assert("UBL-CR-675", lacking("//cac:CardAccount/cbc:NetworkID/@schemeID")),
            Assert("UBL-CR-676", lacking("//cac:PaymentMandate/cbc:ID/@schemeID")),
            Assert("UBL-CR-677", lacking("//cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID/@schemeID")),
            Assert("UBL-CR-678", lacking("//cac:TaxCategory/cbc:ID/@schemeID")),
            Assert("UBL-CR-679", lacking("//cac:ClassifiedTaxCategory/cbc:ID/@schemeID")),
            Assert("UBL-CR-680", lacking("//cac:PaymentMeans/cac:PayerFinancialAccount")),
            absent("UBL-CR-681", "cac:PaymentMeans/cbc:InstructionNote"),
            absent("UBL-CR-682", "cac:Delivery/cac:DeliveryAddress"),
            Assert("UBL-DT-08", no_attribute_anywhere("schemeName")),
            Assert("UBL-DT-09", no_attribute_anywhere("schemeAgencyName")),
            Assert("UBL-DT-10", no_attribute_anywhere("schemeDataURI")),
            Assert("UBL-DT-11", no_attribute_anywhere("schemeURI")),
            Assert("UBL-DT-12", no_attribute_anywhere("format")),
            Assert("UBL-DT-13", no_attribute_anywhere("unitCodeListIdentifier")),
            Assert("UBL-DT-14", no_attribute_anywhere("unitCodeListAgencyIdentifier")),
            Assert("UBL-DT-15", no_attribute_anywhere("unitCodeListAgencyName")),
            Assert("UBL-DT-16", no_attribute_anywhere("listAgencyName")),
            Assert("UBL-DT-17", no_attribute_anywhere("listName")),
            Assert("UBL-DT-18", names_only_on_payment_means),
            Assert("UBL-DT-19", no_attribute_anywhere("languageID")),
            Assert("UBL-DT-20", no_attribute_anywhere("listURI")),
            Assert("UBL-DT-21", no_attribute_anywhere("listSchemeURI")),
            Assert("UBL-DT-22", no_attribute_anywhere("languageLocaleID")),
            Assert("UBL-DT-23", no_attribute_anywhere("uri")),
            Assert("UBL-DT-24", no_attribute_anywhere("currencyCodeListVersionID")),
            Assert("UBL-DT-25", no_attribute_anywhere("characterSetCode")),
            Assert("UBL-DT-26", no_attribute_anywhere("encodingCode")),
            Assert("UBL-DT-27", no_attribute_anywhere("schemeAgencyID")),
            Assert("UBL-DT-28", no_attribute_anywhere("listAgencyID")),
            Assert("UBL-SR-01", at_most("cac:ContractDocumentReference/cbc:ID", 1)),
            Assert("UBL-SR-02", at_most("cac:ReceiptDocumentReference/cbc:ID", 1)),
            Assert("UBL-SR-03", at_most("cac:DespatchDocumentReference/cbc:ID", 1)),
            Assert(
                "UBL-SR-04",
                lambda e, d: (
                    sum(
                        len(find(r, d, "cbc:ID"))
                        for r in find(e, d, "cac:AdditionalDocumentReference")
                        if any_text(find(r, d, "cbc:DocumentTypeCode"), "130")
                    )
                    <= 1
                ),
            ),
            Assert("UBL-SR-05", at_most("cac:PaymentTerms/cbc:Note", 1)),
            Assert("UBL-SR-08", at_most("cac:InvoicePeriod", 1)),
            Assert(
                "UBL-SR-09",
                at_most("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
            ),
            Assert("UBL-SR-10", at_most("cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name", 1)),
            Assert("UBL-SR-11", at_most("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1)),
            Assert("UBL-SR-12", company_ids("cac:AccountingSupplierParty", vat=True)),
            Assert("UBL-SR-13", company_ids("cac:AccountingSupplierParty", vat=False)),
            Assert(
                "UBL-SR-14",
                at_most("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyLegalForm", 1),
            ),
            Assert(
                "UBL-SR-15",
                at_most("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", 1),
            ),
            Assert("UBL-SR-16", at_most("cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID", 1)),
            Assert("UBL-SR-17", at_most("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", 1)),
            Assert("UBL-SR-18", company_ids("cac:AccountingCustomerParty", vat=True)),
            Assert("UBL-SR-24", at_most("cac:Delivery", 1)),
            Assert(
                "UBL-SR-29",
                lambda e, d: (
                    sum(
                        1
                        for node in find(e, d, "//cac:PartyIdentification/cbc:ID")
                        if (node.get("schemeID") or "").upper() == "SEPA"
                    )
                    <= 1
                ),
            ),
            Assert("UBL-SR-39", at_most("cac:ProjectReference/cbc:ID", 1)),
            Assert("UBL-SR-40", at_most("cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name", 1)),
            Assert("UBL-SR-44", distinct_values_at_most_one("cbc:PaymentID")),
            Assert("UBL-SR-45", at_most("cac:PaymentMeans/cbc:PaymentDueDate", 1)),
            Assert("UBL-SR-46", at_most("cac:PaymentMeans/cbc:PaymentMeansCode/@name", 1)),
            Assert("UBL-SR-47", distinct_values_at_most_one("cbc:PaymentMeansCode")),
            Assert("UBL-SR-49", at_most("cac:InvoicePeriod/cbc:DescriptionCode", 1)),
            Assert("UBL-SR-54", at_most("cac:PaymentMeans/cac:CardAccount", 1)),
            Assert("UBL-SR-55", at_most("cac:PaymentMeans/cac:PaymentMandate", 1)),
            Assert("UBL-SR-56", at_most("cac:OriginatorDocumentReference/cbc:ID", 1)),
        ),
        rule(
            "cac:InvoiceLine | cac:CreditNoteLine",
            Assert("UBL-SR-34", at_most("cbc:Note", 1)),
            Assert("UBL-SR-35", at_most("cac:OrderLineReference/cbc:LineID", 1)),
            Assert("UBL-SR-36", at_most("cac:InvoicePeriod", 1)),
            Assert("UBL-SR-37", at_most("cac:Price/cac:AllowanceCharge/cbc:Amount", 1)),
            Assert("UBL-SR-48", exactly("cac:Item/cac:ClassifiedTaxCategory", 1)),
            Assert("UBL-SR-50", at_most("cac:Item/cbc:Description", 1)),
            Assert("UBL-SR-52", at_most("cac:DocumentReference", 1)),
        ),
        rule(
            "cac:PayeeParty",
            Assert("UBL-SR-19", both(at_most("cac:PartyName/cbc:Name", 1), payee_name_differs)),
            Assert(
                "UBL-SR-20",
                both(
                    # upper-case(@schemeID) of no attribute is "": an id without a scheme counts.
                    lambda e, d: (
                        sum(
                            1
                            for node in find(e, d, "cac:PartyIdentification/cbc:ID")
                            if (node.get("schemeID") or "").upper() != "SEPA"
                        )
                        <= 1
                    ),
                    payee_name_differs,
                ),
            ),
            Assert("UBL-SR-21", both(at_most("cac:PartyLegalEntity/cbc:CompanyID", 1), payee_name_differs)),
        ),
        rule(
            "cac:PaymentMeans",
            Assert("UBL-SR-26", at_most("cbc:PaymentID", 1)),
            Assert("UBL-SR-27", at_most("cbc:PaymentMeansCode", 1)),
            Assert("UBL-SR-28", at_most("cac:PaymentMandate/cbc:ID", 1)),
        ),
        rule(
            "cac:BillingReference",
            Assert("UBL-SR-06", at_most("cac:InvoiceDocumentReference", 1)),
            Assert("UBL-SR-07", present("cac:InvoiceDocumentReference/cbc:ID")),
        ),
        rule(
            "cac:TaxRepresentativeParty",
            Assert("UBL-SR-22", at_most("cac:PartyName/cbc:Name", 1)),
            Assert("UBL-SR-23", at_most("cac:PartyTaxScheme/cbc:CompanyID", 1)),
        ),
        rule(
            "cac:TaxSubtotal",
            Assert("UBL-SR-32", at_most("cac:TaxCategory/cbc:TaxExemptionReason", 1)),
        ),
    )
)
