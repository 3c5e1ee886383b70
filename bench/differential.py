"""The differential harness in full: native rules against the official artefacts.

Usage: python bench/differential.py [--mutations N] [--seed S] [--show K]

Compares, finding for finding, every restated artefact on the 1140 CEN unit cases, the samples,
the project's fixtures, and N seeded mutations of each valid French and EN base invoice (the
default, 150 each, gives a few thousand documents). Prints the counts and the first K
differences; exit status 1 when any differ.
"""

import argparse
import sys
import time
from pathlib import Path

from coursier.validation.native import BOOKS
from coursier.validation.native.differential import Tally, base_invoices, compare, corpora, mutated_cases

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = REPOSITORY.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mutations", type=int, default=150, help="mutations per base invoice")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    total = Tally()
    shared = SHARED if SHARED.is_dir() else None
    bases = base_invoices(REPOSITORY, shared)
    mutations = mutated_cases(bases, args.mutations, args.seed)
    for label, cases in [*corpora(REPOSITORY, shared), ("mutations", mutations)]:
        started = time.perf_counter()
        tally = compare(cases)
        total.add(tally)
        print(
            f"{label:<12} {tally.documents:6d} documents  {tally.comparisons:6d} comparisons  "
            f"{len(tally.differences):4d} differ  {len(tally.official_failures):4d} without official verdict  "
            f"({time.perf_counter() - started:.0f} s)"
        )
    for difference in total.differences[: args.show]:
        print(difference.describe())
    if total.message_differences:
        rules = sorted({finding[0] for difference in total.message_differences for finding in difference.native_only})
        print(f"{len(total.message_differences)} comparisons agree on the findings but word a message differently:")
        print(f"  rules: {rules}")
        for difference in total.message_differences[: args.show]:
            print(difference.describe())
    restated = {rule for book in BOOKS.values() for rule in book.rules}
    silent = sorted(restated - set(total.fired))
    print(f"rules that fired in agreement: {len(restated) - len(silent)} of {len(restated)}")
    print(f"never fired: {' '.join(silent)}")
    print(
        f"{total.comparisons} comparisons on {total.documents} documents: {total.agreements} identical, "
        f"{len(total.differences)} differ ({total.disagreeing_documents} documents), "
        f"{len(total.official_failures)} where the official artefact stopped with an error"
    )
    sys.exit(1 if total.differences else 0)


if __name__ == "__main__":
    main()
