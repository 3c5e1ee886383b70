"""One invoice lifecycle message (flow 6) as Coursier holds it: what a CDAR says, typed.

Data element ids (MDT-n, MDG-n) are those of DGFiP annex 2 and of the FNFE-MPE BR-FR-CDV rules.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from coursier.model.lifecycle import AmountType, InvoiceStatus, Phase, RequestedAction

# ISO 6523 identifier schemes a lifecycle message uses (A7 G1.73).
SIREN_SCHEME = "0002"
SIRET_SCHEME = "0009"
ELECTRONIC_ADDRESS_SCHEME = "0225"  # an electronic invoicing address, as the directory publishes it
MATRICULE_SCHEME = "0238"  # a platform's (PA or PPF) four-digit matricule

# The PPF's own matricule (A7 G1.112, which lists it among those a PA may not use). The FNFE-MPE
# BR-FR-CDV-02 rule still expects 0000: see coursier.validation.cdar.
DGFIP_PPF_MATRICULE = "9998"


class Guideline(StrEnum):
    """MDT-3, which kind of lifecycle message this is (A7 G7.14; BR-FR-CDV-02)."""

    PEER = "urn.cpro.gouv.fr:1p0:CDV:invoice"  # between platforms
    PPF = "urn.cpro.gouv.fr:1p0:CDV:einvoicingF2"  # a platform to the PPF, about an invoice
    STATUS_MESSAGE = "urn.cpro.gouv.fr:1p0:CDV:messageCDV"  # about a status message (the PPF's 601)


class BusinessProcess(StrEnum):
    """MDT-2 of a message between platforms (BR-FR-CDV-CL-01); a message to the PPF has none."""

    REGULATED = "REGULATED"  # domestic B2B, in the reform's scope
    NON_REGULATED = "NON_REGULATED"
    B2C = "B2C"
    B2C_INTERNATIONAL = "B2CINT"
    B2B_INTERNATIONAL = "B2BINT"
    OUT_OF_SCOPE = "OUTOFSCOPE"


class PartyRole(StrEnum):
    """The UNCL 3035 roles a lifecycle message's parties take (A7 G7.01; BR-FR-CDV-CL-04)."""

    BUYER = "BY"
    SELLER = "SE"
    FACTOR = "DL"
    BUYER_AGENT = "AB"
    SELLER_AGENT = "SR"
    PAYEE = "PE"
    PAYER = "PR"
    INVOICER = "II"
    INVOICEE = "IV"
    PLATFORM = "WK"
    PPF = "DFH"


# Roles whose party needs no name (A7 G7.46) nor electronic address (BR-FR-CDV-08).
PLATFORM_ROLES = frozenset({PartyRole.PLATFORM, PartyRole.PPF})


@dataclass(frozen=True)
class Identifier:
    value: str
    scheme: str  # ISO 6523 ICD, e.g. MATRICULE_SCHEME


@dataclass(frozen=True)
class Party:
    """The sender (MDG-9), the issuer (MDT-38/40) or a recipient (MDT-57/59/73) of a message."""

    role: PartyRole
    id: Identifier | None = None  # GlobalID
    name: str | None = None
    electronic_address: Identifier | None = None  # URIUniversalCommunication/URIID (MDT-73)


@dataclass(frozen=True)
class InvoiceReference:
    """The invoice a status is about."""

    number: str  # MDT-87
    type_code: str  # MDT-91, UNTDID 1001 (A7 G1.01)
    issue_date: date  # MDG-35 (A7 G7.31)
    seller_siren: str  # MDT-129 with scheme 0002: exactly one SIREN (A7 G7.17)


@dataclass(frozen=True)
class Amount:
    """MDG-43, one amount of a status: for a 212, one per VAT rate (A7 G7.45)."""

    type_code: AmountType  # MDT-207
    value: Decimal  # MDT-215; negative for a refund paid out (A7 P1.15)
    currency: str  # MDT-216
    vat_rate: Decimal | None = None  # MDT-224, required whenever an amount is given (A7 P1.18)


@dataclass(frozen=True)
class StatusDetail:
    """MDG-37, one detail of a status: a reason, a comment, an action asked, amounts."""

    reason: str | None = None  # MDT-113 (codes: BR-FR-CDV-CL-09)
    comment: str | None = None  # MDT-126
    requested_action: RequestedAction | None = None  # MDT-121
    amounts: tuple[Amount, ...] = ()
    sequence: int = 1  # MDT-124-2, numbered from 1 in the message


@dataclass(frozen=True)
class StatusMessage:
    message_id: str  # MDT-4
    guideline: Guideline  # MDT-3
    business_process: str | None  # MDT-2 (a BusinessProcess between platforms, none to the PPF)
    issued_at: datetime  # MDT-8, timezone-aware
    sender: Party  # MDG-9: the platform that sends the message
    issuer: Party  # MDT-38/40: who set the status
    recipients: tuple[Party, ...]
    phase: Phase  # MDT-77
    status_at: datetime | None  # MDT-78, the acknowledgement's date-time
    invoice: InvoiceReference
    document_status: str | None  # MDT-88
    status: InvoiceStatus  # MDT-105
    details: tuple[StatusDetail, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(detail.reason for detail in self.details if detail.reason)

    @property
    def amounts(self) -> tuple[Amount, ...]:
        return tuple(amount for detail in self.details for amount in detail.amounts)
