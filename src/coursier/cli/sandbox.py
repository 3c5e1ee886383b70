"""`coursier sandbox`: run the PPF sandbox on its own port."""

from pathlib import Path
from typing import Annotated

import typer

from coursier.cli import app


@app.command()
def sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8060,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="SANDBOX_DATABASE_URL",
            help="PostgreSQL URL of the sandbox's own database (default: database coursier_sandbox on the "
            "embedded cluster of the data dir)",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            envvar="COURSIER_DATA_DIR",
            show_default=False,
            help="Data dir of the embedded cluster (default: the user's data dir, the one `coursier serve` uses)",
        ),
    ] = None,
    seed_companies: Annotated[int, typer.Option(min=0, help="Generated companies added to the fixed ones")] = 200,
    companies: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="CSV of companies to load (columns: see coursier.sandbox.register)"
        ),
    ] = None,
    sftp_port: Annotated[
        int | None,
        typer.Option(help="Port of the flow exchange's SFTP server (DG §3.4; default: none, no flow exchange)"),
    ] = None,
    sftp_dir: Annotated[
        Path | None,
        typer.Option(
            show_default=False,
            help="Folder of the SFTP server: host_key(.pub), authorized_keys/<CODE>, spaces/<CODE>/in|out "
            "(default: DATA_DIR/sandbox/sftp)",
        ),
    ] = None,
    line_notice_days: Annotated[
        int,
        typer.Option(
            min=0,
            envvar="SANDBOX_LINE_NOTICE_DAYS",
            help="Days ahead a directory line starts or ends at the earliest (annex 7 G1.87, G1.88: 1); "
            "0 routes to a line the day it is created, for demos and tests",
        ),
    ] = 1,
    directory_exports: Annotated[
        bool,
        typer.Option(help="Leave the F14 directory exports in every partner's SFTP space at midnight (DG §3.5.4)"),
    ] = True,
    smp_key: Annotated[
        Path | None,
        typer.Option(
            envvar="SANDBOX_SMP_KEY",
            exists=True,
            dir_okay=False,
            show_default=False,
            help="The local SMP's signing key (PEM; `coursier network init` makes one: DIR/smp/key.pem)",
        ),
    ] = None,
    smp_certificate: Annotated[
        Path | None,
        typer.Option(
            envvar="SANDBOX_SMP_CERTIFICATE",
            exists=True,
            dir_okay=False,
            show_default=False,
            help="The local SMP's certificate (PEM, DIR/smp/cert.pem); without key and certificate the "
            "SMP's answers go unsigned",
        ),
    ] = None,
    parent_pid: Annotated[
        int | None, typer.Option(hidden=True, help="Stop when this process, the parent, is gone")
    ] = None,
) -> None:
    """Run the PPF sandbox (the directory API as published, flow exchange over SFTP, its own company
    register and dev mailbox); platform tokens: SANDBOX_PLATFORMS, directory API clients:
    SANDBOX_PISTE_CLIENTS, application codes: SANDBOX_APPLICATIONS."""
    import uvicorn

    from coursier.cli.server import EXIT_PORT_IN_USE, announce_database
    from coursier.config import get_settings
    from coursier.kit.logs import configure_logging
    from coursier.sandbox.annuaire.api import BASE_PATH
    from coursier.sandbox.app import create_sandbox_app
    from coursier.sandbox.config import (
        ConfigError,
        SandboxConfig,
        applications_from_environment,
        piste_clients_from_environment,
        platforms_from_environment,
    )
    from coursier.sandbox.process import PortInUse, check_port_free, exit_with_parent
    from coursier.sandbox.register import RegisterFileError
    from coursier.sandbox.storage import SANDBOX_DATABASE_NAME

    if parent_pid is not None:
        exit_with_parent(parent_pid)
    try:
        check_port_free(host, port)
        if sftp_port is not None:
            check_port_free(host, sftp_port)
    except PortInUse as exc:
        typer.echo(f"Cannot start the sandbox: {exc}. Stop what listens there, or choose another --port.", err=True)
        raise typer.Exit(EXIT_PORT_IN_USE) from exc
    data_dir = data_dir or get_settings().data_dir
    announce_database(database_url, data_dir, SANDBOX_DATABASE_NAME)
    try:
        config = SandboxConfig(
            database_url=database_url,
            data_dir=data_dir,
            platforms=platforms_from_environment(),
            seed_companies=seed_companies,
            companies_csv=companies,
            applications=applications_from_environment(),
            sftp_host=host,
            sftp_port=sftp_port,
            sftp_dir=sftp_dir,
            piste_clients=piste_clients_from_environment(),
            line_notice_days=line_notice_days,
            directory_exports=directory_exports,
            smp_key=smp_key,
            smp_certificate=smp_certificate,
        )
        application = create_sandbox_app(config)
    except (ConfigError, RegisterFileError) as exc:
        typer.echo(f"Cannot start the sandbox: {exc}", err=True)
        raise typer.Exit(2) from exc
    platforms = ", ".join(sorted(config.platforms.values()))
    typer.echo(
        f"PPF sandbox on http://{host}:{port}  (platforms {platforms}; docs: http://{host}:{port}/docs); "
        f"directory API on http://{host}:{port}{BASE_PATH}",
        err=True,
    )
    if sftp_port is not None:
        typer.echo(f"Flow exchange on sftp://{host}:{sftp_port}  (folder {config.sftp_root})", err=True)
    configure_logging()
    uvicorn.run(application, host=host, port=port, log_config=None)
