"""What Coursier adds to an official finding: the business terms it concerns, and what to fix.

Most official messages cite their terms, "(BT-24)"; the code-list rules and a few others do not,
and the table below gives theirs, from the EN 16931-1 semantic model. Explanations for the
rules that fire most on real invoices are in explanations.json, in English and French.
"""

import json
import re
from functools import cache
from pathlib import Path

from coursier.validation.report import Explanation

# BT-n and BG-n of EN 16931 (with sub-terms such as BT-29-1), BT-X-n of Factur-X EXTENDED, and
# EXT-FR-FE-n of the French extension.
_TERM = re.compile(r"\b(?:B[TG]-(?:X-)?\d+(?:-\d+)?|EXT-FR-FE-(?:BG-)?\d+)\b")

_TERMS_OF_UNCITING_RULES: dict[str, tuple[str, ...]] = {
    "BR-08": ("BG-5",),
    "BR-44": ("BG-28", "BT-144", "BT-145"),
    "BR-CL-01": ("BT-3",),
    "BR-CL-03": ("BT-5", "BT-6"),
    "BR-CL-04": ("BT-5",),
    "BR-CL-05": ("BT-6",),
    "BR-CL-06": ("BT-8",),
    "BR-CL-07": ("BT-18-1",),
    "BR-CL-08": ("BT-21",),
    "BR-CL-10": ("BT-29-1", "BT-46-1", "BT-60-1"),
    "BR-CL-11": ("BT-30-1", "BT-47-1", "BT-61-1"),
    "BR-CL-13": ("BT-158-1",),
    "BR-CL-14": ("BT-40", "BT-55", "BT-69", "BT-80"),
    "BR-CL-15": ("BT-159",),
    "BR-CL-16": ("BT-81",),
    "BR-CL-17": ("BT-95", "BT-102", "BT-118"),
    "BR-CL-18": ("BT-151",),
    "BR-CL-19": ("BT-98", "BT-140"),
    "BR-CL-20": ("BT-105", "BT-145"),
    "BR-CL-21": ("BT-157-1",),
    "BR-CL-22": ("BT-121",),
    "BR-CL-23": ("BT-130", "BT-150"),
    "BR-CL-24": ("BT-125",),
    "BR-CL-25": ("BT-34-1", "BT-49-1"),
    "BR-CL-26": ("BT-71-1",),
}


def terms_concerned(rule: str | None, message: str) -> tuple[str, ...]:
    """The BT/BG ids the message cites, in order and once each, else those the table gives."""
    cited = tuple(dict.fromkeys(_TERM.findall(message)))
    if cited or rule is None:
        return cited
    return _TERMS_OF_UNCITING_RULES.get(rule, ())


@cache
def _explanations() -> dict[str, Explanation]:
    raw = json.loads((Path(__file__).parent / "explanations.json").read_text(encoding="utf-8"))
    return {rule: Explanation(en=text["en"], fr=text["fr"]) for rule, text in raw.items()}


def explanation_for(rule: str | None) -> Explanation | None:
    """The explanation of `rule`; BR-FR ids name a variant after "_" (BR-FR-16_BT-152) that
    shares the explanation of its rule (BR-FR-16)."""
    if rule is None:
        return None
    explanations = _explanations()
    return explanations.get(rule) or explanations.get(rule.split("_")[0])
