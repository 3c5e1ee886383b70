"""CDAR D22B lifecycle messages (flow 6): the typed message, its XML, and the forms a platform sends.

`write(message) -> bytes` and `parse(bytes) -> message` (`document`); `for_peer` and `for_ppf`
(`builders`) build the message to the other side's platform and to the PPF, `ppf_rejection` the
PPF's 601. The statuses they carry are `model.lifecycle.InvoiceStatus`, passed on here.
Validation against the official artefacts: `coursier.validation.cdar.check_cdar`.
"""

from coursier.model.lifecycle import InvoiceStatus

from .builders import for_peer, for_ppf, issued_by_platform, platform, ppf, ppf_rejection
from .document import parse, write
from .errors import CdarError
from .message import (
    DGFIP_PPF_MATRICULE,
    ELECTRONIC_ADDRESS_SCHEME,
    MATRICULE_SCHEME,
    SIREN_SCHEME,
    SIRET_SCHEME,
    Amount,
    BusinessProcess,
    Guideline,
    Identifier,
    InvoiceReference,
    Party,
    PartyRole,
    StatusDetail,
    StatusMessage,
)

__all__ = [
    "DGFIP_PPF_MATRICULE",
    "ELECTRONIC_ADDRESS_SCHEME",
    "MATRICULE_SCHEME",
    "SIREN_SCHEME",
    "SIRET_SCHEME",
    "Amount",
    "BusinessProcess",
    "CdarError",
    "Guideline",
    "Identifier",
    "InvoiceStatus",
    "InvoiceReference",
    "Party",
    "PartyRole",
    "StatusDetail",
    "StatusMessage",
    "for_peer",
    "for_ppf",
    "issued_by_platform",
    "parse",
    "platform",
    "ppf",
    "ppf_rejection",
    "write",
]
