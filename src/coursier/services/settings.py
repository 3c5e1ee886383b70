"""Per-client preferences."""

from sqlalchemy.orm import Session

from coursier.db.clients import ClientSettings, ClientSettingsRepository
from coursier.kit.tenancy import TenantContext
from coursier.services.drafts.numbering import validate_pattern

# What the client receives: the file as sent, or converted through the model.
RECEIVED_INVOICE_FORMATS = ("original", "facturx", "cii", "ubl", "pdf")


def get_client_settings(session: Session, ctx: TenantContext) -> ClientSettings:
    return ClientSettingsRepository(session).get_or_404(ctx, _client_id(ctx))


def update_client_settings(session: Session, ctx: TenantContext, changes: dict) -> ClientSettings:
    settings = get_client_settings(session, ctx)
    if "invoice_number_pattern" in changes:
        validate_pattern(changes["invoice_number_pattern"])
    for field, value in changes.items():
        setattr(settings, field, value)
    session.flush()
    return settings


def _client_id(ctx: TenantContext) -> str:
    assert ctx.client_id, "client-scoped call without a client"  # guaranteed by the API dependency
    return ctx.client_id
