"""`coursier sponsors` and `coursier tokens` on the same database the server uses."""

import json

import pytest
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.config import get_settings


@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    _register_commands()
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    yield invoke
    get_settings.cache_clear()


def test_sponsor_token_lifecycle(run, api):
    created = json.loads(run("sponsors", "create", "Cabinet Comptable", "--json"))
    token = created["token"]
    assert created["sponsor_id"].startswith("spn_") and token.startswith("csk_")
    # The database is committed by the CLI; the API (on the test connection) sees it.
    assert api.get("/api/clients", headers={"Authorization": token}).status_code == 200

    second = json.loads(run("tokens", "create", created["sponsor_id"], "--name", "ci", "--json"))
    listed = json.loads(run("tokens", "list", created["sponsor_id"], "--json"))
    assert [t["name"] for t in listed] == ["default", "ci"]
    assert all(second["token"] not in json.dumps(t) for t in listed)  # secrets are never listed

    run("tokens", "revoke", second["token_id"])
    assert api.get("/api/clients", headers={"Authorization": second["token"]}).status_code == 401
    assert api.get("/api/clients", headers={"Authorization": token}).status_code == 200
    assert [t["revoked"] for t in json.loads(run("tokens", "list", created["sponsor_id"], "--json"))] == [False, True]


def test_sponsors_create_prints_the_token_once_in_text_mode(run):
    out = run("sponsors", "create", "Editeur ERP")
    assert "csk_" in out and "shown once" in out
