"""Code lists the EN 16931 model and its syntax bindings rely on.

Sources: the EN 16931 code lists published by CEN/TC 434 and the Connecting Europe Facility
("EN16931 code lists values", v13+), which restrict the UN/CEFACT UNTDID lists named below.
Kept as plain string sets: the model accepts any code so a wrong one can be reported with its
term instead of failing the parse; validators check membership.
"""

from __future__ import annotations

from enum import StrEnum

# UNTDID 1001 Document name code, EN 16931 subset (BT-3).
INVOICE_TYPE_CODES: frozenset[str] = frozenset(
    """71 80 81 82 83 84 102 130 202 203 204 211 218 219 261 262 295 296 308 325 326 331
    380 381 382 383 384 385 386 387 388 389 390 393 394 395 396 420 456 457 458 527 532 553
    575 623 633 751 780 817 870 875 876 877 935""".split()
)

# UNTDID 1001 codes that are credit notes: UBL carries them in a CreditNote document, and
# their amounts keep the sign of the corrected invoice (a credit of 100 is written +100).
CREDIT_NOTE_TYPE_CODES: frozenset[str] = frozenset("81 83 261 262 296 308 381 396 420 458 532".split())

COMMERCIAL_INVOICE = "380"
CREDIT_NOTE = "381"
CORRECTED_INVOICE = "384"


class VatCategory(StrEnum):
    """UNTDID 5305 Duty or tax or fee category code, EN 16931 subset (BT-95, BT-102, BT-118, BT-151)."""

    STANDARD_RATE = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY_SUPPLY = "K"
    EXPORT_OUTSIDE_EU = "G"
    NOT_SUBJECT_TO_VAT = "O"
    CANARY_ISLANDS_IGIC = "L"
    CEUTA_MELILLA_IPSI = "M"


VAT_CATEGORY_CODES: frozenset[str] = frozenset(category.value for category in VatCategory)

# UNTDID 4461 Payment means coded (BT-81), as restricted by the EN 16931 code list.
PAYMENT_MEANS_CODES: frozenset[str] = frozenset(
    [str(number) for number in range(1, 71)] + "74 75 76 77 78 91 92 93 94 95 96 97 ZZZ".split()
)

SEPA_CREDIT_TRANSFER = "58"
CREDIT_TRANSFER = "30"
SEPA_DIRECT_DEBIT = "59"
DIRECT_DEBIT = "49"
BANK_CARD = "48"


class VatPointDateCode(StrEnum):
    """UNTDID 2005 Date/time/period function code qualifier, EN 16931 subset (BT-8).

    In France, "432" (paid to date) flags VAT due on payment, and "3"/"35" VAT on debits.
    """

    INVOICE_DOCUMENT_ISSUE_DATE = "3"
    DELIVERY_DATE_ACTUAL = "35"
    PAID_TO_DATE = "432"


VAT_POINT_DATE_CODES: frozenset[str] = frozenset(code.value for code in VatPointDateCode)

# UNTDID 4451 Text subject code qualifier (BT-21): those French invoices must use for the
# mandatory mentions of the Code de commerce (art. L441-9).
NOTE_SUBJECT_PAYMENT_TERMS = "AAB"  # early payment discount conditions (escompte)
NOTE_SUBJECT_PENALTIES = "PMD"  # late payment penalties
NOTE_SUBJECT_RECOVERY_FEE = "PMT"  # fixed recovery indemnity (40 EUR)
NOTE_SUBJECT_GENERAL = "AAI"  # general information

# UNTDID 5189 Allowance or charge identification code, EN 16931 subset (BT-98, BT-140).
ALLOWANCE_REASON_CODES: frozenset[str] = frozenset(
    "41 42 60 62 63 64 65 66 67 68 70 71 88 95 100 102 103 104 105".split()
)
