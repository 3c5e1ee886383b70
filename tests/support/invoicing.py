"""Invoicing fixtures: French invoices between sandbox register companies, sellers with an active
mandate, and buyers with a line in the sandbox's directory.

Two set-ups: on the rolled-back test database (the seller's mandate written active at once, the
buyer's line created straight in the sandbox), and on the live server with real commits (mandates
registered through the API and the job worker, as a sponsor does it).
"""

import base64
from dataclasses import dataclass

import httpx
import pytest

from coursier.kit import clock
from support import factories

SIGNED_PDF = base64.b64encode(b"%PDF-1.7\n% a signed consent collected by the sponsor\n%%EOF\n").decode()


@pytest.fixture
def french_invoice():
    """french_invoice(seller, buyer, number=..., template=...) -> an EN 16931 model (see factories.py)."""
    return factories.french_invoice


@pytest.fixture
def as_file():
    """as_file(invoice, "cii" | "ubl" | "facturx") -> (file name, content)."""
    return factories.as_file


# ---- on the rolled-back database ----------------------------------------------------------------


@dataclass
class Party:
    tenant: object  # tests/conftest.py Tenant
    company: object  # a sandbox register company

    @property
    def headers(self) -> dict:
        return self.tenant.headers


@pytest.fixture
def ppf(runtime, sandbox_server):
    """The sandbox as this runtime's PPF, which routes to a line the day it is created."""
    client = sandbox_server.ppf()
    runtime.ppf = lambda: client
    # In place: the app may already hold these settings (a copy would leave it the old ones).
    runtime.settings.ppf_line_notice_days = 0
    yield client
    client.close()


def activate_mandate(session, tenant, siren: str) -> None:
    """An active SIREN mandate for the tenant's client, as if signed and registered."""
    from coursier.db.base import new_id
    from coursier.db.mandates import Mandate
    from coursier.services.directory import DirectoryScope

    session.add(
        Mandate(
            id=new_id("mdt"),
            sponsor_id=tenant.sponsor_id,
            client_id=tenant.client_id,
            status="active",
            siren=siren,
            scope_key=DirectoryScope(siren=siren).key,
            start_date=clock.today(),
        )
    )
    session.commit()


@pytest.fixture
def seller(session, tenant_a, company) -> Party:
    """Tenant A's client, seller under an active mandate on its SIREN."""
    activate_mandate(session, tenant_a, company.siren)
    return Party(tenant_a, company)


@pytest.fixture
def buyer_elsewhere(sandbox_companies, sandbox_server):
    """A company whose invoices another PA (the sandbox's competitor) receives."""
    company = sandbox_companies.pop()
    with sandbox_server.ppf(sandbox_server.competitor_id) as competitor:
        competitor.create_line(
            siren=company.siren, platform_id=sandbox_server.competitor_id, effective_from=clock.today()
        )
    return company


@pytest.fixture
def submit(api, ppf):
    """submit(party, content, filename) -> the API's answer to a multipart upload."""

    def send(party: Party, content: bytes, filename: str = "invoice.xml") -> httpx.Response:
        return api.post("/api/invoicing/files/submit", headers=party.headers, files={"file": (filename, content)})

    return send


# ---- on the live server -------------------------------------------------------------------------


@pytest.fixture
def registered_party(live_server, new_committed_tenant, sandbox_companies, drain_jobs):
    """registered_party() -> a new sponsor's client with an active mandate on a company of its own,
    registered as a sponsor does it: POST /api/mandates with the signed PDF, then the job."""
    base, _ = live_server

    def make() -> Party:
        tenant = new_committed_tenant()
        company = sandbox_companies.pop()
        r = httpx.post(
            f"{base}/api/mandates",
            headers=tenant.headers,
            timeout=30,
            json={"siren": company.siren, "file_attachment": SIGNED_PDF},
        )
        assert r.status_code == 201, r.text
        drain_jobs()
        mandate = httpx.get(f"{base}/api/mandates/{r.json()['id']}", headers=tenant.headers).json()
        assert mandate["status"] == "active", mandate
        return Party(tenant, company)

    return make


@pytest.fixture
def buyer_here(session, tenant_b, sandbox_companies, sandbox_server) -> Party:
    """Tenant B's client, under an active mandate on a company whose line in the sandbox's directory
    is this platform's: invoices to it are delivered here."""
    company = sandbox_companies.pop()
    with sandbox_server.ppf() as ppf:
        ppf.create_line(siren=company.siren, platform_id=sandbox_server.platform_id, effective_from=clock.today())
    activate_mandate(session, tenant_b, company.siren)
    return Party(tenant_b, company)


@pytest.fixture
def exchanged(session, runtime, submit, seller, buyer_here, french_invoice, as_file):
    """exchanged(number=..., invoice=...) -> (seller's invoice id, buyer's invoice id): an invoice the
    seller sent through the API, routed to the buyer here (the routing job's work, done in the test)."""
    from coursier.db.invoices import Invoice
    from coursier.services.invoicing import routing

    def send(number: str = "S-1", invoice=None) -> tuple[str, str]:
        model = invoice or french_invoice(seller.company, buyer_here.company, number=number)
        name, content = as_file(model, "cii")
        sent = submit(seller, content, name).json()
        assert sent["status"] == "validated", sent
        outbound = routing.invoice_to_route(session, sent["invoice_id"])
        connectors = runtime.connectors
        assert routing.route(session, outbound, ppf=runtime.ppf(), peers=connectors.peers, settings=runtime.settings)
        session.commit()
        inbound = session.query(Invoice).filter(Invoice.source_invoice_id == outbound.id).one()
        return outbound.id, inbound.id

    return send


@pytest.fixture
def two_rate_invoice():
    """two_rate_invoice(seller, buyer, number=...) -> an invoice at 20 % and 5.5 % (see factories.py)."""
    return factories.two_rate_invoice
