"""The `coursier` command: one Typer app; each module of this package adds its commands to it."""

import importlib
import signal
import sys

import typer

from coursier.kit.errors import ConfigurationError

app = typer.Typer(
    name="coursier",
    help="Coursier: a Plateforme Agréée for French B2B e-invoicing.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_CONFIGURATION = 78  # EX_CONFIG of sysexits.h

# Modules that register commands on `app`; listed here so that importing the CLI wires them all.
_COMMAND_MODULES = ("server", "admin", "invoices", "validate", "sandbox", "network", "reporting", "secrets")


def _register_commands() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit, so exit handlers run (they stop the embedded PostgreSQL).

    uvicorn restores this handler and re-raises the signal once it has shut down.
    """
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def main() -> None:
    _exit_cleanly_on_sigterm()
    _register_commands()
    try:
        app()
    except ConfigurationError as exc:
        typer.echo(f"coursier: {exc}", err=True)
        sys.exit(EXIT_CONFIGURATION)
