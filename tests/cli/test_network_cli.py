"""`coursier network init DIR`: a test PKI whose settings a platform and the sandbox start with; an AS4
platform without SMP trust anchors does not start."""

from pathlib import Path

import pytest
from cryptography import x509
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.config import Settings
from coursier.kit.errors import ConfigurationError
from coursier.network.peers.pki import load_anchors, pem, untrusted_reason
from coursier.network.peers.smp import SmpClient
from coursier.runtime import connectors_for

_register_commands()


def _env(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def test_init_makes_an_smp_ca_and_certificate_apart_from_the_access_points(tmp_path):
    result = CliRunner().invoke(app, ["network", "init", str(tmp_path), "--platform", "0042"])
    assert result.exit_code == 0, result.output
    sandbox = _env(tmp_path / "sandbox.env")
    platform = _env(tmp_path / "0042.env")
    assert str(tmp_path / "sandbox.env") in result.output
    smp_certificate = x509.load_pem_x509_certificate(Path(sandbox["SANDBOX_SMP_CERTIFICATE"]).read_bytes())
    smp_anchors = load_anchors(tmp_path / platform["COURSIER_SMP_TRUST_ANCHORS"])
    as4_anchors = load_anchors(tmp_path / platform["COURSIER_AS4_TRUST_ANCHORS"])
    assert untrusted_reason(smp_certificate, smp_anchors) is None
    assert untrusted_reason(smp_certificate, as4_anchors) is not None  # a distinct CA
    # Run again for another platform: the SMP's CA and certificate are kept, the running sandbox still trusted.
    CliRunner().invoke(app, ["network", "init", str(tmp_path), "--platform", "0099"])
    assert _env(tmp_path / "0099.env")["COURSIER_SMP_TRUST_ANCHORS"] == platform["COURSIER_SMP_TRUST_ANCHORS"]
    assert Path(sandbox["SANDBOX_SMP_CERTIFICATE"]).read_bytes() == pem(smp_certificate)


def test_an_as4_platform_needs_the_smp_trust_anchors(tmp_path):
    CliRunner().invoke(app, ["network", "init", str(tmp_path), "--platform", "0042"])
    environment = _env(tmp_path / "0042.env")
    settings = Settings(
        peer_transport="as4",
        as4_key_file=environment["COURSIER_AS4_KEY"],
        as4_certificate_file=environment["COURSIER_AS4_CERTIFICATE"],
        as4_trust_anchors_file=environment["COURSIER_AS4_TRUST_ANCHORS"],
        smp_url=environment["COURSIER_SMP_URL"],
        ppf_url="http://127.0.0.1:9",
    )
    with pytest.raises(ConfigurationError, match="COURSIER_SMP_TRUST_ANCHORS"):
        connectors_for(settings)
    checked = settings.model_copy(update={"smp_trust_anchors_file": Path(environment["COURSIER_SMP_TRUST_ANCHORS"])})
    smp = connectors_for(checked).peers.smp
    assert isinstance(smp, SmpClient) and smp.anchors == load_anchors(tmp_path / "smp-ca.pem")
