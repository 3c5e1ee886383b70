"""mandates, documents, lifecycle events, directory cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:36:51.948954
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_cache",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=True),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_directory_cache")),
    )
    op.create_index(op.f("ix_directory_cache_siren"), "directory_cache", ["siren"], unique=False)
    op.create_table(
        "lifecycle_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=True),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.String(length=80), nullable=False),
        sa.Column("emitter", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("rejection_reason", sa.String(length=40), nullable=True),
        sa.Column("is_mandatory", sa.Boolean(), nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifecycle_events")),
    )
    op.create_index(
        "ix_lifecycle_events_scope",
        "lifecycle_events",
        ["sponsor_id", "client_id", "object_type", "object_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_documents_client_id_clients"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_documents_sponsor_id_sponsors"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_client_id"), "documents", ["client_id"], unique=False)
    op.create_index(op.f("ix_documents_sponsor_id"), "documents", ["sponsor_id"], unique=False)
    op.add_column("clients", sa.Column("description", sa.String(length=1000), nullable=True))
    op.alter_column("clients", "contact_email", existing_type=sa.VARCHAR(length=255), nullable=True)
    op.add_column("mandates", sa.Column("status_reason", sa.String(length=500), nullable=True))
    op.add_column("mandates", sa.Column("routing_code_label", sa.String(length=200), nullable=True))
    op.add_column("mandates", sa.Column("scope_key", sa.String(length=240), server_default="", nullable=False))
    op.add_column("mandates", sa.Column("signed_document_id", sa.String(length=32), nullable=True))
    op.add_column("mandates", sa.Column("ppf_line_id", sa.String(length=64), nullable=True))
    op.add_column("mandates", sa.Column("directory_entry", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("mandates", sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("mandates", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_mandates_live_scope_key",
        "mandates",
        ["scope_key"],
        unique=True,
        postgresql_where=sa.text("status IN ('processing', 'created', 'pending_kyc', 'active')"),
    )
    op.create_foreign_key(
        op.f("fk_mandates_signed_document_id_documents"),
        "mandates",
        "documents",
        ["signed_document_id"],
        ["id"],
        ondelete="RESTRICT",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_mandates_signed_document_id_documents"), "mandates", type_="foreignkey")
    op.drop_index(
        "uq_mandates_live_scope_key",
        table_name="mandates",
        postgresql_where=sa.text("status IN ('processing', 'created', 'pending_kyc', 'active')"),
    )
    op.drop_column("mandates", "revoked_at")
    op.drop_column("mandates", "activated_at")
    op.drop_column("mandates", "directory_entry")
    op.drop_column("mandates", "ppf_line_id")
    op.drop_column("mandates", "signed_document_id")
    op.drop_column("mandates", "scope_key")
    op.drop_column("mandates", "routing_code_label")
    op.drop_column("mandates", "status_reason")
    op.alter_column("clients", "contact_email", existing_type=sa.VARCHAR(length=255), nullable=False)
    op.drop_column("clients", "description")
    op.drop_index(op.f("ix_documents_sponsor_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_client_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index("ix_lifecycle_events_scope", table_name="lifecycle_events")
    op.drop_table("lifecycle_events")
    op.drop_index(op.f("ix_directory_cache_siren"), table_name="directory_cache")
    op.drop_table("directory_cache")
