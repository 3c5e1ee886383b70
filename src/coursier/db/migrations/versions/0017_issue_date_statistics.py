"""statistics on the issue date as the invoice list sifts it (`issue_date + 0`, services/invoicing/
reading.py): without them the planner guesses that such a range keeps 0.5 % of a stretch, and for a
wide stretch prefers reading the whole table to walking the ordered index

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06 10:10:00
"""

from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE STATISTICS invoices_sifted_issue_date ON (issue_date + 0) FROM invoices")


def downgrade() -> None:
    op.execute("DROP STATISTICS invoices_sifted_issue_date")
