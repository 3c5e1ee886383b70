"""invoice lists at scale: an index for every filter of GET /api/invoicing/invoices, with and
without a direction, and for the sponsor-wide list; the single-column indexes they make redundant go

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-07 10:00:00
"""

from alembic import op

revision = "0014"
down_revision = "0010"
branch_labels = None
depends_on = None

NEW = {
    "ix_invoices_client_order": ["sponsor_id", "client_id", "created_at", "id"],
    "ix_invoices_sponsor_order": ["sponsor_id", "created_at", "id"],
    "ix_invoices_client_status": ["sponsor_id", "client_id", "status_code", "created_at", "id"],
    "ix_invoices_client_buyer": ["sponsor_id", "client_id", "buyer_siren", "created_at", "id"],
    "ix_invoices_client_seller": ["sponsor_id", "client_id", "seller_siren", "created_at", "id"],
    "ix_invoices_client_issue_date": ["sponsor_id", "client_id", "issue_date", "created_at"],
    "ix_invoices_client_total": ["sponsor_id", "client_id", "total_with_vat"],
}
# Prefixes of the new ones (sponsor_id), or only ever asked for within a client's rows.
REDUNDANT = {
    "ix_invoices_sponsor_id": ["sponsor_id"],
    "ix_invoices_seller_siren": ["seller_siren"],
    "ix_invoices_buyer_siren": ["buyer_siren"],
}


def upgrade() -> None:
    for name, columns in NEW.items():
        op.create_index(name, "invoices", columns)
    for name in REDUNDANT:
        op.drop_index(name, table_name="invoices")


def downgrade() -> None:
    for name, columns in REDUNDANT.items():
        op.create_index(name, "invoices", columns)
    for name in NEW:
        op.drop_index(name, table_name="invoices")
