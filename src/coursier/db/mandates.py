"""Mandates: a client's signed consent that the platform acts for it on one directory line.

The foundation keeps only what tenancy needs (a client with mandates cannot be deleted); the
onboarding and mandates work adds the signature, directory entry and lifecycle.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column


class Mandate(Base):
    __tablename__ = "mandates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    # RESTRICT: a client is never deleted from under its mandates (the API answers 409 first).
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="processing")
    siren: Mapped[str] = mapped_column(String(9), nullable=False)
    suffix: Mapped[str | None] = mapped_column(String(100))
    siret: Mapped[str | None] = mapped_column(String(14))
    routing_code: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


def count_mandates_of_client(session: Session, sponsor_id: str, client_id: str) -> int:
    return session.scalar(
        select(func.count()).select_from(Mandate).where(Mandate.sponsor_id == sponsor_id, Mandate.client_id == client_id)
    )
