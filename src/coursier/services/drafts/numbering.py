"""Invoice numbering patterns for finalized drafts: `F{YYYY}-{SEQ:6}` → `F2026-000042`.

Placeholders: {YYYY} year, {YY} two-digit year, {MM} month, {DD} day (of the issue date), and
exactly one {SEQ} or {SEQ:n} (sequence, zero-padded to n digits). The sequence runs per client and
per series; the series is the pattern rendered without its {SEQ}, so `F{YYYY}-{SEQ}` restarts at 1
every year while `F-{SEQ}` never restarts.
"""

import re
from datetime import date

from coursier.kit.errors import InvalidInput

_PLACEHOLDER = re.compile(r"\{([A-Z]+)(?::(\d+))?\}")
_DATE_PARTS = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d"}
# BT-1 is free text in EN 16931; 35 characters keeps numbers valid in every downstream system
# we know of (UN/EDIFACT an..35 for document numbers).
MAX_NUMBER_LENGTH = 35
_ALLOWED_LITERAL = re.compile(r"^[A-Za-z0-9/_.\-]*$")


def validate_pattern(pattern: str) -> str:
    tokens = _PLACEHOLDER.findall(pattern)
    names = [name for name, _ in tokens]
    if names.count("SEQ") != 1:
        raise InvalidInput("The numbering pattern needs exactly one {SEQ} or {SEQ:n}", code="invalid_number_pattern")
    unknown = sorted({n for n in names if n != "SEQ" and n not in _DATE_PARTS})
    if unknown:
        raise InvalidInput(
            f"Unknown placeholder(s) in numbering pattern: {', '.join(unknown)}", code="invalid_number_pattern"
        )
    literal = _PLACEHOLDER.sub("", pattern)
    if not _ALLOWED_LITERAL.match(literal):
        raise InvalidInput(
            "Numbering pattern text may use letters, digits and / _ . - only", code="invalid_number_pattern"
        )
    longest = render_number(pattern, sequence=10**9 - 1, issue_date=date(2099, 12, 31), check=False)
    if len(longest) > MAX_NUMBER_LENGTH:
        raise InvalidInput(
            f"Numbers from this pattern may exceed {MAX_NUMBER_LENGTH} characters", code="invalid_number_pattern"
        )
    return pattern


def series_of(pattern: str, issue_date: date) -> str:
    """The key the sequence runs under: the pattern with its date parts filled and {SEQ} kept."""
    return _PLACEHOLDER.sub(lambda m: _date_part(m, issue_date) if m.group(1) != "SEQ" else "{SEQ}", pattern)


def render_number(pattern: str, *, sequence: int, issue_date: date, check: bool = True) -> str:
    if check:
        validate_pattern(pattern)

    def fill(match: re.Match) -> str:
        if match.group(1) == "SEQ":
            width = int(match.group(2) or 1)
            return str(sequence).zfill(width)
        return _date_part(match, issue_date)

    return _PLACEHOLDER.sub(fill, pattern)


def _date_part(match: re.Match, issue_date: date) -> str:
    return issue_date.strftime(_DATE_PARTS[match.group(1)])
