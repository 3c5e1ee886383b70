"""Coursier instances as real processes (`coursier serve` with its worker), each its own platform:
matricule, database, data dir, port and AS4 certificate, all on one sandbox (directory and SMP).

Used by the two-platform tests and by bench/network.py.
"""

import base64
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from coursier.sandbox.process import free_port

SIGNED_PDF = base64.b64encode(b"%PDF-1.7\n% a signed consent collected by the sponsor\n%%EOF\n").decode()


@dataclass
class Client:
    headers: dict
    company: object  # a sandbox register company

    @property
    def siren(self) -> str:
        return self.company.siren


@dataclass
class Platform:
    matricule: str
    database_url: str
    data_dir: Path
    ppf_url: str
    ppf_token: str
    pki: dict  # the platform's files from network.peers.pki.init_test_pki
    port: int = field(default_factory=free_port)
    extra_env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "COURSIER_DATA_DIR": str(self.data_dir),
            "PPF_URL": self.ppf_url,
            "PPF_TOKEN": self.ppf_token,
            "COURSIER_PA_MATRICULE": self.matricule,
            "COURSIER_PEER_TRANSPORT": "as4",
            "COURSIER_AS4_KEY": str(self.pki["key"]),
            "COURSIER_AS4_CERTIFICATE": str(self.pki["certificate"]),
            "COURSIER_AS4_TRUST_ANCHORS": str(self.pki["anchors"]),
            "COURSIER_SMP_URL": f"{self.ppf_url}/smp",
            "COURSIER_SMP_TRUST_ANCHORS": str(self.pki["smp_anchors"]),
            "COURSIER_PUBLIC_URL": self.url,
            "COURSIER_HEAVY_REQUESTS_PER_SPONSOR": "0",
            **self.extra_env,
        }

    def start(self) -> "Platform":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coursier", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"platform {self.matricule} exited: {self.log()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"platform {self.matricule} did not become ready: {self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        path = self.data_dir / "serve.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def new_sponsor(self, name: str) -> str:
        created = subprocess.run(
            [sys.executable, "-m", "coursier", "sponsors", "create", name, "--json"],
            env=self.env,
            capture_output=True,
            check=True,
        )
        return json.loads(created.stdout)["token"]

    def new_client(self, token: str, company) -> Client:
        """A client of the sponsor with an active mandate on `company`'s SIREN (the job registers it)."""
        created = self.call(
            "POST",
            "/api/clients",
            {"Authorization": token},
            json={
                "organization_name": company.legal_name,
                "contact_email": "compta@example.fr",
                "external_ref": f"erp-{company.siren}",
            },
        )
        headers = {"Authorization": token, "X-PDP-Client-Id": created["client"]["client_id"]}
        mandate = self.call(
            "POST", "/api/mandates", headers, json={"siren": company.siren, "file_attachment": SIGNED_PDF}
        )
        self.wait_for(
            lambda: self.call("GET", f"/api/mandates/{mandate['id']}", headers)["status"] == "active",
            f"the mandate of {company.siren} on {self.matricule}",
        )
        return Client(headers=headers, company=company)

    def call(self, method: str, path: str, headers: dict, **kwargs):
        response = httpx.request(method, self.url + path, headers=headers, timeout=120, **kwargs)
        response.raise_for_status()
        return response.json() if "json" in response.headers.get("content-type", "") else response

    def wait_for(self, condition, what: str, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; log of {self.matricule}:\n{self.log()[-4000:]}")


def participant_published(ppf_url: str, siren: str) -> bool:
    """Whether the SMP has the participant of a SIREN line (its mandate's publishing job ran)."""
    return httpx.get(f"{ppf_url}/smp/iso6523-actorid-upis%3A%3A0225%3A{siren}", timeout=30).status_code == 200
