"""A short-lived cache of directory answers, shared by every process on the database.

The directory is public: its answers are the same for every tenant, so the cache is read and
written platform-wide, by key.
"""

from datetime import datetime

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base


class DirectoryCacheEntry(Base):
    __tablename__ = "directory_cache"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    # Every entry concerns one SIREN, so our own changes to a SIREN's lines drop its entries.
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    value: Mapped[dict | None] = mapped_column(JSONB)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DirectoryCacheRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def fresh(self, key: str, now: datetime) -> DirectoryCacheEntry | None:
        return self.session.scalar(
            select(DirectoryCacheEntry).where(DirectoryCacheEntry.key == key, DirectoryCacheEntry.expires_at > now)
        )

    def fresh_values(self, keys: list[str], now: datetime) -> dict[str, dict | None]:
        """Key → value of the entries of `keys` still fresh."""
        if not keys:
            return {}
        stmt = select(DirectoryCacheEntry.key, DirectoryCacheEntry.value).where(
            DirectoryCacheEntry.key.in_(keys), DirectoryCacheEntry.expires_at > now
        )
        return dict(self.session.execute(stmt).all())

    def put(self, key: str, siren: str | None, value: dict | None, expires_at: datetime) -> None:
        stmt = insert(DirectoryCacheEntry).values(key=key, siren=siren, value=value, expires_at=expires_at)
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["key"], set_={"value": stmt.excluded.value, "expires_at": stmt.excluded.expires_at}
            )
        )

    def drop_siren(self, siren: str) -> None:
        self.session.execute(delete(DirectoryCacheEntry).where(DirectoryCacheEntry.siren == siren))
