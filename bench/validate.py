"""Throughput of the native engine against the official artefacts it replaces, on the same documents.

Usage: python bench/validate.py [--quick] [--rounds N] [SAMPLES_DIR]

Every invoice of the samples (../shared/samples by default) and of the project's fixtures is read
once (the hardened parse, the XML out of Factur-X PDFs); then, in the same process and on the same
parsed documents, `validate_document` runs with the default rule selection, once per round with
each engine: the native engine (the XSD, the native restatements, and Saxon for the artefacts not
restated) and the official one (the XSD and every schematron with Saxon). Rounds alternate, so a
busy machine slows both alike. Before timing, each document's two reports are compared finding for
finding (rule, severity, location, message): a document whose reports differ is counted.

The last line reads `native speedup: N.Nx over official, verdicts identical on M documents` (or
`... differ on K documents`). `--quick` runs two rounds (under a minute on 2 cores). Target: 10x.
"""

import argparse
import time
from collections import Counter
from pathlib import Path

from coursier.validation import Engine
from coursier.validation.engine import ParsedDocument, read_document, validate_document
from coursier.validation.schematron import precompile

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPOSITORY.parent / "shared" / "samples"
FIXTURES = (REPOSITORY / "tests" / "formats" / "golden", REPOSITORY / "tests" / "validation" / "fixtures")


def documents(samples: Path) -> list[tuple[str, ParsedDocument]]:
    paths = [
        path
        for directory in (samples, *FIXTURES)
        if directory.is_dir()
        for path in sorted(directory.rglob("*"))
        if path.suffix.lower() in (".xml", ".pdf")
    ]
    return [(str(path), read_document(path.read_bytes())) for path in paths]


def findings(document: ParsedDocument, engine: Engine) -> Counter:
    report = validate_document(document, engine=engine)
    issues = report.errors + report.warnings + report.advisories
    return Counter((issue.rule, str(issue.severity), issue.location, issue.message) for issue in issues)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("samples", nargs="?", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="two rounds: under a minute")
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds
    parsed = documents(args.samples)
    precompile()

    # The same verdicts first (this also warms up every code path of both engines).
    differing = [
        name for name, document in parsed if findings(document, Engine.NATIVE) != findings(document, Engine.OFFICIAL)
    ]

    elapsed = {Engine.NATIVE: 0.0, Engine.OFFICIAL: 0.0}
    for _ in range(rounds):
        for engine in (Engine.NATIVE, Engine.OFFICIAL):
            started = time.perf_counter()
            for _, document in parsed:
                validate_document(document, engine=engine)
            elapsed[engine] += time.perf_counter() - started

    count = rounds * len(parsed)
    native, official = count / elapsed[Engine.NATIVE], count / elapsed[Engine.OFFICIAL]
    print(f"{len(parsed)} documents x {rounds} rounds = {count} validations per engine")
    print(f"native engine:       {native:8.1f} invoices/s ({1000 / native:6.2f} ms each)")
    print(f"official artefacts:  {official:8.1f} invoices/s ({1000 / official:6.2f} ms each)")
    for name in differing:
        print(f"reports differ: {name}")
    verdicts = (
        f"verdicts differ on {len(differing)} documents"
        if differing
        else f"verdicts identical on {len(parsed)} documents"
    )
    print(f"native speedup: {native / official:.1f}x over official, {verdicts}")


if __name__ == "__main__":
    main()
