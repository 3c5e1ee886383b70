"""People of a sponsor who sign in to the dashboard, and their sign-in sessions.

A user belongs to one sponsor; its e-mail identifies it across the platform (the sign-in form
asks for nothing else). Passwords are kept as argon2id hashes, session and invitation tokens as
SHA-256 hashes, TOTP seeds sealed: a copy of the database lets no one sign in.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column
from coursier.db.repository import ScopedRepository
from coursier.db.sealed import SealedText
from coursier.kit.tenancy import TenantContext


class SponsorUser(Base):
    __tablename__ = "sponsor_users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="CASCADE"), index=True)
    # Lower-cased by the service: one spelling per address.
    email: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    language: Mapped[str] = mapped_column(String(2), nullable=False, default="fr")
    # None until the invitation is accepted.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    invitation_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Base32, sealed at rest (checking a code needs it back; a copy of the database passes no second
    # factor) and loaded when used. Enabled once a first code is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(SealedText, deferred=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The time step of the last code accepted: a code is good once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class UserSession(Base):
    __tablename__ = "sponsor_user_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("sponsor_users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # Password checked, the second factor still to give: such a session opens no page.
    second_factor_pending: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class SponsorUserRepository(ScopedRepository[SponsorUser]):
    model = SponsorUser
    noun = "user"
    client_scoped = False  # users are the sponsor's, not a client's

    def by_email(self, email: str, *, for_update: bool = False) -> SponsorUser | None:
        """The user signing in: the e-mail is the first half of the credential, across sponsors."""
        stmt = select(SponsorUser).where(SponsorUser.email == email)
        return self.session.scalar(stmt.with_for_update() if for_update else stmt)

    def by_invitation_hash(self, invitation_hash: str) -> SponsorUser | None:
        """The user an invitation link is for: the link's token is the credential, across sponsors."""
        stmt = select(SponsorUser).where(SponsorUser.invitation_hash == invitation_hash)
        return self.session.scalar(stmt.with_for_update())

    def admins(self, ctx: TenantContext) -> list[SponsorUser]:
        """The sponsor's admins, locked: two removals at once cannot leave it with none."""
        stmt = self.readable(ctx).where(SponsorUser.role == "admin").order_by(SponsorUser.id).with_for_update()
        return list(self.session.scalars(stmt))

    def delete(self, user: SponsorUser) -> None:
        self.session.delete(user)
        self.session.flush()


class UserSessionRepository(ScopedRepository[UserSession]):
    model = UserSession
    noun = "session"
    client_scoped = False

    def by_token_hash(self, token_hash: str) -> UserSession | None:
        """The session a request's cookie holds: the cookie is the credential, across sponsors."""
        return self.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash))

    def revoke_all_of(self, user_id: str, now: datetime, *, sparing: str | None = None) -> None:
        """End the user's sessions, but the one `sparing` names."""
        stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        if sparing is not None:
            stmt = stmt.where(UserSession.id != sparing)
        self.session.execute(stmt.values(revoked_at=now).execution_options(synchronize_session="fetch"))
