"""`coursier convert` and `coursier render`: invoice files from one syntax to another, and to a page.

Any input is accepted: CII or UBL XML, or a hybrid PDF (Factur-X, ZUGFeRD, XRechnung) whose
embedded XML is used. Everything goes through the EN 16931 model; what the reader could not map
and what the target cannot carry is printed to stderr as warnings.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from coursier.cli import app
from coursier.kit.texts import Language

if TYPE_CHECKING:
    from coursier.formats.base import FormatWarning

EXIT_FAILED = 1  # the input was read but the output could not be made
EXIT_UNREADABLE = 2  # the input is no invoice Coursier can read (2 is also Typer's usage error)


class Target(StrEnum):
    CII = "cii"
    UBL = "ubl"
    FACTURX = "facturx"


InputFile = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="Invoice file: CII or UBL XML, or a Factur-X PDF"),
]
LanguageOption = Annotated[Language, typer.Option("--lang", help="Language of the invoice page")]


@app.command("convert")
def convert_command(
    source: InputFile,
    to: Annotated[Target, typer.Option("--to", help="Output syntax")],
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="File to write")],
    profile: Annotated[
        str | None,
        typer.Option(
            help="CII / Factur-X profile: minimum, basicwl, basic, en16931, extended (CII also extended-ctc-fr). "
            "Default: the profile the invoice names, else en16931."
        ),
    ] = None,
    language: LanguageOption = Language.FR,
) -> None:
    """Convert an invoice to CII, UBL or Factur-X, printing what the conversion could not keep."""
    from coursier.formats import cii
    from coursier.formats.convert import convert, parse
    from coursier.formats.facturx import PDF_PROFILES, FacturXError, build

    allowed_profiles = {Target.CII: tuple(cii.PROFILES), Target.UBL: ("en16931",), Target.FACTURX: PDF_PROFILES}[to]
    if profile is not None and profile not in allowed_profiles:
        raise typer.BadParameter(f"{to} takes one of {', '.join(allowed_profiles)}", param_hint="--profile")
    if to is not Target.FACTURX:
        with _unreadable_input_exits(source):
            content, warnings = convert(_invoice_xml(source), to.value, profile)
        _print_warnings(source, warnings)
        output.write_bytes(content)
        return
    with _unreadable_input_exits(source):
        parsed = parse(_invoice_xml(source))
    try:
        document = build(parsed.invoice, language=language, profile=profile)
    except FacturXError as exc:
        _fail(EXIT_FAILED, f"{source}: no Factur-X PDF made ({exc.code}): {exc.message}")
    _print_warnings(source, parsed.warnings + document.warnings)
    output.write_bytes(document.pdf)


@app.command("render")
def render_command(
    source: InputFile,
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="PDF file to write")],
    language: LanguageOption = Language.FR,
) -> None:
    """Print an invoice as a readable PDF/A-3 page (nothing embedded)."""
    from coursier.formats.convert import parse
    from coursier.formats.facturx import readable_pdf

    with _unreadable_input_exits(source):
        parsed = parse(_invoice_xml(source))
    _print_warnings(source, parsed.warnings)
    output.write_bytes(readable_pdf(parsed.invoice, language))


def _invoice_xml(source: Path) -> bytes:
    """The XML of `source`: the file itself, or the invoice a hybrid PDF embeds."""
    from coursier.formats.detect import is_pdf
    from coursier.formats.facturx import DEFAULT_MAX_PDF_BYTES, extract
    from coursier.validation import read_bounded

    data = read_bounded(source, DEFAULT_MAX_PDF_BYTES)
    return extract(data).xml if is_pdf(data) else data


@contextmanager
def _unreadable_input_exits(source: Path) -> Iterator[None]:
    """Exit with EXIT_UNREADABLE, saying why, when `source` holds no invoice Coursier can read."""
    from coursier.formats.base import FormatError
    from coursier.formats.facturx import FacturXError
    from coursier.validation import InputError, XMLRejected

    try:
        yield
    except FacturXError as exc:
        _fail(EXIT_UNREADABLE, f"{source}: unreadable ({exc.code}): {exc.message}")
    except (FormatError, XMLRejected, InputError) as exc:
        _fail(EXIT_UNREADABLE, f"{source}: unreadable: {exc}")


def _print_warnings(source: Path, warnings: "list[FormatWarning]") -> None:
    for warning in warnings:
        where = " ".join(part for part in (warning.term, warning.path) if part)
        typer.echo(f"{source}: warning {warning.code} {where}: {warning.message}", err=True)


def _fail(exit_code: int, message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(exit_code)
