"""The sandbox's HTTP contract: request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

CompanyStatus = Literal["A", "C"]  # active, ceased (cessée)
EstablishmentStatus = Literal["A", "F"]  # active, closed (fermé)
LineStatus = Literal["Upcoming", "Enabled", "Disabled"]


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


class LineCreate(BaseModel):
    siren: str
    siret: str | None = None
    routing_code: str | None = None
    suffix: str | None = None
    platform_id: str = Field(description="The matricule of the receiving PA: must be the caller's")
    effective_from: date
    effective_to: date | None = Field(None, description="Exclusive: the first day the line no longer applies")


class LineClose(BaseModel):
    effective_to: date = Field(description="Exclusive: the first day the line no longer applies")


class DirectoryLine(BaseModel):
    line_id: str
    instance_id: int
    siren: str
    siret: str | None
    routing_code: str | None
    suffix: str | None
    platform_id: str
    effective_from: date
    effective_to: date | None
    status: LineStatus
    created_at: datetime
    updated_at: datetime


class Addressee(BaseModel):
    """The answer of a lookup: the line that routes the address, and whom it belongs to."""

    electronic_address: str
    line: DirectoryLine
    legal_name: str
    establishment: Establishment | None


class RoutingCodeCreate(BaseModel):
    siret: str
    routing_code: str
    label: str = Field(min_length=1, max_length=200)
    legal_commitment_management: bool = False


class RoutingCode(RoutingCodeCreate):
    platform_id: str
    created_at: datetime


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


class PeerMessage(PeerReceipt):
    """A delivery as its receiving platform sees it in its inbox."""

    sender_platform_id: str
    invoice_id: str = Field(description="The sender's id of the invoice; one delivery per sender and id")
    filename: str
    media_type: str
    size: int


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
