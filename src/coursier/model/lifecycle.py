"""Invoice lifecycle statuses (flow 6, CDAR) and the reason codes that go with them.

Codes from the DGFiP external specifications (annex 2) as digested in
shared/spec/french-einvoicing.md; reason lists per status from the FNFE-MPE BR-FR-CDV schematron
(rule BR-FR-CDV-CL-09). Mandatory statuses: DG §3.6.4 table 8. How each status is coded in a CDAR
message (phase, document status code, requested actions, amount types): beside each table, its source.
Labels, in French and English, are texts of the catalogue (`status.*`, `reason.*`). The sequence in
which statuses may follow one another: `model.lifecycle_rules`.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from coursier.kit.texts import Language, text


class InvoiceStatus(IntEnum):
    DEPOSITED = 200  # Déposée
    TRANSMITTED_BY_PLATFORM = 201  # Émise par la plateforme
    RECEIVED_BY_PLATFORM = 202  # Reçue par la plateforme
    MADE_AVAILABLE = 203  # Mise à disposition
    ACKNOWLEDGED = 204  # Prise en charge
    APPROVED = 205  # Approuvée
    PARTIALLY_APPROVED = 206  # Approuvée partiellement
    IN_DISPUTE = 207  # En litige
    SUSPENDED = 208  # Suspendue
    COMPLETED = 209  # Complétée
    REFUSED = 210  # Refusée
    PAYMENT_TRANSMITTED = 211  # Paiement transmis
    COLLECTED = 212  # Encaissée
    REJECTED = 213  # Rejetée
    # 214 and 220–228: XP Z12-014 as open implementations read it (UNCONFIRMED in a primary text).
    ENDORSED = 214  # Visée
    CANCELLED = 220  # Annulée
    ROUTING_ERROR = 221  # Erreur de routage
    DIRECT_PAYMENT_REQUESTED = 224  # Demande de paiement direct
    FACTORED = 225  # Affacturée
    FACTORED_CONFIDENTIALLY = 226  # Affacturée confidentiel
    PAYMENT_ACCOUNT_CHANGED = 227  # Changement de compte à payer
    NOT_FACTORED = 228  # Non affacturée
    UNACCEPTABLE = 501  # Irrecevable
    # Not an invoice's own status: the PPF's answer on a mandatory status it refused (DG §3.6.8 table 10),
    # carried by the same kind of message, about the status message (A7 G7.14 "CDV de CDV").
    REPORT_REJECTED = 601  # Rejeté


# Statuses that must reach the PPF (DG §3.6.4, table 8).
MANDATORY = frozenset({InvoiceStatus.DEPOSITED, InvoiceStatus.REFUSED, InvoiceStatus.COLLECTED, InvoiceStatus.REJECTED})

# Why the PPF rejects a mandatory status (DG §3.6.10 table 12; A7 G7.19, Flux 6).
PPF_REJECTION_REASONS = frozenset({"REJ_INC", "REJ_INEX", "REJ_RG", "REJ_HAB", "REJ_ENCAISSEMENT"})

# Statuses that end an invoice's journey on the issuing side: nothing is routed after them.
REFUSAL_STATUSES = frozenset({InvoiceStatus.REJECTED, InvoiceStatus.UNACCEPTABLE})


def event_code(status: InvoiceStatus) -> str:
    """The Seqino lifecycle-event name of a status (`InvoiceLifecycleStatus.DEPOSITED`)."""
    return f"InvoiceLifecycleStatus.{status.name}"


def status_of_event_code(code: str) -> InvoiceStatus | None:
    """The invoice status a lifecycle-event name stands for (None: not an invoice status)."""
    family, _, name = code.partition(".")
    return InvoiceStatus.__members__.get(name) if family == "InvoiceLifecycleStatus" else None


def status_label(status: InvoiceStatus, language: Language | str = Language.FR) -> str:
    return text(language, f"status.{status.value}")


@dataclass(frozen=True)
class Reason:
    code: str
    status: InvoiceStatus

    def label(self, language: Language | str = Language.FR) -> str:
        return text(language, f"reason.{self.code}")


# The reasons a platform gives when it refuses an invoice at deposit (213 / 501), BR-FR-CDV-CL-09.
REASONS = {
    r.code: r
    for r in (
        Reason("REJ_SEMAN", InvoiceStatus.REJECTED),
        Reason("REJ_UNI", InvoiceStatus.REJECTED),
        Reason("REJ_COH", InvoiceStatus.REJECTED),
        Reason("REJ_ADR", InvoiceStatus.REJECTED),
        Reason("DOUBLON", InvoiceStatus.REJECTED),
        Reason("DEST_INC", InvoiceStatus.REJECTED),
        Reason("ADR_ERR", InvoiceStatus.REJECTED),
        Reason("MONTANTTOTAL_ERR", InvoiceStatus.REJECTED),
        Reason("CALCUL_ERR", InvoiceStatus.REJECTED),
        Reason("IRR_VIDE_F", InvoiceStatus.UNACCEPTABLE),
        Reason("IRR_TYPE_F", InvoiceStatus.UNACCEPTABLE),
        Reason("IRR_SYNTAX", InvoiceStatus.UNACCEPTABLE),
        Reason("IRR_TAILLE_F", InvoiceStatus.UNACCEPTABLE),
        Reason("IRR_NOM_F", InvoiceStatus.UNACCEPTABLE),
        Reason("IRR_ANTIVIRUS", InvoiceStatus.UNACCEPTABLE),
    )
}


class Phase(IntEnum):
    """MDT-77, the acknowledgement's type code: which phase of the journey a status belongs to.

    BR-FR-CDV-09 allows these two; BR-FR-CDV-CL-05 names them "Phase Transmission" and "Phase Traitement".
    """

    PROCESSING = 23  # statuses a buyer or seller sets
    TRANSMISSION = 305  # statuses a platform sets


class Emitter(StrEnum):
    """Who sets a status (DG §3.6.4 table 8)."""

    PLATFORM = "platform"  # the issuer's or the receiver's platform
    BUYER = "buyer"
    SELLER = "seller"


# Who sets each status: DG §3.6.4 table 8; 214, 220, 221, 224–228 from XP Z12-014 as digested in
# spec/french-einvoicing.md (UNCONFIRMED in a primary text). 211 is the buyer's (paid) or the seller's
# (refunded): the buyer's here, the seller's refund is allowed by `lifecycle_rules.check_move`.
EMITTERS = {
    InvoiceStatus.DEPOSITED: Emitter.PLATFORM,
    InvoiceStatus.TRANSMITTED_BY_PLATFORM: Emitter.PLATFORM,
    InvoiceStatus.RECEIVED_BY_PLATFORM: Emitter.PLATFORM,
    InvoiceStatus.MADE_AVAILABLE: Emitter.PLATFORM,
    InvoiceStatus.ACKNOWLEDGED: Emitter.BUYER,
    InvoiceStatus.APPROVED: Emitter.BUYER,
    InvoiceStatus.PARTIALLY_APPROVED: Emitter.BUYER,
    InvoiceStatus.IN_DISPUTE: Emitter.BUYER,
    InvoiceStatus.SUSPENDED: Emitter.BUYER,
    InvoiceStatus.COMPLETED: Emitter.SELLER,
    InvoiceStatus.REFUSED: Emitter.BUYER,
    InvoiceStatus.PAYMENT_TRANSMITTED: Emitter.BUYER,
    InvoiceStatus.COLLECTED: Emitter.SELLER,
    InvoiceStatus.REJECTED: Emitter.PLATFORM,
    InvoiceStatus.ENDORSED: Emitter.BUYER,  # a third party acting for the buyer
    InvoiceStatus.CANCELLED: Emitter.SELLER,
    InvoiceStatus.ROUTING_ERROR: Emitter.PLATFORM,
    InvoiceStatus.DIRECT_PAYMENT_REQUESTED: Emitter.SELLER,  # a sub-contractor, through the seller's side
    InvoiceStatus.FACTORED: Emitter.SELLER,
    InvoiceStatus.FACTORED_CONFIDENTIALLY: Emitter.SELLER,
    InvoiceStatus.PAYMENT_ACCOUNT_CHANGED: Emitter.SELLER,
    InvoiceStatus.NOT_FACTORED: Emitter.SELLER,
}

# The phase (MDT-77) of each invoice status: a platform's status is a transmission, a buyer's or seller's a
# processing (BR-FR-CDV-CL-02/03 tie phase 305 to the platform role WK). 501 concerns a flow, not an invoice.
PHASES = {
    status: Phase.TRANSMISSION if emitter is Emitter.PLATFORM else Phase.PROCESSING
    for status, emitter in EMITTERS.items()
}

# The document status code (MDT-88, UNCL 1373) of each status: the XP Z12-012 annex B examples as digested in
# spec/french-einvoicing.md, each among the codes BR-FR-CDV-CL-05 allows for its phase. 210 is 50 there (one
# integrator writes 47, the code of 211/212). The texts at hand give none for 221, which goes without one.
DOCUMENT_STATUS_CODES = {
    InvoiceStatus.DEPOSITED: "10",
    InvoiceStatus.TRANSMITTED_BY_PLATFORM: "51",
    InvoiceStatus.RECEIVED_BY_PLATFORM: "43",
    InvoiceStatus.MADE_AVAILABLE: "48",
    InvoiceStatus.ACKNOWLEDGED: "45",
    InvoiceStatus.APPROVED: "1",
    InvoiceStatus.PARTIALLY_APPROVED: "49",
    InvoiceStatus.IN_DISPUTE: "46",
    InvoiceStatus.SUSPENDED: "39",
    InvoiceStatus.COMPLETED: "37",
    InvoiceStatus.REFUSED: "50",
    InvoiceStatus.PAYMENT_TRANSMITTED: "47",
    InvoiceStatus.COLLECTED: "47",
    InvoiceStatus.REJECTED: "8",
}

# A reason (MDT-113) is required for 210, 213, 501 (A7 G7.08) and for 206, 207, 208 (BR-FR-CDV-15).
REASON_REQUIRED = frozenset(
    {
        InvoiceStatus.PARTIALLY_APPROVED,
        InvoiceStatus.IN_DISPUTE,
        InvoiceStatus.SUSPENDED,
        InvoiceStatus.REFUSED,
        InvoiceStatus.REJECTED,
        InvoiceStatus.UNACCEPTABLE,
    }
)

# A free-text comment (MDT-126) motivates a suspension or a refusal (A7 G7.25).
COMMENT_REQUIRED = frozenset({InvoiceStatus.SUSPENDED, InvoiceStatus.REFUSED})

_PARTIAL_APPROVAL_REASONS = frozenset(
    "AUTRE CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR PU_ERR REM_ERR QTE_ERR ART_ERR MODPAI_ERR "
    "QUALITE_ERR LIVR_INCOMP".split()
)

# The reason codes each status allows, where BR-FR-CDV-CL-09 restricts them (210: the B2B list; the longer
# B2G list applies only to messages sent by Chorus Pro, matricule 9999). Meanings: A7 "Tableau des motifs".
ALLOWED_REASONS = {
    InvoiceStatus.DEPOSITED: frozenset({"NON_TRANSMISE"}),
    InvoiceStatus.PARTIALLY_APPROVED: _PARTIAL_APPROVAL_REASONS,
    InvoiceStatus.IN_DISPUTE: _PARTIAL_APPROVAL_REASONS
    | frozenset(
        "COORD_BANC_ERR TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_INC DEST_ERR TRANSAC_INC "
        "EMMET_INC CONTRAT_TERM DOUBLE_FACT ADR_ERR".split()
    ),
    InvoiceStatus.SUSPENDED: frozenset(
        "JUSTIF_ABS COORD_BANC_ERR CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR".split()
    ),
    InvoiceStatus.REFUSED: frozenset(
        "TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_ERR TRANSAC_INC EMMET_INC CONTRAT_TERM "
        "DOUBLE_FACT CMD_ERR ADR_ERR REF_CT_ABSENT".split()
    ),
    InvoiceStatus.REJECTED: frozenset(
        "MONTANTTOTAL_ERR CALCUL_ERR DOUBLON DEST_INC ADR_ERR REJ_SEMAN REJ_UNI REJ_COH REJ_ADR REJ_CONT_B2G "
        "REJ_REF_PJ REJ_ASS_PJ".split()
    ),
    InvoiceStatus.ROUTING_ERROR: frozenset({"ROUTAGE_ERR"}),
    InvoiceStatus.UNACCEPTABLE: frozenset(
        "IRR_VIDE_F IRR_TYPE_F IRR_SYNTAX IRR_TAILLE_PJ IRR_NOM_PJ IRR_VID_PJ IRR_EXT_DOC IRR_TAILLE_F IRR_ANTIVIRUS "
        "IRR_NOM_F".split()
    ),
}


class RequestedAction(StrEnum):
    """MDT-121, what the status's author asks of the other party (BR-FR-CDV-CL-10)."""

    NONE = "NOA"
    MORE_INFORMATION = "PIN"
    CORRECTIVE_INVOICE = "NIN"
    FULL_CREDIT_NOTE = "CNF"
    PARTIAL_CREDIT_NOTE = "CNP"
    REFUND = "CNA"
    OTHER = "OTH"


class AmountType(StrEnum):
    """MDT-207, what an amount of a status stands for (BR-FR-CDV-CL-11; A7 G7.12)."""

    COLLECTED = "MEN"  # amount collected, VAT included: the amount of a 212
    PAID = "MPA"
    REMAINING = "RAP"
    CASH_DISCOUNT = "ESC"
    REBATE = "RAB"
    DISCOUNT = "REM"
    APPROVED = "MAP"
    APPROVED_WITH_VAT = "MAPTTC"
    NOT_APPROVED = "MNA"
    NOT_APPROVED_WITH_VAT = "MNATTC"
    BANK_DETAILS_TO_CHANGE = "CBB"
    INVALID_VALUE = "DIV"
    EXPECTED_VALUE = "DVA"
    REPLACEMENT_VALUE = "MAJ"
