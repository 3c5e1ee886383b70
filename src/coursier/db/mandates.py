"""Mandates: a client's signed consent that the platform acts for it on one directory line."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext

# Statuses in which a mandate holds its directory line for the platform.
LIVE_STATUSES = ("processing", "created", "pending_kyc", "active")


class Mandate(Base):
    __tablename__ = "mandates"
    __table_args__ = (
        # One live mandate per addressing key on the whole platform, whatever the sponsor.
        Index(
            "uq_mandates_live_scope_key",
            "scope_key",
            unique=True,
            postgresql_where=text("status IN ('processing', 'created', 'pending_kyc', 'active')"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    # RESTRICT: a client with mandates is never removed; once they have all ended, deleting it
    # hides it (services.clients.delete_client) and its mandates stay as evidence.
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="processing")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    siren: Mapped[str] = mapped_column(String(9), nullable=False)
    suffix: Mapped[str | None] = mapped_column(String(100))
    siret: Mapped[str | None] = mapped_column(String(14))
    routing_code: Mapped[str | None] = mapped_column(String(100))
    routing_code_label: Mapped[str | None] = mapped_column(String(200))
    # "siren|suffix|siret|routing_code": the directory line this mandate is for.
    scope_key: Mapped[str] = mapped_column(String(240), nullable=False, server_default="")
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    signed_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    ppf_line_id: Mapped[str | None] = mapped_column(String(64))
    directory_entry: Mapped[dict | None] = mapped_column(JSONB(none_as_null=True))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


class MandateRepository(ScopedRepository[Mandate]):
    """Tenant reads start from `readable`. A directory line is one for the whole platform, so the
    questions about who holds a line look at every sponsor's mandates: their answers never reach
    a caller beyond "taken" or, for the holder's own sponsor, which client."""

    model = Mandate
    noun = "mandate"

    def live_count_of_client(self, ctx: TenantContext, client_id: str) -> int:
        """The client's mandates that hold, or are about to hold, a directory line."""
        stmt = self.readable(ctx.for_client(client_id)).where(Mandate.status.in_(LIVE_STATUSES))
        return self.session.scalar(stmt.with_only_columns(func.count()))

    def active_sirens(self, ctx: TenantContext, sirens: set[str]) -> set[str]:
        """Those of `sirens` an active mandate of the caller covers."""
        if not sirens:
            return set()
        stmt = self.readable(ctx).where(Mandate.siren.in_(sirens), Mandate.status == "active")
        return set(self.session.scalars(stmt.with_only_columns(Mandate.siren).distinct()))

    def active_of(self, ctx: TenantContext) -> list[Mandate]:
        """The caller's active mandates, oldest first."""
        stmt = self.readable(ctx).where(Mandate.status == "active").order_by(Mandate.created_at, Mandate.id)
        return list(self.session.scalars(stmt))

    def with_directory_entry(self, ctx: TenantContext) -> list[Mandate]:
        """The caller's mandates that have had a directory line, oldest first."""
        stmt = self.readable(ctx).where(Mandate.directory_entry.is_not(None)).order_by(Mandate.created_at, Mandate.id)
        return list(self.session.scalars(stmt))

    def live_holder(self, scope_key: str) -> Mandate | None:
        """Platform-wide: the mandate, of any sponsor, holding this directory line or about to."""
        return self.session.scalar(
            select(Mandate).where(Mandate.scope_key == scope_key, Mandate.status.in_(LIVE_STATUSES))
        )

    def active_holder(self, scope_key: str) -> Mandate | None:
        """Platform-wide: the active mandate, of any sponsor, whose client receives on this line."""
        return self.session.scalar(select(Mandate).where(Mandate.scope_key == scope_key, Mandate.status == "active"))

    def lock_active_ended_before(self, day: date) -> list[Mandate]:
        """For the expiry job: active mandates whose end date is past, locked; rows another worker
        holds are skipped (it is expiring them)."""
        stmt = (
            select(Mandate).where(Mandate.status == "active", Mandate.end_date < day).with_for_update(skip_locked=True)
        )
        return list(self.session.scalars(stmt))
