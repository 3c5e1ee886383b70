"""Onboarding tests run on the per-test rolled-back database with an in-memory PPF: a register of
companies nobody else's tests use, a directory, and a mailbox the one-time codes land in."""

import dataclasses
import re
from dataclasses import dataclass, field

import pytest

from coursier.network.mail import SandboxMailer
from coursier.network.ppf import Address, Company, Establishment, PPFNotFound, PPFUnavailable

# Luhn-valid numbers of our own (the sandbox's fixed companies are used by other tests' commits).
ACME = Company(
    siren="812345676",
    legal_name="Acme Onboarding SA",
    status="A",
    establishments=(
        Establishment(
            siret="81234567600017",
            name="Acme siège",
            head_office=True,
            administrative_status="A",
            address=Address(line1="12 rue de la Paix", postal_code="75002", city="Paris", country_code="FR"),
        ),
        Establishment(
            siret="81234567600025",
            name="Acme Lille",
            head_office=False,
            administrative_status="F",
            address=Address(line1="8 rue Nationale", postal_code="59000", city="Lille", country_code="FR"),
        ),
    ),
)
CEASED = Company(siren="823456785", legal_name="Ancienne Fabrique SAS", status="C", establishments=())
UNKNOWN_SIREN = "834567893"
OTHER_SIRET = "84567891100015"  # valid, of another SIREN than ACME's


@dataclass
class FakePPF:
    companies: dict = field(default_factory=lambda: {c.siren: c for c in (ACME, CEASED)})
    mails: list = field(default_factory=list)
    available: bool = True

    def get_company(self, siren: str) -> Company:
        if not self.available:
            raise PPFUnavailable("down", code="unreachable")
        if siren not in self.companies:
            raise PPFNotFound("no such company", status=404, code="unknown_company")
        return self.companies[siren]

    def search_lines(self, **criteria) -> list:
        return []

    def send_mail(self, to: str, subject: str, text: str, html: str | None = None) -> str:
        self.mails.append({"to": to, "subject": subject, "text": text})
        return f"mail_{len(self.mails)}"

    def last_code(self, to: str) -> str:
        mail = next(m for m in reversed(self.mails) if m["to"] == to)
        return re.search(r"\b(\d{6})\b", mail["text"]).group(1)


@pytest.fixture
def ppf(runtime) -> FakePPF:
    """The runtime's PPF, and its sandbox mailbox, played by a fake."""
    fake = FakePPF()
    runtime.ppf = lambda: fake
    runtime.connectors = dataclasses.replace(runtime.connectors, mailbox=fake)
    return fake


@pytest.fixture
def mailer(ppf) -> SandboxMailer:
    """What the process mails through without an SMTP server: here, into the fake PPF's mailbox."""
    return SandboxMailer(lambda: ppf)


@pytest.fixture
def new_link(api, tenant_a, ppf):
    """new_link(**body) -> the API's answer (201 checked), for tenant A's client, plus `path`: the
    page's path without the host."""

    def create(tenant=tenant_a, **body) -> dict:
        r = api.post("/api/clients/onboarding-link", json=body, headers=tenant.headers)
        assert r.status_code == 201, r.text
        return {**r.json(), "path": "/onboarding/" + r.json()["url"].rsplit("/onboarding/", 1)[1]}

    return create
