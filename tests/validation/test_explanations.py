"""The plain-language explanations: enough of them, both languages, only real rule ids."""

import json
import re
from pathlib import Path

from coursier.validation.annotations import explanation_for, terms_concerned
from coursier.validation.artefacts import ALL_ARTEFACTS, Stage

EXPLANATIONS = json.loads((Path(__file__).parents[2] / "src/coursier/validation/explanations.json").read_text("utf-8"))


def _official_rule_ids() -> set[str]:
    ids: set[str] = set()
    for artefact in ALL_ARTEFACTS:
        if artefact.stage is Stage.SCHEMATRON:
            ids.update(re.findall(r'name="id">([^<]+)<', artefact.path.read_text("utf-8")))
    return ids


def test_at_least_forty_rules_are_explained_in_french_and_english():
    assert len(EXPLANATIONS) >= 40
    for rule, text in EXPLANATIONS.items():
        assert text["en"].strip() and text["fr"].strip(), rule


def test_every_explained_rule_exists_in_an_official_artefact():
    official = _official_rule_ids()
    official_rules = official | {rule.split("_")[0] for rule in official}
    assert set(EXPLANATIONS) <= official_rules


def test_br_fr_variants_share_their_rule_explanation():
    assert explanation_for("BR-FR-16_BT-152") == explanation_for("BR-FR-16")
    assert explanation_for("BR-FR-16") is not None
    assert explanation_for(None) is None
    assert explanation_for("NO-SUCH-RULE") is None


def test_terms_concerned():
    assert terms_concerned("BR-CO-15", "[BR-CO-15]-(BT-112) = (BT-109) + (BT-110); (BT-112)") == (
        "BT-112",
        "BT-109",
        "BT-110",
    )
    assert terms_concerned("BR-CL-23", "[BR-CL-23]-Unit code MUST be coded") == ("BT-130", "BT-150")
    assert terms_concerned("X", "sub-terms BT-29-1, Factur-X BT-X-272, French EXT-FR-FE-136") == (
        "BT-29-1",
        "BT-X-272",
        "EXT-FR-FE-136",
    )
    assert terms_concerned(None, "no terms here") == ()
