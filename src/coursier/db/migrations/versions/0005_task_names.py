"""task names follow their domain (invoicing.*, mandates.*); a task's queue is its name's first part

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

RENAMED = {
    "invoices.route": "invoicing.route",
    "invoices.report_f1": "invoicing.report_f1",
    "directory.register_line": "mandates.register_line",
    "directory.close_line": "mandates.close_line",
    "directory.expire_mandates": "mandates.expire",
}


def _rename(pairs: dict[str, str]) -> None:
    # Jobs still to run (or to retry) keep running under the task's new name.
    statement = sa.text(
        "UPDATE procrastinate_jobs SET task_name = :new, queue_name = split_part(:new, '.', 1)"
        " WHERE task_name = :old AND status IN ('todo', 'doing')"
    )
    for old, new in pairs.items():
        op.execute(statement.bindparams(old=old, new=new))


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})
