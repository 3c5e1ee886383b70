"""The lifecycle statuses of invoices: every status of every invoice, as each side holds it.

An invoice exchanged between two clients of this platform is two invoice rows (one per side), and
each status is then two rows here, one in each side's tenant, sharing their `message_id`: each
side reads its own rows, and both see the whole history. A status exchanged with another
platform is one row, on our client's side. Statuses received from a peer platform keep their
message id; (invoice, message id) is unique, so a message received twice applies once.

Mandatory statuses (200, 210, 212, 213) carry their reporting to the PPF: `ppf_state` on every
copy, and the copy the platform reports from is `ppf_reporter`. Peer messages we received are
kept in `received_status_messages`, applied or refused with a reason.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext

# Who emitted a status: the issuer's platform (PDPE), the receiver's (PDPR), or a party.
ISSUER_PLATFORM, RECEIVER_PLATFORM, SELLER, BUYER = "issuer_platform", "receiver_platform", "seller", "buyer"
# Reporting to the PPF: waiting for its flow to be answered, accepted (in a receivable flow, no 601),
# rejected (601, or an unacceptable flow); `other_platform`: the counterpart's platform reports it
# (it set it), not us; `unreportable`: the invoice lacks what a status message needs (its number,
# date, seller's SIREN), or the message failed the PPF's checks here.
PPF_PENDING, PPF_ACCEPTED, PPF_REJECTED, PPF_OTHER_PLATFORM, PPF_UNREPORTABLE = (
    "pending",
    "accepted",
    "rejected",
    "other_platform",
    "unreportable",
)


class InvoiceStatusRecord(Base):
    __tablename__ = "invoice_statuses"
    __table_args__ = (
        Index("ix_invoice_statuses_history", "invoice_id", "seq"),
        UniqueConstraint("invoice_id", "message_id"),
        # A payment is recorded once per invoice: `payment_id` makes a 212 idempotent.
        Index(
            "uq_invoice_statuses_payment",
            "invoice_id",
            "payment_id",
            unique=True,
            postgresql_where=text("payment_id IS NOT NULL"),
        ),
        Index("ix_invoice_statuses_message", "message_id"),
    )
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), nullable=False)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), nullable=False)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"), nullable=False)
    # Order of writing: the history's order.
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), nullable=False, unique=True)
    status_code: Mapped[int] = mapped_column(SmallInteger, nullable=False)  # model.lifecycle.InvoiceStatus
    emitter_role: Mapped[str] = mapped_column(String(20), nullable=False)
    emitter_platform: Mapped[str] = mapped_column(String(4), nullable=False)  # matricule of the carrying platform
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)  # the status's own time
    reason_code: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(String(2000))
    requested_action: Mapped[str | None] = mapped_column(String(3))
    currency: Mapped[str | None] = mapped_column(String(3))
    # 212: [{"vat_rate": "20", "amount": "120.00"}], VAT included, rates ascending.
    amounts: Mapped[list] = mapped_column(JSONB, nullable=False, default=list)
    # A 212 from a payment: {"amount", "date", "currency"}, and its id when the caller gave one.
    payment: Mapped[dict | None] = mapped_column(JSONB(none_as_null=True))
    payment_id: Mapped[str | None] = mapped_column(String(100))
    # What the status concerns: the deposit, a delivery (its id), or the invoice itself (none).
    transmission_id: Mapped[str | None] = mapped_column(String(64))
    # A 213 DOUBLON refusing a repeated delivery: it leaves the invoice already held as it is.
    repeat_delivery: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    message_id: Mapped[str] = mapped_column(String(64), nullable=False)  # the CDAR's MDT-4
    # Received from another platform (its matricule), rather than set here.
    received_from: Mapped[str | None] = mapped_column(String(4))
    # Sent to the counterpart's platform: the network's receipt.
    peer_delivery_id: Mapped[str | None] = mapped_column(String(64))
    ppf_state: Mapped[str | None] = mapped_column(String(16))
    ppf_reporter: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    ppf_flow_id: Mapped[str | None] = mapped_column(String(64))  # the flow (ppf_flows) that carries it
    ppf_queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ppf_reason: Mapped[str | None] = mapped_column(String(40))  # 601: REJ_INC, REJ_INEX, REJ_RG…
    ppf_detail: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = created_at_column()


class ReceivedStatusMessage(Base):
    """A lifecycle message another platform delivered to us: applied, or refused with a reason."""

    __tablename__ = "received_status_messages"

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sender_platform: Mapped[str] = mapped_column(String(4), nullable=False)
    message_id: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)  # applied | refused | repeated
    reason: Mapped[str | None] = mapped_column(String(1000))
    invoice_id: Mapped[str | None] = mapped_column(String(32))  # ours, when the message named one
    created_at: Mapped[datetime] = created_at_column()


class InvoiceStatusRepository(ScopedRepository[InvoiceStatusRecord]):
    model = InvoiceStatusRecord
    noun = "status"

    def history(self, invoice_id: str) -> list[InvoiceStatusRecord]:
        """An invoice's statuses, oldest first. The invoice was read through its tenant: its rows are its tenant's."""
        stmt = select(InvoiceStatusRecord).where(InvoiceStatusRecord.invoice_id == invoice_id)
        return list(self.session.scalars(stmt.order_by(InvoiceStatusRecord.seq)))

    def by_payment(self, invoice_id: str, payment_id: str) -> InvoiceStatusRecord | None:
        return self.session.scalar(
            select(InvoiceStatusRecord).where(
                InvoiceStatusRecord.invoice_id == invoice_id, InvoiceStatusRecord.payment_id == payment_id
            )
        )

    def by_message(self, invoice_id: str, message_id: str) -> InvoiceStatusRecord | None:
        return self.session.scalar(
            select(InvoiceStatusRecord).where(
                InvoiceStatusRecord.invoice_id == invoice_id, InvoiceStatusRecord.message_id == message_id
            )
        )

    def copies(self, message_id: str) -> list[InvoiceStatusRecord]:
        """Every side's copy of one status (jobs: no tenant)."""
        return list(
            self.session.scalars(select(InvoiceStatusRecord).where(InvoiceStatusRecord.message_id == message_id))
        )

    def has_status(self, invoice_id: str, status_codes: Iterable[int]) -> bool:
        return (
            self.session.scalar(
                select(func.count()).where(
                    InvoiceStatusRecord.invoice_id == invoice_id,
                    InvoiceStatusRecord.status_code.in_(tuple(status_codes)),
                )
            )
            > 0
        )

    def for_scope(self, ctx: TenantContext, invoice_id: str) -> list[InvoiceStatusRecord]:
        """An invoice's statuses the caller may read, oldest first."""
        stmt = self.readable(ctx).where(InvoiceStatusRecord.invoice_id == invoice_id)
        return list(self.session.scalars(stmt.order_by(InvoiceStatusRecord.seq)))

    # ---- reporting to the PPF (jobs: no tenant) ----

    def set_ppf_state(
        self,
        message_ids: Sequence[str],
        state: str,
        *,
        reason: str | None = None,
        detail: str | None = None,
        only_from: str | None = None,
        **columns,
    ) -> None:
        """The PPF's side of these statuses, on every copy (`only_from`: only where the state is that one)."""
        if not message_ids:
            return
        stmt = update(InvoiceStatusRecord).where(InvoiceStatusRecord.message_id.in_(tuple(message_ids)))
        if only_from is not None:
            stmt = stmt.where(InvoiceStatusRecord.ppf_state == only_from)
        self.session.execute(
            stmt.values(ppf_state=state, ppf_reason=reason, ppf_detail=detail, **columns).execution_options(
                synchronize_session="fetch"
            )
        )


class ReceivedStatusMessageRepository:
    def __init__(self, session) -> None:
        self.session = session

    def get(self, delivery_id: str) -> ReceivedStatusMessage | None:
        return self.session.get(ReceivedStatusMessage, delivery_id, with_for_update=True)

    def latest_accepted_at(self) -> datetime | None:
        return self.session.scalar(select(func.max(ReceivedStatusMessage.accepted_at)))

    def add(self, message: ReceivedStatusMessage) -> ReceivedStatusMessage:
        self.session.add(message)
        self.session.flush()
        return message
