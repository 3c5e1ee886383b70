"""`coursier serve`, `coursier worker`, `coursier migrate`."""

import asyncio
import contextlib
from typing import Annotated

import typer
from sqlalchemy import func, select

from coursier.cli import app
from coursier.config import get_settings


def _runtime():
    from coursier.api.context import configure_logging
    from coursier.runtime import Runtime

    settings = get_settings()
    configure_logging(settings.log_level)
    return Runtime.start(settings)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on [default: 127.0.0.1, env COURSIER_HOST]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: 8052, env PORT]")] = None,
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

    runtime = _runtime()
    sandbox = _start_sandbox(runtime) if with_sandbox else contextlib.nullcontext()
    settings = runtime.settings
    host = host or settings.host
    port = port or settings.port
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

    settings = runtime.settings
    url = make_url(runtime.database_url)
    ensure_database(url, "coursier_sandbox")
    ppf = urlsplit(settings.ppf_url)
    platforms = {**DEFAULT_PLATFORMS, settings.ppf_token: settings.pa_matricule}
    process = SandboxProcess(
        database_url=url.set(database="coursier_sandbox").render_as_string(hide_password=False),
        platforms=platforms,
        log_path=settings.data_dir / "sandbox.log",
        host=ppf.hostname or "127.0.0.1",
        port=ppf.port or 8060,
    )
    typer.echo(f"PPF sandbox on {process.url} (log: {settings.data_dir / 'sandbox.log'})", err=True)
    return process


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Jobs run at once [env COURSIER_WORKER_CONCURRENCY]")] = None,
) -> None:
    """Run a job worker (for scale-out: several workers and `serve --no-worker` on one database)."""
    runtime = _runtime()

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
    _runtime().close()
    typer.echo("Database schema is current.")
