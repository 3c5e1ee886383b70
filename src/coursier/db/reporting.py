"""E-reporting: the periods of each declarant, the items reported in them, and the F10 transmissions.

A period is one stream of F10 reports: one declarant (SIREN) of one client, in one role (seller or
buyer) and for one kind of data (transactions or payments), over the dates its VAT regime gives
(`coursier.model.reporting`). Items are kept one per thing reported (an international invoice, a
B2C day, a payment); sending one again supersedes the previous version, which stays as history.
A transmission is one F10 file sent for a period: the first initial (IN), the next ones corrective
(RE), each carrying all the period's current items.
"""

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    UniqueConstraint,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, deferred, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext

# ReportingPeriod.state: nothing sent yet, a report in flight, the PPF's last answer.
OPEN, SENT, ACCEPTED, REJECTED = "open", "sent", "accepted", "rejected"
# ReportingTransmission.state: waiting for the PPF's answer, then 300 or 301 (DG §3.7.9).
QUEUED, DEPOSITED, REFUSED = "queued", "deposited", "rejected"


class ReportingPeriod(Base):
    __tablename__ = "reporting_periods"
    __table_args__ = (UniqueConstraint("client_id", "siren", "role", "kind", "start_date"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    siren: Mapped[str] = mapped_column(String(9), nullable=False)
    declarant_name: Mapped[str] = mapped_column(String(300), nullable=False)  # TT-14
    role: Mapped[str] = mapped_column(String(2), nullable=False)  # model.reporting.DeclarantRole
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # model.reporting.DataKind
    regime: Mapped[str] = mapped_column(String(24), nullable=False)  # the client's when the period opened
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=OPEN)
    # The last change of its items, and the last transmission: a change after it calls for a new report.
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transmitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


class ReportingItem(Base):
    __tablename__ = "reporting_items"
    __table_args__ = (
        # One current version of each thing reported in a period.
        Index(
            "uq_reporting_items_current",
            "period_id",
            "item_key",
            unique=True,
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("reporting_periods.id", ondelete="RESTRICT"), index=True)
    # invoice (10.1), b2c_day and b2c_invoice (10.3), invoice_payment (10.2), day_payment (10.4)
    item_type: Mapped[str] = mapped_column(String(16), nullable=False)
    # What a new version replaces: the invoice, the day × currency × category, the day's payments…
    item_key: Mapped[str] = mapped_column(String(300), nullable=False)
    operation_date: Mapped[date] = mapped_column(Date, nullable=False)
    invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"), index=True)
    # The block's content as the report carries it (model.reporting, as JSON).
    content: Mapped[dict] = mapped_column(JSONB, nullable=False)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()


class ReportingTransmission(Base):
    __tablename__ = "reporting_transmissions"
    __table_args__ = (UniqueConstraint("period_id", "sequence"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("reporting_periods.id", ondelete="RESTRICT"), index=True)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)  # 1, 2… within the period
    # TT-1, unique per declarant and period (A7 G8.05).
    document_id: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    type_code: Mapped[str] = mapped_column(String(2), nullable=False)  # IN | RE
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=QUEUED)
    flow_id: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    xml: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # A digest of the report's content (not its header): a later change calls for a corrective one.
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    item_ids: Mapped[list] = mapped_column(JSONB, nullable=False, default=list)
    reasons: Mapped[list] = mapped_column(JSONB, nullable=False, default=list)  # REJ_* of a 301
    findings: Mapped[list] = mapped_column(JSONB, nullable=False, default=list)
    created_at: Mapped[datetime] = created_at_column()
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReportingPeriodRepository(ScopedRepository[ReportingPeriod]):
    model = ReportingPeriod
    noun = "period"

    def open_or_get(self, period: ReportingPeriod) -> ReportingPeriod:
        """The client's period with the same declarant, role, kind and start, `period` inserted if
        there is none yet (two requests opening it at once get the same row), locked."""
        values = {column.key: getattr(period, column.key) for column in ReportingPeriod.__table__.columns}
        values = {key: value for key, value in values.items() if value is not None}
        self.session.execute(
            insert(ReportingPeriod)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["client_id", "siren", "role", "kind", "start_date"])
        )
        return self.session.scalar(
            select(ReportingPeriod)
            .where(
                ReportingPeriod.client_id == period.client_id,
                ReportingPeriod.siren == period.siren,
                ReportingPeriod.role == period.role,
                ReportingPeriod.kind == period.kind,
                ReportingPeriod.start_date == period.start_date,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def covering(self, like: ReportingPeriod, day: date) -> ReportingPeriod | None:
        """The period of the same client, declarant, role and kind whose dates hold `day`, locked."""
        return self.session.scalar(
            self._same_line(like)
            .where(ReportingPeriod.start_date <= day, ReportingPeriod.end_date >= day)
            .with_for_update()
        )

    def free_around(self, like: ReportingPeriod, day: date) -> tuple[date | None, date | None]:
        """The last day of the line's period ending before `day`, and the first day of the one
        starting after it (None where there is none)."""
        before = self.session.scalar(
            self._same_line(like)
            .where(ReportingPeriod.end_date < day)
            .with_only_columns(func.max(ReportingPeriod.end_date))
        )
        after = self.session.scalar(
            self._same_line(like)
            .where(ReportingPeriod.start_date > day)
            .with_only_columns(func.min(ReportingPeriod.start_date))
        )
        return before, after

    @staticmethod
    def _same_line(like: ReportingPeriod) -> Select[tuple[ReportingPeriod]]:
        return select(ReportingPeriod).where(
            ReportingPeriod.client_id == like.client_id,
            ReportingPeriod.siren == like.siren,
            ReportingPeriod.role == like.role,
            ReportingPeriod.kind == like.kind,
        )

    def listing(self, ctx: TenantContext, *, kind: str | None = None) -> Select[tuple[ReportingPeriod]]:
        stmt = self.readable(ctx)
        return stmt if kind is None else stmt.where(ReportingPeriod.kind == kind)

    def to_transmit(self, today: date) -> list[str]:
        """Ids of the periods that may call for a report (jobs: every tenant): never sent and past
        their deadline, or answered and changed since their last report."""
        stmt = select(ReportingPeriod.id).where(
            or_(
                (ReportingPeriod.state == OPEN) & (ReportingPeriod.deadline < today),
                ReportingPeriod.state.in_((ACCEPTED, REJECTED))
                & (ReportingPeriod.changed_at > ReportingPeriod.transmitted_at),
            )
        )
        return list(self.session.scalars(stmt.order_by(ReportingPeriod.deadline, ReportingPeriod.id)))


class ReportingItemRepository(ScopedRepository[ReportingItem]):
    model = ReportingItem
    noun = "item"

    def current(self, period_id: str, item_key: str | None = None, *, lock: bool = False) -> list[ReportingItem]:
        """The period's current items (or the current version of one), in a stable order."""
        stmt = select(ReportingItem).where(ReportingItem.period_id == period_id, ReportingItem.superseded_at.is_(None))
        if item_key is not None:
            stmt = stmt.where(ReportingItem.item_key == item_key)
        stmt = stmt.order_by(ReportingItem.item_type, ReportingItem.item_key)
        return list(self.session.scalars(stmt.with_for_update() if lock else stmt))

    def of_invoice(self, invoice_id: str) -> list[ReportingItem]:
        """The current items about an invoice (its 10.1 entry, its payments)."""
        stmt = select(ReportingItem).where(
            ReportingItem.invoice_id == invoice_id, ReportingItem.superseded_at.is_(None)
        )
        return list(self.session.scalars(stmt.order_by(ReportingItem.created_at, ReportingItem.id)))


class ReportingTransmissionRepository(ScopedRepository[ReportingTransmission]):
    model = ReportingTransmission
    noun = "transmission"

    def of_period(self, period_id: str) -> list[ReportingTransmission]:
        """The period's transmissions, first to last."""
        stmt = select(ReportingTransmission).where(ReportingTransmission.period_id == period_id)
        return list(self.session.scalars(stmt.order_by(ReportingTransmission.sequence)))

    def by_document_id(self, document_id: str) -> ReportingTransmission | None:
        """Jobs and the PPF's answers know a transmission by its TT-1; locked."""
        stmt = select(ReportingTransmission).where(ReportingTransmission.document_id == document_id)
        return self.session.scalar(stmt.with_for_update())
