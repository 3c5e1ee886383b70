"""A local SMP (Peppol SMP 1.x read interface) where platforms publish the participants they serve.

Read, as senders do: `GET /smp/{scheme}::{participant}` is the participant's ServiceGroup (a
reference per document type), `GET /smp/{scheme}::{participant}/services/{scheme}::{document type}`
its SignedServiceMetadata: for process `urn:peppol:france:billing:regulated`, one endpoint of
transport profile `peppol-transport-as4-v2_0` with its address and certificate (busdox.org
namespaces), signed as Peppol SMPs sign it (`kit.xmldsig`: enveloped, inclusive C14N, RSA-SHA256)
with the SMP key and certificate of the sandbox's settings (`SANDBOX_SMP_KEY`,
`SANDBOX_SMP_CERTIFICATE`; `coursier network init` makes a set). Without them the answers go
unsigned, and an access point that checks them (Coursier does) refuses them. Not done: the SML
registration (tests ask this SMP directly). Written with a platform's token (a JSON body): the
platform that publishes a participant serves it; publishing it again (a mandate taken over) moves it.
"""

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.postgresql import insert

from coursier.kit import clock
from coursier.kit.errors import InvalidInput, NotFound
from coursier.kit.keys import KeyPairError, load_rsa_pair
from coursier.kit.xmldsig import sign_enveloped
from coursier.sandbox.config import ConfigError
from coursier.sandbox.errors import Forbidden
from coursier.sandbox.schemas import SmpParticipant, SmpRegistration
from coursier.sandbox.storage import smp_participants

PARTICIPANT_SCHEME = "iso6523-actorid-upis"
DOCUMENT_TYPE_SCHEME = "busdox-docid-qns"
PROCESS_SCHEME = "cenbii-procid-ubl"
PROCESS = "urn:peppol:france:billing:regulated"
TRANSPORT_PROFILE = "peppol-transport-as4-v2_0"
SMP = "http://busdox.org/serviceMetadata/publishing/1.0/"
IDS = "http://busdox.org/transport/identifiers/1.0/"
WSA = "http://www.w3.org/2005/08/addressing"
_NSMAP = {None: SMP, "ids": IDS, "wsa": WSA}


@dataclass(frozen=True)
class SmpSigner:
    """The key and certificate this SMP signs its answers with."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @classmethod
    def load(cls, key_file: Path, certificate_file: Path) -> "SmpSigner":
        try:
            return cls(*load_rsa_pair(key_file, certificate_file))
        except KeyPairError as exc:
            raise ConfigError(f"the SMP's signing key: {exc}") from exc


def identifier(path_value: str, scheme: str) -> str:
    """The value of a `scheme::value` path segment; the scheme must be `scheme`."""
    given_scheme, separator, value = path_value.partition("::")
    if not separator or given_scheme != scheme or not value:
        raise InvalidInput(f"{path_value!r} is not an identifier of scheme {scheme}", code="invalid_identifier")
    return value


def publish(conn: Connection, caller: str, participant_path: str, registration: SmpRegistration) -> SmpParticipant:
    participant_id = identifier(participant_path, PARTICIPANT_SCHEME).lower()
    try:
        base64.b64decode(registration.certificate, validate=True)
    except binascii.Error as exc:
        raise InvalidInput("certificate is not base64 (DER)", code="invalid_certificate") from exc
    values = {
        "participant_id": participant_id,
        "platform_id": caller,
        "endpoint_url": registration.endpoint_url,
        "certificate": registration.certificate,
        "document_types": registration.document_types,
        "updated_at": clock.now(),
    }
    statement = insert(smp_participants).values(**values)
    conn.execute(statement.on_conflict_do_update(index_elements=["participant_id"], set_=values))
    return SmpParticipant(participant_id=participant_id, platform_id=caller, **registration.model_dump())


def withdraw(conn: Connection, caller: str, participant_path: str) -> None:
    row = _row(conn, identifier(participant_path, PARTICIPANT_SCHEME))
    if row.platform_id != caller:
        raise Forbidden(f"{row.participant_id} is published by another platform", code="participant_of_another")
    conn.execute(delete(smp_participants).where(smp_participants.c.participant_id == row.participant_id))


def service_group(conn: Connection, participant_path: str, base_url: str) -> bytes:
    row = _row(conn, identifier(participant_path, PARTICIPANT_SCHEME))
    root = etree.Element(f"{{{SMP}}}ServiceGroup", nsmap=_NSMAP)
    _identifier(root, "ParticipantIdentifier", PARTICIPANT_SCHEME, row.participant_id)
    references = etree.SubElement(root, f"{{{SMP}}}ServiceMetadataReferenceCollection")
    group = f"{base_url}/{quote(f'{PARTICIPANT_SCHEME}::{row.participant_id}', safe='')}"
    for document_type in row.document_types:
        path = quote(f"{DOCUMENT_TYPE_SCHEME}::{document_type}", safe="")
        etree.SubElement(references, f"{{{SMP}}}ServiceMetadataReference", href=f"{group}/services/{path}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def service_metadata(conn: Connection, participant_path: str, document_path: str, signer: SmpSigner | None) -> bytes:
    row = _row(conn, identifier(participant_path, PARTICIPANT_SCHEME))
    document_type = identifier(document_path, DOCUMENT_TYPE_SCHEME)
    if document_type not in row.document_types:
        raise NotFound(f"{row.participant_id} takes no {document_type}", code="document_type_not_served")
    root = etree.Element(f"{{{SMP}}}SignedServiceMetadata", nsmap=_NSMAP)
    information = etree.SubElement(etree.SubElement(root, f"{{{SMP}}}ServiceMetadata"), f"{{{SMP}}}ServiceInformation")
    _identifier(information, "ParticipantIdentifier", PARTICIPANT_SCHEME, row.participant_id)
    _identifier(information, "DocumentIdentifier", DOCUMENT_TYPE_SCHEME, document_type)
    process = etree.SubElement(etree.SubElement(information, f"{{{SMP}}}ProcessList"), f"{{{SMP}}}Process")
    _identifier(process, "ProcessIdentifier", PROCESS_SCHEME, PROCESS)
    endpoints = etree.SubElement(process, f"{{{SMP}}}ServiceEndpointList")
    endpoint = etree.SubElement(endpoints, f"{{{SMP}}}Endpoint", transportProfile=TRANSPORT_PROFILE)
    reference = etree.SubElement(endpoint, f"{{{WSA}}}EndpointReference")
    etree.SubElement(reference, f"{{{WSA}}}Address").text = row.endpoint_url
    etree.SubElement(endpoint, f"{{{SMP}}}RequireBusinessLevelSignature").text = "false"
    etree.SubElement(endpoint, f"{{{SMP}}}Certificate").text = row.certificate
    etree.SubElement(endpoint, f"{{{SMP}}}ServiceDescription").text = f"Platform {row.platform_id}"
    etree.SubElement(endpoint, f"{{{SMP}}}TechnicalContactUrl").text = "mailto:support@coursier.invalid"
    if signer is not None:
        sign_enveloped(root, signer.key, signer.certificate)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _row(conn: Connection, participant_id: str):
    row = conn.execute(
        select(smp_participants).where(smp_participants.c.participant_id == participant_id.lower())
    ).first()
    if row is None:
        raise NotFound(f"No participant {participant_id} in this SMP", code="participant_not_found")
    return row


def _identifier(parent: etree._Element, name: str, scheme: str, value: str) -> None:
    etree.SubElement(parent, f"{{{IDS}}}{name}", scheme=scheme).text = value
