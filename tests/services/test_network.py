"""Participants in the SMP follow the mandates: published while one is active, withdrawn after."""

import pytest

from coursier.db.mandates import Mandate
from coursier.network.peers import peppol
from coursier.network.peers.as4 import As4Endpoint
from coursier.network.peers.pki import Credentials, init_test_pki
from coursier.services import network
from support.invoicing import activate_mandate


class RecordingPublisher:
    def __init__(self) -> None:
        self.published, self.withdrawn = [], []

    def publish(self, participant_id, **published) -> None:
        self.published.append((participant_id, published))

    def withdraw(self, participant_id) -> None:
        self.withdrawn.append(participant_id)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    files = init_test_pki(tmp_path_factory.mktemp("pki"), ["0042"])["0042"]
    return As4Endpoint(Credentials.load(files["key"], files["certificate"], files["anchors"]), max_payload_bytes=1)


def _mandate(session, tenant, siren) -> Mandate:
    activate_mandate(session, tenant, siren)
    return session.query(Mandate).filter_by(client_id=tenant.client_id, siren=siren).one()


def test_an_active_mandate_publishes_its_line_with_our_endpoint(session, tenant_a, company, endpoint, runtime):
    mandate = _mandate(session, tenant_a, company.siren)
    publisher = RecordingPublisher()
    network.publish_participant(session, mandate.id, publisher=publisher, endpoint=endpoint, settings=runtime.settings)
    ((participant, published),) = publisher.published
    assert participant == f"0225:{company.siren}"
    assert published["endpoint_url"] == runtime.settings.base_url + "/as4"
    assert published["certificate"] == endpoint.credentials.certificate
    assert published["document_types"] == list(peppol.RECEIVED_DOCUMENT_TYPES)


def test_an_ended_mandate_withdraws_its_line_unless_another_serves_it(session, tenant_a, tenant_b, company, endpoint):
    first = _mandate(session, tenant_a, company.siren)
    first.status = "expired"
    session.flush()
    publisher = RecordingPublisher()
    network.withdraw_participant(session, first.id, publisher=publisher)
    assert publisher.withdrawn == [f"0225:{company.siren}"]

    _mandate(session, tenant_b, company.siren)  # the line taken over by another of our clients
    network.withdraw_participant(session, first.id, publisher=publisher)
    assert publisher.withdrawn == [f"0225:{company.siren}"]
