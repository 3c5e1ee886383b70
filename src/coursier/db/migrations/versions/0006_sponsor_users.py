"""sponsor users and their dashboard sessions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 04:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sponsor_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("invitation_hash", sa.String(length=64), nullable=True),
        sa.Column("invitation_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["sponsors.id"], name=op.f("fk_sponsor_users_sponsor_id_sponsors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sponsor_users")),
        sa.UniqueConstraint("email", name=op.f("uq_sponsor_users_email")),
        sa.UniqueConstraint("invitation_hash", name=op.f("uq_sponsor_users_invitation_hash")),
    )
    op.create_index(op.f("ix_sponsor_users_sponsor_id"), "sponsor_users", ["sponsor_id"], unique=False)
    op.create_table(
        "sponsor_user_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sponsor_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("second_factor_pending", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["sponsor_id"],
            ["sponsors.id"],
            name=op.f("fk_sponsor_user_sessions_sponsor_id_sponsors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["sponsor_users.id"],
            name=op.f("fk_sponsor_user_sessions_user_id_sponsor_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sponsor_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sponsor_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_sponsor_user_sessions_sponsor_id"), "sponsor_user_sessions", ["sponsor_id"], unique=False)
    op.create_index(op.f("ix_sponsor_user_sessions_user_id"), "sponsor_user_sessions", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sponsor_user_sessions_user_id"), table_name="sponsor_user_sessions")
    op.drop_index(op.f("ix_sponsor_user_sessions_sponsor_id"), table_name="sponsor_user_sessions")
    op.drop_table("sponsor_user_sessions")
    op.drop_index(op.f("ix_sponsor_users_sponsor_id"), table_name="sponsor_users")
    op.drop_table("sponsor_users")
