"""AS4 messages this platform received and kept: duplicate elimination for the AS4 endpoint.

A message is received once per MessageId (a sender's retry of the same message) and once per
(sending access point, SBDH InstanceIdentifier) (the same document sent again in a new message).
The row is written in the transaction that stores what the message carried, so a message whose
storing rolled back was not received and may come again. Platform-wide, like the directory cache:
an access point is no tenant's.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base, created_at_column


class As4Message(Base):
    __tablename__ = "as4_messages"
    __table_args__ = (UniqueConstraint("sender_party", "instance_id"),)

    message_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    sender_party: Mapped[str] = mapped_column(String(100), nullable=False)  # the sending AP (its certificate's CN)
    instance_id: Mapped[str] = mapped_column(String(255), nullable=False)  # the sender's id of the document
    sender: Mapped[str] = mapped_column(String(200), nullable=False)  # participants, as the SBDH names them
    recipient: Mapped[str] = mapped_column(String(200), nullable=False)
    document_type: Mapped[str] = mapped_column(String(500), nullable=False)
    invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    received_at: Mapped[datetime] = created_at_column()


class As4MessageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(
        self, *, message_id: str, sender_party: str, instance_id: str, sender: str, recipient: str, document_type: str
    ) -> As4Message | None:
        """The new row, or None when the message or the document was received already. A concurrent
        claim of the same key waits for the other transaction, then finds it (or takes its place)."""
        row = self.session.execute(
            insert(As4Message)
            .values(
                message_id=message_id,
                sender_party=sender_party,
                instance_id=instance_id,
                sender=sender,
                recipient=recipient,
                document_type=document_type,
            )
            .on_conflict_do_nothing()
            .returning(As4Message.message_id)
        ).first()
        return self.session.get(As4Message, message_id) if row is not None else None
