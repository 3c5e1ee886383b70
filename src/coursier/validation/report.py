"""The validation report: the same structure for the library, the CLI and the API."""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from coursier.formats.detect import Container, Profile, Syntax
from coursier.validation.artefacts import Artefact, RuleSet, Stage


class Severity(StrEnum):
    FATAL = "fatal"
    WARNING = "warning"


@dataclass(frozen=True)
class Explanation:
    """What to fix, in plain words, for people who do not read schematron."""

    en: str
    fr: str


@dataclass(frozen=True)
class Issue:
    stage: Stage
    artefact: str  # Artefact.key, or "xml" for the parser
    rule: str | None  # the official rule id; None for the few official checks that have none
    severity: Severity
    message: str  # the official text, white space normalised
    location: str | None  # XPath for XSD and schematron findings, line and column for XML
    bt: tuple[str, ...] = ()  # the business terms and groups (BT-n, BG-n) concerned
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": str(self.stage),
            "artefact": self.artefact,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "location": self.location,
            "bt": list(self.bt),
            "explanation": None if self.explanation is None else {"en": self.explanation.en, "fr": self.explanation.fr},
        }


@dataclass(frozen=True)
class ArtefactRun:
    """One artefact applied to the document, and its own verdict."""

    artefact: Artefact
    binding: bool  # False: run for information, its findings do not decide validity
    fatal: int
    warnings: int
    engine: str = "official"  # "native" when the artefact's native restatement gave the findings

    @property
    def valid(self) -> bool:
        return self.fatal == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": str(self.artefact.stage),
            "artefact": self.artefact.key,
            "title": self.artefact.title,
            "version": self.artefact.version,
            "shipped_by": self.artefact.shipped_by,
            "engine": self.engine,
            "binding": self.binding,
            "valid": self.valid,
            "fatal": self.fatal,
            "warnings": self.warnings,
        }


@dataclass
class ValidationReport:
    file: str | None
    container: Container
    syntax: Syntax | None = None
    guideline_id: str | None = None  # BT-24 as written
    profile: Profile | None = None
    rules: frozenset[RuleSet] = frozenset()
    artefacts: list[ArtefactRun] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)  # fatal findings of binding artefacts
    warnings: list[Issue] = field(default_factory=list)  # warnings of binding artefacts
    # Findings of artefacts run for information (e.g. CEN EN 16931 on a Factur-X MINIMUM invoice).
    advisories: list[Issue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, issues: list[Issue], *, binding: bool = True) -> None:
        if not binding:
            self.advisories.extend(issues)
            return
        for issue in issues:
            (self.errors if issue.severity is Severity.FATAL else self.warnings).append(issue)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "container": str(self.container),
            "syntax": self.syntax.family if self.syntax else None,
            "syntax_variant": str(self.syntax) if self.syntax else None,
            "guideline_id": self.guideline_id,
            "profile": str(self.profile) if self.profile else None,
            "rules": sorted(str(rule) for rule in self.rules),
            "valid": self.valid,
            "artefacts": [run.to_dict() for run in self.artefacts],
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
            "advisories": [issue.to_dict() for issue in self.advisories],
        }


# The rule id a message starts with, e.g. "[BR-CO-10]-Sum of..." or "[BR-FXEXT-G-08b] - In...".
_CITED_RULE = re.compile(r"^\[([A-Za-z0-9][\w.-]*)\]")


def reported_rule(message: str, assertion_id: str | None) -> str | None:
    """The rule id a finding is reported under: the one its message cites first ("[BR-CO-10]-Sum..."),
    else the assertion's id (a few assertions cite a shorter id than theirs: BR-FR-28-Value cites BR-FR-28)."""
    cited = _CITED_RULE.match(message)
    return cited.group(1) if cited else assertion_id
