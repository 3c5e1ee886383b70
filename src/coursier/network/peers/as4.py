"""Peppol AS4 between platforms, on the `as4` package (One-Way/Push, Peppol AS4 profile 2.0).

Sending (`As4Transport.deliver`): the recipient's endpoint and certificate come from the SMP; the
certificate must chain to our anchors and be valid before anything is encrypted for it. The
document goes in a Peppol SBD (its France document type read from the document, process
`regulated`), gzip-compressed, signed with our key (RSA-SHA256), encrypted for the recipient
(AES-128-GCM under RSA-OAEP), and pushed over HTTPS (plain HTTP only to a loopback address, for
tests and demos on one machine). The answer is a signed signal: a receipt whose signature is the
recipient's and whose non-repudiation references are the ones we signed, or an ebMS error.

What the package leaves to us and is added here: the AS4 MessageId is derived from (our party,
document id), so a retry is the same message and the receiver's duplicate elimination recognises
it; the SBDH InstanceIdentifier is the document id, for duplicate elimination on (sender,
document); retries are the routing job's (an unreachable endpoint or an unproven receipt is
`TransportUnavailable`); a check that eb:To names us; the Factur-X PDF in BinaryContent.

Receiving (`As4Endpoint`): verify the signature against the trust anchors (chain, validity, CN =
eb:From party), decrypt, decompress within `COURSIER_AS4_MAX_PAYLOAD_BYTES`, check the final
recipient is served here (else EBMS:0004 PEPPOL:NOT_SERVICED); the caller stores, commits, and only
then sends the receipt this module signs.
"""

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from as4 import (
    AS4LocalPrivateKey,
    AS4References,
    BaseAS4ReceiptableError,
    ParticipantNotServicedError,
    ReceiptVerificationError,
)
from as4.errors import BaseProfileLevelException, BaseValueInconsistentException
from as4.peppol import (
    BusdoxDocidQnsDocumentIdentifier,
    PeppolAS4MessageBuilderArgs,
    PeppolAS4Profile,
    PeppolReceivingExchange,
    PeppolSendingExchange,
    create_peppol_external_party,
    create_peppol_internal_party,
    peppol_security_policy,
)
from as4.profiles.peppol.receipt import PeppolAS4Receipt
from lxml import etree

from coursier.kit import clock
from coursier.network.peers import peppol
from coursier.network.peers.pki import Credentials, common_name, untrusted_reason
from coursier.network.peers.smp import SmpClient
from coursier.network.peers.transport import (
    RECIPIENT_NOT_SERVICED,
    DeliveryReceipt,
    TransportRejected,
    TransportUnavailable,
)

log = logging.getLogger(__name__)

# Peppol AS4 profile: an addressee the AP does not serve is EBMS:0004 with this error detail.
NOT_SERVICED_DETAIL = "PEPPOL:NOT_SERVICED"
_MESSAGE_IDS = uuid.UUID("6f1d3c9e-5a52-4a4e-9d57-1f0c2f6b8a11")
_LOOPBACK_NAMES = {"localhost"}
# A receiving Coursier says why it refuses a document as "REASON: words" (`ContentRefused`).
_STATED_REASON = re.compile(r"^([A-Z][A-Z0-9_]{2,39}): ")


class ContentRefused(BaseProfileLevelException):
    """EBMS:0004 for a business document the receiving platform does not take; the detail starts
    with the reason code of the refusal (BR-FR-CDV-CL-09) when there is one."""

    description = "The business document cannot be received"

    @classmethod
    def because(cls, reason: str, message: str) -> "ContentRefused":
        return cls(f"{reason}: {message}")


class NotAddressedToUs(BaseValueInconsistentException):
    """EBMS:0003: eb:To names another access point than this one."""


class _DocumentIdentifier(BusdoxDocidQnsDocumentIdentifier):
    """The package reads the SBDH Standard and Type from a `namespace::root` syntax id; Factur-X's
    (`urn:peppol:doctype:pdf+xml`) has no root: the SBD carries a BinaryContent element."""

    @property
    def root_element_namespace(self) -> str:
        namespace, _, _ = self.syntax_specific_id.partition("::")
        return namespace

    @property
    def root_element_name(self) -> str:
        _, _, root = self.syntax_specific_id.partition("::")
        return root or "BinaryContent"


def message_id_of(party_id: str, document_id: str) -> str:
    """The AS4 MessageId of a document: the same on every attempt (RFC 2822 msg-id shape)."""
    return f"{uuid.uuid5(_MESSAGE_IDS, f'{party_id}/{document_id}')}@{party_id.lower()}"


def sendable_url(url: str) -> bool:
    """HTTPS anywhere; plain HTTP only to this machine (tests, two instances on one host)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class As4Transport:
    """The PeerTransport over Peppol AS4."""

    def __init__(
        self,
        credentials: Credentials,
        smp: SmpClient,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.credentials = credentials
        self.smp = smp
        self.local_party = create_peppol_internal_party(
            credentials.party_id, credentials.certificate, AS4LocalPrivateKey(credentials.key)
        )
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()
        self.smp.close()

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
        try:
            document_type = peppol.document_type(content)
        except peppol.UnsupportedDocument as exc:
            raise TransportRejected("unsupported_document", str(exc)) from exc
        recipient_id = peppol.participant(recipient)
        endpoint = self.smp.endpoint(recipient_id, document_type, peppol.PROCESS_REGULATED)
        reason = untrusted_reason(endpoint.certificate, self.credentials.anchors)
        if reason:
            raise TransportRejected("untrusted_certificate", f"The SMP's certificate for {recipient_id}: {reason}")
        if not sendable_url(endpoint.url):
            raise TransportRejected("insecure_endpoint", f"{endpoint.url} is neither https nor on this machine")
        exchange = PeppolSendingExchange(
            profile=PeppolAS4Profile,
            local_party=self.local_party,
            remote_party=create_peppol_external_party(common_name(endpoint.certificate), endpoint.certificate),
            identifiers=AS4References(message_id=message_id_of(self.credentials.party_id, invoice_id)),
        )
        try:
            headers, body = exchange.build(
                peppol.envelope_body(content),
                PeppolAS4MessageBuilderArgs(
                    sender=peppol.participant(sender),
                    recipient=recipient_id,
                    document_type_identifier=_DocumentIdentifier.from_identifier_value(document_type),
                    document_identification_instance_identifier=invoice_id,
                    process_identifier=peppol.PROCESS_REGULATED,
                    c1_country_id=peppol.COUNTRY_C1,
                ),
            )
        except etree.XMLSyntaxError as exc:
            # The package re-reads the envelope's body without libxml2's huge-tree option: a text node
            # over 10 MB (a Factur-X over about 7.5 MB, in base64) cannot be enveloped.
            raise TransportRejected("unsupported_document", f"The document cannot be enveloped: {exc}") from exc
        try:
            response = self._http.post(endpoint.url, content=body, headers=headers)
        except httpx.TransportError as exc:
            unreachable = f"{endpoint.url} unreachable: {type(exc).__name__}: {exc}"
            raise TransportUnavailable(unreachable, code="unreachable") from exc
        exchange.mark_sent()
        if "soap+xml" not in response.headers.get("content-type", ""):
            self._refused_without_signal(response)
        try:
            exchange.receive_signal(response.content)
        except ReceiptVerificationError as exc:
            # The receiver may well have stored it: the same MessageId again gets a receipt, not a copy.
            raise TransportUnavailable(f"The answer proves nothing: {exc}", code="receipt_unverified") from exc
        error = exchange.error
        if error is not None:
            detail = error.error_detail.value if error.error_detail else ""
            if error.error_code == "EBMS:0004" and detail == NOT_SERVICED_DETAIL:
                raise TransportRejected(
                    RECIPIENT_NOT_SERVICED, f"{recipient_id} is not served by {endpoint.url}", reason="DEST_INC"
                )
            code = "ebms_" + error.error_code.removeprefix("EBMS:")
            stated = _STATED_REASON.match(detail) if error.error_code == "EBMS:0004" else None
            raise TransportRejected(
                code,
                f"{error.error_code} {error.short_description or ''}: {detail}".strip(),
                reason=stated.group(1) if stated else None,
            )
        return DeliveryReceipt(delivery_id=exchange.message_id, platform_id=platform_id, accepted_at=clock.now())

    def _refused_without_signal(self, response: httpx.Response) -> None:
        message = f"The endpoint answered {response.status_code} without an AS4 signal"
        if response.status_code >= 500 or response.status_code == 429:
            raise TransportUnavailable(message, code="endpoint_unavailable", status=response.status_code)
        raise TransportRejected(f"http_{response.status_code}", message, status=response.status_code)


@dataclass
class Inbound:
    """A message that passed the AS4 checks: what it carries, and its exchange (for the signal)."""

    exchange: PeppolReceivingExchange
    sender_party: str  # the sending access point, as its verified certificate names it
    sender: str  # the SBDH sender participant
    recipient: str  # the SBDH final recipient participant
    document_type: str
    document: peppol.Carried

    @property
    def message_id(self) -> str:
        return self.exchange.message_id


@dataclass(frozen=True)
class Signal:
    headers: dict[str, str]
    body: bytes


class As4Endpoint:
    """The receiving side: checks and opens messages, and signs the signal that answers them."""

    def __init__(self, credentials: Credentials, *, max_payload_bytes: int) -> None:
        self.credentials = credentials
        self.local_party = create_peppol_internal_party(
            credentials.party_id, credentials.certificate, AS4LocalPrivateKey(credentials.key)
        )
        policy = peppol_security_policy(*credentials.anchors)
        self.policy = policy.model_copy(update={"maximum_decompressed_size": max_payload_bytes})

    def open(
        self, content_type: str, body: bytes, serves: Callable[[str], bool]
    ) -> tuple[Inbound | None, Signal | None]:
        """The message, or the error signal refusing it. `serves(participant)` says whether the
        final recipient is ours."""

        def accept(participant_id: str) -> None:
            if not serves(participant_id):
                raise ParticipantNotServicedError(participant_id)

        exchange = PeppolReceivingExchange(profile=PeppolAS4Profile, local_party=self.local_party)
        exchange.receive(
            request_headers={"Content-Type": content_type, "MIME-Version": "1.0"},
            request_body=body,
            accept_participant=accept,
            security_policy=self.policy,
        )
        message = exchange.message
        if message is None or message.parse_error is not None:
            return None, self._signal(exchange)
        addressed_to = message.addressed_to.party_id if message.addressed_to else None
        if addressed_to != self.credentials.party_id:
            return None, self.refuse(exchange, NotAddressedToUs(f"eb:To names {addressed_to!r}, not this platform"))
        try:
            document = peppol.unwrap(next(iter(message.decrypted_data.values())))
        except peppol.UnsupportedDocument as exc:
            return None, self.refuse(exchange, ContentRefused(str(exc)))
        remote = exchange.remote_party
        return Inbound(
            exchange=exchange,
            sender_party=remote.identity.party_id if remote else "",
            sender=message.sender or "",
            recipient=message.recipient or "",
            document_type=message.document_type_identifier_value or "",
            document=document,
        ), None

    def receipt(self, inbound: Inbound) -> Signal:
        """The signed non-repudiation receipt (built when the message was read): send it after the commit."""
        return self._signal(inbound.exchange)

    def refuse(self, exchange: PeppolReceivingExchange, error: BaseAS4ReceiptableError) -> Signal:
        exchange.receipt = PeppolAS4Receipt.create_error_signal_from_exception(
            exception=error,
            local_party=self.local_party,
            referenced_message_id=exchange.message_id,
            referenced_messaging_id=exchange.messaging_id,
        )
        return self._signal(exchange)

    @staticmethod
    def _signal(exchange: PeppolReceivingExchange) -> Signal:
        headers, body = exchange.build_signal()
        error = exchange.receipt.error if exchange.receipt else None
        if error is not None:
            log.warning(
                "AS4 message %s refused: %s %s",
                exchange.message_id or "(unread)",
                error.error_code,
                error.error_detail.value if error.error_detail else "",
            )
        return Signal(headers=headers, body=body)
