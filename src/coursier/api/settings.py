"""Per-client preferences (`/api/settings`, X-PDP-Client-Id)."""

from datetime import datetime
from ipaddress import ip_address
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from coursier.api.deps import ClientCtx, DbSession
from coursier.api.routing import Router
from coursier.kit.texts import LANGUAGES
from coursier.services import settings as service
from coursier.services.settings import RECEIVED_INVOICE_FORMATS

router = Router(prefix="/settings", tags=["Settings"])

ReceivedFormat = Literal[RECEIVED_INVOICE_FORMATS]
Language = Literal[tuple(language.value for language in LANGUAGES)]
MAX_WEBHOOK_ENDPOINTS = 5


class WebhookEndpoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(description="HTTPS URL (plain HTTP is accepted only for localhost, for development)")
    events: list[str] = Field(
        default_factory=list, max_length=50, description="Event types to send; empty means every type"
    )
    description: str | None = Field(default=None, max_length=200)

    @field_validator("url")
    @classmethod
    def _https(cls, url: AnyHttpUrl) -> AnyHttpUrl:
        if url.scheme != "https" and not _is_loopback(url.host or ""):
            raise ValueError("webhook URLs must use https (http only for localhost)")
        return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str
    received_invoice_format: ReceivedFormat = Field(
        description="How received invoices are handed over by default: the original file, or converted"
    )
    language: Language = Field(description="Language of readable invoices, onboarding pages and notifications")
    invoice_number_pattern: str = Field(
        description="Numbering of finalized drafts: {YYYY} {YY} {MM} {DD} and one {SEQ} or {SEQ:n}"
    )
    auto_acknowledge_received: bool = Field(
        description='Send status 204 "Prise en charge" automatically when an invoice is made available'
    )
    notification_email: str | None
    webhook_endpoints: list[WebhookEndpoint]
    updated_at: datetime | None


class SettingsUpdateIn(BaseModel):
    """Fields left out are kept; defaults: original, fr, `F{YYYY}-{SEQ:6}`, no auto-acknowledge."""

    model_config = ConfigDict(extra="forbid")

    received_invoice_format: ReceivedFormat | None = None
    language: Language | None = None
    invoice_number_pattern: str | None = Field(default=None, min_length=1, max_length=100)
    auto_acknowledge_received: bool | None = None
    notification_email: EmailStr | None = Field(default=None, max_length=255)
    webhook_endpoints: list[WebhookEndpoint] | None = Field(default=None, max_length=MAX_WEBHOOK_ENDPOINTS)

    @model_validator(mode="after")
    def _nullable_only_where_allowed(self) -> "SettingsUpdateIn":
        nulls = [n for n in self.model_fields_set if getattr(self, n) is None and n != "notification_email"]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} cannot be null; leave a field out to keep it")
        return self


@router.get("", response_model=SettingsOut, summary="Get the client's settings")
def get_settings(ctx: ClientCtx, session: DbSession) -> SettingsOut:
    return SettingsOut.model_validate(service.get_client_settings(session, ctx))


@router.patch("", response_model=SettingsOut, summary="Change some of the client's settings")
def update_settings(body: SettingsUpdateIn, ctx: ClientCtx, session: DbSession) -> SettingsOut:
    changes = body.model_dump(exclude_unset=True, mode="json")
    return SettingsOut.model_validate(service.update_client_settings(session, ctx, changes))
