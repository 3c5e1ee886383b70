"""`coursier serve`, `coursier worker`, `coursier migrate`."""

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coursier.cli import app
from coursier.config import Settings, get_settings
from coursier.kit import cpu, memory
from coursier.kit.embedded import DATABASE_NAME
from coursier.sandbox.process import check_port_free

if TYPE_CHECKING:
    from coursier.runtime import Runtime

EXIT_PORT_IN_USE = 1


def open_runtime(settings: Settings) -> "Runtime":
    """The runtime of a command, once it has said which database it opens."""
    from coursier.runtime import Runtime

    announce_database(settings.database_url, settings.data_dir, DATABASE_NAME)
    return Runtime.start(settings)


def announce_database(database_url: str | None, data_dir: Path, database: str) -> None:
    """One line on stderr naming the database (or the data dir of the embedded one) a command uses:
    two commands that disagree on it do not share their sponsors and tokens."""
    from sqlalchemy.engine import make_url

    from coursier.kit.embedded import normalise_url

    if database_url:
        typer.echo(f"Database: {make_url(normalise_url(database_url)).render_as_string()}", err=True)
    else:
        typer.echo(f"Data dir: {data_dir.resolve()} (embedded PostgreSQL, database {database})", err=True)


def _runtime(settings: Settings) -> "Runtime":
    from coursier.kit.logs import configure_logging

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
        bool,
        typer.Option(
            "--with-sandbox",
            help="Also start the PPF sandbox (at PPF_URL's port) for a demo; directory lines then take effect the "
            "day they are registered (both sides' line notice 0)",
        ),
    ] = False,
) -> None:
    """Start the API (and, unless --no-worker, a job worker) on the configured database."""
    import uvicorn

    from coursier.api.app import create_app
    from coursier.services.invoicing import checks
    from coursier.services.sponsors import any_sponsor

    # Links in e-mails use the address given here unless COURSIER_PUBLIC_URL says otherwise.
    overrides = {name: value for name, value in (("host", host), ("port", port)) if value is not None}
    if with_sandbox:
        # A demo routes to a client's line at once, not from tomorrow as annex 7 G1.87 has it.
        overrides["ppf_line_notice_days"] = 0
    settings = get_settings().model_copy(update=overrides)
    with _port_taken_exits("Coursier", "Stop what listens there, or choose another port with --port."):
        check_port_free(settings.host, settings.port)
    runtime = _runtime(settings)
    try:
        with (
            _port_taken_exits(
                "the PPF sandbox",
                "A sandbox still running from an earlier `coursier serve --with-sandbox`? Stop it, "
                "or give the sandbox another port in PPF_URL.",
            ),
            _sandbox(runtime) if with_sandbox else contextlib.nullcontext(),
        ):
            with runtime.sessions() as session:
                if not any_sponsor(session):
                    typer.echo(
                        "No sponsor yet. Create one and get its API token with:\n"
                        '    coursier sponsors create "My company"\n',
                        err=True,
                    )
            listening = f"http://{settings.host}:{settings.port}"
            typer.echo(f"Coursier API on {listening}/api  (docs: {listening}/docs)", err=True)
            application = create_app(runtime, run_worker=not no_worker)
            cpu.start(checks.preload)
            memory.settle()
            uvicorn.run(application, host=settings.host, port=settings.port, log_config=None)
    finally:
        runtime.close()


@contextlib.contextmanager
def _port_taken_exits(what: str, advice: str) -> Iterator[None]:
    """Exit with a message saying which port is taken and what to do, instead of a traceback."""
    from coursier.sandbox.process import PortInUse

    try:
        yield
    except PortInUse as exc:
        typer.echo(f"Cannot start {what}: {exc}. {advice}", err=True)
        raise typer.Exit(EXIT_PORT_IN_USE) from exc


@contextlib.contextmanager
def _sandbox(runtime: "Runtime") -> Iterator[None]:
    """The PPF sandbox as a child process, on its own database of the same server, reachable at PPF_URL."""
    from urllib.parse import urlsplit

    from sqlalchemy.engine import make_url

    from coursier.kit.embedded import ensure_database
    from coursier.network.ppf_flows import SFTPFlowExchange
    from coursier.runtime import sftp_settings
    from coursier.sandbox.config import DEFAULT_APPLICATIONS, DEFAULT_PISTE_CLIENTS, DEFAULT_PLATFORMS, PisteClient
    from coursier.sandbox.process import SandboxProcess
    from coursier.sandbox.sftp import authorize
    from coursier.sandbox.storage import SANDBOX_DATABASE_NAME

    settings = runtime.settings
    ppf = urlsplit(settings.ppf_url)
    host, port = ppf.hostname or "127.0.0.1", ppf.port or 8060
    check_port_free(host, port)  # before its database is made
    url = make_url(runtime.database_url)
    ensure_database(url, SANDBOX_DATABASE_NAME)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.data_dir / "sandbox.log"
    # Our SFTP key, made if missing, authorized in the sandbox's space of our application code;
    # the sandbox's host key is then pinned from the same folder (runtime.sftp_settings).
    sftp = sftp_settings(settings)
    sftp_dir = sftp.host_key_file.parent
    client_key = SFTPFlowExchange(sftp).client_key()
    authorize(sftp_dir, settings.ppf_application_code, Path(f"{client_key}.pub").read_text())
    process = SandboxProcess(
        database_url=url.set(database=SANDBOX_DATABASE_NAME).render_as_string(hide_password=False),
        platforms={**DEFAULT_PLATFORMS, settings.ppf_token: settings.pa_matricule},
        log_path=log_path,
        host=host,
        port=port,
        sftp_port=settings.ppf_sftp_port,
        sftp_dir=sftp_dir,
        applications={**DEFAULT_APPLICATIONS, settings.ppf_application_code: settings.pa_matricule},
        piste_clients={
            **DEFAULT_PISTE_CLIENTS,
            settings.ppf_client_id: PisteClient(settings.ppf_client_secret, settings.pa_matricule),
        },
        line_notice_days=settings.ppf_line_notice_days,
    )
    with process:
        typer.echo(f"PPF sandbox on {process.url} (log: {log_path})", err=True)
        yield


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
