"""UBL cac:AllowanceCharge: document level (BG-20, BG-21) and line level (BG-27, BG-28)."""

from coursier.formats.base import AMOUNT, NUMBER, Leaf
from coursier.formats.mapping import AllowanceChargeBinding

ALLOWANCES_CHARGES = AllowanceChargeBinding(
    element="cac:AllowanceCharge",
    indicator="cbc:ChargeIndicator",
    amounts=(
        Leaf("cbc:AllowanceChargeReasonCode", "reason_code"),
        Leaf("cbc:AllowanceChargeReason", "reason"),
        Leaf("cbc:MultiplierFactorNumeric", "percentage", kind=NUMBER),
        Leaf("cbc:Amount", "amount", kind=AMOUNT),
        Leaf("cbc:BaseAmount", "base_amount", kind=AMOUNT),
    ),
    document_vat=(
        Leaf("cac:TaxCategory/cbc:ID", "vat_category_code"),
        Leaf("cac:TaxCategory/cbc:Percent", "vat_rate", kind=NUMBER),
    ),
    vat_scheme="cac:TaxCategory/cac:TaxScheme/cbc:ID",
)
