"""Invoice lifecycle statuses (flow 6, CDAR) and the reason codes that go with them.

Codes from the DGFiP external specifications (annex 2) as digested in
shared/spec/french-einvoicing.md; reason lists per status from the FNFE-MPE BR-FR-CDV schematron
(rule BR-FR-CDV-CL-09). Mandatory statuses: DG §3.6.4 table 8. Their labels, in French and English,
are texts of the catalogue (`status.*`, `reason.*`).
"""

from dataclasses import dataclass
from enum import IntEnum

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


# Statuses that must reach the PPF (DG §3.6.4, table 8).
MANDATORY = frozenset({InvoiceStatus.DEPOSITED, InvoiceStatus.REFUSED, InvoiceStatus.COLLECTED, InvoiceStatus.REJECTED})

# Statuses that end an invoice's journey on the issuing side: nothing is routed after them.
REFUSAL_STATUSES = frozenset({InvoiceStatus.REJECTED, InvoiceStatus.UNACCEPTABLE})


def event_code(status: InvoiceStatus) -> str:
    """The Seqino lifecycle-event name of a status (`InvoiceLifecycleStatus.DEPOSITED`)."""
    return f"InvoiceLifecycleStatus.{status.name}"


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
