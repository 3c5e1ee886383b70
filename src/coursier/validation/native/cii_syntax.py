"""The CII syntax binding of EN 16931, natively: the CII-SR and CII-DT assertions of the CEN/TC 434
CII artefact (release 1.3.16).

Most say that an element of the UN/CEFACT schema is not used by EN 16931 (`absent`, decided for a
whole rule in one walk of the context's children); the others restrict cardinalities, attributes
and code values the way the artefact's tests do.
"""

import re

from coursier.validation.native.book import (
    Assert,
    Pattern,
    absent,
    any_name_ending,
    at_most,
    either,
    exactly,
    lacking,
    local_name_ends,
    no_attribute,
    present,
    rule,
)
from coursier.validation.native.xpath import (
    Document,
    Element,
    all_of,
    any_of,
    any_text,
    boolean,
    find,
    normalize,
    one,
    tag,
    text,
)

BILLED_UNIT_CODES = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode"
)
# The identifiers that take no scheme attribute at all (CII-DT-001..007).
IDENTIFIERS_WITHOUT_SCHEME = (
    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:AssociatedDocumentLineDocument/ram:LineID",
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:SpecifiedTradeProduct/ram:SellerAssignedID",
)
# CII-DT-097: a date in format 102 is CCYYMMDD, white space around allowed (XPath \s: four characters).
DATE_102 = re.compile(r"[ \t\n\r]*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])[ \t\n\r]*")
_PRICE_ALLOWANCE = "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"


def price_allowance_only(agreement: Element, document: Document) -> bool:
    """CII-SR-119: a gross price carries only an allowance (indicator false) with its amount, or nothing."""
    indicators = find(agreement, document, f"{_PRICE_ALLOWANCE}/ram:ChargeIndicator")
    amounts = find(agreement, document, f"{_PRICE_ALLOWANCE}/ram:ActualAmount")
    allowance = any(
        any(boolean(value) is False for value in find(indicator, document, "udt:Indicator")) for indicator in indicators
    )
    return (allowance and bool(amounts)) or (not indicators and not amounts)


def documents_of_type(code: str, *, at_most: int, normalized: bool = False, below: str | None = None):
    """count(ram:AdditionalReferencedDocument[ram:TypeCode = code](/below)) <= at_most."""

    def of_type(reference: Element, document: Document) -> bool:
        type_codes = find(reference, document, "ram:TypeCode")
        if normalized:
            return normalize(text(one(type_codes))) == code
        return any_text(type_codes, code)

    def holds(element: Element, document: Document) -> bool:
        references = [
            node for node in find(element, document, "ram:AdditionalReferencedDocument") if of_type(node, document)
        ]
        if below is not None:
            return sum(len(find(node, document, below)) for node in references) <= at_most
        return len(references) <= at_most

    return holds


def not_both(first: str, second: str):
    """Not both paths present (CII-SR-449..451 state it as three alternatives)."""
    return lambda element, document: not (find(element, document, first) and find(element, document, second))


def one_due_date_code(element: Element, document: Document) -> bool:
    """CII-SR-462: the VAT point date codes of all breakdowns agree."""
    values = [text(node) for node in find(element, document, "//ram:ApplicableTradeTax/ram:DueDateTypeCode")]
    return not values or len(set(values)) == 1


def transfers_have_account(settlement: Element, document: Document) -> bool:
    """CII-SR-470: every credit transfer (30, 58) has the payee's IBAN or proprietary account id."""

    def without_account(means: Element) -> bool:
        return all_of(
            lambda: normalize(text(one(find(means, document, "ram:TypeCode")))) in ("30", "58"),
            lambda: (
                not (
                    find(means, document, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
                    or find(means, document, "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID")
                )
            ),
        )

    return not any_of(
        *(
            lambda means=means: without_account(means)
            for means in find(settlement, document, "ram:SpecifiedTradeSettlementPaymentMeans")
        )
    )


def all_alike(path: str):
    """count(path[normalize-space(.) != normalize-space((path)[1])]) = 0."""

    def holds(element: Element, document: Document) -> bool:
        nodes = find(element, document, path)
        if not nodes:
            return True
        first = normalize(text(nodes[0]))
        return all(normalize(text(node)) == first for node in nodes)

    return holds


def additional_document_of_type(*type_codes: str):
    """self::ram:AdditionalReferencedDocument and ram:TypeCode = one of the codes."""
    name = tag("ram:AdditionalReferencedDocument")
    return lambda element, document: (
        element.tag == name and any_text(find(element, document, "ram:TypeCode"), *type_codes)
    )


def is_named(name: str):
    """self::name."""
    wanted = tag(name)
    return lambda element, document: element.tag == wanted


def below(name: str):
    """ancestor::name."""
    wanted = tag(name)
    return lambda element, document: any(ancestor.tag == wanted for ancestor in element.iterancestors())


SYNTAX_RULES = Pattern(
    (
        rule(
            "ram:SpecifiedTradeSettlementPaymentMeans",
            absent("CII-SR-464", "ram:PayerSpecifiedDebtorFinancialInstitution"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext",
            absent("CII-SR-001", "ram:SpecifiedTransactionID"),
            absent("CII-SR-002", "ram:TestIndicator"),
            Assert("CII-SR-003", at_most("ram:BusinessProcessSpecifiedDocumentContextParameter", 1)),
            absent("CII-SR-006", "ram:BIMSpecifiedDocumentContextParameter"),
            absent("CII-SR-007", "ram:ScenarioSpecifiedDocumentContextParameter"),
            absent("CII-SR-008", "ram:ApplicationSpecifiedDocumentContextParameter"),
            Assert("CII-SR-009", exactly("ram:GuidelineSpecifiedDocumentContextParameter", 1)),
            Assert("CII-SR-010", exactly("ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", 1)),
            absent("CII-SR-011", "ram:SubsetSpecifiedDocumentContextParameter"),
            absent("CII-SR-012", "ram:MessageStandardSpecifiedDocumentContextParameter"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument",
            absent("CII-SR-013", "ram:Name"),
            Assert("CII-SR-014", exactly("ram:TypeCode", 1)),
            absent("CII-SR-015", "ram:IssueDateTime/udt:DateTime"),
            absent("CII-SR-016", "ram:CopyIndicator"),
            absent("CII-SR-017", "ram:Purpose"),
            absent("CII-SR-018", "ram:ControlRequirementIndicator"),
            absent("CII-SR-019", "ram:LanguageID"),
            absent("CII-SR-020", "ram:PurposeCode"),
            absent("CII-SR-021", "ram:RevisionDateTime"),
            absent("CII-SR-022", "ram:VersionID"),
            absent("CII-SR-023", "ram:GlobalID"),
            absent("CII-SR-024", "ram:RevisionID"),
            absent("CII-SR-025", "ram:PreviousRevisionID"),
            absent("CII-SR-026", "ram:CategoryCode"),
            absent("CII-SR-027", "ram:IncludedNote/ram:Subject"),
            absent("CII-SR-028", "ram:IncludedNote/ram:ContentCode"),
            absent("CII-SR-032", "ram:IncludedNote/ram:ID"),
            absent("CII-SR-033", "ram:EffectiveSpecifiedPeriod"),
            absent("CII-SR-034", "ram:IssuerTradeParty"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote",
            Assert("CII-SR-030", at_most("ram:Content", 1)),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem",
            absent("CII-SR-035", "ram:DescriptionCode"),
            absent("CII-SR-036", "ram:ParentLineID"),
            absent("CII-SR-037", "ram:LineStatusCode"),
            absent("CII-SR-038", "ram:LineStatusReasonCode"),
            absent("CII-SR-221", "ram:IncludedSubordinateTradeLineItem"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument",
            Assert("CII-SR-039", at_most("ram:IncludedNote", 1)),
            Assert("CII-SR-040", at_most("ram:IncludedNote/ram:Content", 1)),
            absent("CII-SR-041", "ram:IncludedNote/ram:SubjectCode"),
            absent("CII-SR-042", "ram:IncludedNote/ram:ID"),
            absent("CII-SR-043", "ram:IncludedNote/ram:Subject"),
            absent("CII-SR-044", "ram:IncludedNote/ram:ContentCode"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct",
            absent("CII-SR-045", "ram:ID"),
            Assert("CII-SR-046", either(lacking("ram:GlobalID"), present("ram:GlobalID/@schemeID"))),
            absent("CII-SR-048", "ram:ManufacturerAssignedID"),
            absent("CII-SR-049", "ram:TradeName"),
            absent("CII-SR-050", "ram:TypeCode"),
            absent("CII-SR-051", "ram:NetWeightMeasure"),
            absent("CII-SR-052", "ram:GrossWeightMeasure"),
            absent("CII-SR-053", "ram:ProductGroupID"),
            absent("CII-SR-054", "ram:EndItemTypeCode"),
            absent("CII-SR-055", "ram:EndItemName"),
            absent("CII-SR-056", "ram:AreaDensityMeasure"),
            absent("CII-SR-057", "ram:UseDescription"),
            absent("CII-SR-058", "ram:BrandName"),
            absent("CII-SR-059", "ram:SubBrandName"),
            absent("CII-SR-060", "ram:DrainedNetWeightMeasure"),
            absent("CII-SR-061", "ram:VariableMeasureIndicator"),
            absent("CII-SR-062", "ram:ColourCode"),
            absent("CII-SR-063", "ram:ColourDescription"),
            absent("CII-SR-064", "ram:Designation"),
            absent("CII-SR-065", "ram:FormattedCancellationAnnouncedLaunchDateTime"),
            absent("CII-SR-066", "ram:FormattedLatestProductDataChangeDateTime"),
            absent("CII-SR-067", "ram:ApplicableProductCharacteristic/ram:ID"),
            absent("CII-SR-068", "ram:ApplicableProductCharacteristic/ram:TypeCode"),
            absent("CII-SR-070", "ram:ApplicableProductCharacteristic/ram:ValueMeasure"),
            absent("CII-SR-071", "ram:ApplicableProductCharacteristic/ram:MeasurementMethodCode"),
            absent("CII-SR-073", "ram:ApplicableProductCharacteristic/ram:ValueCode"),
            absent("CII-SR-074", "ram:ApplicableProductCharacteristic/ram:ValueDateTime"),
            absent("CII-SR-075", "ram:ApplicableProductCharacteristic/ram:ValueIndicator"),
            absent("CII-SR-076", "ram:ApplicableProductCharacteristic/ram:ContentTypeCode"),
            absent("CII-SR-077", "ram:ApplicableProductCharacteristic/ram:ValueSpecifiedBinaryFile"),
            absent("CII-SR-078", "ram:ApplicableProductCharacteristic/ram:ApplicableProductCharacteristicCondition"),
            absent("CII-SR-079", "ram:ApplicableProductCharacteristic/ram:ApplicableReferencedStandard"),
            absent("CII-SR-080", "ram:ApplicableMaterialGoodsCharacteristic"),
            absent("CII-SR-081", "ram:DesignatedProductClassification/ram:SystemID"),
            absent("CII-SR-082", "ram:DesignatedProductClassification/ram:SystemName"),
            absent("CII-SR-083", "ram:DesignatedProductClassification/ram:ClassName"),
            absent("CII-SR-084", "ram:DesignatedProductClassification/ram:SubClassCode"),
            absent("CII-SR-085", "ram:DesignatedProductClassification/ram:ClassProductCharacteristic"),
            absent("CII-SR-086", "ram:DesignatedProductClassification/ram:ApplicableReferencedStandard"),
            absent("CII-SR-087", "ram:IndividualTradeProductInstance"),
            absent("CII-SR-088", "ram:CertificationEvidenceReferenceReferencedDocument"),
            absent("CII-SR-089", "ram:InspectionReferenceReferencedDocument"),
            Assert(
                "CII-SR-090", either(lacking("ram:OriginTradeCountry"), exactly("ram:OriginTradeCountry/ram:ID", 1))
            ),
            absent("CII-SR-091", "ram:OriginTradeCountry/ram:Name"),
            absent("CII-SR-092", "ram:OriginTradeCountry/ram:SubordinateTradeCountrySubDivision"),
            absent("CII-SR-093", "ram:LinearSpatialDimension"),
            absent("CII-SR-094", "ram:MinimumLinearSpatialDimension"),
            absent("CII-SR-095", "ram:MaximumLinearSpatialDimension"),
            absent("CII-SR-096", "ram:ManufacturerTradeParty"),
            absent("CII-SR-097", "ram:PresentationSpecifiedBinaryFile"),
            absent("CII-SR-098", "ram:MSDSReferenceReferencedDocument"),
            absent("CII-SR-099", "ram:AdditionalReferenceReferencedDocument"),
            absent("CII-SR-100", "ram:LegalRightsOwnerTradeParty"),
            absent("CII-SR-101", "ram:BrandOwnerTradeParty"),
            absent("CII-SR-102", "ram:IncludedReferencedProduct"),
            absent("CII-SR-103", "ram:InformationNote"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic",
            Assert("CII-SR-069", exactly("ram:Description", 1)),
            Assert("CII-SR-072", exactly("ram:Value", 1)),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeAgreement",
            absent("CII-SR-104", "ram:BuyerReference"),
            absent("CII-SR-105", "ram:BuyerRequisitionerTradeParty"),
            absent("CII-SR-106", "ram:ApplicableTradeDeliveryTerms"),
            absent("CII-SR-107", "ram:SellerOrderReferencedDocument"),
            absent("CII-SR-108", "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
            absent("CII-SR-109", "ram:QuotationReferencedDocument"),
            absent("CII-SR-110", "ram:ContractReferencedDocument"),
            absent("CII-SR-111", "ram:DemandForecastReferencedDocument"),
            absent("CII-SR-112", "ram:PromotionalDealReferencedDocument"),
            absent("CII-SR-113", "ram:AdditionalReferencedDocument"),
            absent("CII-SR-114", "ram:GrossPriceProductTradePrice/ram:TypeCode"),
            absent("CII-SR-115", "ram:GrossPriceProductTradePrice/ram:MinimumQuantity"),
            absent("CII-SR-116", "ram:GrossPriceProductTradePrice/ram:MaximumQuantity"),
            absent("CII-SR-117", "ram:GrossPriceProductTradePrice/ram:ChangeReason"),
            absent("CII-SR-118", "ram:GrossPriceProductTradePrice/ram:OrderUnitConversionFactorNumeric"),
            Assert("CII-SR-439", exactly("ram:NetPriceProductTradePrice/ram:ChargeAmount", 1)),
            Assert("CII-SR-119", price_allowance_only),
            absent("CII-SR-120", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ID"),
            absent("CII-SR-121", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:SequenceNumeric"),
            absent(
                "CII-SR-122", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:CalculationPercent"
            ),
            absent("CII-SR-123", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:BasisAmount"),
            absent("CII-SR-124", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:BasisQuantity"),
            absent(
                "CII-SR-125", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:PrepaidIndicator"
            ),
            absent("CII-SR-126", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:UnitBasisAmount"),
            absent("CII-SR-127", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ReasonCode"),
            absent("CII-SR-128", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:Reason"),
            absent("CII-SR-129", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:TypeCode"),
            absent(
                "CII-SR-130", "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:CategoryTradeTax"
            ),
            absent(
                "CII-SR-131",
                "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange",
            ),
            absent("CII-SR-445", "ram:GrossPriceProductTradePrice/ram:IncludedTradeTax"),
            absent("CII-SR-132", "ram:GrossPriceProductTradePrice/ram:ValiditySpecifiedPeriod"),
            absent("CII-SR-133", "ram:GrossPriceProductTradePrice/ram:DeliveryTradeLocation"),
            absent("CII-SR-134", "ram:GrossPriceProductTradePrice/ram:TradeComparisonReferencePrice"),
            absent("CII-SR-135", "ram:GrossPriceProductTradePrice/ram:AssociatedReferencedDocument"),
            absent("CII-SR-136", "ram:NetPriceProductTradePrice/ram:TypeCode"),
            absent("CII-SR-138", "ram:NetPriceProductTradePrice/ram:MinimumQuantity"),
            absent("CII-SR-139", "ram:NetPriceProductTradePrice/ram:MaximumQuantity"),
            absent("CII-SR-140", "ram:NetPriceProductTradePrice/ram:ChangeReason"),
            absent("CII-SR-141", "ram:NetPriceProductTradePrice/ram:OrderUnitConversionFactorNumeric"),
            absent("CII-SR-142", "ram:NetPriceProductTradePrice/ram:AppliedTradeAllowanceCharge"),
            absent("CII-SR-446", "ram:NetPriceProductTradePrice/ram:IncludedTradeTax"),
            absent("CII-SR-143", "ram:NetPriceProductTradePrice/ram:ValiditySpecifiedPeriod"),
            absent("CII-SR-144", "ram:NetPriceProductTradePrice/ram:DeliveryTradeLocation"),
            absent("CII-SR-145", "ram:NetPriceProductTradePrice/ram:TradeComparisonReferencePrice"),
            absent("CII-SR-146", "ram:NetPriceProductTradePrice/ram:AssociatedReferencedDocument"),
            Assert("CII-SR-441", at_most("ram:NetPriceProductTradePrice/ram:ChargeAmount", 1)),
            absent("CII-SR-147", "ram:RequisitionerReferencedDocument"),
            absent("CII-SR-148", "ram:ItemSellerTradeParty"),
            absent("CII-SR-149", "ram:ItemBuyerTradeParty"),
            absent("CII-SR-150", "ram:IncludedSpecifiedMarketplace"),
            absent("CII-SR-447", "ram:UltimateCustomerOrderReferencedDocument"),
        ),
        rule(
            "ram:SpecifiedTradeAllowanceCharge",
            Assert("CII-SR-463", present("ram:ChargeIndicator")),
            Assert("CII-SR-471", at_most("ram:RateApplicablePercent", 1)),
            Assert("CII-SR-472", at_most("ram:CategoryTradeTax", 1)),
            Assert("CII-SR-473", at_most("ram:ActualAmount", 1)),
        ),
        rule(
            "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge",
            Assert("CII-SR-440", at_most("ram:ActualAmount", 1)),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeDelivery",
            absent("CII-SR-151", "ram:RequestedQuantity"),
            absent("CII-SR-152", "ram:ReceivedQuantity"),
            absent("CII-SR-153", "ram:ChargeFreeQuantity"),
            absent("CII-SR-154", "ram:PackageQuantity"),
            absent("CII-SR-155", "ram:ProductUnitQuantity"),
            absent("CII-SR-156", "ram:PerPackageUnitQuantity"),
            absent("CII-SR-157", "ram:NetWeightMeasure"),
            absent("CII-SR-158", "ram:GrossWeightMeasure"),
            absent("CII-SR-159", "ram:TheoreticalWeightMeasure"),
            absent("CII-SR-160", "ram:DespatchedQuantity"),
            absent("CII-SR-161", "ram:SpecifiedDeliveryAdjustment"),
            absent("CII-SR-162", "ram:IncludedSupplyChainPackaging"),
            absent("CII-SR-163", "ram:RelatedSupplyChainConsignment"),
            absent("CII-SR-164", "ram:ShipToTradeParty"),
            absent("CII-SR-165", "ram:UltimateShipToTradeParty"),
            absent("CII-SR-166", "ram:ShipFromTradeParty"),
            absent("CII-SR-167", "ram:ActualDespatchSupplyChainEvent"),
            absent("CII-SR-168", "ram:ActualPickUpSupplyChainEvent"),
            absent("CII-SR-169", "ram:RequestedDeliverySupplyChainEvent"),
            absent("CII-SR-170", "ram:ActualDeliverySupplyChainEvent"),
            absent("CII-SR-171", "ram:ActualReceiptSupplyChainEvent"),
            absent("CII-SR-172", "ram:AdditionalReferencedDocument"),
            absent("CII-SR-173", "ram:DespatchAdviceReferencedDocument"),
            absent("CII-SR-174", "ram:ReceivingAdviceReferencedDocument"),
            absent("CII-SR-175", "ram:DeliveryNoteReferencedDocument"),
            absent("CII-SR-176", "ram:ConsumptionReportReferencedDocument"),
            absent("CII-SR-177", "ram:PackingListReferencedDocument"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement",
            absent("CII-SR-178", "ram:PaymentReference"),
            absent("CII-SR-179", "ram:InvoiceIssuerReference"),
            absent("CII-SR-180", "ram:TotalAdjustmentAmount"),
            absent("CII-SR-181", "ram:DiscountIndicator"),
            absent("CII-SR-182", "ram:ApplicableTradeTax/ram:CalculatedAmount"),
            absent("CII-SR-183", "ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/udt:IndicatorString"),
            absent("CII-SR-184", "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            absent("CII-SR-185", "ram:SpecifiedTradeAllowanceCharge/ram:SequenceNumeric"),
            Assert("CII-SR-186", lacking("ram:SpecifiedTradeAllowanceCharge/ram:CalculationPercent/@format")),
            absent("CII-SR-187", "ram:SpecifiedTradeAllowanceCharge/ram:BasisQuantity"),
            absent("CII-SR-188", "ram:SpecifiedTradeAllowanceCharge/ram:PrepaidIndicator"),
            absent("CII-SR-189", "ram:SpecifiedTradeAllowanceCharge/ram:UnitBasisAmount"),
            absent("CII-SR-190", "ram:SpecifiedTradeAllowanceCharge/ram:TypeCode"),
            absent("CII-SR-191", "ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax"),
            absent("CII-SR-192", "ram:SpecifiedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange"),
            absent("CII-SR-193", "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            absent("CII-SR-194", "ram:SubtotalCalculatedTradeTax"),
            absent("CII-SR-195", "ram:SpecifiedLogisticsServiceCharge"),
            absent("CII-SR-196", "ram:SpecifiedTradePaymentTerms"),
            absent("CII-SR-197", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:ChargeTotalAmount"),
            absent("CII-SR-198", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:AllowanceTotalAmount"),
            absent("CII-SR-199", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxBasisTotalAmount"),
            absent("CII-SR-200", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount"),
            absent("CII-SR-201", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:GrandTotalAmount"),
            absent("CII-SR-202", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:InformationAmount"),
            absent("CII-SR-203", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TotalAllowanceChargeAmount"),
            absent(
                "CII-SR-204", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TotalRetailValueInformationAmount"
            ),
            absent("CII-SR-205", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:GrossLineTotalAmount"),
            absent("CII-SR-206", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:NetLineTotalAmount"),
            absent(
                "CII-SR-207", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:NetIncludingTaxesLineTotalAmount"
            ),
            absent(
                "CII-SR-208", "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:ProductWeightLossInformationAmount"
            ),
            absent("CII-SR-209", "ram:SpecifiedFinancialAdjustment"),
            absent("CII-SR-210", "ram:InvoiceReferencedDocument"),
            absent("CII-SR-212", "ram:PayableSpecifiedTradeAccountingAccount"),
            absent("CII-SR-213", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:SetTriggerCode"),
            absent("CII-SR-214", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:TypeCode"),
            absent("CII-SR-215", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:AmountTypeCode"),
            absent("CII-SR-216", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:Name"),
            absent("CII-SR-217", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:CostReferenceDimensionPattern"),
            absent("CII-SR-218", "ram:PurchaseSpecifiedTradeAccountingAccount"),
            absent("CII-SR-219", "ram:SalesSpecifiedTradeAccountingAccount"),
            absent("CII-SR-220", "ram:SpecifiedTradeSettlementFinancialCard"),
            Assert("CII-SR-454", exactly("ram:ApplicableTradeTax", 1)),
            Assert("CII-SR-474", documents_of_type("130", at_most=1, normalized=True)),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement",
            absent("CII-SR-442", "ram:Reference"),
            absent("CII-SR-222", "ram:SellerTradeParty/ram:RoleCode"),
            absent("CII-SR-223", "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            absent("CII-SR-224", "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            absent("CII-SR-225", "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            absent("CII-SR-226", "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            absent("CII-SR-227", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:ID"),
            absent("CII-SR-228", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TypeCode"),
            absent("CII-SR-229", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:JobTitle"),
            absent("CII-SR-230", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:Responsibility"),
            absent("CII-SR-231", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:PersonID"),
            absent(
                "CII-SR-232",
                "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:URIID",
            ),
            absent(
                "CII-SR-233",
                "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:ChannelCode",
            ),
            absent(
                "CII-SR-234", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:DirectTelephoneUniversalCommunication"
            ),
            absent(
                "CII-SR-235", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:MobileTelephoneUniversalCommunication"
            ),
            absent("CII-SR-236", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:FaxUniversalCommunication"),
            absent(
                "CII-SR-237",
                "ram:SellerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:ChannelCode",
            ),
            absent(
                "CII-SR-238",
                "ram:SellerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:CompleteNumber",
            ),
            absent("CII-SR-239", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:TelexUniversalCommunication"),
            absent("CII-SR-240", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:VOIPUniversalCommunication"),
            absent(
                "CII-SR-241", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:InstantMessagingUniversalCommunication"
            ),
            absent("CII-SR-242", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:SpecifiedNote"),
            absent("CII-SR-243", "ram:SellerTradeParty/ram:DefinedTradeContact/ram:SpecifiedContactPerson"),
            absent("CII-SR-244", "ram:SellerTradeParty/ram:URIUniversalCommunication/ram:ChannelCode"),
            absent("CII-SR-245", "ram:SellerTradeParty/ram:URIUniversalCommunication/ram:CompleteNumber"),
            absent("CII-SR-246", "ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax"),
            absent("CII-SR-247", "ram:SellerTradeParty/ram:EndPointURIUniversalCommunication"),
            absent("CII-SR-248", "ram:SellerTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            absent("CII-SR-249", "ram:BuyerTradeParty/ram:RoleCode"),
            absent("CII-SR-250", "ram:BuyerTradeParty/ram:Description"),
            absent("CII-SR-251", "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            absent("CII-SR-252", "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            absent("CII-SR-254", "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            absent("CII-SR-255", "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            absent("CII-SR-256", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:ID"),
            absent("CII-SR-257", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TypeCode"),
            absent("CII-SR-258", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:JobTitle"),
            absent("CII-SR-259", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:Responsibility"),
            absent("CII-SR-260", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:PersonID"),
            absent(
                "CII-SR-261",
                "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:URIID",
            ),
            absent(
                "CII-SR-262",
                "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:ChannelCode",
            ),
            absent(
                "CII-SR-263", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:DirectTelephoneUniversalCommunication"
            ),
            absent(
                "CII-SR-264", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:MobileTelephoneUniversalCommunication"
            ),
            absent("CII-SR-265", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:FaxUniversalCommunication"),
            absent(
                "CII-SR-266",
                "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:ChannelCode",
            ),
            absent(
                "CII-SR-267",
                "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:CompleteNumber",
            ),
            absent("CII-SR-268", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:TelexUniversalCommunication"),
            absent("CII-SR-269", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:VOIPUniversalCommunication"),
            absent(
                "CII-SR-270", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:InstantMessagingUniversalCommunication"
            ),
            absent("CII-SR-271", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:SpecifiedNote"),
            absent("CII-SR-272", "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:SpecifiedContactPerson"),
            absent("CII-SR-273", "ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:ChannelCode"),
            absent("CII-SR-274", "ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:CompleteNumber"),
            absent("CII-SR-275", "ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax"),
            absent("CII-SR-276", "ram:BuyerTradeParty/ram:EndPointURIUniversalCommunication"),
            absent("CII-SR-277", "ram:BuyerTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            absent("CII-SR-278", "ram:SalesAgentTradeParty"),
            absent("CII-SR-279", "ram:BuyerRequisitionerTradeParty"),
            absent("CII-SR-280", "ram:BuyerAssignedAccountantTradeParty"),
            absent("CII-SR-281", "ram:SellerAssignedAccountantTradeParty"),
            absent("CII-SR-282", "ram:SellerTaxRepresentativeTradeParty/ram:ID"),
            absent("CII-SR-283", "ram:SellerTaxRepresentativeTradeParty/ram:GlobalID"),
            absent("CII-SR-284", "ram:SellerTaxRepresentativeTradeParty/ram:RoleCode"),
            absent("CII-SR-285", "ram:SellerTaxRepresentativeTradeParty/ram:Description"),
            absent("CII-SR-286", "ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedLegalOrganization"),
            absent("CII-SR-287", "ram:SellerTaxRepresentativeTradeParty/ram:DefinedTradeContact"),
            absent("CII-SR-288", "ram:SellerTaxRepresentativeTradeParty/ram:URIUniversalCommunication"),
            absent(
                "CII-SR-289",
                "ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:AssociatedRegisteredTax",
            ),
            absent("CII-SR-290", "ram:SellerTaxRepresentativeTradeParty/ram:EndPointURIUniversalCommunication"),
            absent("CII-SR-291", "ram:SellerTaxRepresentativeTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            absent("CII-SR-292", "ram:ProductEndUserTradeParty"),
            absent("CII-SR-293", "ram:ApplicableTradeDeliveryTerms"),
            absent("CII-SR-294", "ram:SellerOrderReferencedDocument/ram:LineID"),
            absent("CII-SR-295", "ram:BuyerOrderReferencedDocument/ram:LineID"),
            absent("CII-SR-296", "ram:QuotationReferencedDocument"),
            absent("CII-SR-297", "ram:OrderResponseReferencedDocument"),
            absent("CII-SR-298", "ram:ContractReferencedDocument/ram:LineID"),
            absent("CII-SR-299", "ram:DemandForecastReferencedDocument"),
            absent("CII-SR-300", "ram:SupplyInstructionReferencedDocument"),
            absent("CII-SR-301", "ram:PromotionalDealReferencedDocument"),
            absent("CII-SR-302", "ram:PriceListReferencedDocument"),
            absent("CII-SR-303", "ram:AdditionalReferencedDocument/ram:LineID"),
            absent("CII-SR-304", "ram:RequisitionerReferencedDocument"),
            absent("CII-SR-305", "ram:BuyerAgentTradeParty"),
            absent("CII-SR-306", "ram:PurchaseConditionsReferencedDocument"),
            absent("CII-SR-307", "ram:SpecifiedProcuringProject/ram:Description"),
            absent("CII-SR-448", "ram:UltimateCustomerOrderReferencedDocument"),
            Assert("CII-SR-450", not_both("ram:BuyerTradeParty/ram:ID", "ram:BuyerTradeParty/ram:GlobalID")),
            Assert("CII-SR-455", at_most("ram:SellerTradeParty/ram:DefinedTradeContact", 1)),
            Assert("CII-SR-456", at_most("ram:BuyerTradeParty/ram:DefinedTradeContact", 1)),
            Assert("CII-SR-457", documents_of_type("50", at_most=1)),
            Assert("CII-SR-458", documents_of_type("130", at_most=1)),
            Assert("CII-SR-459", at_most("ram:SellerTradeParty/ram:URIUniversalCommunication", 1)),
            Assert("CII-SR-460", at_most("ram:BuyerTradeParty/ram:URIUniversalCommunication", 1)),
            Assert(
                "CII-SR-465",
                not_both(
                    "ram:SellerTradeParty/ram:DefinedTradeContact/ram:PersonName",
                    "ram:SellerTradeParty/ram:DefinedTradeContact/ram:DepartmentName",
                ),
            ),
            Assert(
                "CII-SR-466",
                not_both(
                    "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:PersonName",
                    "ram:BuyerTradeParty/ram:DefinedTradeContact/ram:DepartmentName",
                ),
            ),
            Assert("CII-SR-475", documents_of_type("916", at_most=1, normalized=True, below="ram:Name")),
            Assert(
                "CII-SR-476", documents_of_type("916", at_most=1, normalized=True, below="ram:AttachmentBinaryObject")
            ),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery",
            absent("CII-SR-308", "ram:RelatedSupplyChainConsignment"),
            absent("CII-SR-309", "ram:ShipToTradeParty/ram:RoleCode"),
            absent("CII-SR-310", "ram:ShipToTradeParty/ram:Description"),
            absent("CII-SR-311", "ram:ShipToTradeParty/ram:SpecifiedLegalOrganization"),
            absent("CII-SR-312", "ram:ShipToTradeParty/ram:DefinedTradeContact"),
            absent("CII-SR-313", "ram:ShipToTradeParty/ram:URIUniversalCommunication"),
            absent("CII-SR-314", "ram:ShipToTradeParty/ram:SpecifiedTaxRegistration"),
            absent("CII-SR-315", "ram:ShipToTradeParty/ram:EndPointURIUniversalCommunication"),
            absent("CII-SR-316", "ram:ShipToTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            absent("CII-SR-317", "ram:UltimateShipToTradeParty"),
            absent("CII-SR-318", "ram:ShipFromTradeParty"),
            absent("CII-SR-319", "ram:ActualDespatchSupplyChainEvent"),
            absent("CII-SR-320", "ram:ActualPickUpSupplyChainEvent"),
            absent("CII-SR-321", "ram:ActualDeliverySupplyChainEvent/ram:ID"),
            absent("CII-SR-322", "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTime"),
            absent("CII-SR-323", "ram:ActualDeliverySupplyChainEvent/ram:TypeCode"),
            absent("CII-SR-324", "ram:ActualDeliverySupplyChainEvent/ram:Description"),
            absent("CII-SR-325", "ram:ActualDeliverySupplyChainEvent/ram:DescriptionBinaryObject"),
            absent("CII-SR-326", "ram:ActualDeliverySupplyChainEvent/ram:UnitQuantity"),
            absent("CII-SR-327", "ram:ActualDeliverySupplyChainEvent/ram:LatestOccurrenceDateTime"),
            absent("CII-SR-328", "ram:ActualDeliverySupplyChainEvent/ram:EarliestOccurrenceDateTime"),
            absent("CII-SR-329", "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceSpecifiedPeriod"),
            absent("CII-SR-330", "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceLogisticsLocation"),
            absent("CII-SR-331", "ram:ActualReceiptSupplyChainEvent"),
            absent("CII-SR-332", "ram:AdditionalReferencedDocument"),
            absent("CII-SR-333", "ram:DespatchAdviceReferencedDocument/ram:LineID"),
            absent("CII-SR-334", "ram:DespatchAdviceReferencedDocument/ram:LineID"),
            absent("CII-SR-335", "ram:DeliveryNoteReferencedDocument"),
            absent("CII-SR-336", "ram:ConsumptionReportReferencedDocument"),
            absent("CII-SR-337", "ram:PreviousDeliverySupplyChainEvent"),
            absent("CII-SR-338", "ram:PackingListReferencedDocument"),
            Assert("CII-SR-449", not_both("ram:ShipToTradeParty/ram:ID", "ram:ShipToTradeParty/ram:GlobalID")),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement",
            absent("CII-SR-339", "ram:DuePayableAmount"),
            absent("CII-SR-340", "ram:CreditorReferenceTypeCode"),
            absent("CII-SR-341", "ram:CreditorReferenceType"),
            absent("CII-SR-342", "ram:CreditorReferenceIssuerID"),
            absent("CII-SR-344", "ram:PaymentCurrencyCode"),
            absent("CII-SR-345", "ram:InvoiceIssuerReference"),
            absent("CII-SR-346", "ram:InvoiceDateTime"),
            absent("CII-SR-347", "ram:NextInvoiceDateTime"),
            absent("CII-SR-348", "ram:CreditReasonCode"),
            absent("CII-SR-349", "ram:CreditReason"),
            absent("CII-SR-350", "ram:InvoicerTradeParty"),
            absent("CII-SR-351", "ram:InvoiceeTradeParty"),
            absent("CII-SR-352", "ram:PayeeTradeParty/ram:RoleCode"),
            absent("CII-SR-353", "ram:PayeeTradeParty/ram:Description"),
            absent("CII-SR-354", "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:LegalClassificationCode"),
            absent("CII-SR-355", "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:Name"),
            absent("CII-SR-356", "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
            absent("CII-SR-357", "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:PostalTradeAddress"),
            absent("CII-SR-358", "ram:PayeeTradeParty/ram:SpecifiedLegalOrganization/ram:AuthorizedLegalRegistration"),
            absent("CII-SR-359", "ram:PayeeTradeParty/ram:DefinedTradeContact"),
            absent("CII-SR-360", "ram:PayeeTradeParty/ram:PostalTradeAddress"),
            absent("CII-SR-361", "ram:PayeeTradeParty/ram:URIUniversalCommunication"),
            absent("CII-SR-362", "ram:PayeeTradeParty/ram:SpecifiedTaxRegistration"),
            absent("CII-SR-363", "ram:PayeeTradeParty/ram:EndPointURIUniversalCommunication"),
            absent("CII-SR-364", "ram:PayeeTradeParty/ram:LogoAssociatedSpecifiedBinaryFile"),
            Assert("CII-SR-451", not_both("ram:PayeeTradeParty/ram:ID", "ram:PayeeTradeParty/ram:GlobalID")),
            absent("CII-SR-365", "ram:PayerTradeParty"),
            absent("CII-SR-366", "ram:TaxApplicableTradeCurrencyExchange"),
            absent("CII-SR-367", "ram:InvoiceApplicableTradeCurrencyExchange"),
            absent("CII-SR-368", "ram:PaymentApplicableTradeCurrencyExchange"),
            absent("CII-SR-369", "ram:SpecifiedTradeSettlementPaymentMeans/ram:PaymentChannelCode"),
            absent("CII-SR-370", "ram:SpecifiedTradeSettlementPaymentMeans/ram:GuaranteeMethodCode"),
            absent("CII-SR-371", "ram:SpecifiedTradeSettlementPaymentMeans/ram:PaymentMethodCode"),
            absent("CII-SR-443", "ram:SpecifiedTradeSettlementPaymentMeans/ram:ID"),
            absent(
                "CII-SR-372",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:MicrochipIndicator",
            ),
            absent(
                "CII-SR-373",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:TypeCode",
            ),
            absent(
                "CII-SR-375",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:ExpiryDate",
            ),
            absent(
                "CII-SR-376",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:VerificationNumeric",
            ),
            absent(
                "CII-SR-377",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:ValidFromDateTime",
            ),
            absent(
                "CII-SR-378",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:CreditLimitAmount",
            ),
            absent(
                "CII-SR-379",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:CreditAvailableAmount",
            ),
            absent(
                "CII-SR-380",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:InterestRatePercent",
            ),
            absent(
                "CII-SR-381",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:ApplicableTradeSettlementFinancialCard/ram:Description",
            ),
            absent(
                "CII-SR-382",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:AccountName",
            ),
            absent(
                "CII-SR-444",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount/ram:ProprietaryID",
            ),
            absent(
                "CII-SR-384",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:ClearingSystemName",
            ),
            absent(
                "CII-SR-385",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:Name",
            ),
            absent(
                "CII-SR-386",
                "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerSpecifiedDebtorFinancialInstitution/ram:LocationFinancialInstitutionAddress",
            ),
            absent("CII-SR-388", "ram:SpecifiedTradeAllowanceCharge/ram:ID"),
            absent("CII-SR-389", "ram:SpecifiedTradeAllowanceCharge/ram:SequenceNumeric"),
            absent("CII-SR-390", "ram:SpecifiedTradeAllowanceCharge/ram:BasisQuantity"),
            absent("CII-SR-391", "ram:SpecifiedTradeAllowanceCharge/ram:PrepaidIndicator"),
            absent("CII-SR-392", "ram:SpecifiedTradeAllowanceCharge/ram:UnitBasisAmount"),
            absent("CII-SR-393", "ram:SpecifiedTradeAllowanceCharge/ram:TypeCode"),
            absent("CII-SR-394", "ram:SpecifiedTradeAllowanceCharge/ram:ActualTradeCurrencyExchange"),
            absent("CII-SR-395", "ram:SubtotalCalculatedTradeTax"),
            absent("CII-SR-396", "ram:SpecifiedLogisticsServiceCharge"),
            absent("CII-SR-397", "ram:SpecifiedTradePaymentTerms/ram:ID"),
            absent("CII-SR-398", "ram:SpecifiedTradePaymentTerms/ram:FromEventCode"),
            absent("CII-SR-399", "ram:SpecifiedTradePaymentTerms/ram:SettlementPeriodMeasure"),
            absent("CII-SR-400", "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTime"),
            absent("CII-SR-401", "ram:SpecifiedTradePaymentTerms/ram:TypeCode"),
            absent("CII-SR-402", "ram:SpecifiedTradePaymentTerms/ram:InstructionTypeCode"),
            absent("CII-SR-404", "ram:SpecifiedTradePaymentTerms/ram:PartialPaymentPercent"),
            absent("CII-SR-405", "ram:SpecifiedTradePaymentTerms/ram:PaymentMeansID"),
            absent("CII-SR-406", "ram:SpecifiedTradePaymentTerms/ram:PartialPaymentAmount"),
            absent("CII-SR-407", "ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentPenaltyTerms"),
            absent("CII-SR-408", "ram:SpecifiedTradePaymentTerms/ram:ApplicableTradePaymentDiscountTerms"),
            absent("CII-SR-409", "ram:SpecifiedTradePaymentTerms/ram:PayeeTradeParty"),
            absent("CII-SR-421", "ram:SpecifiedFinancialAdjustment"),
            absent("CII-SR-422", "ram:InvoiceReferencedDocument/ram:LineID"),
            absent("CII-SR-423", "ram:ProFormaInvoiceReferencedDocument"),
            absent("CII-SR-424", "ram:LetterOfCreditReferencedDocument"),
            absent("CII-SR-425", "ram:FactoringAgreementReferencedDocument"),
            absent("CII-SR-426", "ram:FactoringListReferencedDocument"),
            absent("CII-SR-427", "ram:PayableSpecifiedTradeAccountingAccount"),
            absent("CII-SR-428", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:SetTriggerCode"),
            absent("CII-SR-429", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:TypeCode"),
            absent("CII-SR-430", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:AmountTypeCode"),
            absent("CII-SR-431", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:Name"),
            absent("CII-SR-432", "ram:ReceivableSpecifiedTradeAccountingAccount/ram:CostReferenceDimensionPattern"),
            absent("CII-SR-433", "ram:PurchaseSpecifiedTradeAccountingAccount"),
            absent("CII-SR-434", "ram:SalesSpecifiedTradeAccountingAccount"),
            absent("CII-SR-435", "ram:SpecifiedTradeSettlementFinancialCard"),
            absent("CII-SR-436", "ram:SpecifiedAdvancePayment"),
            absent("CII-SR-437", "ram:UltimatePayeeTradeParty"),
            Assert("CII-SR-452", at_most("ram:SpecifiedTradePaymentTerms", 1)),
            Assert("CII-SR-453", at_most("ram:SpecifiedTradePaymentTerms/ram:Description", 1)),
            Assert("CII-SR-461", at_most("ram:ApplicableTradeTax/ram:TaxPointDate", 1)),
            Assert("CII-SR-462", one_due_date_code),
            Assert("CII-SR-470", transfers_have_account),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation",
            absent("CII-SR-411", "ram:InformationAmount"),
            absent("CII-SR-412", "ram:TotalDiscountAmount"),
            absent("CII-SR-413", "ram:TotalAllowanceChargeAmount"),
            absent("CII-SR-414", "ram:RetailValueExcludingTaxInformationAmount"),
            absent("CII-SR-415", "ram:TotalDepositFeeInformationAmount"),
            absent("CII-SR-416", "ram:ProductValueExcludingTobaccoTaxInformationAmount"),
            absent("CII-SR-417", "ram:TotalRetailValueInformationAmount"),
            absent("CII-SR-418", "ram:GrossLineTotalAmount"),
            absent("CII-SR-419", "ram:NetLineTotalAmount"),
            absent("CII-SR-420", "ram:NetIncludingTaxesLineTotalAmount"),
            Assert("CII-SR-477", at_most("ram:LineTotalAmount", 1)),
            Assert("CII-SR-478", at_most("ram:ChargeTotalAmount", 1)),
            Assert("CII-SR-479", at_most("ram:AllowanceTotalAmount", 1)),
            Assert("CII-SR-480", at_most("ram:TaxBasisTotalAmount", 1)),
            Assert("CII-SR-481", at_most("ram:RoundingAmount", 1)),
            Assert("CII-SR-482", at_most("ram:GrandTotalAmount", 1)),
            Assert("CII-SR-483", at_most("ram:InformationAmount", 1)),
            Assert("CII-SR-484", at_most("ram:TotalPrepaidAmount", 1)),
            Assert("CII-SR-485", at_most("ram:TotalDiscountAmount", 1)),
            Assert("CII-SR-486", at_most("ram:TotalAllowanceChargeAmount", 1)),
            Assert("CII-SR-487", at_most("ram:DuePayableAmount", 1)),
            Assert("CII-SR-488", at_most("ram:RetailValueExcludingTaxInformationAmount", 1)),
            Assert("CII-SR-489", at_most("ram:TotalDepositFeeInformationAmount", 1)),
            Assert("CII-SR-490", at_most("ram:ProductValueExcludingTobaccoTaxInformationAmount", 1)),
            Assert("CII-SR-491", at_most("ram:TotalRetailValueInformationAmount", 1)),
            Assert("CII-SR-492", at_most("ram:GrossLineTotalAmount", 1)),
            Assert("CII-SR-493", at_most("ram:NetLineTotalAmount", 1)),
            Assert("CII-SR-494", at_most("ram:NetIncludingTaxesLineTotalAmount", 1)),
        ),
        rule(
            "/rsm:CrossIndustryInvoice",
            no_attribute("CII-DT-013", "languageID"),
            no_attribute("CII-DT-014", "languageLocaleID"),
            absent("CII-SR-438", "ram:ValuationBreakdownStatement"),
            Assert("CII-SR-467", all_alike("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode")),
            Assert("CII-SR-468", all_alike("//ram:SpecifiedTradeSettlementPaymentMeans/ram:Information")),
            Assert("CII-SR-469", at_most("//ram:ApplicableHeaderTradeSettlement/ram:PaymentReference", 1)),
        ),
        rule(
            "*",
            absent("CII-SR-04", "ram:Value"),
            absent("CII-SR-05", "ram:SpecifiedDocumentVersion"),
            names=any_name_ending("DocumentContextParameter"),
        ),
        rule(
            " | ".join(IDENTIFIERS_WITHOUT_SCHEME),
            no_attribute("CII-DT-001", "schemeName"),
            no_attribute("CII-DT-002", "schemeAgencyName"),
            no_attribute("CII-DT-003", "schemeDataURI"),
            no_attribute("CII-DT-004", "schemeURI"),
            no_attribute("CII-DT-005", "schemeID"),
            no_attribute("CII-DT-006", "schemeAgencyID"),
            no_attribute("CII-DT-007", "schemeVersionID"),
        ),
        rule(
            "ram:*",
            no_attribute("CII-DT-101", "schemeName"),
            no_attribute("CII-DT-102", "schemeAgencyName"),
            no_attribute("CII-DT-103", "schemeDataURI"),
            no_attribute("CII-DT-104", "schemeURI"),
            names=local_name_ends("ram", "ID"),
        ),
        rule(
            "ram:TypeCode",
            no_attribute("CII-DT-008", "name"),
            no_attribute("CII-DT-009", "listURI"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode",
            no_attribute("CII-DT-010", "listID"),
            no_attribute("CII-DT-011", "listAgencyID"),
            no_attribute("CII-DT-012", "listVersionID"),
        ),
        rule(
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
            no_attribute("CII-DT-045", "listID"),
            no_attribute("CII-DT-046", "listAgencyID"),
            no_attribute("CII-DT-047", "listVersionID"),
            no_attribute("CII-DT-048", "listURI"),
        ),
        rule(
            "ram:*",
            Assert("CII-DT-015", either(lacking("ram:URIID"), additional_document_of_type("916"))),
            absent("CII-DT-016", "ram:StatusCode"),
            absent("CII-DT-017", "ram:CopyIndicator"),
            Assert("CII-DT-018", either(lacking("ram:TypeCode"), additional_document_of_type("50", "130", "916"))),
            absent("CII-DT-019", "ram:GlobalID"),
            absent("CII-DT-020", "ram:RevisionID"),
            Assert("CII-DT-021", either(lacking("ram:Name"), additional_document_of_type("916"))),
            Assert("CII-DT-022", either(lacking("ram:AttachmentBinaryObject"), additional_document_of_type("916"))),
            absent("CII-DT-023", "ram:Information"),
            Assert("CII-DT-024", either(lacking("ram:ReferenceTypeCode"), additional_document_of_type("130"))),
            absent("CII-DT-025", "ram:SectionName"),
            absent("CII-DT-026", "ram:PreviousRevisionID"),
            Assert(
                "CII-DT-027", either(lacking("ram:FormattedIssueDateTime"), is_named("ram:InvoiceReferencedDocument"))
            ),
            absent("CII-DT-028", "ram:EffectiveSpecifiedPeriod"),
            absent("CII-DT-029", "ram:IssuerTradeParty"),
            absent("CII-DT-030", "ram:AttachedSpecifiedBinaryFile"),
            names=local_name_ends("ram", "ReferencedDocument"),
        ),
        rule(
            "ram:*",
            no_attribute("CII-DT-031", "currencyID"),
            no_attribute("CII-DT-032", "currencyCodeListVersionID"),
            names=local_name_ends("ram", "Amount", but=("ram:TaxTotalAmount",)),
        ),
        rule(
            "ram:*",
            Assert("CII-DT-033", lambda e, d: e.get("unitCode") is None or bool(find(e, d, BILLED_UNIT_CODES))),
            no_attribute("CII-DT-034", "unitCodeListID"),
            no_attribute("CII-DT-035", "unitCodeListAgencyID"),
            no_attribute("CII-DT-036", "unitCodeListAgencyName"),
            names=local_name_ends("ram", "Quantity"),
        ),
        rule(
            "ram:*",
            Assert(
                "CII-DT-037", lambda e, d: not find(e, d, "ram:TypeCode") or any_text(find(e, d, "ram:TypeCode"), "VAT")
            ),
            absent("CII-DT-038", "ram:CalculatedRate"),
            absent("CII-DT-039", "ram:CalculationSequenceNumeric"),
            absent("CII-DT-040", "ram:BasisQuantity"),
            Assert("CII-DT-041", either(lacking("ram:BasisAmount"), below("ram:ApplicableHeaderTradeSettlement"))),
            absent("CII-DT-042", "ram:UnitBasisAmount"),
            absent("CII-DT-043", "ram:LineTotalBasisAmount"),
            absent("CII-DT-044", "ram:AllowanceChargeBasisAmount"),
            absent("CII-DT-049", "ram:CurrencyCode"),
            absent("CII-DT-050", "ram:Jurisdiction"),
            absent("CII-DT-051", "ram:CustomsDutyIndicator"),
            Assert("CII-DT-052", either(lacking("ram:ExemptionReasonCode"), is_named("ram:ApplicableTradeTax"))),
            Assert("CII-DT-098", either(lacking("ram:ExemptionReason"), is_named("ram:ApplicableTradeTax"))),
            absent("CII-DT-053", "ram:TaxBasisAllowanceRate"),
            Assert("CII-DT-054", either(lacking("ram:TaxPointDate"), below("ram:ApplicableHeaderTradeSettlement"))),
            absent("CII-DT-055", "ram:Type"),
            absent("CII-DT-056", "ram:InformationAmount"),
            absent("CII-DT-057", "ram:CategoryName"),
            Assert("CII-DT-058", either(lacking("ram:DueDateTypeCode"), below("ram:ApplicableHeaderTradeSettlement"))),
            Assert("CII-DT-059", lacking("ram:RateApplicablePercent/@format")),
            absent("CII-DT-060", "ram:SpecifiedTradeAccountingAccount"),
            absent("CII-DT-061", "ram:ServiceSupplyTradeCountry"),
            absent("CII-DT-062", "ram:BuyerRepayableTaxSpecifiedTradeAccountingAccount"),
            absent("CII-DT-063", "ram:SellerPayableTaxSpecifiedTradeAccountingAccount"),
            absent("CII-DT-064", "ram:SellerRefundableTaxSpecifiedTradeAccountingAccount"),
            absent("CII-DT-065", "ram:BuyerDeductibleTaxSpecifiedTradeAccountingAccount"),
            absent("CII-DT-066", "ram:BuyerNonDeductibleTaxSpecifiedTradeAccountingAccount"),
            absent("CII-DT-067", "ram:PlaceApplicableTradeLocation"),
            names=local_name_ends("ram", "TradeTax"),
        ),
        rule(
            "ram:BillingSpecifiedPeriod",
            absent("CII-DT-068", "ram:StartDateTime/udt:DateTime"),
            absent("CII-DT-069", "ram:DurationMeasure"),
            absent("CII-DT-070", "ram:InclusiveIndicator"),
            absent("CII-DT-071", "ram:Description"),
            absent("CII-DT-072", "ram:EndDateTime/udt:DateTime"),
            absent("CII-DT-073", "ram:CompleteDateTime"),
            absent("CII-DT-074", "ram:OpenIndicator"),
            absent("CII-DT-075", "ram:SeasonCode"),
            absent("CII-DT-076", "ram:ID"),
            absent("CII-DT-077", "ram:Name"),
            absent("CII-DT-078", "ram:SequenceNumeric"),
            absent("CII-DT-079", "ram:StartDateFlexibilityCode"),
            absent("CII-DT-080", "ram:ContinuousIndicator"),
            absent("CII-DT-081", "ram:PurposeCode"),
        ),
        rule(
            "ram:PostalTradeAddress",
            absent("CII-DT-082", "ram:ID"),
            absent("CII-DT-083", "ram:PostOfficeBox"),
            absent("CII-DT-084", "ram:BuildingName"),
            absent("CII-DT-086", "ram:LineFour"),
            absent("CII-DT-087", "ram:LineFive"),
            absent("CII-DT-088", "ram:StreetName"),
            absent("CII-DT-089", "ram:CitySubDivisionName"),
            absent("CII-DT-090", "ram:CountryName"),
            absent("CII-DT-091", "ram:CountrySubDivisionID"),
            absent("CII-DT-092", "ram:AttentionOf"),
            absent("CII-DT-093", "ram:CareOf"),
            absent("CII-DT-094", "ram:BuildingNumber"),
            absent("CII-DT-095", "ram:DepartmentName"),
            absent("CII-DT-096", "ram:AdditionalStreetName"),
        ),
        rule(
            "udt:DateTimeString",
            Assert("CII-DT-097", lambda e, d: DATE_102.fullmatch(text(e)) is not None),
            where=lambda e, d: e.get("format") == "102",
        ),
    )
)
