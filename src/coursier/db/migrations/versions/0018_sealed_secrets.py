"""webhook signing secrets and TOTP seeds sealed at rest (db/sealed.py), with the keys of
COURSIER_SECRET_KEYS or of the data dir's secret.key, as the application reads them

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 15:00:00
"""

import sqlalchemy as sa
from alembic import op

from coursier.db.sealed import SealedColumns, process_keyring, rewrite_stored

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# As they were when sealed; a column sealed later comes with its own migration.
SEALED = (
    SealedColumns("webhook_endpoints", ("secret", "previous_secret")),
    SealedColumns("sponsor_users", ("totp_secret",)),
)


def upgrade() -> None:
    # A sealed seed is about 150 characters.
    op.alter_column("sponsor_users", "totp_secret", type_=sa.Text(), existing_type=sa.String(64))
    _rewrite_all(process_keyring().seal)


def downgrade() -> None:
    _rewrite_all(process_keyring().unseal)
    op.alter_column("sponsor_users", "totp_secret", type_=sa.String(64), existing_type=sa.Text())


def _rewrite_all(change) -> None:
    connection = op.get_bind()
    for sealed in SEALED:
        after = None
        while True:
            rewritten = rewrite_stored(connection, sealed, change, after=after)
            if rewritten.next_after is None:
                break
            after = rewritten.next_after
