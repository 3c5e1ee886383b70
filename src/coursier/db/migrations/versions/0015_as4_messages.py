"""as4 messages: what the AS4 endpoint received, once per MessageId and per (sending AP, document)

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "as4_messages",
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("sender_party", sa.String(100), nullable=False),
        sa.Column("instance_id", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("document_type", sa.String(500), nullable=False),
        sa.Column("invoice_id", sa.String(32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="fk_as4_messages_invoice_id_invoices", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("message_id", name="pk_as4_messages"),
        sa.UniqueConstraint("sender_party", "instance_id", name="uq_as4_messages_sender_party_instance_id"),
    )


def downgrade() -> None:
    op.drop_table("as4_messages")
