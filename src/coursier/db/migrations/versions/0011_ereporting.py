"""e-reporting: the client's VAT regime and option for VAT on debits; reporting periods, items and
F10 transmissions

Revision ID: 0011
Revises: 0016
Create Date: 2026-12-06 07:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0016"
branch_labels = None
depends_on = None


def _tenant_columns() -> list[sa.Column]:
    return [
        sa.Column("sponsor_id", sa.String(32), sa.ForeignKey("sponsors.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("client_id", sa.String(32), sa.ForeignKey("clients.id", ondelete="RESTRICT"), nullable=False),
    ]


def upgrade() -> None:
    op.add_column(
        "client_settings",
        sa.Column("vat_regime", sa.String(24), nullable=False, server_default="normal_monthly"),
    )
    op.add_column("client_settings", sa.Column("vat_on_debits", sa.Boolean, nullable=False, server_default="false"))
    # The defaults fill the existing rows; new rows get theirs from the model.
    op.alter_column("client_settings", "vat_regime", server_default=None)
    op.alter_column("client_settings", "vat_on_debits", server_default=None)

    op.create_table(
        "reporting_periods",
        sa.Column("id", sa.String(32), primary_key=True),
        *_tenant_columns(),
        sa.Column("siren", sa.String(9), nullable=False),
        sa.Column("declarant_name", sa.String(300), nullable=False),
        sa.Column("role", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("regime", sa.String(24), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
        sa.Column("transmitted_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("client_id", "siren", "role", "kind", "start_date"),
    )
    op.create_index(op.f("ix_reporting_periods_sponsor_id"), "reporting_periods", ["sponsor_id"])
    op.create_index(op.f("ix_reporting_periods_client_id"), "reporting_periods", ["client_id"])

    op.create_table(
        "reporting_items",
        sa.Column("id", sa.String(32), primary_key=True),
        *_tenant_columns(),
        sa.Column(
            "period_id", sa.String(32), sa.ForeignKey("reporting_periods.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("item_type", sa.String(16), nullable=False),
        sa.Column("item_key", sa.String(300), nullable=False),
        sa.Column("operation_date", sa.Date, nullable=False),
        sa.Column("invoice_id", sa.String(32), sa.ForeignKey("invoices.id", ondelete="RESTRICT")),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True)),
        sa.Column("superseded_by", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    for column in ("sponsor_id", "client_id", "period_id", "invoice_id"):
        op.create_index(op.f(f"ix_reporting_items_{column}"), "reporting_items", [column])
    op.create_index(
        "uq_reporting_items_current",
        "reporting_items",
        ["period_id", "item_key"],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
    )

    op.create_table(
        "reporting_transmissions",
        sa.Column("id", sa.String(32), primary_key=True),
        *_tenant_columns(),
        sa.Column(
            "period_id", sa.String(32), sa.ForeignKey("reporting_periods.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("document_id", sa.String(50), nullable=False, unique=True),
        sa.Column("type_code", sa.String(2), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("flow_id", sa.String(64)),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("item_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("findings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("period_id", "sequence"),
    )
    for column in ("sponsor_id", "client_id", "period_id"):
        op.create_index(op.f(f"ix_reporting_transmissions_{column}"), "reporting_transmissions", [column])


def downgrade() -> None:
    op.drop_table("reporting_transmissions")
    op.drop_table("reporting_items")
    op.drop_table("reporting_periods")
    op.drop_column("client_settings", "vat_on_debits")
    op.drop_column("client_settings", "vat_regime")
