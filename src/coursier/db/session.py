"""Engine and session factory. Transactions are opened and closed by the API's transaction
middleware and by the job wrapper, never by services or repositories (they only flush)."""

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from coursier.config import Settings
from coursier.kit.embedded import normalise_url, start_embedded


def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set (any PostgreSQL), otherwise the embedded cluster in the data dir."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    return start_embedded(settings.data_dir)


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def ping(engine: Engine) -> None:
    """One round trip to the database; raises when it cannot be reached."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
