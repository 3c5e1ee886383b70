"""The rules no official artefact carries, each under a stable id that says where it comes from.

Official rules keep the ids their artefacts give them (BR-16, BR-FR-12; G1.01 and the other
annex 7 rules of flow 1 in `f1.rules`). The others are listed here, so that a finding's `rule`
always traces back to a text:

- the checks a receiving platform runs on a deposit once the document passed, each named by the
  reason code of the refusal it causes (code list BR-FR-CDV-CL-09; the order of the checks follows
  XP Z12-012);
- what the official schemas would refuse but cannot be run offline (F1-STRUCTURE);
- Coursier's own rules, `COURSIER-<AREA>-<nn>`, for what the official rules leave out.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    source: str  # the text the rule restates, or why it is Coursier's own


SELLER_IS_CLIENT = Rule(
    "REJ_COH",
    "BR-FR-CDV-CL-09 REJ_COH (rejet sur contrôle de cohérence): the seller's SIREN (BT-30) is one the "
    "depositing client holds an active mandate for; a platform deposits its own clients' invoices only",
)
NOT_A_DUPLICATE = Rule(
    "DOUBLON",
    "BR-FR-CDV-CL-09 DOUBLON (facture en doublon): no invoice was accepted before with the same seller "
    "SIREN (BT-30), number (BT-1) and year of issue (BT-2)",
)
RECIPIENT_IN_DIRECTORY = Rule(
    "DEST_INC",
    "BR-FR-CDV-CL-09 DEST_INC (destinataire inconnu): a line of the national directory covers the buyer's "
    "electronic address (BT-49, scheme 0225) or SIREN / SIRET (BT-47, BT-46)",
)
ACTIVE_CONTENT = Rule(
    "PDF-ACTIVE-CONTENT",
    "a Factur-X is a PDF/A-3 (ISO 19005), which forbids JavaScript and Launch actions; a PDF that would run "
    "JavaScript, launch an application or carries an embedded program fails the security check every "
    "incoming file goes through (DG dossier général v3.2 §3.4.2 'contrôle antivirus'), refused 501 "
    "IRR_ANTIVIRUS (BR-FR-CDV-CL-09: 'le flux ne respecte pas les conditions de sécurité')",
)
F1_STRUCTURE = Rule(
    "F1-STRUCTURE",
    "the F1 XSDs F1_BASE_CII_D22B and F1_FULL_CII_D22B (DGFiP spécifications externes), which ship in no "
    "installable package: their content model is restated in coursier.formats.ppf.f1.layout",
)
LINE_NET_AMOUNT = Rule(
    "COURSIER-CALC-01",
    "EN 16931-1, definition of BT-131: quantity (BT-129) x net price (BT-146) / base quantity (BT-149) "
    "+ line charges - line allowances; the official schematron does not check it",
)
NUMBER_ASSIGNED = Rule(
    "COURSIER-NUMBER-01",
    "Coursier: a draft's number (BT-1) is assigned at finalization from the client's numbering pattern, "
    "so a number written in the draft is replaced",
)
REPORTED_IN_ITS_PERIOD = Rule(
    "COURSIER-F10-01",
    "DG §3.7.7 note 125: the operation date decides the period of transaction data, the collection date "
    "that of payment data; a report's daily transactions and payments fall within its period (TT-17..TT-18, "
    "TT-89..TT-90). The texts name no rule for it; REJ_COH (incoherent data, DG §3.7.10) is the PPF's answer",
)
VAT_IDENTIFIER_KEY = Rule(
    "COURSIER-VAT-01",
    "the VAT identifiers (BT-31, BT-48, BT-63) hold a valid number: a French one is FR, the key "
    "(12 + 3 x (SIREN mod 97)) mod 97, then the SIREN; others follow their country's format and check "
    "digits. EN 16931 checks only the country prefix (BR-CO-9), so a wrong key passes every official rule",
)
RECIPIENT_UNKNOWN = Rule(
    "COURSIER-DIRECTORY-01",
    "what DEST_INC (BR-FR-CDV-CL-09) would refuse at the deposit, told in a draft's report: no line of the "
    "national directory covers the buyer (BT-49, BT-47, BT-46); a draft is not finalized and sent while it "
    "holds, so no number of the gap-free series is used on an invoice that would be refused",
)
RECIPIENT_UNCHECKED = Rule(
    "COURSIER-DIRECTORY-02",
    "Coursier: the national directory could not be reached when a draft's report was made, so whether its "
    "buyer can receive invoices (COURSIER-DIRECTORY-01) is not known",
)
