"""ppf flows: the flows queued for and deposited on the PPF's exchange system, their files and
subjects, and the files collected from it (DG §3.4)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("ppf_flow_sequence")))
    op.create_table(
        "ppf_flows",
        sa.Column("flow_id", sa.String(25), primary_key=True),
        sa.Column("interface", sa.String(8), nullable=False),
        sa.Column("envelope_name", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("file_count", sa.Integer, nullable=False),
        sa.Column("total_bytes", sa.BigInteger, nullable=False),
        sa.Column("envelope", sa.LargeBinary),
        sa.Column("status_code", sa.Integer),
        sa.Column("reasons", postgresql.JSONB),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True)),
        sa.Column("deposited_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("envelope_name", name="uq_ppf_flows_envelope_name"),
    )
    op.create_index("ix_ppf_flows_state_interface", "ppf_flows", ["state", "interface"])
    op.create_table(
        "ppf_flow_files",
        sa.Column(
            "flow_id",
            sa.String(25),
            sa.ForeignKey("ppf_flows.flow_id", ondelete="CASCADE", name="fk_ppf_flow_files_flow_id_ppf_flows"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "ppf_flow_subjects",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "flow_id",
            sa.String(25),
            sa.ForeignKey("ppf_flows.flow_id", ondelete="CASCADE", name="fk_ppf_flow_subjects_flow_id_ppf_flows"),
            nullable=False,
        ),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_ppf_flow_subjects_flow_id", "ppf_flow_subjects", ["flow_id"])
    op.create_index("ix_ppf_flow_subjects_subject", "ppf_flow_subjects", ["subject_type", "subject_id"])
    op.create_table(
        "ppf_collected_files",
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("flow_id", sa.String(25)),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ppf_collected_files")
    op.drop_table("ppf_flow_subjects")
    op.drop_table("ppf_flow_files")
    op.drop_table("ppf_flows")
    op.execute(sa.schema.DropSequence(sa.Sequence("ppf_flow_sequence")))
