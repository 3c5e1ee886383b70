"""Engine and session factory. Transactions are opened and closed by the API's transaction
middleware and by the job wrapper, never by services or repositories (they only flush)."""

import time

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.kit.embedded import normalise_url, start_embedded


def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set (any PostgreSQL), otherwise the embedded cluster in the data dir."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    return start_embedded(settings.data_dir)


# A pooled connection given back within this many seconds is taken as alive: a busy process asks
# nothing before each request. One idle longer is pinged first (a database restarted meanwhile
# costs a reconnection, not an error). A connection lost while busy fails one request, and
# SQLAlchemy then replaces every connection of the pool that is older than the loss.
PING_AFTER_IDLE_SECONDS = 1.0


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    @event.listens_for(engine.pool, "checkin")
    def remember_return(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        returned_at = record.info.get("returned_at")  # none yet: just opened
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the connection was lost while idle") from exc  # the pool reconnects


def ping(engine: Engine) -> None:
    """One round trip to the database; raises when it cannot be reached."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
