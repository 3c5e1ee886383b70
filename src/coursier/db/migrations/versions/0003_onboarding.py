"""onboarding links: the client's path to a signed mandate, with its evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 03:43:40.868692
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboarding_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("include_kyc", sa.Boolean(), nullable=False),
        sa.Column("include_signature", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("return_url", sa.String(length=2000), nullable=True),
        sa.Column("branding", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("company", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mandate_id", sa.String(length=32), nullable=True),
        sa.Column("signatory", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("otp_hash", sa.String(length=64), nullable=True),
        sa.Column("otp_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("otp_failed_attempts", sa.Integer(), nullable=False),
        sa.Column("otp_codes_sent", sa.Integer(), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kyc_completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsigned_document_id", sa.String(length=32), nullable=True),
        sa.Column("signed_document_id", sa.String(length=32), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_onboarding_links_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mandate_id"], ["mandates.id"], name=op.f("fk_onboarding_links_mandate_id_mandates"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["signed_document_id"],
            ["documents.id"],
            name=op.f("fk_onboarding_links_signed_document_id_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_onboarding_links_sponsor_id_sponsors"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["unsigned_document_id"],
            ["documents.id"],
            name=op.f("fk_onboarding_links_unsigned_document_id_documents"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_onboarding_links_token_hash")),
    )
    op.create_index("ix_onboarding_links_client_created", "onboarding_links", ["client_id", "created_at"], unique=False)
    op.create_index(op.f("ix_onboarding_links_sponsor_id"), "onboarding_links", ["sponsor_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_onboarding_links_sponsor_id"), table_name="onboarding_links")
    op.drop_index("ix_onboarding_links_client_created", table_name="onboarding_links")
    op.drop_table("onboarding_links")
