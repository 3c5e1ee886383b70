"""Where the commands find their database, and the address their links give, whatever the working directory."""

import json

import platformdirs
import pytest
import uvicorn
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.config import Settings, get_settings


@pytest.fixture
def runner():
    _register_commands()
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_the_data_dir_is_the_users_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSIER_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    expected = platformdirs.user_data_path("coursier", appauthor=False)
    assert Settings().data_dir == expected and expected.is_absolute()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert Settings().data_dir == expected
    monkeypatch.setenv("COURSIER_DATA_DIR", str(tmp_path / "mine"))
    assert Settings().data_dir == tmp_path / "mine"


def test_a_command_says_which_database_it_uses(runner, monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url.replace("postgresql+psycopg://", "postgresql://"))
    result = runner.invoke(app, ["sponsors", "list", "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # stdout stays the answer alone
    [line] = result.stderr.splitlines()
    assert line.startswith("Database: postgresql+psycopg://") and line.endswith(database_url.rsplit("/", 1)[1])


@pytest.fixture
def served(runner, monkeypatch, database_url):
    """`coursier serve` with these arguments, up to uvicorn, which is not started: its arguments are returned."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("COURSIER_PUBLIC_URL", raising=False)
    # Its JSON log handler would outlive the runner's stderr.
    monkeypatch.setattr("coursier.kit.logs.configure_logging", lambda level: None)
    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: started.update(app=application, **options))

    def serve(*arguments: str) -> dict:
        result = runner.invoke(app, ["serve", "--no-worker", *arguments])
        assert result.exit_code == 0, result.output
        return started | {"stderr": result.stderr}

    return serve


def test_links_follow_the_port_and_host_given_to_serve(served):
    started = served("--port", "8152", "--host", "127.0.0.2")
    assert (started["host"], started["port"]) == ("127.0.0.2", 8152)
    assert started["app"].state.settings.base_url == "http://127.0.0.2:8152"
    assert "Database: " in started["stderr"]


def test_a_public_url_is_kept_whatever_the_port(served, monkeypatch):
    monkeypatch.setenv("COURSIER_PUBLIC_URL", "https://pa.example.fr")
    assert served("--port", "8152")["app"].state.settings.base_url == "https://pa.example.fr"
