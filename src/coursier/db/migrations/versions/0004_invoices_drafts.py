"""invoices, drafts, invoice sequences

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 04:03:36.207818
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_sequences",
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("series", sa.String(length=200), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_invoice_sequences_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", "series", name=op.f("pk_invoice_sequences")),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=False),
        sa.Column("rejection_reason", sa.String(length=40), nullable=True),
        sa.Column("rejection_message", sa.String(length=2000), nullable=True),
        sa.Column("number", sa.String(length=200), nullable=True),
        sa.Column("type_code", sa.String(length=3), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("total_without_vat", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("total_vat", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("total_with_vat", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("amount_due", sa.Numeric(precision=19, scale=2), nullable=True),
        sa.Column("seller_siren", sa.String(length=9), nullable=True),
        sa.Column("seller_name", sa.String(length=300), nullable=True),
        sa.Column("buyer_siren", sa.String(length=9), nullable=True),
        sa.Column("buyer_name", sa.String(length=300), nullable=True),
        sa.Column("duplicate_key", sa.String(length=300), nullable=True),
        sa.Column("container", sa.String(length=8), nullable=True),
        sa.Column("syntax", sa.String(length=16), nullable=True),
        sa.Column("profile", sa.String(length=32), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("readable_document_id", sa.String(length=32), nullable=True),
        sa.Column("model", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("validation", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("recipient_platform_id", sa.String(length=8), nullable=True),
        sa.Column("source_invoice_id", sa.String(length=32), nullable=True),
        sa.Column("draft_id", sa.String(length=32), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_invoices_client_id_clients"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_invoices_document_id_documents"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["readable_document_id"],
            ["documents.id"],
            name=op.f("fk_invoices_readable_document_id_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoices_source_invoice_id_invoices"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_invoices_sponsor_id_sponsors"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
    )
    op.create_index(op.f("ix_invoices_buyer_siren"), "invoices", ["buyer_siren"], unique=False)
    op.create_index(op.f("ix_invoices_client_id"), "invoices", ["client_id"], unique=False)
    op.create_index(
        "ix_invoices_listing", "invoices", ["sponsor_id", "client_id", "direction", "created_at", "id"], unique=False
    )
    op.create_index(op.f("ix_invoices_seller_siren"), "invoices", ["seller_siren"], unique=False)
    op.create_index(op.f("ix_invoices_sponsor_id"), "invoices", ["sponsor_id"], unique=False)
    op.create_index(
        "uq_invoices_accepted_duplicate_key",
        "invoices",
        ["duplicate_key"],
        unique=True,
        postgresql_where=sa.text("direction = 'outbound' AND status_code NOT IN (213, 501)"),
    )
    op.create_index(
        "uq_invoices_inbound_source",
        "invoices",
        ["source_invoice_id"],
        unique=True,
        postgresql_where=sa.text("direction = 'inbound'"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=True),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("invoice_id", sa.String(length=32), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_drafts_client_id_clients"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_drafts_document_id_documents"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_drafts_invoice_id_invoices"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_drafts_sponsor_id_sponsors"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    op.create_index(op.f("ix_drafts_client_id"), "drafts", ["client_id"], unique=False)
    op.create_index(op.f("ix_drafts_sponsor_id"), "drafts", ["sponsor_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_drafts_sponsor_id"), table_name="drafts")
    op.drop_index(op.f("ix_drafts_client_id"), table_name="drafts")
    op.drop_table("drafts")
    op.drop_index(
        "uq_invoices_inbound_source", table_name="invoices", postgresql_where=sa.text("direction = 'inbound'")
    )
    op.drop_index(
        "uq_invoices_accepted_duplicate_key",
        table_name="invoices",
        postgresql_where=sa.text("direction = 'outbound' AND status_code NOT IN (213, 501)"),
    )
    op.drop_index(op.f("ix_invoices_sponsor_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_seller_siren"), table_name="invoices")
    op.drop_index("ix_invoices_listing", table_name="invoices")
    op.drop_index(op.f("ix_invoices_client_id"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_buyer_siren"), table_name="invoices")
    op.drop_table("invoices")
    op.drop_table("invoice_sequences")
