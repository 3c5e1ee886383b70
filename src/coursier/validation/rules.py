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
