"""The numbering sequences of finalized drafts: the last number given in each client's series."""

from sqlalchemy import ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base


class InvoiceSequence(Base):
    """The last number given in a client's series (see services/drafts/numbering.py)."""

    __tablename__ = "invoice_sequences"

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    series: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False)


def next_in_sequence(session: Session, client_id: str, series: str) -> int:
    """The next number of a client's series, gap-free: the row stays locked until the caller's
    transaction ends, so a rolled-back finalization gives its number back and concurrent ones queue."""
    return session.execute(
        text(
            "INSERT INTO invoice_sequences (client_id, series, last_value) VALUES (:c, :s, 1) "
            "ON CONFLICT (client_id, series) DO UPDATE SET last_value = invoice_sequences.last_value + 1 "
            "RETURNING last_value"
        ),
        {"c": client_id, "s": series},
    ).scalar_one()
