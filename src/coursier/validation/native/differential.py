"""The differential harness: the native rules against the official artefacts, finding for finding.

For each document and each restated artefact, both engines run on the same tree and their
findings are compared as multisets of (rule id, severity, location): the same rules must fire,
with the same flags, on the same nodes, as many times. A document on which Saxon itself stops
(a dynamic error of the artefact, e.g. a text that is no number where the XPath computes) has no
official verdict: it is counted apart, never as an agreement.

`corpus_cases` reads the corpora (XML files, and the XML inside Factur-X PDFs); `mutated_cases`
derives seeded mutations from valid invoices (see `mutations`); `compare` runs both engines.
`python bench/differential.py` runs it all in full; the tests run a bounded sample.
"""

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from saxonche import PySaxonApiError

from coursier.formats.detect import Container, detect
from coursier.formats.facturx import FacturXError, extract
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.validation.native import books_for, is_profile_artefact
from coursier.validation.native.mutations import mutants
from coursier.validation.native.xpath import Document
from coursier.validation.report import Issue
from coursier.validation.schematron import issues_from_svrl, load_document, run_svrl

Finding = tuple[str | None, str, str | None]


@dataclass(frozen=True)
class Case:
    name: str
    xml: bytes


@dataclass(frozen=True)
class Difference:
    case: str
    artefact: str
    official_only: tuple[Finding, ...]
    native_only: tuple[Finding, ...]

    def describe(self) -> str:
        return (
            f"{self.case} [{self.artefact}]\n  official only: {list(self.official_only)}"
            f"\n  native only:   {list(self.native_only)}"
        )


@dataclass
class Tally:
    """What a run found: how many (document, artefact) pairs agree, differ, or have no official verdict."""

    documents: int = 0
    comparisons: int = 0
    agreements: int = 0
    differences: list[Difference] = field(default_factory=list)
    official_failures: list[str] = field(default_factory=list)
    fired: Counter = field(default_factory=Counter)  # rule id -> documents where both engines fired it
    # Same findings, but a message worded differently (a value the message quotes): reported, not failed.
    message_differences: list[Difference] = field(default_factory=list)

    @property
    def disagreeing_documents(self) -> int:
        return len({difference.case for difference in self.differences})

    def add(self, other: "Tally") -> None:
        self.documents += other.documents
        self.comparisons += other.comparisons
        self.agreements += other.agreements
        self.differences += other.differences
        self.official_failures += other.official_failures
        self.fired += other.fired
        self.message_differences += other.message_differences


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Saxon writes each dynamic error to the process's standard error: the harness counts them instead."""
    saved = os.dup(2)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _findings(issues: Iterable[Issue]) -> Counter:
    return Counter((issue.rule, str(issue.severity), issue.location) for issue in issues)


def _messages(issues: Iterable[Issue]) -> Counter:
    return Counter((issue.rule, issue.location, issue.message) for issue in issues)


def compare(cases: Iterable[Case]) -> Tally:
    """Both engines on every case, for every restated artefact of its syntax."""
    tally = Tally()
    for case in cases:
        try:
            root = parse_xml(case.xml).getroot()
        except XMLRejected:
            continue
        detection = detect(case.xml)
        if detection.syntax is None:
            continue
        tally.documents += 1
        official_document = None
        native_document = Document(root)  # shared by the books, as validation shares it
        for book in books_for(detection.syntax, detection.profile):
            tally.comparisons += 1
            try:
                with _quiet_stderr():
                    if official_document is None:
                        official_document = load_document(etree.tostring(root, encoding="unicode"))
                    official_issues = issues_from_svrl(run_svrl(official_document, book.artefact), book.artefact)
            except PySaxonApiError as exc:
                tally.official_failures.append(f"{case.name} [{book.artefact.key}]: {str(exc).strip()[:160]}")
                continue
            native_issues = book.run(root, native_document)
            official, native = _findings(official_issues), _findings(native_issues)
            if official == native:
                tally.agreements += 1
                tally.fired.update({rule for rule, _, _ in official})
                official_messages, native_messages = _messages(official_issues), _messages(native_issues)
                if official_messages != native_messages:
                    tally.message_differences.append(
                        Difference(
                            case.name,
                            book.artefact.key,
                            tuple(sorted((official_messages - native_messages).elements(), key=str)),
                            tuple(sorted((native_messages - official_messages).elements(), key=str)),
                        )
                    )
            else:
                tally.differences.append(
                    Difference(
                        case.name,
                        book.artefact.key,
                        tuple(sorted((official - native).elements(), key=str)),
                        tuple(sorted((native - official).elements(), key=str)),
                    )
                )
    return tally


def corpus_cases(*directories: Path, label: str | None = None) -> Iterator[Case]:
    """Every invoice file under the directories: XML as it is, the XML of Factur-X PDFs."""
    for directory in directories:
        for path in sorted(directory.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in (".xml", ".pdf"):
                continue
            data = path.read_bytes()
            if detect(data).container is Container.PDF:
                try:
                    data = extract(data).xml
                except FacturXError:
                    continue
            yield Case(f"{label or directory.name}/{path.relative_to(directory)}", data)


def mutated_cases(bases: Iterable[Case], per_base: int, seed: int = 0) -> Iterator[Case]:
    """`per_base` seeded mutations of each base invoice, some adding the elements the syntax rules forbid."""
    for base in bases:
        detection = detect(base.xml)
        grafts = _grafts(detection.syntax, detection.profile) if detection.syntax else ()
        for mutant in mutants(base.name, base.xml, per_base, seed, grafts=grafts):
            yield Case(mutant.name, mutant.xml)


def _grafts(syntax, profile=None) -> list:
    """The paths the restated syntax rules forbid, below the elements they apply to; and the
    elements a Factur-X profile's rules are about (most say where an element is not used, or
    how often it may occur), below their parents."""
    books = books_for(syntax, profile)
    return sorted(
        {
            (context.path, path)
            for book in books
            for pattern in book.patterns
            for rule in pattern.rules
            for context in rule.context.alternatives or (rule.context,)
            for check in rule.asserts
            for path in check.paths or ()
            if "*" not in context.path
        }
        | {
            (rule.context.path[:-1], rule.context.path[-1:])
            for book in books
            if is_profile_artefact(book.artefact)
            for pattern in book.patterns
            for rule in pattern.rules
            if rule.context.absolute and len(rule.context.path) > 1
        }
    )


# The project's own invoices (relative to the repository), and the shared corpora (relative to
# the shared directory, when it is there).
FIXTURE_DIRECTORIES = ("tests/validation/fixtures", "tests/formats")
UNIT_CASES = "conformance/en16931-unit"
SAMPLES = "samples"
# Valid invoices the mutations start from: French (BR-FR applies) and EN 16931 from elsewhere.
FRENCH_BASES = (
    "tests/formats/golden/fr-b2b-invoice.cii-en16931.xml",
    "tests/formats/golden/fr-b2b-invoice.cii-extended-ctc-fr.xml",
    "tests/formats/golden/fr-credit-note.cii-en16931.xml",
    "tests/formats/golden/allowances-charges-multi-vat.cii-en16931.xml",
    "tests/formats/golden/fr-b2b-invoice.ubl.xml",
    "tests/formats/golden/fr-credit-note.ubl.xml",
    "tests/formats/golden/allowances-charges-multi-vat.ubl.xml",
    # EXTENDED-CTC-FR beyond what the writers produce: sub-lines, logistics charges, exemption reasons.
    "tests/validation/native/bases/sublines-logistics.cii-extended-ctc-fr.xml",
    "tests/validation/native/bases/sublines.ubl-extended-ctc-fr.xml",
    "tests/validation/native/bases/sublines.ubl-creditnote-extended-ctc-fr.xml",
    # French UBL with every party, reference and format the BR-FR rules read; self-billed with identifiers
    # and addresses at their longest; multi-vendor (S8); a balance credit note (B9).
    "tests/validation/fixtures/fr-ubl-parties.ubl.xml",
    "tests/validation/fixtures/fr-ubl-self-billed.ubl.xml",
    "tests/validation/fixtures/fr-ubl-multi-vendor.ubl.xml",
    "tests/validation/fixtures/fr-ubl-balance-credit-note.ubl.xml",
)
EN_BASE_PATTERNS = ("samples/cii/*.xml", "samples/ubl/*.xml")
# Valid invoices of the other Factur-X profiles (EN 16931's are among the French bases), for their
# profile schematrons.
PROFILE_BASE_PATTERNS = (
    *(f"tests/formats/golden/*.cii-{profile}.xml" for profile in ("extended", "basic", "basicwl", "minimum")),
    "tests/validation/fixtures/facturx-*.xml",  # EXTENDED line groups (BR-FXEXT-08, -11, -12), a MINIMUM
)


def corpora(repository: Path, shared: Path | None) -> list[tuple[str, Iterator[Case]]]:
    """The corpora by name: the CEN unit cases, the samples, the project's fixtures."""
    found: list[tuple[str, Iterator[Case]]] = []
    if shared is not None and (shared / UNIT_CASES).is_dir():
        found.append(("unit cases", corpus_cases(shared / UNIT_CASES, label="unit")))
    if shared is not None and (shared / SAMPLES).is_dir():
        found.append(("samples", corpus_cases(shared / SAMPLES, label="samples")))
    fixtures = [repository / directory for directory in FIXTURE_DIRECTORIES if (repository / directory).is_dir()]
    found.append(("fixtures", corpus_cases(*fixtures, label="fixtures")))
    return found


def base_invoices(repository: Path, shared: Path | None) -> list[Case]:
    """The valid invoices mutations start from."""
    paths = [repository / path for path in FRENCH_BASES]
    paths += [path for pattern in PROFILE_BASE_PATTERNS for path in sorted(repository.glob(pattern))]
    if shared is not None:
        paths += [path for pattern in EN_BASE_PATTERNS for path in sorted(shared.glob(pattern))]
    return [Case(path.name, path.read_bytes()) for path in paths if path.is_file()]
