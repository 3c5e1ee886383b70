"""Per-client preferences (`/api/settings`, X-PDP-Client-Id)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from coursier.api.deps import ClientCtx, DbSession
from coursier.api.routing import Router
from coursier.kit.texts import LANGUAGES
from coursier.model.reporting import VatRegime
from coursier.services import settings as service
from coursier.services.settings import RECEIVED_INVOICE_FORMATS

router = Router(prefix="/settings", tags=["Settings"])

ReceivedFormat = Literal[RECEIVED_INVOICE_FORMATS]
Regime = Literal[tuple(regime.value for regime in VatRegime)]
Language = Literal[tuple(language.value for language in LANGUAGES)]


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
    notification_email: str | None = Field(
        description="Where to e-mail what a person must act on: a webhook endpoint disabled, a status rejected "
        "by the PPF (601), a mandate in error. Webhook endpoints: /api/webhooks"
    )
    vat_regime: Regime = Field(
        description="The client's VAT regime: its e-reporting periods and deadlines follow from it (DGFiP "
        "external specifications §3.7.7): normal_monthly (réel normal mensuel), normal_quarterly (réel normal "
        "trimestriel), simplified (réel simplifié), franchise (franchise en base)"
    )
    vat_on_debits: bool = Field(
        description="The client opted for VAT on debits: no payment data is e-reported for its services"
    )
    updated_at: datetime | None


class SettingsUpdateIn(BaseModel):
    """Fields left out are kept; defaults: original, fr, `F{YYYY}-{SEQ:6}`, no auto-acknowledge,
    normal_monthly, no VAT on debits."""

    model_config = ConfigDict(extra="forbid")

    received_invoice_format: ReceivedFormat | None = None
    language: Language | None = None
    invoice_number_pattern: str | None = Field(default=None, min_length=1, max_length=100)
    auto_acknowledge_received: bool | None = None
    notification_email: EmailStr | None = Field(default=None, max_length=255)
    vat_regime: Regime | None = None
    vat_on_debits: bool | None = None

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
