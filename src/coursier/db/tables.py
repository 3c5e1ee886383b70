"""Every table module, imported so that `Base.metadata` is complete (Alembic and the migration test)."""

from coursier.db import clients, directory, documents, idempotency, invoices, lifecycle, mandates, sponsors, usage  # noqa: F401
from coursier.db import onboarding  # noqa: F401
from coursier.db.base import Base

metadata = Base.metadata
