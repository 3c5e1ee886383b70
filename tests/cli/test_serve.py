"""`coursier serve` on the embedded PostgreSQL: two servers share a cluster, none is left behind."""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_on(pgdata) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if "postgres" in (proc.info["name"] or "") and str(pgdata) in " ".join(proc.info["cmdline"] or ()):
                found.append(proc)
        except psutil.Error:
            pass
    return found


def _assert_postgres_gone(pgdata) -> None:
    deadline = time.monotonic() + 60  # a loaded CI machine can take a while to stop a cluster
    while _postgres_on(pgdata) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _postgres_on(pgdata) == []


def _start(data_dir, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COURSIER_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "coursier", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(port: int, proc: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode()
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
            if r.status_code == 200:
                return r.json()
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become ready")


def test_two_servers_share_the_cluster_and_stopping_them_leaves_no_postgres(tmp_path):
    pgdata = (tmp_path / "pg").resolve()
    port1, port2 = _free_port(), _free_port()
    first = _start(tmp_path, port1)
    try:
        assert _wait_ready(port1, first)["migrations"] == "current"
        second = _start(tmp_path, port2)
        try:
            assert _wait_ready(port2, second)["database"] == "ok"
            assert _postgres_on(pgdata)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) is not None
        # The first server still has its database.
        assert httpx.get(f"http://127.0.0.1:{port1}/readyz", timeout=30).status_code == 200
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    _assert_postgres_gone(pgdata)
    output = first.stdout.read().decode()
    assert f"Data dir: {tmp_path.resolve()} (embedded PostgreSQL" in output
    # An empty database: the first start says how to get a token.
    assert "coursier sponsors create" in output


def test_a_killed_server_does_not_keep_the_cluster_alive(tmp_path):
    pgdata = (tmp_path / "pg").resolve()
    port1, port2 = _free_port(), _free_port()
    survivor = _start(tmp_path, port1)
    try:
        _wait_ready(port1, survivor)
        crashed = _start(tmp_path, port2)
        _wait_ready(port2, crashed)
        crashed.kill()
        crashed.wait(timeout=10)
        assert httpx.get(f"http://127.0.0.1:{port1}/readyz", timeout=30).status_code == 200
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=30)
    _assert_postgres_gone(pgdata)


def test_the_readme_walk_with_the_sandbox(tmp_path):
    """`coursier serve --with-sandbox`, then the README's curl walk: a sponsor, a client, a mandate
    with its signed PDF, and the lookup that finds the line the job registered through the
    sandbox's published directory API."""
    port, sandbox_port, sftp_port = _free_port(), _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        COURSIER_DATA_DIR=str(tmp_path),
        PPF_URL=f"http://127.0.0.1:{sandbox_port}",
        PPF_SFTP_PORT=str(sftp_port),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "coursier", "serve", "--port", str(port), "--with-sandbox"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(port, server)
        created = subprocess.run(
            [sys.executable, "-m", "coursier", "sponsors", "create", "My ERP", "--json"],
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        )
        token = json.loads(created.stdout)["token"]
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}/api", headers={"Authorization": token}, timeout=30)
        client = api.post(
            "/clients",
            json={"organization_name": "Boulangerie Martin", "contact_email": "compta@martin.fr", "external_ref": "42"},
        ).json()["client"]["client_id"]
        api.headers["X-PDP-Client-Id"] = client
        signed = base64.b64encode(b"%PDF-1.7 signed").decode()
        assert api.post("/mandates", json={"siren": "200000008", "file_attachment": signed}).status_code == 201
        deadline = time.monotonic() + 60
        while (answer := api.get("/directory/lookup", params={"siren": "200000008"})).status_code != 200:
            assert time.monotonic() < deadline, answer.text
            time.sleep(0.5)
        assert answer.json()["recipient"] == {"platform": "this", "platform_id": "0042", "client_id": client}
        assert answer.json()["name"] == "Boulangerie Étoile SARL"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    _assert_postgres_gone((tmp_path / "pg").resolve())
