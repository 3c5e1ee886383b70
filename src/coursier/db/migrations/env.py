from alembic import context

from coursier.db.migrate import include_object
from coursier.db.tables import metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
