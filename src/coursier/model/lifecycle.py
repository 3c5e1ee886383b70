"""Invoice lifecycle statuses (flow 6, CDAR) and the reason codes that go with them.

Codes and labels from the DGFiP external specifications (annex 2) as digested in
shared/spec/french-einvoicing.md; reason lists per status from the FNFE-MPE BR-FR-CDV schematron
(rule BR-FR-CDV-CL-09). Mandatory statuses: DG §3.6.4 table 8.
"""

from dataclasses import dataclass
from enum import IntEnum


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


LABELS_FR = {
    InvoiceStatus.DEPOSITED: "Déposée",
    InvoiceStatus.TRANSMITTED_BY_PLATFORM: "Émise par la plateforme",
    InvoiceStatus.RECEIVED_BY_PLATFORM: "Reçue par la plateforme",
    InvoiceStatus.MADE_AVAILABLE: "Mise à disposition",
    InvoiceStatus.ACKNOWLEDGED: "Prise en charge",
    InvoiceStatus.APPROVED: "Approuvée",
    InvoiceStatus.PARTIALLY_APPROVED: "Approuvée partiellement",
    InvoiceStatus.IN_DISPUTE: "En litige",
    InvoiceStatus.SUSPENDED: "Suspendue",
    InvoiceStatus.COMPLETED: "Complétée",
    InvoiceStatus.REFUSED: "Refusée",
    InvoiceStatus.PAYMENT_TRANSMITTED: "Paiement transmis",
    InvoiceStatus.COLLECTED: "Encaissée",
    InvoiceStatus.REJECTED: "Rejetée",
    InvoiceStatus.ENDORSED: "Visée",
    InvoiceStatus.CANCELLED: "Annulée",
    InvoiceStatus.ROUTING_ERROR: "Erreur de routage",
    InvoiceStatus.DIRECT_PAYMENT_REQUESTED: "Demande de paiement direct",
    InvoiceStatus.FACTORED: "Affacturée",
    InvoiceStatus.FACTORED_CONFIDENTIALLY: "Affacturée confidentiel",
    InvoiceStatus.PAYMENT_ACCOUNT_CHANGED: "Changement de compte à payer",
    InvoiceStatus.NOT_FACTORED: "Non affacturée",
    InvoiceStatus.UNACCEPTABLE: "Irrecevable",
}

# Statuses that must reach the PPF (DG §3.6.4, table 8).
MANDATORY = frozenset({InvoiceStatus.DEPOSITED, InvoiceStatus.REFUSED, InvoiceStatus.COLLECTED, InvoiceStatus.REJECTED})

# Statuses that end an invoice's journey on the issuing side: nothing is routed after them.
REFUSAL_STATUSES = frozenset({InvoiceStatus.REJECTED, InvoiceStatus.UNACCEPTABLE})


def event_code(status: InvoiceStatus) -> str:
    """The Seqino lifecycle-event name of a status (`InvoiceLifecycleStatus.DEPOSITED`)."""
    return f"InvoiceLifecycleStatus.{status.name}"


@dataclass(frozen=True)
class Reason:
    code: str
    status: InvoiceStatus
    label_fr: str
    label_en: str


# The reasons a platform gives when it refuses an invoice at deposit (213 / 501), BR-FR-CDV-CL-09.
REASONS = {
    r.code: r
    for r in (
        Reason(
            "REJ_SEMAN",
            InvoiceStatus.REJECTED,
            "Rejet sémantique (règles EN 16931 / BR-FR)",
            "Semantic rejection (EN 16931 / BR-FR rules)",
        ),
        Reason("REJ_UNI", InvoiceStatus.REJECTED, "Rejet sur contrôle d'unicité", "Rejected by the uniqueness check"),
        Reason("REJ_COH", InvoiceStatus.REJECTED, "Rejet sur contrôle de cohérence", "Rejected by a consistency check"),
        Reason("REJ_ADR", InvoiceStatus.REJECTED, "Rejet sur contrôle d'adressage", "Rejected by the addressing check"),
        Reason("DOUBLON", InvoiceStatus.REJECTED, "Facture en doublon", "Duplicate invoice"),
        Reason("DEST_INC", InvoiceStatus.REJECTED, "Destinataire inconnu", "Unknown recipient"),
        Reason(
            "ADR_ERR",
            InvoiceStatus.REJECTED,
            "Adresse de facturation électronique erronée",
            "Wrong electronic invoicing address",
        ),
        Reason("MONTANTTOTAL_ERR", InvoiceStatus.REJECTED, "Montant total erroné", "Wrong total amount"),
        Reason("CALCUL_ERR", InvoiceStatus.REJECTED, "Erreur de calcul", "Calculation error"),
        Reason("IRR_VIDE_F", InvoiceStatus.UNACCEPTABLE, "Fichier vide", "Empty file"),
        Reason("IRR_TYPE_F", InvoiceStatus.UNACCEPTABLE, "Type de fichier non accepté", "File type not accepted"),
        Reason("IRR_SYNTAX", InvoiceStatus.UNACCEPTABLE, "Erreur de syntaxe", "Syntax error"),
        Reason("IRR_TAILLE_F", InvoiceStatus.UNACCEPTABLE, "Fichier trop volumineux", "File too large"),
        Reason("IRR_NOM_F", InvoiceStatus.UNACCEPTABLE, "Nom de fichier non conforme", "File name not compliant"),
        Reason(
            "IRR_ANTIVIRUS", InvoiceStatus.UNACCEPTABLE, "Fichier refusé par l'antivirus", "Rejected by the antivirus"
        ),
    )
}
