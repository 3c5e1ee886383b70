"""`coursier secrets …`: the keys sealing the secrets kept in the database (COURSIER_SECRET_KEYS)."""

import json
from typing import Annotated

import typer

from coursier.cli import app

secrets_app = typer.Typer(
    help="Keys of the secrets sealed in the database (webhook signing secrets, TOTP seeds).", no_args_is_help=True
)
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("new-key")
def new_key() -> None:
    """Print a new key, to put first in COURSIER_SECRET_KEYS."""
    from coursier.kit.sealed import new_key as make

    typer.echo(make())


@secrets_app.command("rotate")
def rotate(
    batch_size: Annotated[int, typer.Option(min=1, help="Rows re-sealed per transaction")] = 500,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Re-seal every stored secret with the first key of COURSIER_SECRET_KEYS.

    Put the new key first and keep the old ones after it (every process, then this command); remove
    an old key only once this has run. Each batch of rows is its own transaction: run it again after
    an interruption, values already re-sealed are skipped.
    """
    from coursier.cli.server import open_runtime
    from coursier.config import get_settings
    from coursier.db.sealed import process_keyring
    from coursier.kit.errors import CoursierError
    from coursier.services import secrets

    sessions = open_runtime(get_settings()).sessions
    resealed = {}
    for sealed in secrets.stored_secrets():
        resealed[sealed.table] = 0
        after = None
        while True:
            try:
                with sessions.begin() as session:
                    batch = secrets.reseal_batch(session, sealed, after=after, limit=batch_size)
            except CoursierError as exc:  # a value sealed with a key no longer in the set (logged)
                typer.echo(f"{exc.message} (the batches before were re-sealed)", err=True)
                raise typer.Exit(1) from exc
            resealed[sealed.table] += batch.changed
            if batch.next_after is None:
                break
            after = batch.next_after
    key = process_keyring().sealing_key_id
    if as_json:
        typer.echo(json.dumps({"key": key, "resealed": resealed, "total": sum(resealed.values())}))
    else:
        detail = ", ".join(f"{table}: {count}" for table, count in resealed.items())
        typer.echo(f"Re-sealed {sum(resealed.values())} secrets with key {key} ({detail}).")
