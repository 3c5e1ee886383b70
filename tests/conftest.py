"""Fixtures shared by every test package.

Database: one PostgreSQL database per xdist worker, built once by the Alembic migrations, on the
server of DATABASE_URL when set, else on an embedded cluster shared by the workers. Each test
runs inside a transaction that is rolled back; the API's commits become savepoints.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import httpx
import pytest

pytest_plugins = ["support.invoicing", "support.webhooks"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
EMBEDDED_TEST_DATA_DIR = PROJECT_ROOT / ".coursier-test"
# Nothing a test starts (commands, subprocesses) may reach the user's own data dir, the default.
os.environ["COURSIER_DATA_DIR"] = str(EMBEDDED_TEST_DATA_DIR)
# One key set for every process of the tests: workers and servers started with data dirs of their
# own share the test databases, and so the secrets sealed in them (as production sets the setting).
os.environ["COURSIER_SECRET_KEYS"] = "Y291cnNpZXItdGVzdHMtc2VhbGluZy1rZXktLS0tLS0="


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The official corpus beside the clone (../shared); tests that need it are skipped without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not beside this clone")
    return SHARED_DIR


# ---- database ------------------------------------------------------------------------------


def _server_url() -> str:
    from coursier.kit.embedded import normalise_url, start_embedded

    if os.environ.get("DATABASE_URL"):
        return normalise_url(os.environ["DATABASE_URL"])
    return start_embedded(EMBEDDED_TEST_DATA_DIR)


def _fresh_database(name: str) -> str:
    """Drop and create database `name` on the test server; return its URL (no schema yet)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(_server_url())
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def fresh_database():
    """Makes an empty database on the test server and returns its URL."""
    return _fresh_database


@pytest.fixture(scope="session")
def database_url(worker_id: str) -> str:
    from coursier.db import migrate
    from coursier.db.session import make_engine

    url = _fresh_database(f"coursier_test_{worker_id}")
    engine = make_engine(url, pool_size=1)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def engine(database_url: str):
    from coursier.db.session import make_engine

    engine = make_engine(database_url, pool_size=5)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def sessions(connection):
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(sessions):
    with sessions() as session:
        yield session


def make_runtime(database_url: str, engine, sessions, **settings_overrides):
    from coursier.config import Settings
    from coursier.runtime import Runtime

    # The timer threads never run during a test (they would share the test's connection); tests
    # flush and sync by hand.
    settings = Settings(
        database_url=database_url, usage_flush_seconds=3600, rate_limit_sync_seconds=3600, **settings_overrides
    )
    return Runtime.assemble(settings, database_url, engine, sessions)


@pytest.fixture
def runtime(database_url, engine, sessions):
    return make_runtime(database_url, engine, sessions)


@pytest.fixture
def app(runtime):
    from coursier.api.app import create_app

    return create_app(runtime)


@pytest.fixture
def api(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def secret_keys():
    """secret_keys(*keys) -> the keyring the process then seals with: COURSIER_SECRET_KEYS set to
    `keys`, read again as at a start. Afterwards the process is back to its own keys."""
    from coursier.config import get_settings
    from coursier.db.sealed import process_keyring

    before = os.environ.get("COURSIER_SECRET_KEYS")

    def use(*keys: str):
        os.environ["COURSIER_SECRET_KEYS"] = ",".join(keys)
        get_settings.cache_clear()
        process_keyring.cache_clear()
        return process_keyring()

    yield use
    if before is None:
        os.environ.pop("COURSIER_SECRET_KEYS", None)
    else:
        os.environ["COURSIER_SECRET_KEYS"] = before
    get_settings.cache_clear()
    process_keyring.cache_clear()


# ---- tenants -------------------------------------------------------------------------------


@dataclass
class Tenant:
    sponsor_id: str
    token: str
    client_id: str

    @property
    def auth(self) -> dict:
        return {"Authorization": self.token}

    @property
    def headers(self) -> dict:
        """Token plus this tenant's client: the headers of a client-scoped call."""
        return {"Authorization": self.token, "X-PDP-Client-Id": self.client_id}


def make_tenant(session, name: str) -> Tenant:
    from coursier.kit.tenancy import TenantContext
    from coursier.services.clients import ClientCreate, create_client
    from coursier.services.sponsors import create_sponsor

    sponsor, issued = create_sponsor(session, name)
    client = create_client(
        session,
        TenantContext(sponsor_id=sponsor.id),
        ClientCreate(organization_name=f"{name} client", contact_email="ops@example.fr", external_ref=f"{name}-1"),
    )
    session.commit()  # a savepoint release: visible to the API's sessions on the same connection
    return Tenant(sponsor_id=sponsor.id, token=issued.secret, client_id=client.id)


@pytest.fixture
def tenant_a(session) -> Tenant:
    return make_tenant(session, "sponsor-a")


@pytest.fixture
def tenant_b(session) -> Tenant:
    return make_tenant(session, "sponsor-b")


# ---- a real server with real commits (concurrency tests) ---------------------------------------


@contextmanager
def serving(runtime) -> Iterator[str]:
    """uvicorn in a thread on a free port, serving the app of `runtime`; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from coursier.api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def serve():
    """serve(runtime): a context manager running a real server of its own for `runtime` (its URL)."""
    return serving


@pytest.fixture
def committed_runtime(database_url, engine):
    """committed_runtime(engine=..., **settings): a runtime whose requests commit for real in the
    per-worker database (another process's view of it, or a server of its own)."""
    from coursier.db.session import make_sessionmaker

    def make(engine=engine, **settings_overrides):
        return make_runtime(database_url, engine, make_sessionmaker(engine), **settings_overrides)

    return make


@pytest.fixture(scope="session")
def live_server(database_url, engine, sandbox_server):
    """A real server with real commits on the per-worker database, talking to the sandbox as the PPF."""
    from coursier.db.session import make_sessionmaker

    runtime = make_runtime(
        database_url,
        engine,
        make_sessionmaker(engine),
        **sandbox_server.directory_settings(),
        ppf_retry_attempts=3,
        **sandbox_server.sftp_settings(),
        # Concurrency tests of other areas run more heavy requests at once than a sponsor may, and
        # queue longer for this small pool than a production server lets them; the cap and the
        # queue have tests of their own.
        heavy_requests_per_sponsor=0,
        db_queue_seconds=120,
    )
    with serving(runtime) as base:
        yield base, runtime


@pytest.fixture
def drain_jobs(live_server):
    """drain_jobs(): run the job worker until no job is left to do (retry waits fast-forwarded)."""
    import asyncio

    from sqlalchemy import text

    from coursier.jobs.app import connect

    _, runtime = live_server

    def drain(max_rounds: int = 20) -> None:
        # Tasks reach the database through the last connected runtime; make it this one.
        jobs = connect(runtime.database_url, runtime.sessions, runtime.settings, runtime.connectors)

        async def run_once() -> None:
            async with jobs.open_async():
                await jobs.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False)

        for _ in range(max_rounds):
            with runtime.sessions.begin() as session:
                session.execute(
                    text(
                        "UPDATE procrastinate_jobs SET scheduled_at = now()"
                        " WHERE status = 'todo' AND scheduled_at > now()"
                    )
                )
            asyncio.run(run_once())
            with runtime.sessions() as session:
                if not session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")):
                    return

    return drain


@pytest.fixture
def new_committed_tenant(live_server):
    """Makes tenants committed for real (rows stay in the per-worker database; ids are unique)."""
    from coursier.db.base import new_id

    _, runtime = live_server

    def make() -> Tenant:
        with runtime.sessions() as session:
            return make_tenant(session, new_id("t"))

    return make


@pytest.fixture
def committed_tenant(new_committed_tenant) -> Tenant:
    return new_committed_tenant()


# ---- the PPF sandbox, a real separate process --------------------------------------------------

# Two platforms, as SANDBOX_PLATFORMS gives them: us (0042) and a competitor (0099); their
# applications at PISTE for the directory API (SANDBOX_PISTE_CLIENTS): client id and secret.
TOKENS = {"0042": "test-token-0042", "0099": "test-token-0099"}
PISTE = {"0042": ("test-client-0042", "test-secret-0042"), "0099": ("test-client-0099", "test-secret-0099")}
SEEDED_COMPANIES = 600

# Loaded through --companies: a company only the CSV knows (500000005), one active and one closed site.
REGISTER_CSV = """\
siren,legal_name,company_status,siret,establishment_name,line1,postal_code,city,country_code,\
administrative_status,head_office
500000005,Librairie des Écluses,A,50000000500016,Librairie des Écluses,2 quai des Écluses,21000,Dijon,FR,A,true
500000005,Librairie des Écluses,A,50000000500024,Dépôt des Écluses,9 rue du Port,21000,Dijon,,F,false
"""


# The platforms' application codes at the exchange system, and their SFTP keys (made per session).
APPLICATIONS = {"CRS042": "0042", "CRS099": "0099"}


@dataclass(frozen=True)
class SandboxServer:
    url: str
    database_url: str
    tokens: dict[str, str]  # matricule -> token
    sftp_port: int
    sftp_dir: Path  # the sandbox's SFTP folder: host_key.pub, spaces/<CODE>/in|out
    keys: dict[str, Path]  # application code -> private key authorized for it
    # The test PKI (network.peers.pki.init_test_pki) of platforms 0042 and 0099, whose SMP CA signed
    # the certificate the sandbox's SMP signs its answers with.
    pki: dict[str, dict[str, Path]]
    platform_id: str = "0042"  # Coursier's own matricule
    competitor_id: str = "0099"
    application_code: str = "CRS042"

    @property
    def directory_url(self) -> str:
        from coursier.sandbox.annuaire.api import BASE_PATH

        return self.url + BASE_PATH

    def directory_settings(self, platform: str = "0042") -> dict:
        """Coursier's settings for the directory API of this sandbox as `platform`, and its extras.

        The sandbox routes to a line the day it is created (`--line-notice-days 0`), and so does Coursier."""
        client_id, secret = PISTE[platform]
        return {
            "ppf_url": self.url,
            "ppf_token": self.tokens[platform],
            "ppf_client_id": client_id,
            "ppf_client_secret": secret,
            "pa_matricule": platform,
            "ppf_line_notice_days": 0,
        }

    def directory_environment(self, platform: str = "0042") -> dict[str, str]:
        """`directory_settings` as the environment of a `coursier` process."""
        from coursier.config import Settings

        return {
            Settings.model_fields[name].validation_alias: str(value)
            for name, value in self.directory_settings(platform).items()
        }

    def credentials(self, platform: str = "0042"):
        """A PISTE access-token source for `platform` (ClientCredentials)."""
        from coursier.network.http import ClientCredentials

        client_id, secret = PISTE[platform]
        return ClientCredentials(self.url + "/api/oauth/token", client_id, secret)

    def ppf(self, platform: str = "0042"):
        """Coursier's connector to this sandbox's directory API, as `platform`."""
        from coursier.network.ppf import PPFClient

        return PPFClient(self.directory_url, self.credentials(platform), timeout=30)

    def directory(self, platform: str | None = "0042") -> httpx.Client:
        """A client of the directory API as `platform`, with its PISTE token (None: no token)."""
        auth = self.credentials(platform) if platform else None
        return httpx.Client(base_url=self.directory_url, auth=auth, timeout=30)

    def sftp_settings(self, application_code: str = "CRS042") -> dict:
        """Coursier's settings for the flow exchange with this sandbox (deposits go at once)."""
        return {
            "ppf_application_code": application_code,
            "ppf_sftp_host": "127.0.0.1",
            "ppf_sftp_port": self.sftp_port,
            "ppf_sftp_key": self.keys[application_code],
            "ppf_sftp_host_key": (self.sftp_dir / "host_key.pub").read_text().strip(),
            "ppf_batch_seconds": 0,
        }

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
        """Start (False) or end (True) an outage: every endpoint but /sandbox/admin and /healthz fails."""
        with self.client() as client:
            client.post(
                "/sandbox/admin/availability", json={"available": available, "status_code": status_code}
            ).raise_for_status()


@pytest.fixture(scope="session")
def sandbox_server(fresh_database, worker_id, tmp_path_factory) -> Iterator[SandboxServer]:
    from coursier.kit.ssh import asyncssh
    from coursier.network.peers.pki import init_test_pki, smp_files_of
    from coursier.sandbox.config import PisteClient
    from coursier.sandbox.process import SandboxProcess
    from coursier.sandbox.sftp import authorize

    folder = tmp_path_factory.mktemp("sandbox")
    csv_path = folder / "companies.csv"
    csv_path.write_text(REGISTER_CSV, encoding="utf-8")
    sftp_dir = folder / "sftp"
    keys = {}
    for code in APPLICATIONS:
        key = asyncssh.generate_private_key("ssh-ed25519")
        keys[code] = folder / f"key_{code}"
        key.write_private_key(str(keys[code]))
        authorize(sftp_dir, code, key.export_public_key().decode())
    database_url = fresh_database(f"coursier_sandbox_test_{worker_id}")
    pki = init_test_pki(folder / "pki", list(TOKENS))
    smp = smp_files_of(folder / "pki")
    process = SandboxProcess(
        database_url=database_url,
        platforms={token: matricule for matricule, token in TOKENS.items()},
        log_path=folder / "sandbox.log",
        seed_companies=SEEDED_COMPANIES,
        companies_csv=csv_path,
        sftp_dir=sftp_dir,
        applications=APPLICATIONS,
        piste_clients={client_id: PisteClient(secret, matricule) for matricule, (client_id, secret) in PISTE.items()},
        line_notice_days=0,
        directory_exports=False,  # tests make theirs (POST /sandbox/directory-exports)
        smp_key=smp["key"],
        smp_certificate=smp["certificate"],
    )
    with process:
        yield SandboxServer(process.url, database_url, TOKENS, process.sftp_port, sftp_dir, keys, pki)


@pytest.fixture(scope="session")
def sandbox_companies() -> list:
    """Seeded companies, active, each with its active sites (2 or more); a test pops the one it uses,
    so that no other test of this worker touches its directory lines."""
    from coursier.sandbox.register import generated_company

    suitable = []
    for index in range(SEEDED_COMPANIES):
        company = generated_company(index)
        active_sites = [site for site in company.establishments if site.administrative_status == "A"]
        if company.status == "A" and len(active_sites) >= 2:
            suitable.append(company.model_copy(update={"establishments": active_sites}))
    return suitable[::-1]  # pop() hands them out in seed order


_suffixes = count(1)


@pytest.fixture
def company(sandbox_companies):
    """A seeded company no other test of this worker uses."""
    if not sandbox_companies:
        pytest.fail(f"raise SEEDED_COMPANIES: every suitable one of the {SEEDED_COMPANIES} is in use")
    return sandbox_companies.pop()


@pytest.fixture
def suffix() -> str:
    """A suffix no other test of this worker uses."""
    return f"T{next(_suffixes)}"
