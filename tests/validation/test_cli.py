"""`coursier validate`: human and JSON output, rule selection, directories, exit codes."""

import json

import pytest
from typer.testing import CliRunner

import coursier.cli.validate  # noqa: F401  (registers the command)
from coursier.cli import _register_commands, app


@pytest.fixture(scope="module")
def run():
    _register_commands()  # with its sibling commands, `validate` is a sub-command as in production
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["validate", *map(str, args)])


@pytest.fixture
def broken_invoice(tmp_path, variant):
    """A CII invoice whose total with VAT is wrong (BR-CO-15)."""
    path = tmp_path / "broken.xml"
    path.write_bytes(variant("valid-cii.xml", ("<ram:GrandTotalAmount>121.00", "<ram:GrandTotalAmount>125.00")))
    return path


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_json_output_one_object_per_input(run, fixtures_dir):
    result = run("--json", fixtures_dir / "valid-cii.xml", fixtures_dir / "valid-ubl.xml")
    assert result.exit_code == 0, result.output
    first, second = _json_lines(result.stdout)
    assert (first["container"], first["syntax"], first["profile"], first["valid"]) == (
        "xml",
        "cii",
        "en16931",
        True,
    )
    assert second["syntax"] == "ubl"
    assert set(first) >= {"file", "container", "syntax", "profile", "valid", "errors", "warnings"}


def test_invalid_input_exits_1_and_lists_the_errors(run, broken_invoice):
    result = run("--json", broken_invoice)
    assert result.exit_code == 1
    [report] = _json_lines(result.stdout)
    [error] = [error for error in report["errors"] if error["rule"] == "BR-CO-15"]
    assert set(error) >= {"stage", "artefact", "rule", "severity", "message", "location", "bt"}
    assert (error["stage"], error["rule"], error["bt"][0]) == ("schematron", "BR-CO-15", "BT-112")


def test_unreadable_input_exits_2(run, fixtures_dir, tmp_path):
    result = run("--json", fixtures_dir / "valid-cii.xml", tmp_path / "missing.xml")
    assert result.exit_code == 2
    valid, missing = _json_lines(result.stdout)
    assert valid["valid"] is True
    assert "missing.xml" in missing["error"]


def test_a_directory_validates_every_file_under_it(run, tmp_path, fixtures_dir):
    (tmp_path / "nested").mkdir()
    (tmp_path / "a.xml").write_bytes((fixtures_dir / "valid-cii.xml").read_bytes())
    (tmp_path / "nested" / "b.xml").write_bytes((fixtures_dir / "valid-ubl.xml").read_bytes())
    result = run("--json", tmp_path)
    assert result.exit_code == 0
    assert [report["file"].removeprefix(str(tmp_path)) for report in _json_lines(result.stdout)] == [
        "/a.xml",
        "/nested/b.xml",
    ]


def test_rules_option(run, fixtures_dir):
    result = run("--json", "--rules", "br-fr", fixtures_dir / "valid-cii.xml")
    [report] = _json_lines(result.stdout)
    assert report["rules"] == ["br-fr"]
    assert [artefact["artefact"] for artefact in report["artefacts"]] == [
        "cii-xsd",
        "br-fr-flux2-cii",
    ]
    assert run("--rules", "nonsense", fixtures_dir / "valid-cii.xml").exit_code == 2


def test_human_output_names_artefacts_and_explains_in_the_chosen_language(run, broken_invoice):
    result = run("--lang", "fr", broken_invoice)
    assert result.exit_code == 1
    assert "✗ invalid" in result.stdout
    assert "CEN/TC 434 EN 16931 CII validation 1.3.16" in result.stdout
    assert "BR-CO-15 (fatal) [BT-112, BT-109, BT-110]" in result.stdout
    assert "Le total TTC (BT-112)" in result.stdout


@pytest.mark.parametrize("content", [b"hello, world\n", b"", b"\xef\xbb\xbfnot xml either", b"PK\x03\x04zip"])
def test_a_file_neither_xml_nor_pdf_is_unreadable(run, tmp_path, content):
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    result = run("--json", path)
    assert result.exit_code == 2
    [answer] = _json_lines(result.stdout)
    assert "neither XML nor PDF" in answer["error"]
    assert run(path).exit_code == 2


def test_malformed_xml_stays_an_invalid_invoice(run, tmp_path):
    path = tmp_path / "cut.xml"
    path.write_bytes(b"\xef\xbb\xbf  <rsm:CrossIndustryInvoice xmlns:rsm='urn:x'>")
    assert run(path).exit_code == 1


def test_a_broken_pdf_prints_only_our_message_on_stderr(tmp_path, hybrid_pdf, fixtures_dir):
    import subprocess
    import sys

    pdf = bytearray(hybrid_pdf((fixtures_dir / "facturx-minimum.xml").read_bytes()))
    pdf[pdf.index(b"xref") : pdf.index(b"xref") + 4] = b"xxxx"  # the reader logs its repairs, then gives up
    path = tmp_path / "broken.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [sys.executable, "-m", "coursier", "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"✗ {path}: unreadable: the PDF cannot be read")


def test_a_pdf_with_active_content_is_invalid(run, tmp_path, hybrid_pdf, fixtures_dir):
    from support.pdfs import with_active_content

    path = tmp_path / "invoice.pdf"
    path.write_bytes(with_active_content(hybrid_pdf((fixtures_dir / "valid-cii.xml").read_bytes()), "open_action"))
    result = run("--json", path)
    assert result.exit_code == 1, result.output
    [report] = _json_lines(result.stdout)
    [error] = [error for error in report["errors"] if error["stage"] == "content"]
    assert error["rule"] == "PDF-ACTIVE-CONTENT" and "JavaScript" in error["message"]
    human = run(path)
    assert human.exit_code == 1 and "active content" in human.stdout


def test_engine_option_chooses_who_runs_the_schematron(run, broken_invoice):
    native = _json_lines(run("--json", broken_invoice).stdout)[0]
    official = _json_lines(run("--json", "--engine", "official", broken_invoice).stdout)[0]
    assert [(a["artefact"], a["engine"]) for a in native["artefacts"]] == [
        ("cii-xsd", "official"),
        ("cen-en16931-cii", "native"),
    ]
    assert [a["engine"] for a in official["artefacts"]] == ["official", "official"]
    assert [e["rule"] for e in native["errors"]] == ["BR-CO-15", "BR-CO-16"]
    assert native["errors"] == official["errors"]
    assert run("--engine", "saxon", broken_invoice).exit_code == 2  # not a choice: usage error
