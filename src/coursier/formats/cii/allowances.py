"""CII `ram:SpecifiedTradeAllowanceCharge`: document level (BG-20, BG-21) and line level (BG-27, BG-28)."""

from coursier.formats.base import AMOUNT, NUMBER, Leaf
from coursier.formats.mapping import AllowanceChargeBinding

ALLOWANCES_CHARGES = AllowanceChargeBinding(
    element="ram:SpecifiedTradeAllowanceCharge",
    indicator="ram:ChargeIndicator/udt:Indicator",
    amounts=(
        Leaf("ram:CalculationPercent", "percentage", kind=NUMBER),
        Leaf("ram:BasisAmount", "base_amount", kind=AMOUNT),
        Leaf("ram:ActualAmount", "amount", kind=AMOUNT),
        Leaf("ram:ReasonCode", "reason_code"),
        Leaf("ram:Reason", "reason"),
    ),
    document_vat=(
        Leaf("ram:CategoryTradeTax/ram:CategoryCode", "vat_category_code"),
        Leaf("ram:CategoryTradeTax/ram:RateApplicablePercent", "vat_rate", kind=NUMBER),
    ),
    vat_scheme="ram:CategoryTradeTax/ram:TypeCode",
)
