"""Moving a test database to one Alembic revision, up or down (the tests of a data migration)."""

from alembic import command

from coursier.db import migrate


def migrate_to(engine, revision: str, *, down: bool = False) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
