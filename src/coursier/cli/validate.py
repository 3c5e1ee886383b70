"""`coursier validate PATH...`: EN 16931 / Factur-X / BR-FR validation of invoice files, native or official."""

import codecs
import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from coursier.cli import app
from coursier.formats.detect import is_pdf
from coursier.validation import Engine, InputError, Issue, RuleSet, ValidationReport, read_bounded, validate

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


class Language(StrEnum):
    EN = "en"
    FR = "fr"


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Invoice files (CII or UBL XML, Factur-X PDF) or directories"),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON report per input, one per line")] = False,
    rules: Annotated[
        list[RuleSet] | None,
        typer.Option(
            "--rules",
            help="Schematron to apply (repeatable). Default: en16931, plus the Factur-X profile "
            "for Factur-X content, plus br-fr when the seller is French.",
        ),
    ] = None,
    lang: Annotated[Language, typer.Option(help="Language of the explanations")] = Language.EN,
    engine: Annotated[
        Engine,
        typer.Option(
            help="Who runs the schematron: native (the restated rules where they are proven identical "
            "to the official artefacts, the official artefacts elsewhere) or official (every artefact with Saxon)",
        ),
    ] = Engine.NATIVE,
) -> None:
    """Validate invoices; exit 0 if all are valid, 1 if any is invalid, 2 if any is unreadable."""
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    files = list(_expand(paths))
    invalid = unreadable = False
    show_progress = _has_directory(paths) and err.is_terminal
    with Progress(console=err, transient=True, disable=not show_progress) as progress:
        task = progress.add_task("Validating", total=len(files))
        for path in files:
            try:
                report = validate(_invoice_file(path), rules=rules, file=str(path), engine=engine)
            except InputError as exc:
                unreadable = True
                if as_json:
                    typer.echo(json.dumps({"file": str(path), "error": str(exc)}, ensure_ascii=False))
                else:
                    err.print(f"✗ {path}: unreadable: {exc}", style="red", markup=False)
            else:
                invalid = invalid or not report.valid
                if as_json:
                    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
                else:
                    _print_report(out, report, lang)
            progress.advance(task)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_INVALID if invalid else 0)


def _invoice_file(path: Path) -> bytes:
    """The bytes of `path` when it can hold an invoice (XML or PDF); other files are unreadable, not invalid."""
    data = read_bounded(path)
    if not (is_pdf(data) or _looks_like_xml(data)):
        raise InputError("neither XML nor PDF")
    return data


def _looks_like_xml(data: bytes) -> bool:
    """Whether `data` starts, after a byte order mark and white space, with a markup character."""
    for mark, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(mark):
            return data[len(mark) :].decode(encoding, errors="ignore").lstrip().startswith("<")
    return data.lstrip().startswith(b"<")


def _expand(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(child for child in path.rglob("*") if child.is_file())
        else:
            yield path  # a missing file is reported as unreadable by validate()


def _has_directory(paths: list[Path]) -> bool:
    return any(path.is_dir() for path in paths)


def _print_report(console: Console, report: ValidationReport, lang: Language) -> None:
    mark = "[green]✓ valid[/green]" if report.valid else "[red]✗ invalid[/red]"
    kind = ", ".join(str(part) for part in (report.container, report.syntax, report.profile) if part is not None)
    console.print(f"{mark} ", end="")
    console.print(f"{report.file} ({kind})", markup=False)
    for run in report.artefacts:
        role = ("" if run.binding else ", for information") + (", native" if run.engine == Engine.NATIVE else "")
        verdict = "ok" if run.valid else f"{run.fatal} error(s)"
        console.print(
            f"    {run.artefact.stage}: {run.artefact.describe()}{role}: {verdict}"
            + (f", {run.warnings} warning(s)" if run.warnings else ""),
            markup=False,
        )
    for title, issues in (
        ("errors", report.errors),
        ("warnings", report.warnings),
        ("for information", report.advisories),
    ):
        if issues:
            console.print(f"  {title}:")
            for issue in issues:
                _print_issue(console, issue, lang)


def _print_issue(console: Console, issue: Issue, lang: Language) -> None:
    terms = f" [{', '.join(issue.bt)}]" if issue.bt else ""
    console.print(
        f"    - {issue.rule or issue.stage} ({issue.severity}){terms}: {issue.message}",
        markup=False,
    )
    if issue.location:
        console.print(f"      at {issue.location}", markup=False)
    if issue.explanation:
        console.print(f"      → {getattr(issue.explanation, lang)}", markup=False)
