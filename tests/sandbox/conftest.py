"""The PPF sandbox as a real separate process (`python -m coursier sandbox`), one per xdist worker,
on a fresh database of the test server, with a small register CSV loaded at start."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count

import httpx
import pytest

from coursier.sandbox.register import generated_company
from coursier.sandbox.schemas import Company

# Two platforms, as SANDBOX_PLATFORMS gives them: us (0042) and a competitor (0099).
TOKENS = {"0042": "test-token-0042", "0099": "test-token-0099"}
SEEDED_COMPANIES = 60

# Loaded through --companies: a company only the CSV knows (500000005), one active and one closed site.
REGISTER_CSV = """\
siren,legal_name,company_status,siret,establishment_name,line1,postal_code,city,country_code,\
administrative_status,head_office
500000005,Librairie des Écluses,A,50000000500016,Librairie des Écluses,2 quai des Écluses,21000,Dijon,FR,A,true
500000005,Librairie des Écluses,A,50000000500024,Dépôt des Écluses,9 rue du Port,21000,Dijon,,F,false
"""


@dataclass(frozen=True)
class SandboxServer:
    url: str
    tokens: dict[str, str]  # matricule -> token
    platform_id: str = "0042"  # Coursier's own matricule
    competitor_id: str = "0099"

    @property
    def token(self) -> str:
        return self.tokens[self.platform_id]

    @property
    def competitor_token(self) -> str:
        return self.tokens[self.competitor_id]

    def client(self, platform: str | None = "0042") -> httpx.Client:
        """A client authenticated as `platform` (None: no token)."""
        headers = {"Authorization": f"Bearer {self.tokens[platform]}"} if platform else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def set_available(self, available: bool, status_code: int = 503) -> None:
        """Start (False) or end (True) an outage: every endpoint but /admin and /healthz fails."""
        with self.client() as client:
            client.post("/admin/availability", json={"available": available, "status_code": status_code}
                        ).raise_for_status()


@pytest.fixture(scope="session")
def sandbox_server(fresh_database, worker_id, tmp_path_factory) -> Iterator[SandboxServer]:
    from coursier.sandbox.process import SandboxProcess

    folder = tmp_path_factory.mktemp("sandbox")
    csv_path = folder / "companies.csv"
    csv_path.write_text(REGISTER_CSV, encoding="utf-8")
    process = SandboxProcess(
        database_url=fresh_database(f"coursier_sandbox_test_{worker_id}"),
        platforms={token: matricule for matricule, token in TOKENS.items()},
        log_path=folder / "sandbox.log", seed_companies=SEEDED_COMPANIES, companies_csv=csv_path,
    )
    with process:
        yield SandboxServer(process.url, TOKENS)


@pytest.fixture(scope="session")
def sandbox_companies() -> list[Company]:
    """Seeded companies, active, each with its active sites (2 or more); a test pops the one it uses,
    so that no other test of this worker touches its directory lines."""
    suitable = []
    for index in range(SEEDED_COMPANIES):
        company = generated_company(index)
        active_sites = [site for site in company.establishments if site.administrative_status == "A"]
        if company.status == "A" and len(active_sites) >= 2:
            suitable.append(company.model_copy(update={"establishments": active_sites}))
    return suitable[::-1]  # pop() hands them out in seed order


@pytest.fixture
def ppf(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0042."""
    with sandbox_server.client("0042") as client:
        yield client


@pytest.fixture
def competitor(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0099."""
    with sandbox_server.client("0099") as client:
        yield client


_suffixes = count(1)


@pytest.fixture
def company(sandbox_companies) -> Company:
    """A seeded company no other test of this worker uses."""
    if not sandbox_companies:
        pytest.fail(f"raise SEEDED_COMPANIES: every suitable one of the {SEEDED_COMPANIES} is in use")
    return sandbox_companies.pop()


@pytest.fixture
def suffix() -> str:
    """A suffix no other test of this worker uses."""
    return f"T{next(_suffixes)}"


def _problem_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
def problem():
    """problem(response, status): the problem document of an error answer, its status and type checked."""
    return _problem_of
