"""Look-up: the SML's U-NAPTR record names the SMP; the SMP (here the sandbox's) names the endpoint
and its certificate; platforms publish and withdraw their participants."""

import base64
import hashlib
import uuid

import httpx
import pytest

from coursier.network.peers import peppol, pki
from coursier.network.peers.smp import FixedSmp, SmlLocator, SmpClient, SmpPublisher, sml_name
from coursier.network.peers.transport import TransportRejected

CII = peppol.RECEIVED_DOCUMENT_TYPES[1]


@pytest.fixture(scope="module")
def certificate():
    key = pki.new_key()
    return pki.issue(key, "PFR000042")


def _participant() -> str:
    return f"0225:{uuid.uuid4().int % 10**9:09d}"


def test_the_sml_name_hashes_the_lower_case_participant():
    name = sml_name("0225:ABC123", "sml.example")
    digest = base64.b32encode(hashlib.sha256(b"0225:abc123").digest()).decode().rstrip("=")
    assert name == f"{digest}.iso6523-actorid-upis.sml.example"
    assert "=" not in name and sml_name("0225:abc123", "sml.example.") == name


def test_the_sml_record_for_the_smp_service_gives_the_smp():
    asked = []

    def resolve(name):
        asked.append(name)
        return [
            (20, 10, "U", "Meta:SMP", "!^.*$!https://second.example!"),
            (10, 10, "U", "Meta:other", "!^.*$!https://not-smp.example!"),
            (10, 20, "U", "meta:smp", "!^.*$!https://first.example!"),
            (5, 10, "S", "Meta:SMP", "!^.*$!https://not-terminal.example!"),
        ]

    assert SmlLocator("sml.example", resolve).smp_of("0225:123") == "https://first.example"
    assert asked == [sml_name("0225:123", "sml.example")]
    with pytest.raises(TransportRejected) as unknown:
        SmlLocator("sml.example", lambda name: []).smp_of("0225:123")
    assert unknown.value.code == "participant_not_registered"


def test_a_published_participant_is_found_with_its_endpoint_and_certificate(sandbox_server, certificate):
    participant = _participant()
    with SmpPublisher(f"{sandbox_server.url}/smp", sandbox_server.token) as publisher:
        publisher.publish(
            participant, endpoint_url="http://127.0.0.1:1/as4", certificate=certificate, document_types=[CII]
        )
    client = SmpClient(
        FixedSmp(f"{sandbox_server.url}/smp"), pki.load_anchors(sandbox_server.pki["0042"]["smp_anchors"])
    )
    endpoint = client.endpoint(participant.upper(), CII, peppol.PROCESS_REGULATED)
    assert endpoint.url == "http://127.0.0.1:1/as4" and endpoint.certificate == certificate
    # Another document type, another process, another participant: not there.
    for ask in (
        (participant, peppol.FACTURX_DOCUMENT_TYPE, peppol.PROCESS_REGULATED),
        (participant, CII, "urn:peppol:france:billing:non-regulated"),
        (_participant(), CII, peppol.PROCESS_REGULATED),
    ):
        with pytest.raises(TransportRejected) as missing:
            client.endpoint(*ask)
        assert missing.value.code == "participant_not_registered"
    group = httpx.get(f"{sandbox_server.url}/smp/iso6523-actorid-upis%3A%3A{participant}")
    assert group.status_code == 200 and b"ServiceMetadataReference" in group.content


def test_only_the_publishing_platform_withdraws_a_participant(sandbox_server, certificate):
    participant = _participant()
    with (
        SmpPublisher(f"{sandbox_server.url}/smp", sandbox_server.token) as ours,
        SmpPublisher(f"{sandbox_server.url}/smp", sandbox_server.competitor_token) as theirs,
    ):
        ours.publish(participant, endpoint_url="http://127.0.0.1:1/as4", certificate=certificate, document_types=[CII])
        with pytest.raises(TransportRejected) as refused:
            theirs.withdraw(participant)
        assert refused.value.status == 403
        ours.withdraw(participant)
        ours.withdraw(participant)  # already gone: done
    with pytest.raises(TransportRejected):
        anchors = pki.load_anchors(sandbox_server.pki["0042"]["smp_anchors"])
        SmpClient(FixedSmp(f"{sandbox_server.url}/smp"), anchors).endpoint(participant, CII, peppol.PROCESS_REGULATED)
