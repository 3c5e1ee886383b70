"""Sponsors (the platform's tenants) and their API tokens.

Not tenant reads: these are what a tenant context is built from (a token, found by its hash) and
what the platform's administration sees (every sponsor, any token by id).
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column


class Sponsor(Base):
    __tablename__ = "sponsors"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = created_at_column()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, default="default")
    # The readable start of the token (`csk_live_AbCd`), shown in listings so a token can be recognised.
    display_prefix: Mapped[str] = mapped_column(String(32), nullable=False)
    # SHA-256 of the whole token: tokens carry 256 random bits, so a fast hash is enough.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SponsorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, sponsor: Sponsor) -> Sponsor:
        self.session.add(sponsor)
        self.session.flush()
        return sponsor

    def get(self, sponsor_id: str) -> Sponsor | None:
        return self.session.get(Sponsor, sponsor_id)

    def any(self) -> bool:
        return self.session.scalar(select(select(Sponsor.id).exists()))

    def all(self) -> list[Sponsor]:
        return list(self.session.scalars(select(Sponsor).order_by(Sponsor.created_at, Sponsor.id)))

    def add_token(self, token: ApiToken) -> ApiToken:
        self.session.add(token)
        self.session.flush()
        return token

    def find_token_by_hash(self, token_hash: str) -> ApiToken | None:
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def tokens_of(self, sponsor_id: str) -> list[ApiToken]:
        return list(
            self.session.scalars(
                select(ApiToken).where(ApiToken.sponsor_id == sponsor_id).order_by(ApiToken.created_at, ApiToken.id)
            )
        )

    def get_token(self, token_id: str) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def mark_used(self, token_id: str, used_at: datetime) -> None:
        """Move `last_used_at` forward to `used_at` (never back: flushes of several processes interleave)."""
        self.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(last_used_at=func.greatest(func.coalesce(ApiToken.last_used_at, used_at), used_at))
        )
