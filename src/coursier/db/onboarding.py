"""Onboarding links: one client's time-limited path to identify its company, prove who signs, and
sign its mandate; the link row is also the evidence file of that path."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Select, String, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext


class OnboardingLink(Base):
    __tablename__ = "onboarding_links"
    __table_args__ = (Index("ix_onboarding_links_client_created", "client_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    # SHA-256 of the URL's token: the token itself is only ever in the sponsor's hands.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # Echoed in a hidden field of every form and compared on each POST.
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    include_kyc: Mapped[bool] = mapped_column(Boolean, nullable=False)
    include_signature: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    return_url: Mapped[str | None] = mapped_column(String(2000))
    # {name, logo_url, primary_color}: the sponsor's white label on the pages and the e-mails.
    branding: Mapped[dict] = mapped_column(JSONB, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Step 1: {siren, siret, routing_code, name, address} as the register gave it and the client confirmed.
    company: Mapped[dict | None] = mapped_column(JSONB)
    identified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mandate_id: Mapped[str | None] = mapped_column(ForeignKey("mandates.id", ondelete="RESTRICT"))

    # Step 2: {first_name, last_name, role, email}, and the one-time code that proves the e-mail.
    signatory: Mapped[dict | None] = mapped_column(JSONB)
    otp_hash: Mapped[str | None] = mapped_column(String(64))
    otp_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    otp_failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    otp_codes_sent: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kyc_completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Step 3: the PDF shown to the signer, the signed one, and what was recorded at signature.
    unsigned_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    signed_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    evidence: Mapped[dict | None] = mapped_column(JSONB)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Every step the link asks for is done: the link cannot be used again.
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OnboardingLinkRepository(ScopedRepository[OnboardingLink]):
    model = OnboardingLink
    noun = "onboarding_link"

    @classmethod
    def readable(cls, ctx: TenantContext) -> Select[tuple[OnboardingLink]]:
        """Stricter than the base: a link is always one client's, so a sponsor-wide context reads none."""
        return select(OnboardingLink).where(
            OnboardingLink.sponsor_id == ctx.sponsor_id, OnboardingLink.client_id == ctx.client_id
        )

    def newest(self, ctx: TenantContext) -> OnboardingLink | None:
        return self.session.scalar(
            self.readable(ctx).order_by(OnboardingLink.created_at.desc(), OnboardingLink.id.desc()).limit(1)
        )

    def by_token_hash(self, token_hash: str, *, for_update: bool = False) -> OnboardingLink | None:
        """The link a page request holds the token of: the token is the credential, across tenants."""
        stmt = select(OnboardingLink).where(OnboardingLink.token_hash == token_hash)
        return self.session.scalar(stmt.with_for_update() if for_update else stmt)

    def supersede_unused(self, ctx: TenantContext, now: datetime) -> list[OnboardingLink]:
        """Mark the client's links not yet used to the end as superseded; return them."""
        stmt = (
            update(OnboardingLink)
            .where(
                OnboardingLink.sponsor_id == ctx.sponsor_id,
                OnboardingLink.client_id == ctx.client_id,
                OnboardingLink.completed_at.is_(None),
                OnboardingLink.superseded_at.is_(None),
            )
            .values(superseded_at=now)
            .returning(OnboardingLink)
            .execution_options(synchronize_session="fetch")
        )
        return list(self.session.scalars(stmt))

    def expired_holding_a_line(self, now: datetime) -> list[OnboardingLink]:
        """Across tenants, for the housekeeping job: links that expired unsigned while their unsigned
        mandate still reserves a directory line, locked (skipping those another worker holds)."""
        stmt = (
            select(OnboardingLink)
            .where(
                OnboardingLink.expires_at < now,
                OnboardingLink.signed_at.is_(None),
                OnboardingLink.superseded_at.is_(None),
                OnboardingLink.mandate_id.is_not(None),
            )
            .with_for_update(skip_locked=True)
        )
        return list(self.session.scalars(stmt))
