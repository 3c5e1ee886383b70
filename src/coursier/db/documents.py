"""Stored files (mandate PDFs, later invoices): content kept in PostgreSQL with its hash."""

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from coursier.db.base import Base, created_at_column, new_id
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # Loaded only when asked for: listings never pull file bodies.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = created_at_column()


class DocumentRepository(ScopedRepository[Document]):
    model = Document
    noun = "document"

    def store(self, ctx: TenantContext, *, kind: str, media_type: str, filename: str, content: bytes) -> Document:
        return self.add(new_document(ctx, kind=kind, media_type=media_type, filename=filename, content=content))


def new_document(ctx: TenantContext, *, kind: str, media_type: str, filename: str, content: bytes) -> Document:
    """A document to store (`DocumentRepository.add`, or `add_all` for several in one statement)."""
    return Document(
        id=new_id("doc"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        kind=kind,
        media_type=media_type,
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
