from alembic import context

from coursier.db.tables import metadata


def include_object(obj, name, type_, reflected, compare_to):
    # procrastinate owns its tables; they are created by its own schema SQL in our first migration.
    return not (type_ == "table" and name.startswith("procrastinate_"))


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
