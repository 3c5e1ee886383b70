"""invoice lists searched by a fragment of a number or of a party's name: GIN indexes on the
trigrams of those texts, with the trigram function of our own (the embedded PostgreSQL has no
pg_trgm extension)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 15:40:00
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

INDEXED = {
    "ix_invoices_number_trigrams": "number",
    "ix_invoices_buyer_name_trigrams": "buyer_name",
    "ix_invoices_seller_name_trigrams": "seller_name",
}


def upgrade() -> None:
    # Immutable, so an index may hold its values; the classic body, for PostgreSQL before 14 too.
    op.execute(
        """
        CREATE FUNCTION coursier_trigrams(value text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT ARRAY(SELECT DISTINCT substr(value, i, 3) FROM generate_series(1, length(value) - 2) AS i) $$
        """
    )
    for name, column in INDEXED.items():
        op.execute(f"CREATE INDEX {name} ON invoices USING gin (coursier_trigrams(lower({column})))")


def downgrade() -> None:
    for name in INDEXED:
        op.drop_index(name, table_name="invoices")
    op.execute("DROP FUNCTION coursier_trigrams(text)")
