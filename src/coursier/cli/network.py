"""`coursier network init DIR`: a local test PKI so that platforms can talk AS4 on one machine."""

import re
from pathlib import Path
from typing import Annotated

import typer

from coursier.cli import app
from coursier.network.peers.pki import init_test_pki, party_id_of

network_app = typer.Typer(help="The network between platforms (Peppol AS4).", no_args_is_help=True)
app.add_typer(network_app, name="network")

_MATRICULE = re.compile(r"^[A-Za-z0-9]{4}$")


@network_app.command("init")
def init(
    folder: Annotated[Path, typer.Argument(help="Where to write the CA and the platforms' keys and certificates")],
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", help="A platform's matricule (repeat it; default: 0042 and 0099)"),
    ] = None,
    smp_url: Annotated[
        str, typer.Option(help="The SMP the platforms look each other up in and publish to (the sandbox's)")
    ] = "http://127.0.0.1:8060/smp",
) -> None:
    """A test CA and, per platform, an AS4 key and certificate (CN PFR00<matricule>) and the settings
    that use them. An existing CA in DIR is kept: platforms added later trust the same one."""
    matricules = platform or ["0042", "0099"]
    for matricule in matricules:
        if not _MATRICULE.match(matricule):
            raise typer.BadParameter(f"{matricule!r} is not a 4-character matricule", param_hint="--platform")
    made = init_test_pki(folder, matricules)
    typer.echo(f"CA: {(folder / 'ca.pem').resolve()}")
    for matricule, files in made.items():
        settings = {
            "COURSIER_PA_MATRICULE": matricule,
            "COURSIER_PEER_TRANSPORT": "as4",
            "COURSIER_AS4_KEY": files["key"].resolve(),
            "COURSIER_AS4_CERTIFICATE": files["certificate"].resolve(),
            "COURSIER_AS4_TRUST_ANCHORS": files["anchors"].resolve(),
            "COURSIER_SMP_URL": smp_url,
        }
        env_file = folder / f"{matricule}.env"
        env_file.write_text("".join(f"{name}={value}\n" for name, value in settings.items()), encoding="utf-8")
        typer.echo(f"platform {matricule}: AS4 party {party_id_of(matricule)}, settings in {env_file.resolve()}")
