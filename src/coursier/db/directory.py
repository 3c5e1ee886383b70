"""A short-lived cache of directory answers, shared by every process on the database."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base


class DirectoryCacheEntry(Base):
    __tablename__ = "directory_cache"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    # Every entry concerns one SIREN, so our own changes to a SIREN's lines drop its entries.
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    value: Mapped[dict | None] = mapped_column(JSONB)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
