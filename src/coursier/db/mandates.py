"""Mandates: a client's signed consent that the platform acts for it on one directory line."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.repository import ScopedRepository

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
    # RESTRICT: a client is never deleted from under its mandates (the API answers 409 first).
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
    model = Mandate
    noun = "mandate"

    def live_holder(self, scope_key: str) -> Mandate | None:
        return self.session.scalar(
            select(Mandate).where(Mandate.scope_key == scope_key, Mandate.status.in_(LIVE_STATUSES))
        )

    def of_siren(self, siren: str) -> list[Mandate]:
        return list(
            self.session.scalars(
                select(Mandate).where(Mandate.siren == siren, Mandate.status == "active").order_by(Mandate.created_at)
            )
        )


def count_mandates_of_client(session: Session, sponsor_id: str, client_id: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Mandate)
        .where(Mandate.sponsor_id == sponsor_id, Mandate.client_id == client_id)
    )
