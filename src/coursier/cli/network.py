"""`coursier network init DIR`: a local test PKI so that platforms can talk AS4 on one machine."""

import re
from pathlib import Path
from typing import Annotated

import typer

from coursier.cli import app
from coursier.network.peers.pki import init_test_pki, party_id_of, smp_files_of

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
    that use them; an SMP CA and the local SMP's key and certificate, with the sandbox's settings
    (DIR/sandbox.env). Existing CAs in DIR are kept: platforms added later trust the same ones."""
    matricules = platform or ["0042", "0099"]
    for matricule in matricules:
        if not _MATRICULE.match(matricule):
            raise typer.BadParameter(f"{matricule!r} is not a 4-character matricule", param_hint="--platform")
    made = init_test_pki(folder, matricules)
    typer.echo(f"CA: {(folder / 'ca.pem').resolve()}")
    smp = smp_files_of(folder)
    sandbox_env = _write_env(
        folder / "sandbox.env",
        {"SANDBOX_SMP_KEY": smp["key"].resolve(), "SANDBOX_SMP_CERTIFICATE": smp["certificate"].resolve()},
    )
    typer.echo(f"SMP CA: {smp['anchors'].resolve()}; the sandbox's SMP signs with the settings in {sandbox_env}")
    for matricule, files in made.items():
        settings = {
            "COURSIER_PA_MATRICULE": matricule,
            "COURSIER_PEER_TRANSPORT": "as4",
            "COURSIER_AS4_KEY": files["key"].resolve(),
            "COURSIER_AS4_CERTIFICATE": files["certificate"].resolve(),
            "COURSIER_AS4_TRUST_ANCHORS": files["anchors"].resolve(),
            "COURSIER_SMP_URL": smp_url,
            "COURSIER_SMP_TRUST_ANCHORS": files["smp_anchors"].resolve(),
        }
        env_file = _write_env(folder / f"{matricule}.env", settings)
        typer.echo(f"platform {matricule}: AS4 party {party_id_of(matricule)}, settings in {env_file}")


def _write_env(path: Path, settings: dict[str, object]) -> Path:
    path.write_text("".join(f"{name}={value}\n" for name, value in settings.items()), encoding="utf-8")
    return path.resolve()
