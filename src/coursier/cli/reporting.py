"""`coursier reporting preview`: what a client's period's next e-reporting report contains."""

import json
from typing import Annotated

import typer

from coursier.cli import app

reporting_app = typer.Typer(help="E-reporting (flow 10) of the clients.", no_args_is_help=True)
app.add_typer(reporting_app, name="reporting")


@reporting_app.command("preview")
def preview(
    client: Annotated[str, typer.Option("--client", help="The client's id (cli_…)")],
    period: Annotated[str, typer.Option("--period", help="The period's id (rpd_…, GET /api/reporting/periods)")],
    as_xml: Annotated[bool, typer.Option("--xml", help="Print the F10 file instead of JSON")] = False,
) -> None:
    """Print exactly what the period's next report contains, as GET /api/reporting/periods/{id}/preview."""
    from coursier.cli.server import open_runtime
    from coursier.config import get_settings
    from coursier.kit.errors import CoursierError
    from coursier.services.reporting import transmission

    settings = get_settings()
    with open_runtime(settings).sessions() as session:
        try:
            pending = transmission.preview_for_operator(session, client, period, settings=settings)
        except CoursierError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(1) from exc
        if as_xml:
            typer.echo(transmission.preview_xml(pending).decode())
        else:
            typer.echo(json.dumps({"period_id": period, **pending.to_dict()}, indent=2, ensure_ascii=False))
