"""`coursier convert` and `coursier render` on files, through the model."""

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.formats import cii, ubl
from coursier.formats.facturx import Flavor, extract, to_pdf
from coursier.model.invoice import Invoice

FACTURX_FIXTURES = Path(__file__).parent.parent / "formats" / "facturx_fixtures"


@pytest.fixture(scope="module")
def invoice() -> Invoice:
    return Invoice.model_validate_json((FACTURX_FIXTURES / "invoice_fr.json").read_text(encoding="utf-8"))


@pytest.fixture
def cii_file(tmp_path: Path, invoice: Invoice) -> Path:
    path = tmp_path / "invoice.cii.xml"
    path.write_bytes(cii.write(invoice).xml)
    return path


@pytest.fixture(scope="module")
def run():
    _register_commands()
    runner = CliRunner()

    def invoke(*args: object, exit_code: int = 0):
        result = runner.invoke(app, [str(arg) for arg in args])
        assert result.exit_code == exit_code, result.output
        return result

    return invoke


def test_convert_cii_to_ubl_and_back(run, cii_file: Path, tmp_path: Path) -> None:
    as_ubl, back = tmp_path / "invoice.ubl.xml", tmp_path / "back.cii.xml"
    run("convert", cii_file, "--to", "ubl", "-o", as_ubl)
    assert ubl.parse(as_ubl.read_bytes()).invoice.number == "FA-2025-0042"
    run("convert", as_ubl, "--to", "cii", "-o", back)
    assert cii.parse(back.read_bytes()).invoice.totals.amount_due == Decimal("1967.28")


def test_convert_prints_what_the_profile_cannot_keep(run, cii_file: Path, tmp_path: Path) -> None:
    result = run("convert", cii_file, "--to", "cii", "--profile", "basic", "-o", tmp_path / "basic.xml")
    assert "warning not-in-profile BT-155 lines[0].item.sellers_identifier" in result.stderr
    assert result.stdout == ""


def test_convert_to_factur_x(run, cii_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "invoice.pdf"
    run("convert", cii_file, "--to", "facturx", "--lang", "en", "-o", output)
    extracted = extract(output.read_bytes())
    assert (extracted.flavor, extracted.level) == (Flavor.CII, "en16931")
    pdf = pypdf.PdfReader(output)
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"
    assert "INVOICE" in pdf.pages[0].extract_text()


def test_convert_reads_a_factur_x_pdf(run, invoice: Invoice, tmp_path: Path) -> None:
    source, output = tmp_path / "invoice.pdf", tmp_path / "invoice.ubl.xml"
    source.write_bytes(to_pdf(invoice))
    run("convert", source, "--to", "ubl", "-o", output)
    assert ubl.parse(output.read_bytes()).invoice.seller.name == "Atelier Lumière SAS"


@pytest.mark.corpus
def test_convert_reads_the_french_credit_note_sample(run, shared_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "avoir.ubl.xml"
    run("convert", shared_dir / "samples" / "facturx" / "Avoir_FR_type381_BASIC.pdf", "--to", "ubl", "-o", output)
    assert ubl.parse(output.read_bytes()).invoice.type_code == "381"


def test_render_prints_the_readable_page_without_attachments(run, cii_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "page.pdf"
    run("render", cii_file, "-o", output)
    pdf = pypdf.PdfReader(BytesIO(output.read_bytes()))
    assert not list(pdf.attachment_list)
    assert "Total TTC" in pdf.pages[0].extract_text()


def test_input_that_is_no_invoice(run, tmp_path: Path) -> None:
    source = tmp_path / "notes.xml"
    source.write_text("<notes>nothing to see</notes>")
    result = run("render", source, "-o", tmp_path / "out.pdf", exit_code=2)
    assert "unreadable" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_pdf_without_invoice_xml(run, tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.7\n" + b"garbage " * 100)
    result = run("convert", source, "--to", "cii", "-o", tmp_path / "out.xml", exit_code=2)
    assert "(pdf_unreadable)" in result.stderr


def test_profile_the_target_does_not_offer(run, cii_file: Path, tmp_path: Path) -> None:
    result = run("convert", cii_file, "--to", "ubl", "--profile", "basic", "-o", tmp_path / "out.xml", exit_code=2)
    assert "--profile" in result.output


def test_invoice_the_profile_schema_refuses(run, tmp_path: Path) -> None:
    """A MINIMUM invoice has no lines, which an EN 16931 Factur-X must have."""
    output = tmp_path / "out.pdf"
    minimum = FACTURX_FIXTURES / "minimum.cii.xml"
    result = run("convert", minimum, "--to", "facturx", "--profile", "en16931", "-o", output, exit_code=1)
    assert "(xml_schema_invalid)" in result.stderr
    assert not output.exists()
