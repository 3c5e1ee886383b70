"""Delivering invoices to another platform (PA to PA): the `PeerTransport` interface.

The issuer's platform hands a document (an invoice, or a lifecycle message) to the receiver's
platform, named by its matricule (the directory gives it), for a participant: the directory
address of the line the document goes to, and of its sender. How it travels is the transport's
business: Peppol AS4 between platforms (`coursier.network.peers.as4`; Peppol is the common network
and the compulsory fallback, DG §2.3.10), or in development and tests the sandbox, which plays the
network as a store-and-forward inbox per platform (`coursier.network.peers.sandbox`, served by
`coursier.sandbox.peers`) and routes by platform only.

Failures are typed like the PPF connector's: `TransportUnavailable` (network down, timeout, 5xx,
429) is worth retrying; `TransportRejected` says the delivery itself was refused (unknown
platform or participant, a broken signature...) and would be refused again. A delivery is
idempotent on (sender, invoice_id): repeating it after a timeout answers a receipt and delivers
nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


class TransportError(Exception):
    def __init__(self, message: str, *, code: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class TransportUnavailable(TransportError):
    """The network could not take the delivery now (connection, timeout, 5xx, 429). Retryable."""


class TransportRejected(TransportError):
    """The network refused the delivery (`platform_not_found`, `delivery_conflict`,
    `recipient_not_serviced`, `ebms_0101`...). Final."""

    # Whether the receiving platform's side said no, or the delivery stopped before reaching it.
    by_recipient = True

    def __init__(self, code: str, message: str, *, status: int | None = None, reason: str | None = None) -> None:
        super().__init__(message, code=code, status=status)
        # The receiving platform's reason, when it gave one (a BR-FR-CDV-CL-09 code: DEST_INC...).
        self.reason = reason


@dataclass(frozen=True)
class DeliveryReceipt:
    delivery_id: str
    platform_id: str  # the receiving platform
    accepted_at: datetime


@dataclass(frozen=True)
class ReceivedMessage:
    """A delivery waiting in a platform's inbox: an invoice, or a lifecycle message (CDAR) about one."""

    delivery_id: str
    sender_platform_id: str
    invoice_id: str  # the invoice's id, or the status message's id (`kind` "status")
    filename: str
    media_type: str
    size: int
    accepted_at: datetime
    kind: str = "invoice"  # or "status"


# The one refusal that says the recipient is not served there (Peppol: PEPPOL:NOT_SERVICED).
RECIPIENT_NOT_SERVICED = "recipient_not_serviced"


class PeerTransport(Protocol):
    def deliver(
        self,
        *,
        platform_id: str,
        invoice_id: str,
        filename: str,
        content: bytes,
        media_type: str,
        recipient: str,
        sender: str,
    ) -> DeliveryReceipt:
        """Hand `content` to platform `platform_id` for participant `recipient` (a directory address)
        from `sender`; raises TransportUnavailable or TransportRejected. `invoice_id` is the sender's
        id of the document, stable across retries: an invoice's id, or a lifecycle message's id."""


@runtime_checkable
class PeerInbox(Protocol):
    """A network that keeps what other platforms send us until we read it (the sandbox's); Peppol AS4
    pushes to our endpoint instead (`coursier.services.network`)."""

    def received_statuses(
        self, platform_id: str, *, since: datetime | None = None, limit: int = 100
    ) -> list[ReceivedMessage]:
        """The status messages `platform_id` (this platform) received, oldest first (`since`: after it)."""

    def content(self, platform_id: str, delivery_id: str) -> bytes:
        """The file of one message `platform_id` (this platform) received."""
