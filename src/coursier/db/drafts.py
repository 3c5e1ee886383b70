"""Drafts: invoices being written in the JSON invoice model, until finalized and sent."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.documents import Document
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")  # draft | finalized
    data: Mapped[dict] = mapped_column(JSONB, nullable=False)
    number: Mapped[str | None] = mapped_column(String(200))
    # The finalized document (in the chosen output format), kept ready until it is sent.
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


class DraftRepository(ScopedRepository[Draft]):
    model = Draft
    noun = "draft"

    def document_kinds(self, ctx: TenantContext, drafts: list[Draft]) -> dict[str, str]:
        """Draft id -> kind of its finalized document, for the drafts that have one (one query)."""
        by_document = {draft.document_id: draft.id for draft in drafts if draft.document_id}
        if not by_document:
            return {}
        rows = self.session.execute(
            select(Document.id, Document.kind).where(
                Document.sponsor_id == ctx.sponsor_id, Document.id.in_(by_document)
            )
        )
        return {by_document[document_id]: kind for document_id, kind in rows}
