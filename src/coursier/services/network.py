"""The Peppol network for this platform: messages received on the AS4 endpoint, and its
participants published in the SMP while their mandates are in force.

Receiving: the message is checked and opened (`network.peers.as4.As4Endpoint`), its final
recipient must be a line this platform serves (an active mandate), then the message is claimed
once (MessageId, and sending AP + document id) and what it carries is stored for the recipient
client by the one reception service, all in the caller's transaction. The caller commits, THEN
sends the receipt: a receipt means stored. Any refusal leaves nothing (the caller rolls back).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.as4_messages import As4MessageRepository
from coursier.db.mandates import Mandate, MandateRepository
from coursier.kit.errors import Unavailable
from coursier.network.peers import peppol
from coursier.network.peers.as4 import As4Endpoint, ContentRefused, Signal
from coursier.network.peers.smp import SmpPublisher
from coursier.network.peers.transport import TransportRejected, TransportUnavailable
from coursier.services.directory import DirectoryScope
from coursier.services.invoicing import reception

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
    if inbound.document_type == peppol.CDAR_DOCUMENT_TYPE:
        # Lifecycle messages travel the same way; applying them is the lifecycle service's, to come.
        refused = ContentRefused("Lifecycle messages (CDAR) are not taken over AS4 yet")
        return Reception(endpoint.refuse(inbound.exchange, refused), stored=False)
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
