"""The 1140 official CEN/TC 434 unit cases: every expected rule fires, or stays silent, 100 %."""

import json

import pytest

from coursier.validation import RuleSet, Stage, validate

# expected.json says "error" for a fatal assert and "warning" for a warning one.
_EXPECTATION_OF_SEVERITY = {"fatal": "error", "warning": "warning"}


@pytest.mark.corpus
def test_every_unit_case_gets_the_official_verdict(shared_dir):
    unit_dir = shared_dir / "conformance" / "en16931-unit"
    cases = json.loads((unit_dir / "expected.json").read_text(encoding="utf-8"))
    mismatches = []
    checked = 0
    for name, case in sorted(cases.items()):
        report = validate(unit_dir / f"{name}.xml", rules=[RuleSet.EN16931])
        assert [run.artefact.key for run in report.artefacts][1:] == [
            "cen-en16931-cii" if name.startswith("cii") else "cen-en16931-ubl"
        ]
        fired = {
            issue.rule: _EXPECTATION_OF_SEVERITY[issue.severity]
            for issue in report.errors + report.warnings
            if issue.stage is Stage.SCHEMATRON
        }
        for check in case["checks"]:
            checked += 1
            outcome = fired.get(check["rule"], "success")
            if outcome != check["expect"]:
                mismatches.append(f"{name}: {check['rule']} expected {check['expect']}, got {outcome}")
    assert (len(cases), checked) == (1140, 1142)
    assert mismatches == []
