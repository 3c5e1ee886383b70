"""Delivering invoices to another platform (PA to PA): the `PeerTransport` interface.

The issuer's platform hands an invoice to the receiver's platform, named by its matricule (the
directory gives it). How it travels is the transport's business: the ecosystem uses Peppol AS4
between platforms (digest, "PA-to-PA network"; whether it is mandatory is UNCONFIRMED), and
development and tests use the sandbox, which plays the network as a store-and-forward inbox per
platform (`coursier.sandbox.peers`).

Failures are typed like the PPF connector's: `TransportUnavailable` (network down, timeout, 5xx,
429) is worth retrying; `TransportRejected` says the delivery itself was refused (unknown
platform, a conflicting repeat...) and would be refused again. A delivery is idempotent on
(sender, invoice_id): repeating it after a timeout answers the first receipt.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx

from coursier.network.http import BearerClient, Problem, is_retryable


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
    """A delivery waiting in a platform's inbox."""

    delivery_id: str
    sender_platform_id: str
    invoice_id: str
    filename: str
    media_type: str
    size: int
    accepted_at: datetime


class PeerTransport(Protocol):
    def deliver(
        self, *, platform_id: str, invoice_id: str, filename: str, content: bytes, media_type: str
    ) -> DeliveryReceipt:
        """Hand `content` to platform `platform_id`; raises TransportUnavailable or TransportRejected."""


class SandboxPeerTransport(BearerClient):
    """The sandbox's store-and-forward network, reached with this platform's token."""

    def _unreachable(self, exc: httpx.TransportError) -> TransportError:
        return TransportUnavailable(f"network unreachable: {type(exc).__name__}: {exc}", code="unreachable")

    def _refused(self, problem: Problem) -> TransportError:
        if is_retryable(problem):
            return TransportUnavailable(problem.message, code=problem.code, status=problem.status)
        return TransportRejected(problem.code, problem.message, status=problem.status)

    def deliver(
        self, *, platform_id: str, invoice_id: str, filename: str, content: bytes, media_type: str
    ) -> DeliveryReceipt:
        data = self._request(
            "POST",
            f"/peers/{platform_id}/inbox",
            data={"invoice_id": invoice_id},
            files={"file": (filename, content, media_type)},
        ).json()
        return DeliveryReceipt(
            delivery_id=data["delivery_id"],
            platform_id=data["platform_id"],
            accepted_at=datetime.fromisoformat(data["accepted_at"]),
        )

    def inbox(self, platform_id: str, *, since: datetime | None = None, limit: int = 100) -> list[ReceivedMessage]:
        """What `platform_id` (this platform) has received, oldest first."""
        params: dict[str, Any] = {"limit": limit}
        if since is not None:
            params["since"] = since.isoformat()
        return [
            ReceivedMessage(
                delivery_id=item["delivery_id"],
                sender_platform_id=item["sender_platform_id"],
                invoice_id=item["invoice_id"],
                filename=item["filename"],
                media_type=item["media_type"],
                size=item["size"],
                accepted_at=datetime.fromisoformat(item["accepted_at"]),
            )
            for item in self._request("GET", f"/peers/{platform_id}/inbox", params=params).json()
        ]

    def content(self, platform_id: str, delivery_id: str) -> bytes:
        return self._request("GET", f"/peers/{platform_id}/inbox/{delivery_id}/content").content
