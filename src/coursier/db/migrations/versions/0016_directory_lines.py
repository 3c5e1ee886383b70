"""directory lines: the lines the PPF's F14 directory exports bring (DG §3.5.4), one row per line
(addressing identifier and start), its latest instance

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_lines",
        sa.Column("address", sa.String(125), primary_key=True),
        sa.Column("effective_from", sa.Date, primary_key=True),
        sa.Column("instance_id", sa.BigInteger, nullable=False),
        sa.Column("siren", sa.String(9), nullable=False),
        sa.Column("siret", sa.String(14)),
        sa.Column("routing_code", sa.String(100)),
        sa.Column("suffix", sa.String(100)),
        sa.Column("platform_id", sa.String(4), nullable=False),
        sa.Column("effective_to", sa.Date),
        sa.Column("masked", sa.Boolean, nullable=False),
        sa.Column("defined_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_directory_lines_siren", "directory_lines", ["siren"])


def downgrade() -> None:
    op.drop_index("ix_directory_lines_siren", table_name="directory_lines")
    op.drop_table("directory_lines")
