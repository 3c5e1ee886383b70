"""Every table module, imported so that `Base.metadata` is complete (Alembic and the migration test)."""

from coursier.db import (  # noqa: F401
    clients,
    directory,
    documents,
    idempotency,
    invoices,
    lifecycle,
    mandates,
    onboarding,  # noqa: F401
    sponsors,
    usage,
    webhooks,
)
from coursier.db.base import Base

metadata = Base.metadata
