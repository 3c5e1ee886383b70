"""invoice statuses: every lifecycle status of each side's invoice, with its emitter, details, CDAR
message id and reporting to the PPF; lifecycle messages received from other platforms

Revision ID: 0010
Revises: 0011 (main's head when this landed; numbered 0010 as assigned)
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_statuses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("invoice_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=False),
        sa.Column("emitter_role", sa.String(length=20), nullable=False),
        sa.Column("emitter_platform", sa.String(length=4), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("requested_action", sa.String(length=3), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amounts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("payment", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("payment_id", sa.String(length=100), nullable=True),
        sa.Column("transmission_id", sa.String(length=64), nullable=True),
        sa.Column("repeat_delivery", sa.Boolean(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("received_from", sa.String(length=4), nullable=True),
        sa.Column("peer_delivery_id", sa.String(length=64), nullable=True),
        sa.Column("ppf_state", sa.String(length=16), nullable=True),
        sa.Column("ppf_reporter", sa.Boolean(), nullable=False),
        sa.Column("ppf_flow_id", sa.String(length=64), nullable=True),
        sa.Column("ppf_queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ppf_reason", sa.String(length=40), nullable=True),
        sa.Column("ppf_detail", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_invoice_statuses_client_id_clients"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_statuses_invoice_id_invoices"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_invoice_statuses_sponsor_id_sponsors"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_statuses")),
        sa.UniqueConstraint("invoice_id", "message_id", name=op.f("uq_invoice_statuses_invoice_id_message_id")),
        sa.UniqueConstraint("seq", name=op.f("uq_invoice_statuses_seq")),
    )
    op.create_index("ix_invoice_statuses_history", "invoice_statuses", ["invoice_id", "seq"])
    op.create_index(
        "uq_invoice_statuses_payment",
        "invoice_statuses",
        ["invoice_id", "payment_id"],
        unique=True,
        postgresql_where=sa.text("payment_id IS NOT NULL"),
    )
    op.create_index("ix_invoice_statuses_message", "invoice_statuses", ["message_id"])

    op.create_table(
        "received_status_messages",
        sa.Column("delivery_id", sa.String(length=64), nullable=False),
        sa.Column("sender_platform", sa.String(length=4), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("invoice_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_received_status_messages")),
    )
    op.create_index(op.f("ix_received_status_messages_accepted_at"), "received_status_messages", ["accepted_at"])


def downgrade() -> None:
    op.drop_table("received_status_messages")
    op.drop_table("invoice_statuses")
