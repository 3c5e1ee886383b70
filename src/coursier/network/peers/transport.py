"""Delivering invoices to another platform (PA to PA): the `PeerTransport` interface.

The issuer's platform hands an invoice to the receiver's platform, named by its matricule (the
directory gives it). How it travels is the transport's business: the ecosystem uses Peppol AS4
between platforms (digest, "PA-to-PA network"; whether it is mandatory is UNCONFIRMED), and
development and tests use the sandbox, which plays the network as a store-and-forward inbox per
platform (`coursier.network.peers.sandbox`, served by `coursier.sandbox.peers`).

Failures are typed like the PPF connector's: `TransportUnavailable` (network down, timeout, 5xx,
429) is worth retrying; `TransportRejected` says the delivery itself was refused (unknown
platform, a conflicting repeat...) and would be refused again. A delivery is idempotent on
(sender, invoice_id): repeating it after a timeout answers the first receipt.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class TransportError(Exception):
    def __init__(self, message: str, *, code: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class TransportUnavailable(TransportError):
    """The network could not take the delivery now (connection, timeout, 5xx, 429). Retryable."""


class TransportRejected(TransportError):
    """The network refused the delivery (`platform_not_found`, `delivery_conflict`...). Final."""

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message, code=code, status=status)


@dataclass(frozen=True)
class DeliveryReceipt:
    delivery_id: str
    platform_id: str  # the receiving platform
    accepted_at: datetime


@dataclass(frozen=True)
class ReceivedMessage:
    """A delivery waiting in a platform's inbox: an invoice, or a status message (CDAR) about one."""

    delivery_id: str
    sender_platform_id: str
    invoice_id: str  # the invoice's id, or the status message's id (`kind` "status")
    filename: str
    media_type: str
    size: int
    accepted_at: datetime
    kind: str = "invoice"  # or "status"


class PeerTransport(Protocol):
    def deliver(
        self, *, platform_id: str, invoice_id: str, filename: str, content: bytes, media_type: str
    ) -> DeliveryReceipt:
        """Hand `content` to platform `platform_id`; raises TransportUnavailable or TransportRejected."""

    def send_status(self, *, platform_id: str, message_id: str, content: bytes) -> DeliveryReceipt:
        """Hand a status message (CDAR) to platform `platform_id`; idempotent on `message_id`, failures
        as for `deliver`."""

    def received_statuses(
        self, platform_id: str, *, since: datetime | None = None, limit: int = 100
    ) -> list[ReceivedMessage]:
        """The status messages `platform_id` (this platform) received, oldest first (`since`: after it)."""

    def content(self, platform_id: str, delivery_id: str) -> bytes:
        """The file of one message `platform_id` (this platform) received."""
