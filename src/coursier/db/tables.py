"""Every table module, imported so that `Base.metadata` is complete (Alembic and the migration test)."""

from coursier.db import (  # noqa: F401
    as4_messages,
    clients,
    directory,
    documents,
    drafts,
    idempotency,
    invoice_statuses,
    invoices,
    lifecycle,
    mandates,
    numbering,
    onboarding,  # noqa: F401
    ppf_flows,
    reporting,
    sponsor_users,
    sponsors,
    usage,
    webhooks,
)
from coursier.db.base import Base

metadata = Base.metadata
