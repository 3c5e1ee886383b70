"""The sandbox's HTTP contract: request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CompanyStatus = Literal["A", "C"]  # active, ceased (cessée)
EstablishmentStatus = Literal["A", "F"]  # active, closed (fermé)


class Address(BaseModel):
    line1: str
    postal_code: str
    city: str
    country_code: str = "FR"


class Establishment(BaseModel):
    siret: str
    name: str
    address: Address
    administrative_status: EstablishmentStatus
    head_office: bool


class Company(BaseModel):
    siren: str
    legal_name: str
    status: CompanyStatus
    establishments: list[Establishment]


class RegisteredEstablishment(Establishment):
    """An establishment with the company it belongs to."""

    siren: str
    legal_name: str


class Finding(BaseModel):
    rule: str | None
    severity: Literal["fatal", "warning"]
    message: str
    location: str | None = None


class PeerReceipt(BaseModel):
    """What the network answers a delivery: the same receipt every time the sender repeats it."""

    delivery_id: str
    platform_id: str = Field(description="The receiving platform")
    accepted_at: datetime


PeerKind = Literal["invoice", "status"]


class PeerMessage(PeerReceipt):
    """A delivery as its receiving platform sees it in its inbox."""

    sender_platform_id: str
    kind: PeerKind = Field(description="invoice, or status: a lifecycle message (CDAR) about an invoice")
    invoice_id: str = Field(
        description="The sender's id of the invoice, or of the status message; one delivery per sender, kind and id"
    )
    filename: str
    media_type: str
    size: int


class StatusEmission(BaseModel):
    """A status the calling platform sets, as the buyer's platform, on an invoice it received."""

    model_config = ConfigDict(extra="forbid")

    invoice_id: str = Field(min_length=1, max_length=200, description="The id the invoice was delivered under")
    status: int = Field(description="202, 203, 213 (the platform's) or 204–211, 214 (the buyer's)")
    reason_code: str | None = Field(default=None, max_length=40)
    comment: str | None = Field(default=None, max_length=1000)


class StatusSent(PeerReceipt):
    message_id: str


class HeldStatus(BaseModel):
    """A mandatory status of an invoice that the PPF accepted (flow 6)."""

    message_id: str = Field(description="The status message's id (MDT-4)")
    flow_id: str
    status_code: int = Field(description="200, 210, 212 or 213")
    invoice_date: date
    reasons: list[str]
    amounts: list[dict] = Field(description="212: the amount collected per VAT rate")
    received_at: datetime


class MailCreate(BaseModel):
    to: str = Field(min_length=3, max_length=320)
    subject: str = Field(max_length=998)
    text: str
    html: str | None = None


class Mail(MailCreate):
    mail_id: str
    platform_id: str
    sent_at: datetime


class Availability(BaseModel):
    available: bool
    status_code: int = Field(503, ge=400, le=599)


class SmpRegistration(BaseModel):
    """A participant's entry in the local SMP: where it receives and with which certificate."""

    endpoint_url: str = Field(min_length=1, max_length=500, description="The AS4 endpoint (EndpointReference)")
    certificate: str = Field(min_length=1, max_length=20_000, description="The endpoint's certificate, base64 DER")
    document_types: list[str] = Field(min_length=1, max_length=50, description="Peppol document type identifiers")


class SmpParticipant(SmpRegistration):
    participant_id: str
    platform_id: str = Field(description="The platform that published it")
