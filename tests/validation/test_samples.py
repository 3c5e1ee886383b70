"""Official verdicts on the shared samples: CEN EN 16931 examples, Factur-X PDFs, BR-FR rules."""

import pytest

from coursier.validation import RuleSet, validate

pytestmark = pytest.mark.corpus

# The French rules every sample breaks: none of them was written for the French reform
# (mandatory payment mentions in notes, billing mode BT-23, seller SIREN BT-30).
BR_FR_RULES_BROKEN_BY_EVERY_SAMPLE = {"BR-FR-05", "BR-FR-08", "BR-FR-10"}


def _xml_samples(shared_dir):
    return sorted((shared_dir / "samples").glob("*/*.xml"))


def test_cii_and_ubl_samples_are_valid_under_the_cen_artefacts(shared_dir):
    verdicts = {}
    for path in _xml_samples(shared_dir):
        report = validate(path)
        schematrons = [run.artefact.key for run in report.artefacts[1:]]
        verdicts[path.name] = (report.valid, schematrons, [issue.rule for issue in report.errors])
    expected_artefact = {"cii": "cen-en16931-cii", "ubl": "cen-en16931-ubl"}
    assert len(verdicts) == 32
    assert verdicts == {
        path.name: (True, [expected_artefact[path.parent.name]], []) for path in _xml_samples(shared_dir)
    }


# Factur-X PDFs published in 2017 by FNFE-MPE: their amounts carry currencyID, which Factur-X
# 1.09 reports as "not used" in these profiles (CEN: CII-DT-031), and the BASIC one declares BT-24
# in a form the BASIC code list no longer allows (FX-SCH-A-000026).
FACTURX_SAMPLES = {
    "Facture_UE_MINIMUM.pdf": ("minimum", {None}, {"CII-DT-031", "BR-16", "BR-CO-10"}),
    "Facture_FR_BASICWL.pdf": ("basicwl", {None}, {"CII-DT-031", "BR-16", "BR-CO-10"}),
    "Avoir_FR_type381_BASIC.pdf": ("basic", {None, "FX-SCH-A-000026"}, {"CII-DT-031"}),
}


@pytest.mark.parametrize("name", sorted(FACTURX_SAMPLES))
def test_facturx_samples_are_judged_by_their_profile_schematron(shared_dir, name):
    profile, profile_rules, cen_rules = FACTURX_SAMPLES[name]
    report = validate(shared_dir / "samples" / "facturx" / name, rules=[RuleSet.EN16931, RuleSet.FACTURX])
    assert (report.container, report.profile) == ("pdf", profile)
    runs = {run.artefact.key: run for run in report.artefacts}
    assert runs[f"facturx-{profile}-xsd"].valid
    assert runs[f"facturx-{profile}"].binding and not runs[f"facturx-{profile}"].valid
    assert {issue.rule for issue in report.errors} == profile_rules
    # The EN 16931 verdict is reported too, for information.
    assert not runs["cen-en16931-cii"].binding and not runs["cen-en16931-cii"].valid
    assert cen_rules <= {issue.rule for issue in report.advisories}


def test_french_facturx_samples_get_the_br_fr_rules_by_default(shared_dir):
    for path in sorted((shared_dir / "samples" / "facturx").glob("*.pdf")):
        report = validate(path)
        assert "br-fr-flux2-cii" in [run.artefact.key for run in report.artefacts], path.name


def test_what_the_br_fr_rules_say_of_every_sample(shared_dir):
    samples = _xml_samples(shared_dir) + sorted((shared_dir / "samples" / "facturx").glob("*.pdf"))
    for path in samples:
        report = validate(path, rules=[RuleSet.BR_FR])
        broken = {issue.rule.split("_")[0] for issue in report.errors if issue.rule}
        assert broken >= BR_FR_RULES_BROKEN_BY_EVERY_SAMPLE, path.name
