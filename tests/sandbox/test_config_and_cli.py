"""Starting the sandbox: platforms and tokens, its database, and `coursier sandbox` refusing bad input."""

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.network.peers.pki import init_test_pki, smp_files_of
from coursier.sandbox.config import (
    DEFAULT_PISTE_CLIENTS,
    DEFAULT_PLATFORMS,
    ConfigError,
    PisteClient,
    parse_piste_clients,
    parse_platforms,
    piste_clients_from_environment,
    platforms_from_environment,
)

_register_commands()

# The embedded cluster tests/conftest.py starts when DATABASE_URL is unset.
EMBEDDED_TEST_DATA_DIR = Path(__file__).resolve().parents[2] / ".coursier-test"


def test_platforms_map_tokens_to_matricules():
    assert parse_platforms("0042:token-a, 0099:token-b") == {"token-a": "0042", "token-b": "0099"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0042", "is not MATRICULE:TOKEN"),
        ("42:token", "not the 4-character matricule"),
        ("0000:token", "not the 4-character matricule"),  # the PPF's own
        ("0042:same,0099:same", "already given to 0042"),
        (" , ", "no platform given"),
    ],
)
def test_a_bad_platform_list_is_refused(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_platforms(spec)


def test_without_a_platform_list_there_are_us_and_a_competitor():
    assert (
        platforms_from_environment({}) == DEFAULT_PLATFORMS == {"sandbox-token": "0042", "sandbox-token-0099": "0099"}
    )
    assert platforms_from_environment({"SANDBOX_PLATFORMS": "0077:t"}) == {"t": "0077"}


def test_piste_clients_map_client_ids_to_a_secret_and_a_platform():
    assert parse_piste_clients("app-a:s3cret:0042, app-b:other:0099") == {
        "app-a": PisteClient("s3cret", "0042"),
        "app-b": PisteClient("other", "0099"),
    }
    assert piste_clients_from_environment({}) == DEFAULT_PISTE_CLIENTS
    assert DEFAULT_PISTE_CLIENTS["coursier-0042"] == PisteClient("sandbox-secret", "0042")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("app:secret", "is not CLIENT_ID:SECRET:MATRICULE"),
        ("app::0042", "is not CLIENT_ID:SECRET:MATRICULE"),
        ("app:secret:0000", "not the 4-character matricule"),
        ("app:a:0042,app:b:0099", "given twice"),
        (",", "no PISTE client given"),
    ],
)
def test_a_bad_piste_client_list_is_refused(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_piste_clients(spec)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="uses the embedded test cluster")
def test_without_a_url_the_sandbox_has_its_own_database_on_the_embedded_cluster():
    from coursier.sandbox.config import SandboxConfig
    from coursier.sandbox.storage import open_database

    engine = open_database(SandboxConfig(data_dir=EMBEDDED_TEST_DATA_DIR))
    try:
        assert engine.url.database == "coursier_sandbox"
        assert {"companies", "directory_lines", "access_tokens", "received_flows", "mails"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_the_command_refuses_a_bad_register_file(fresh_database, worker_id, tmp_path):
    bad = tmp_path / "companies.csv"
    bad.write_text(
        "siren,legal_name,company_status,siret,establishment_name,line1,postal_code,city,"
        "administrative_status,head_office\n123456789,X,A,12345678900012,S,1 rue,75001,Paris,A,true\n"
    )
    url = fresh_database(f"coursier_sandbox_cli_{worker_id}")
    result = CliRunner().invoke(
        app, ["sandbox", "--database-url", url, "--seed-companies", "0", "--companies", str(bad)]
    )
    assert result.exit_code == 2
    assert "companies.csv, line 2" in result.output and "checksum" in result.output


def test_the_command_refuses_a_bad_platform_list():
    result = CliRunner().invoke(app, ["sandbox"], env={"SANDBOX_PLATFORMS": "0042"})
    assert result.exit_code == 2 and "is not MATRICULE:TOKEN" in result.output


def test_the_command_refuses_an_smp_certificate_that_is_not_of_its_key(fresh_database, worker_id, tmp_path):
    made = init_test_pki(tmp_path, ["0042"])
    smp = smp_files_of(tmp_path)
    url = fresh_database(f"coursier_sandbox_cli_{worker_id}")
    arguments = ["sandbox", "--database-url", url, "--seed-companies", "0", "--smp-key", str(smp["key"])]
    result = CliRunner().invoke(app, [*arguments, "--smp-certificate", str(made["0042"]["certificate"])])
    assert result.exit_code == 2 and "is not the certificate of the RSA key" in result.output
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2 and "give both or neither" in result.output


def test_a_database_of_another_schema_version_is_emptied_of_the_sandbox_tables_first(fresh_database, worker_id):
    from sqlalchemy import create_engine, text

    from coursier.sandbox.config import SandboxConfig
    from coursier.sandbox.storage import open_database

    url = fresh_database(f"coursier_sandbox_schema_{worker_id}")
    older = create_engine(url)
    with older.begin() as conn:
        conn.execute(text("CREATE TABLE directory_line_instances (instance_id int)"))
        conn.execute(text("CREATE TABLE companies (siren varchar(9) PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE somebody_elses (x int)"))
    older.dispose()
    engine = open_database(SandboxConfig(database_url=url))
    try:
        tables = set(inspect(engine).get_table_names())
        assert "directory_line_instances" not in tables and {"somebody_elses", "directory_lines"} <= tables
        assert "instance_id" in {column["name"] for column in inspect(engine).get_columns("companies")}
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO mails VALUES ('m1', '0042', 'a@b.fr', 's', 't', NULL, now())"))
        open_database(SandboxConfig(database_url=url)).dispose()  # the same version: nothing dropped
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM mails")).scalar() == 1
    finally:
        engine.dispose()
