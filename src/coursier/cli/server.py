"""`coursier serve`, `coursier worker`, `coursier migrate`."""

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import func, select

from coursier.cli import app
from coursier.config import Settings, get_settings
from coursier.kit.embedded import DATABASE_NAME

if TYPE_CHECKING:
    from coursier.runtime import Runtime


def open_runtime(settings: Settings) -> "Runtime":
    """The runtime of a command, once it has said which database it opens."""
    from coursier.runtime import Runtime

    announce_database(settings.database_url, settings.data_dir, DATABASE_NAME)
    return Runtime.start(settings)


def announce_database(database_url: str | None, data_dir: Path, database: str) -> None:
    """One line on stderr naming the database (or the data dir of the embedded one) a command uses:
    two commands that disagree on it do not share their sponsors and tokens."""
    from sqlalchemy.engine import make_url

    from coursier.db.session import normalise_url

    if database_url:
        typer.echo(f"Database: {make_url(normalise_url(database_url)).render_as_string()}", err=True)
    else:
        typer.echo(f"Data dir: {data_dir.resolve()} (embedded PostgreSQL, database {database})", err=True)


def _runtime(settings: Settings) -> "Runtime":
    from coursier.api.context import configure_logging

    configure_logging(settings.log_level)
    return open_runtime(settings)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: 127.0.0.1, env COURSIER_HOST)")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            help="Port (default: 8052, env PORT); links in e-mails follow it unless COURSIER_PUBLIC_URL is set"
        ),
    ] = None,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Do not run jobs in this process (run `coursier worker`)")
    ] = False,
    with_sandbox: Annotated[
        bool, typer.Option("--with-sandbox", help="Also start the PPF sandbox (at PPF_URL's port) for a demo")
    ] = False,
) -> None:
    """Start the API (and, unless --no-worker, a job worker) on the configured database."""
    import uvicorn

    from coursier.api.app import create_app
    from coursier.db.sponsors import Sponsor

    # Links in e-mails use the address given here unless COURSIER_PUBLIC_URL says otherwise.
    overrides = {name: value for name, value in (("host", host), ("port", port)) if value is not None}
    runtime = _runtime(get_settings().model_copy(update=overrides))
    sandbox = _start_sandbox(runtime) if with_sandbox else contextlib.nullcontext()
    settings = runtime.settings
    host, port = settings.host, settings.port
    with runtime.sessions() as session:
        if not session.scalar(select(func.count()).select_from(Sponsor)):
            typer.echo(
                'No sponsor yet. Create one and get its API token with:\n    coursier sponsors create "My company"\n',
                err=True,
            )
    typer.echo(f"Coursier API on http://{host}:{port}/api  (docs: http://{host}:{port}/docs)", err=True)
    try:
        with sandbox:
            uvicorn.run(create_app(runtime, run_worker=not no_worker), host=host, port=port, log_config=None)
    finally:
        runtime.close()


def _start_sandbox(runtime):
    """The PPF sandbox as a child process, on its own database of the same server, reachable at PPF_URL."""
    from urllib.parse import urlsplit

    from sqlalchemy.engine import make_url

    from coursier.kit.embedded import ensure_database
    from coursier.sandbox.config import DEFAULT_PLATFORMS
    from coursier.sandbox.process import SandboxProcess
    from coursier.sandbox.storage import SANDBOX_DATABASE_NAME

    settings = runtime.settings
    url = make_url(runtime.database_url)
    ensure_database(url, SANDBOX_DATABASE_NAME)
    ppf = urlsplit(settings.ppf_url)
    platforms = {**DEFAULT_PLATFORMS, settings.ppf_token: settings.pa_matricule}
    process = SandboxProcess(
        database_url=url.set(database=SANDBOX_DATABASE_NAME).render_as_string(hide_password=False),
        platforms=platforms,
        log_path=settings.data_dir / "sandbox.log",
        host=ppf.hostname or "127.0.0.1",
        port=ppf.port or 8060,
    )
    typer.echo(f"PPF sandbox on {process.url} (log: {settings.data_dir / 'sandbox.log'})", err=True)
    return process


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Jobs run at once (env COURSIER_WORKER_CONCURRENCY)")] = None,
) -> None:
    """Run a job worker (for scale-out: several workers and `serve --no-worker` on one database)."""
    runtime = _runtime(get_settings())

    async def run() -> None:
        async with runtime.jobs.open_async():
            await runtime.jobs.run_worker_async(concurrency=concurrency or runtime.settings.worker_concurrency)

    try:
        asyncio.run(run())
    finally:
        runtime.close()


@app.command()
def migrate() -> None:
    """Apply database migrations (serve and worker also do it at start)."""
    _runtime(get_settings()).close()
    typer.echo("Database schema is current.")
