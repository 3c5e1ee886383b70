"""Time per invoice of reading and writing CII and UBL through the model (coursier.formats).

Usage: python bench/convert.py [ROUNDS]

Over the model fixtures of tests/fixtures/invoices written in both syntaxes, it times parse
then write in the same syntax, and a conversion to the other one. Schema layouts are loaded
before timing (once per process in real use). Target: a few milliseconds per invoice.
"""

import sys
import time
from pathlib import Path

from coursier.formats import cii, ubl
from coursier.formats.convert import convert
from coursier.model import Invoice

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "invoices"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    invoices = [Invoice.model_validate_json(path.read_text()) for path in sorted(FIXTURES.glob("*.json"))]
    documents = {"cii": [cii.write(invoice).xml for invoice in invoices], "ubl": [ubl.write(i).xml for i in invoices]}
    bindings = {"cii": cii, "ubl": ubl}
    other = {"cii": "ubl", "ubl": "cii"}
    for syntax, xmls in documents.items():
        binding = bindings[syntax]
        started = time.perf_counter()
        for _ in range(rounds):
            for xml in xmls:
                binding.write(binding.parse(xml).invoice)
        same = (time.perf_counter() - started) / (rounds * len(xmls))
        started = time.perf_counter()
        for _ in range(rounds):
            for xml in xmls:
                convert(xml, to=other[syntax])
        crossed = (time.perf_counter() - started) / (rounds * len(xmls))
        print(f"{syntax}: read+write {same * 1000:6.2f} ms, to {other[syntax]} {crossed * 1000:6.2f} ms per invoice")


if __name__ == "__main__":
    main()
