"""Processes starting together on one embedded cluster all get the database."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import make_url

from coursier.kit.embedded import ensure_database


def test_concurrent_creation_of_the_same_database_succeeds_everywhere(database_url, engine):
    from sqlalchemy import text

    admin = make_url(database_url).set(database="postgres")
    name = "coursier_race_test"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ensure_database(admin, name), range(8)))
    assert results == [None] * 8
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}).scalar() == 1
