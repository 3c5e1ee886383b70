"""Flows exchanged with the PPF (DG §3.4): those we queue and deposit, and the files we collect.

A flow belongs to the platform, not to one tenant: a batch (DG §3.4.6) may carry several clients'
invoices. What it carries is said by its subjects (`ppf_flow_subjects`: "invoice"/id...), through
which each domain finds its own objects again; tenant reads go through those objects.

A flow's life: `open` (files may still join it), `sealed` (its envelope is packed and kept, byte
for byte what is deposited, however often), `deposited`, then `answered` with the PPF's 500/501.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    delete,
    func,
    select,
)
from sqlalchemy import (
    Sequence as DbSequence,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from coursier.db.base import Base, created_at_column

# The 15-digit sequence of our flow ids (formats.ppf.envelope.flow_id): one for every interface.
FLOW_SEQUENCE = DbSequence("ppf_flow_sequence", metadata=Base.metadata)

OPEN, SEALED, DEPOSITED, ANSWERED = "open", "sealed", "deposited", "answered"


class PPFFlow(Base):
    __tablename__ = "ppf_flows"
    __table_args__ = (Index("ix_ppf_flows_state_interface", "state", "interface"),)

    flow_id: Mapped[str] = mapped_column(String(25), primary_key=True)
    interface: Mapped[str] = mapped_column(String(8), nullable=False)
    envelope_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=OPEN)
    file_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary)  # packed when sealed
    status_code: Mapped[int | None] = mapped_column(Integer)  # 500 / 501 (DG §3.4.4)
    reasons: Mapped[list | None] = mapped_column(JSONB(none_as_null=True))  # [[code, text], ...]
    created_at: Mapped[datetime] = created_at_column()
    sealed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deposited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # by the PPF, per its answer
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    files: Mapped[list["PPFFlowFile"]] = relationship(order_by="PPFFlowFile.position", lazy="selectin")
    subjects: Mapped[list["PPFFlowSubject"]] = relationship(order_by="PPFFlowSubject.id", lazy="selectin")

    def subject_ids(self, subject_type: str) -> list[str]:
        return [subject.subject_id for subject in self.subjects if subject.subject_type == subject_type]


class PPFFlowFile(Base):
    __tablename__ = "ppf_flow_files"

    flow_id: Mapped[str] = mapped_column(ForeignKey("ppf_flows.flow_id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class PPFFlowSubject(Base):
    __tablename__ = "ppf_flow_subjects"
    __table_args__ = (Index("ix_ppf_flow_subjects_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    flow_id: Mapped[str] = mapped_column(
        ForeignKey("ppf_flows.flow_id", ondelete="CASCADE"), nullable=False, index=True
    )
    subject_type: Mapped[str] = mapped_column(String(32), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False)


class PPFCollectedFile(Base):
    """A file collected from our space on the PPF's server: kept by name, so that it is handled
    once even when it is seen again (removed from the server only after this row commits)."""

    __tablename__ = "ppf_collected_files"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    flow_id: Mapped[str | None] = mapped_column(String(25))  # the flow it answers, for a 500/501
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    collected_at: Mapped[datetime] = created_at_column()


class PPFFlowRepository:
    """Platform-wide: flows are not a tenant's (see the module)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def next_sequence(self) -> int:
        return self.session.execute(FLOW_SEQUENCE.next_value()).scalar_one()

    def add(self, flow: PPFFlow) -> PPFFlow:
        self.session.add(flow)
        self.session.flush()
        return flow

    def open_flow(self, interface: str) -> PPFFlow | None:
        """The open flow of `interface`, locked so that files join it one transaction at a time."""
        return self.session.scalars(
            select(PPFFlow)
            .where(PPFFlow.interface == interface, PPFFlow.state == OPEN)
            .order_by(PPFFlow.created_at)
            .limit(1)
            .with_for_update()
        ).first()

    def add_files(self, flow: PPFFlow, files: Sequence[tuple[str, bytes]]) -> None:
        for name, content in files:
            self.session.add(PPFFlowFile(flow_id=flow.flow_id, position=flow.file_count, name=name, content=content))
            flow.file_count += 1
            flow.total_bytes += len(content)
        self.session.flush()
        self.session.refresh(flow, ["files"])

    def add_subjects(self, flow: PPFFlow, subject_type: str, subject_ids: Iterable[str]) -> None:
        self.session.add_all(
            PPFFlowSubject(flow_id=flow.flow_id, subject_type=subject_type, subject_id=subject_id)
            for subject_id in subject_ids
        )
        self.session.flush()
        self.session.refresh(flow, ["subjects"])

    def flows_of_subject(self, subject_type: str, subject_id: str, interfaces: Iterable[str]) -> list[PPFFlow]:
        return list(
            self.session.scalars(
                select(PPFFlow)
                .join(PPFFlowSubject, PPFFlowSubject.flow_id == PPFFlow.flow_id)
                .where(
                    PPFFlowSubject.subject_type == subject_type,
                    PPFFlowSubject.subject_id == subject_id,
                    PPFFlow.interface.in_(tuple(interfaces)),
                )
                .order_by(PPFFlow.created_at)
            )
        )

    def get(self, flow_id: str, *, lock: bool = False) -> PPFFlow | None:
        query = select(PPFFlow).where(PPFFlow.flow_id == flow_id)
        return self.session.scalars(query.with_for_update() if lock else query).first()

    def open_flows(self) -> list[PPFFlow]:
        """Every open flow, locked; a run of the exchange that holds them skips no other."""
        return list(
            self.session.scalars(
                select(PPFFlow)
                .where(PPFFlow.state == OPEN)
                .order_by(PPFFlow.created_at)
                .with_for_update(skip_locked=True)
            )
        )

    def sealed_flows(self) -> list[PPFFlow]:
        return list(
            self.session.scalars(
                select(PPFFlow)
                .where(PPFFlow.state == SEALED)
                .order_by(PPFFlow.sealed_at, PPFFlow.flow_id)
                .with_for_update(skip_locked=True)
            )
        )

    def deposits_since(self, moment: datetime) -> int:
        return self.session.scalar(select(func.count()).where(PPFFlow.deposited_at >= moment))

    def last_deposit(self, interface: str) -> datetime | None:
        return self.session.scalar(select(func.max(PPFFlow.deposited_at)).where(PPFFlow.interface == interface))

    def record_collected(self, name: str, kind: str, content: bytes, flow_id: str | None) -> bool:
        """Keep a collected file; False when it was already kept (then it was handled already)."""
        inserted = self.session.execute(
            insert(PPFCollectedFile)
            .values(name=name, kind=kind, content=content, flow_id=flow_id)
            .on_conflict_do_nothing(index_elements=["name"])
            .returning(PPFCollectedFile.name)
        ).first()
        return inserted is not None

    def purge_collected_before(self, cutoff: datetime) -> int:
        return self.session.execute(delete(PPFCollectedFile).where(PPFCollectedFile.collected_at < cutoff)).rowcount
