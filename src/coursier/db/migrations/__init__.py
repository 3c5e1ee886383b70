"""Alembic migrations. The configuration is built in code (`coursier.db.migrate`), no alembic.ini."""
