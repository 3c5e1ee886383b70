"""Throughput of coursier.validation.validate() against the bare official XSLT run.

Usage: python bench/validate.py [ROUNDS] [SAMPLES_DIR]

Over every sample (../shared/samples by default), with the default rule selection, it times
validate() end to end, then the bare run of the same official XSLT on the same documents in the
same process: Saxon parses the XML text and applies each stylesheet, nothing else. Stylesheets
are compiled and every code path warmed up before timing. Target: overhead <= 1.5x.
"""

import sys
import time
from pathlib import Path

from coursier.formats.detect import Container, detect
from coursier.formats.facturx import extract
from coursier.validation import Stage, validate
from coursier.validation.schematron import load_document, run_svrl

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    samples_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_SAMPLES
    paths = sorted(path for path in samples_dir.rglob("*") if path.is_file())
    # What the bare run needs, prepared outside the timings: the XML text of each sample and the
    # stylesheets validate() applies to it.
    bare_inputs = []
    for path in paths:
        data = path.read_bytes()
        if detect(data).container is Container.PDF:
            data = extract(data).xml
        stylesheets = [run.artefact for run in validate(path).artefacts if run.artefact.stage is Stage.SCHEMATRON]
        bare_inputs.append((data.decode("utf-8"), stylesheets))

    # Rounds alternate between the two, so that a busy machine slows both alike.
    ours = bare = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            validate(path)
        ours += time.perf_counter() - started
        started = time.perf_counter()
        for xml_text, stylesheets in bare_inputs:
            document = load_document(xml_text)
            for stylesheet in stylesheets:
                run_svrl(document, stylesheet)
        bare += time.perf_counter() - started

    count = rounds * len(paths)
    print(f"{len(paths)} samples x {rounds} rounds = {count} validations")
    print(f"validate():          {count / ours:8.1f} invoices/s")
    print(f"bare official XSLT:  {count / bare:8.1f} invoices/s")
    print(f"overhead:            {ours / bare:8.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
