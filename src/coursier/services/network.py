"""The Peppol network for this platform: messages received on the AS4 endpoint, and its
participants published in the SMP while their mandates are in force.

Receiving: the message is checked and opened (`network.peers.as4.As4Endpoint`), its final
recipient must be a line this platform serves (an active mandate), then the message is claimed
once (MessageId, and sending AP + document id) and what it carries is stored for the recipient
client by the one reception service (an invoice), or checked and applied as every status message
from another platform is (a CDAR, `status_exchange.receive_status`), all in the caller's
transaction. The caller commits, THEN sends the receipt: a receipt means stored. Any refusal
leaves nothing (the caller rolls back).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.as4_messages import As4MessageRepository
from coursier.db.mandates import Mandate, MandateRepository
from coursier.kit import clock
from coursier.kit.errors import Unavailable
from coursier.network.peers import peppol
from coursier.network.peers.as4 import As4Endpoint, ContentRefused, Inbound, Signal
from coursier.network.peers.pki import matricule_of
from coursier.network.peers.smp import SmpPublisher
from coursier.network.peers.transport import ReceivedMessage, TransportRejected, TransportUnavailable
from coursier.services.directory import DirectoryScope
from coursier.services.invoicing import reception, status_exchange

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reception:
    signal: Signal
    stored: bool  # the caller commits (and then answers) only then; anything else rolls back


def receive_as4(
    session: Session, endpoint: As4Endpoint, *, content_type: str, body: bytes, settings: Settings
) -> Reception:
    """Check, open and keep one AS4 message; the signal that answers it."""
    mandates: dict[str, Mandate] = {}

    def serves(participant_id: str) -> bool:
        address = peppol.address_of(participant_id)
        mandate = reception.serving_mandate(session, address) if address else None
        if mandate is not None:
            mandates[participant_id] = mandate
        return mandate is not None

    inbound, refusal = endpoint.open(content_type, body, serves)
    if refusal is not None:
        return Reception(refusal, stored=False)
    claimed = As4MessageRepository(session).claim(
        message_id=inbound.message_id,
        sender_party=inbound.sender_party,
        instance_id=inbound.document.instance_id,
        sender=inbound.sender,
        recipient=inbound.recipient,
        document_type=inbound.document_type,
    )
    if claimed is None:
        log.info("AS4 message %s: received already, answered again", inbound.message_id)
        return Reception(endpoint.receipt(inbound), stored=False)
    if inbound.document_type == peppol.CDAR_DOCUMENT_TYPE:
        return _receive_status(session, endpoint, inbound, settings)
    received = reception.receive_from_peer(
        session,
        mandates[inbound.recipient],
        content=inbound.document.content,
        document_id=inbound.document.instance_id,
        settings=settings,
        details={"as4_message_id": inbound.message_id, "sender_access_point": inbound.sender_party},
    )
    if isinstance(received, reception.Refused):
        refused = ContentRefused.because(received.reason, received.message)
        return Reception(endpoint.refuse(inbound.exchange, refused), stored=False)
    claimed.invoice_id = received.id
    return Reception(endpoint.receipt(inbound), stored=True)


def _receive_status(session: Session, endpoint: As4Endpoint, inbound: Inbound, settings: Settings) -> Reception:
    """A lifecycle message (CDAR) from another platform: checked and applied as every status message
    from a platform is (`status_exchange.receive_status`); one it refuses is the error signal, and
    nothing of it is kept (the sender learns why, and may send it again once corrected)."""
    # The sending platform is the one its verified certificate names: the CDAR must speak for it.
    platform_id = matricule_of(inbound.sender_party)
    if platform_id is None:
        refused = ContentRefused(f"The sending access point {inbound.sender_party} names no platform")
        return Reception(endpoint.refuse(inbound.exchange, refused), stored=False)
    content = inbound.document.content
    message = ReceivedMessage(
        delivery_id=inbound.message_id,
        sender_platform_id=platform_id,
        invoice_id=inbound.document.instance_id,
        filename=f"{inbound.document.instance_id}.xml",
        media_type="application/xml",
        size=len(content),
        accepted_at=clock.now(),
        kind="status",
    )
    kept = status_exchange.receive_status(session, message, content, settings=settings)
    if kept.outcome == status_exchange.REFUSED:
        refused = ContentRefused(f"The lifecycle message is refused: {kept.reason}")
        return Reception(endpoint.refuse(inbound.exchange, refused), stored=False)
    return Reception(endpoint.receipt(inbound), stored=True)


def participant_of(mandate: Mandate) -> str:
    scope = DirectoryScope(
        siren=mandate.siren, suffix=mandate.suffix, siret=mandate.siret, routing_code=mandate.routing_code
    )
    return peppol.participant(scope.electronic_address)


def publish_participant(
    session: Session, mandate_id: str, *, publisher: SmpPublisher, endpoint: As4Endpoint, settings: Settings
) -> None:
    """Publish the line of an active mandate in the SMP: this platform's endpoint and certificate
    for every document type it receives. Raises Unavailable when the SMP cannot be reached."""
    mandate = MandateRepository(session).get_for_job(mandate_id, for_update=False)
    if mandate is None or mandate.status != "active":
        return
    with _smp_errors(mandate):
        publisher.publish(
            participant_of(mandate),
            endpoint_url=settings.as4_public_endpoint,
            certificate=endpoint.credentials.certificate,
            document_types=list(peppol.RECEIVED_DOCUMENT_TYPES),
        )


def withdraw_participant(session: Session, mandate_id: str, *, publisher: SmpPublisher) -> None:
    """Take the line of an ended mandate out of the SMP (unless another mandate of ours serves it)."""
    mandate = MandateRepository(session).get_for_job(mandate_id, for_update=False)
    if mandate is None or mandate.status == "active":
        return
    if MandateRepository(session).active_holder(mandate.scope_key) is not None:
        return
    with _smp_errors(mandate):
        publisher.withdraw(participant_of(mandate))


@contextmanager
def _smp_errors(mandate: Mandate) -> Iterator[None]:
    """The SMP's absence is the job's retry; its refusal is logged and ends the job."""
    try:
        yield
    except TransportUnavailable as exc:
        raise Unavailable(f"The SMP cannot be reached: {exc}", code="smp_unavailable") from exc
    except TransportRejected as exc:
        log.error("mandate %s: the SMP refused the participant: %s", mandate.id, exc)
