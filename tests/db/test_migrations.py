"""The Alembic migrations build exactly the schema the table models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from coursier.db import migrate
from coursier.db.migrate import include_object
from coursier.db.session import make_engine
from coursier.db.tables import metadata


def test_migrations_from_empty_match_the_models(worker_id, fresh_database):
    engine = make_engine(fresh_database(f"coursier_migrations_{worker_id}"), pool_size=1)
    try:
        assert not migrate.is_current(engine)
        migrate.upgrade(engine)
        assert migrate.is_current(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
            assert compare_metadata(context, metadata) == []
        tables = set(inspect(engine).get_table_names())
        assert set(metadata.tables) <= tables
        assert "procrastinate_jobs" in tables
        migrate.upgrade(engine)  # a second run is a no-op
    finally:
        engine.dispose()
