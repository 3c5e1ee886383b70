"""The pool pings a connection only after it sat idle, and replaces one that died meanwhile."""

from sqlalchemy import text

from coursier.db import session as db_session
from support.round_trips import WireTrace


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def test_a_connection_back_in_the_pool_a_moment_ago_is_not_pinged(database_url):
    engine = db_session.make_engine(database_url, pool_size=1)
    trace = WireTrace(engine)
    try:
        _backend_pid(engine)
        with trace.window() as wire:
            _backend_pid(engine)
        assert wire.statements == ["BEGIN", "SELECT pg_backend_pid()", "ROLLBACK"]
    finally:
        trace.close()


def test_an_idle_connection_that_died_is_replaced_before_use(database_url, engine, monkeypatch):
    monkeypatch.setattr(db_session, "PING_AFTER_IDLE_SECONDS", 0.0)
    pooled = db_session.make_engine(database_url, pool_size=1)
    try:
        first = _backend_pid(pooled)
        with engine.connect() as admin:  # a restart, a network cut: the server end is gone
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        assert _backend_pid(pooled) != first
    finally:
        pooled.dispose()
