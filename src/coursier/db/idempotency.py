"""Stored responses of POST requests sent with an `Idempotency-Key`."""

import enum
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Integer, LargeBinary, String, delete, func, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    sponsor_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # SHA-256 of method, path, client header and content: "the same request".
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[list | None] = mapped_column(JSONB)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at_column()


class Claim(enum.Enum):
    OURS = "ours"  # run the request; its response is stored with its commit
    DONE = "done"  # a finished request stored its response under the key
    IN_PROGRESS = "in_progress"  # a request with the key is running now


class IdempotencyRepository:
    """Sponsor-level, not tenant reads: a key belongs to the sponsor the request authenticated as
    (whichever client it names), and the hourly purge crosses every sponsor."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, sponsor_id: str, key: str, request_hash: str, ttl_hours: int) -> Claim:
        """Claim the key in the caller's transaction, never waiting on another request.

        The transaction first takes the key's advisory lock: held, another request with this key
        is running now (IN_PROGRESS). Free, the key is inserted (OURS) unless a finished request
        stored it within its TTL (DONE); the lock and the row last until the transaction ends.
        """
        digest = hashlib.sha256(f"{sponsor_id}\n{key}".encode()).digest()
        lock_key = int.from_bytes(digest[:8], "big", signed=True)
        if not self.session.scalar(select(func.pg_try_advisory_xact_lock(lock_key))):
            return Claim.IN_PROGRESS
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
        return Claim.OURS if self.session.execute(stmt).scalar() is not None else Claim.DONE

    def get(self, sponsor_id: str, key: str) -> IdempotencyRecord | None:
        return self.session.get(IdempotencyRecord, (sponsor_id, key), populate_existing=True)

    def purge_older_than(self, cutoff: datetime) -> int:
        result = self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
        return result.rowcount
