"""Stored responses of POST requests sent with an `Idempotency-Key`."""

from datetime import datetime, timedelta

from sqlalchemy import Integer, LargeBinary, String, delete, func
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    sponsor_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # SHA-256 of method, path, client header and body: "the same request".
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[list | None] = mapped_column(JSONB)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at_column()


class IdempotencyRepository:
    """Sponsor-level, not tenant reads: a key belongs to the sponsor the request authenticated as
    (whichever client it names), and the hourly purge crosses every sponsor."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, sponsor_id: str, key: str, request_hash: str, ttl_hours: int) -> bool:
        """Insert the key in the caller's transaction; False when it is held and not expired.

        A concurrent transaction holding the same key makes this wait on the unique index until it
        commits (then False) or rolls back (then True): concurrent duplicates run once.
        """
        self.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.sponsor_id == sponsor_id,
                IdempotencyRecord.key == key,
                IdempotencyRecord.created_at < func.now() - timedelta(hours=ttl_hours),
            )
        )
        stmt = (
            insert(IdempotencyRecord)
            .values(sponsor_id=sponsor_id, key=key, request_hash=request_hash)
            .on_conflict_do_nothing()
            .returning(IdempotencyRecord.key)
        )
        return self.session.execute(stmt).scalar() is not None

    def get(self, sponsor_id: str, key: str) -> IdempotencyRecord | None:
        return self.session.get(IdempotencyRecord, (sponsor_id, key), populate_existing=True)

    def purge_older_than(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
        return result.rowcount
