"""`coursier sponsors …` and `coursier tokens …`: tenants, their API tokens and their dashboard users."""

import json
from typing import Annotated

import typer

from coursier.cli import app

sponsors_app = typer.Typer(help="Sponsors: the platform's tenants.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens of a sponsor.", no_args_is_help=True)
users_app = typer.Typer(help="People of a sponsor who sign in to the dashboard.", no_args_is_help=True)
app.add_typer(sponsors_app, name="sponsors")
app.add_typer(tokens_app, name="tokens")
sponsors_app.add_typer(users_app, name="users")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _sessions():
    from coursier.cli.server import open_runtime
    from coursier.config import get_settings

    return open_runtime(get_settings()).sessions


@sponsors_app.command("create")
def create_sponsor(name: Annotated[str, typer.Argument(help="The sponsor's name")], as_json: JsonFlag = False) -> None:
    """Create a sponsor and print its first API token (shown once)."""
    from coursier.services.sponsors import create_sponsor as create

    with _sessions().begin() as session:
        sponsor, issued = create(session, name)
        result = {"sponsor_id": sponsor.id, "token": issued.secret}
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"Sponsor {result['sponsor_id']} created.\nAPI token (shown once, keep it safe):\n{result['token']}")


@sponsors_app.command("list")
def list_sponsors(as_json: JsonFlag = False) -> None:
    """List sponsors."""
    from coursier.services.sponsors import list_sponsors as sponsors

    with _sessions()() as session:
        rows = [{"sponsor_id": s.id, "name": s.name, "created_at": s.created_at.isoformat()} for s in sponsors(session)]
    _print_rows(rows, as_json, ("sponsor_id", "name", "created_at"))


@tokens_app.command("create")
def create_token(
    sponsor_id: str,
    name: Annotated[str, typer.Option(help="A label for the token")] = "default",
    as_json: JsonFlag = False,
) -> None:
    """Issue a new API token for a sponsor (shown once)."""
    from coursier.services.sponsors import issue_token

    with _sessions().begin() as session:
        issued = issue_token(session, sponsor_id, name=name)
        result = {"token_id": issued.token.id, "sponsor_id": sponsor_id, "token": issued.secret}
    typer.echo(json.dumps(result) if as_json else f"Token {result['token_id']}:\n{result['token']}")


@tokens_app.command("list")
def list_tokens(sponsor_id: str, as_json: JsonFlag = False) -> None:
    """List a sponsor's tokens (never the secrets)."""
    from coursier.services.sponsors import list_tokens as tokens_of

    with _sessions()() as session:
        rows = [
            {
                "token_id": t.id,
                "name": t.name,
                "prefix": t.display_prefix,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked": t.revoked_at is not None,
            }
            for t in tokens_of(session, sponsor_id)
        ]
    _print_rows(rows, as_json, ("token_id", "name", "prefix", "last_used_at", "revoked"))


@tokens_app.command("revoke")
def revoke_token(token_id: str) -> None:
    """Revoke a token: it stops working at once."""
    from coursier.services.sponsors import revoke_token as revoke

    with _sessions().begin() as session:
        revoke(session, token_id)
    typer.echo(f"Token {token_id} revoked.")


@users_app.command("add")
def add_user(
    sponsor_id: str,
    email: str,
    role: Annotated[str, typer.Option(help="admin (tokens, users) or operator (clients, invoices)")] = "admin",
    as_json: JsonFlag = False,
) -> None:
    """Invite someone to a sponsor's dashboard: prints the invitation link, where they set a password."""
    from coursier.config import get_settings
    from coursier.kit.errors import CoursierError
    from coursier.services.sponsor_users import invite_user

    with _sessions().begin() as session:
        try:
            invitation = invite_user(session, sponsor_id, email, role=role)
        except CoursierError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(1) from exc
        result = {
            "user_id": invitation.user.id,
            "email": invitation.user.email,
            "role": invitation.user.role,
            "invitation_url": invitation.url(get_settings().base_url),
        }
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(
            f"User {result['email']} ({result['role']}) invited. Invitation link (shown once, valid 7 days):\n"
            f"{result['invitation_url']}"
        )


def _print_rows(rows: list[dict], as_json: bool, columns: tuple[str, ...]) -> None:
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo("  ".join(str(row[c]) for c in columns))
