"""Finding a participant's access point: SML (DNS) → SMP → endpoint URL and certificate.

Peppol SMP (the busdox.org namespaces of OASIS BDX SMP 1.0 as Peppol uses them): a participant's
service metadata for one document type is at `{smp}/{scheme}::{participant}/services/{scheme}::
{document type}` (identifiers percent-encoded), and lists per process the endpoints with their
transport profile, address (WS-Addressing EndpointReference) and certificate (base64 DER).

Which SMP to ask is the SML's answer (Peppol SML 1.3): a U-NAPTR record, service `Meta:SMP`, at
`<base32(SHA-256(lower-case participant id)) without padding>.<scheme>.<SML zone>`, whose regexp
gives the SMP's URL. `COURSIER_SML_ZONE` turns that step on; `COURSIER_SMP_URL` skips it and asks
one SMP for everyone (the local SMP of the sandbox, for tests and demos).

The answer is used only once its XML signature is verified (Peppol SMP specification: the SMP
signs its SignedServiceMetadata with its SMP certificate, and an access point checks it before
use; `kit.xmldsig` has the shape): the signer's certificate must chain to the SMP trust anchors
(`COURSIER_SMP_TRUST_ANCHORS`: Peppol's SMP CA, distinct from the access points' CA) and be in its
validity period, and the answer must be about the participant and document type asked, so that a
genuine answer about someone else cannot be replayed. Then the endpoint certificate is checked
against the AS4 trust anchors as well, before any message is encrypted for it.

Not done here: SMP redirects.
"""

import base64
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree

from coursier.kit.xml import XMLRejected, parse_xml
from coursier.kit.xmldsig import SignatureRejected, verify_enveloped
from coursier.network.http import BearerClient, Problem, is_retryable
from coursier.network.peers.peppol import DOCUMENT_TYPE_SCHEME, PARTICIPANT_SCHEME, PROCESS_SCHEME
from coursier.network.peers.pki import untrusted_reason
from coursier.network.peers.transport import TransportError, TransportRejected, TransportUnavailable

SMP_NAMESPACE = "http://busdox.org/serviceMetadata/publishing/1.0/"
IDS_NAMESPACE = "http://busdox.org/transport/identifiers/1.0/"
WSA_NAMESPACE = "http://www.w3.org/2005/08/addressing"
AS4_TRANSPORT_PROFILE = "peppol-transport-as4-v2_0"
_NS = {"smp": SMP_NAMESPACE, "ids": IDS_NAMESPACE, "wsa": WSA_NAMESPACE}
_NAPTR_SERVICE = "Meta:SMP"

log = logging.getLogger(__name__)


class SmpAnswerRefused(TransportRejected):
    """The SMP's answer cannot be believed: unsigned (`smp_unsigned`), its signature broken or not
    in the accepted shape (`smp_signature_invalid`), signed by a certificate that does not chain to
    the SMP trust anchors or is out of its validity period (`smp_signer_untrusted`), or about
    another participant or document type than asked (`smp_answer_mismatch`). Asking again gets the
    same answer: final, nothing is sent."""

    by_recipient = False


@dataclass(frozen=True)
class Endpoint:
    url: str
    certificate: x509.Certificate


def identifier_path(scheme: str, value: str) -> str:
    """`scheme::value`, percent-encoded as one path segment."""
    return quote(f"{scheme}::{value}", safe="")


def sml_name(participant_id: str, zone: str, scheme: str = PARTICIPANT_SCHEME) -> str:
    """The DNS name the SML publishes a participant's NAPTR record under."""
    digest = hashlib.sha256(participant_id.strip().lower().encode("utf-8")).digest()
    return f"{base64.b32encode(digest).decode('ascii').rstrip('=')}.{scheme}.{zone.strip('.')}"


NaptrRecord = tuple[int, int, str, str, str]  # order, preference, flags, service, regexp
NaptrResolver = Callable[[str], list[NaptrRecord]]


def dns_naptr(name: str) -> list[NaptrRecord]:
    """The NAPTR records of `name` from the system's DNS resolver."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, "NAPTR")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as exc:
        raise TransportUnavailable(f"The SML cannot be asked: {exc}", code="sml_unreachable") from exc
    return [
        (record.order, record.preference, record.flags.decode(), record.service.decode(), record.regexp.decode())
        for record in answer
    ]


class SmlLocator:
    """Each participant's SMP, from the SML's U-NAPTR record."""

    def __init__(self, zone: str, resolve: NaptrResolver = dns_naptr) -> None:
        self.zone = zone
        self._resolve = resolve

    def smp_of(self, participant_id: str) -> str:
        name = sml_name(participant_id, self.zone)
        candidates = sorted(
            record
            for record in self._resolve(name)
            if record[2].upper() == "U" and record[3].lower() == _NAPTR_SERVICE.lower()
        )
        for *_, regexp in candidates:
            url = _naptr_target(regexp)
            if url:
                return url
        raise TransportRejected("participant_not_registered", f"The SML knows no SMP for {participant_id} ({name})")


class FixedSmp:
    """One SMP for every participant (no SML step)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def smp_of(self, participant_id: str) -> str:
        return self.url


def _naptr_target(regexp: str) -> str | None:
    """The replacement of a U-NAPTR regexp `!^.*$!https://smp.example!` (the whole name matches)."""
    if len(regexp) < 3:
        return None
    delimiter = regexp[0]
    parts = regexp[1:].split(delimiter)
    if len(parts) < 2 or parts[0] != "^.*$":
        return None
    return parts[1] or None


class SmpClient:
    """Reads service metadata signed by an SMP the anchors vouch for; 404 means the participant does
    not take this document there."""

    def __init__(
        self,
        locator: SmlLocator | FixedSmp,
        anchors: tuple[x509.Certificate, ...],
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.locator = locator
        self.anchors = anchors
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def endpoint(self, participant_id: str, document_type: str, process: str) -> Endpoint:
        smp = self.locator.smp_of(participant_id).rstrip("/")
        url = (
            f"{smp}/{identifier_path(PARTICIPANT_SCHEME, participant_id)}"
            f"/services/{identifier_path(DOCUMENT_TYPE_SCHEME, document_type)}"
        )
        try:
            response = self._http.get(url)
        except httpx.TransportError as exc:
            raise TransportUnavailable(f"The SMP cannot be reached: {exc}", code="smp_unreachable") from exc
        if response.status_code == 404:
            raise TransportRejected(
                "participant_not_registered", f"{participant_id} takes no {document_type} according to its SMP"
            )
        if not response.is_success:
            message = f"The SMP answered {response.status_code} for {participant_id}"
            if response.status_code >= 500 or response.status_code == 429:
                raise TransportUnavailable(message, code="smp_unavailable", status=response.status_code)
            raise TransportRejected("smp_refused", message, status=response.status_code)
        try:
            return read_endpoint(response.content, participant_id, document_type, process, self.anchors)
        except SmpAnswerRefused as exc:
            log.warning("The SMP's answer for participant %s (%s) is refused: %s", participant_id, url, exc.message)
            raise


def read_endpoint(
    service_metadata: bytes,
    participant_id: str,
    document_type: str,
    process: str,
    anchors: tuple[x509.Certificate, ...],
) -> Endpoint:
    """The AS4 endpoint of `process` in a SignedServiceMetadata document about `participant_id` and
    `document_type`, signed by an SMP certificate `anchors` issued (see the module's docstring)."""
    try:
        tree = parse_xml(service_metadata)
    except (XMLRejected, etree.XMLSyntaxError) as exc:
        raise TransportRejected("smp_unreadable", f"The SMP's answer is not readable XML: {exc}") from exc
    information = _signed_information(tree, anchors)
    # Participant identifiers are case-insensitive (the SML hashes them lower-cased, above).
    participant = _identifier_of(information.find("ids:ParticipantIdentifier", _NS))
    document = _identifier_of(information.find("ids:DocumentIdentifier", _NS))
    if (participant[0], participant[1].lower()) != (PARTICIPANT_SCHEME, participant_id.lower()) or document != (
        DOCUMENT_TYPE_SCHEME,
        document_type,
    ):
        raise SmpAnswerRefused(
            "smp_answer_mismatch",
            f"The SMP's answer is about {participant[1]} and {document[1]}, not {participant_id} and {document_type}",
        )
    for process_element in information.iterfind("smp:ProcessList/smp:Process", _NS):
        identifier = process_element.find("ids:ProcessIdentifier", _NS)
        if identifier is None or (identifier.text or "").strip() != process:
            continue
        if identifier.get("scheme", PROCESS_SCHEME) != PROCESS_SCHEME:
            continue
        for endpoint in process_element.iterfind("smp:ServiceEndpointList/smp:Endpoint", _NS):
            if endpoint.get("transportProfile") != AS4_TRANSPORT_PROFILE:
                continue
            address = endpoint.findtext("wsa:EndpointReference/wsa:Address", namespaces=_NS)
            certificate = endpoint.findtext("smp:Certificate", namespaces=_NS)
            if not address or not certificate:
                raise TransportRejected("smp_unreadable", "The SMP's AS4 endpoint has no address or no certificate")
            try:
                der = base64.b64decode(re.sub(r"\s+", "", certificate), validate=True)
                return Endpoint(url=address.strip(), certificate=x509.load_der_x509_certificate(der))
            except ValueError as exc:
                raise TransportRejected("smp_unreadable", f"The SMP's endpoint certificate: {exc}") from exc
    raise TransportRejected("participant_not_registered", f"The SMP lists no AS4 endpoint for process {process}")


def _identifier_of(element: etree._Element | None) -> tuple[str, str]:
    """(scheme, value) of an identifier element, empty when it is missing."""
    if element is None:
        return "", ""
    return element.get("scheme", ""), (element.text or "").strip()


def _signed_information(tree: etree._ElementTree, anchors: tuple[x509.Certificate, ...]) -> etree._Element:
    """The ServiceInformation of a SignedServiceMetadata whose enveloped signature covers the whole
    document, by a trusted SMP certificate. Read from the document element only: what verified is
    what is read (a second ServiceMetadata elsewhere is never looked at, and would break the digest)."""
    root = tree.getroot()
    if root.tag != f"{{{SMP_NAMESPACE}}}SignedServiceMetadata":
        raise TransportRejected("smp_unreadable", f"The SMP's answer is a {root.tag}, not a SignedServiceMetadata")
    try:
        signer = verify_enveloped(tree)
    except SignatureRejected as exc:
        code = "smp_unsigned" if exc.code == SignatureRejected.UNSIGNED else "smp_signature_invalid"
        raise SmpAnswerRefused(code, f"The SMP's answer: {exc.message}") from exc
    reason = untrusted_reason(signer, anchors)
    if reason:
        raise SmpAnswerRefused("smp_signer_untrusted", f"The SMP's signing certificate: {reason}")
    information = root.findall("smp:ServiceMetadata/smp:ServiceInformation", _NS)
    if len(information) != 1:
        raise TransportRejected(
            "smp_unreadable", "The SMP's answer needs exactly one ServiceMetadata/ServiceInformation"
        )
    return information[0]


class SmpPublisher(BearerClient):
    """Publishes this platform's participants in a local SMP (the sandbox's /smp), with the
    platform's token: the endpoint where they receive, its certificate, the document types."""

    def _unreachable(self, exc: httpx.TransportError) -> TransportError:
        return TransportUnavailable(f"The SMP cannot be reached: {type(exc).__name__}: {exc}", code="smp_unreachable")

    def _refused(self, problem: Problem) -> TransportError:
        if is_retryable(problem):
            return TransportUnavailable(problem.message, code=problem.code, status=problem.status)
        return TransportRejected(problem.code, problem.message, status=problem.status)

    def publish(
        self, participant_id: str, *, endpoint_url: str, certificate: x509.Certificate, document_types: list[str]
    ) -> None:
        der = certificate.public_bytes(serialization.Encoding.DER)
        self._request(
            "PUT",
            f"/{identifier_path(PARTICIPANT_SCHEME, participant_id)}",
            json={
                "endpoint_url": endpoint_url,
                "certificate": base64.b64encode(der).decode("ascii"),
                "document_types": document_types,
            },
        )

    def withdraw(self, participant_id: str) -> None:
        try:
            self._request("DELETE", f"/{identifier_path(PARTICIPANT_SCHEME, participant_id)}")
        except TransportRejected as exc:
            if exc.status != 404:  # already gone: what was asked
                raise
