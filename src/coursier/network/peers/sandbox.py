"""The sandbox's store-and-forward network between platforms, reached over HTTP with this
platform's token: delivery to a platform's inbox (invoices and status messages alike: the sandbox
tells them apart by their content), and reading one's own inbox."""

from datetime import datetime
from typing import Any

import httpx

from coursier.network.http import BearerClient, Problem, is_retryable
from coursier.network.peers.transport import (
    DeliveryReceipt,
    ReceivedMessage,
    TransportError,
    TransportRejected,
    TransportUnavailable,
)


class SandboxNetworkTransport(BearerClient):
    def _unreachable(self, exc: httpx.TransportError) -> TransportError:
        return TransportUnavailable(f"network unreachable: {type(exc).__name__}: {exc}", code="unreachable")

    def _refused(self, problem: Problem) -> TransportError:
        if is_retryable(problem):
            return TransportUnavailable(problem.message, code=problem.code, status=problem.status)
        return TransportRejected(problem.code, problem.message, status=problem.status)

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
        # The sandbox's network routes by platform: the receiving platform reads the recipient from
        # the document, so the participants do not travel.
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

    def received_statuses(
        self, platform_id: str, *, since: datetime | None = None, limit: int = 100
    ) -> list[ReceivedMessage]:
        return self.inbox(platform_id, since=since, limit=limit, kind="status")

    def inbox(
        self, platform_id: str, *, since: datetime | None = None, limit: int = 100, kind: str | None = None
    ) -> list[ReceivedMessage]:
        """What `platform_id` (this platform) has received, oldest first (`kind`: invoices or statuses only)."""
        params: dict[str, Any] = {"limit": limit}
        if since is not None:
            params["since"] = since.isoformat()
        if kind is not None:
            params["kind"] = kind
        return [
            ReceivedMessage(
                delivery_id=item["delivery_id"],
                sender_platform_id=item["sender_platform_id"],
                invoice_id=item["invoice_id"],
                filename=item["filename"],
                media_type=item["media_type"],
                size=item["size"],
                accepted_at=datetime.fromisoformat(item["accepted_at"]),
                kind=item["kind"],
            )
            for item in self._request("GET", f"/peers/{platform_id}/inbox", params=params).json()
        ]

    def content(self, platform_id: str, delivery_id: str) -> bytes:
        return self._request("GET", f"/peers/{platform_id}/inbox/{delivery_id}/content").content
