"""`coursier secrets rotate` on a database of its own: a new key put first, every stored secret
re-sealed with it batch by batch, then the old key removed, and the secrets still work."""

import base64
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coursier.cli import EXIT_CONFIGURATION, _register_commands, app
from coursier.db import migrate
from coursier.db.session import make_engine
from coursier.db.sponsor_users import SponsorUser
from coursier.db.webhooks import WebhookEndpoint
from coursier.kit import clock
from coursier.kit.sealed import SecretKeyMissing, key_id
from coursier.kit.tenancy import TenantContext
from coursier.services import sponsor_users, sponsors, webhooks

# Fixed keys: the test ids (xdist compares them between workers) are the same in every process.
OLD, NEW = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2))


@pytest.fixture
def database(monkeypatch, secret_keys, worker_id, fresh_database):
    """A migrated database of its own (the command re-seals every row of its database), which the
    command uses; the process seals with OLD."""
    url = fresh_database(f"coursier_secrets_cli_{worker_id}")
    monkeypatch.setenv("DATABASE_URL", url)
    secret_keys(OLD)
    engine = make_engine(url, pool_size=1)
    migrate.upgrade(engine)
    _register_commands()
    yield engine
    engine.dispose()


def _secrets(*args: str):
    return CliRunner().invoke(app, ["secrets", *args])


def _seed(engine) -> dict:
    """An endpoint whose secret was rotated (both sign), a user with TOTP on, one without; committed."""
    with Session(engine) as session:
        sponsor, _ = sponsors.create_sponsor(session, "Rotating")
        ctx = TenantContext(sponsor_id=sponsor.id)
        registration = webhooks.Registration(url="https://93.184.216.34/hook", event_types=[])
        endpoint, first = webhooks.create_endpoint(session, ctx, registration, allow_private=False)
        endpoint, second = webhooks.rotate_secret(session, ctx, endpoint.id, timedelta(hours=2))
        users = []
        for email in ("on@example.fr", "off@example.fr"):
            invitation = sponsor_users.invite_user(session, sponsor.id, email, role="admin")
            users.append(invitation.user)
        enrolment = sponsor_users.start_totp(session, users[0])
        session.commit()
        return {"endpoint": endpoint.id, "shown": [second, first], "user": users[0].id, "seed": enrolment.secret}


def _stored_key_ids(engine) -> set[str]:
    with engine.connect() as conn:
        values = conn.execute(
            text(
                "SELECT encode(secret, 'escape') FROM webhook_endpoints UNION ALL SELECT encode(previous_secret, "
                "'escape') FROM webhook_endpoints UNION ALL SELECT totp_secret FROM sponsor_users"
            )
        ).scalars()
        return {value.partition(":")[0] for value in values if value is not None}


def _in_use(engine, seeded) -> tuple[list[str], str]:
    """The signing secrets (as shown to the sponsor) and the TOTP seed, read through the tables."""
    with Session(engine) as session:
        endpoint = session.get(WebhookEndpoint, seeded["endpoint"])
        shown = [webhooks.format_secret(secret) for secret in webhooks.signing_secrets(endpoint, clock.now())]
        return shown, session.get(SponsorUser, seeded["user"]).totp_secret


def test_a_new_key_is_rotated_in_and_the_old_one_out(database, secret_keys):
    seeded = _seed(database)
    assert _stored_key_ids(database) == {key_id(OLD.encode())}

    secret_keys(NEW, OLD)  # the operator puts a new key first
    result = _secrets("rotate", "--batch-size", "1", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "key": key_id(NEW.encode()),
        "resealed": {"sponsor_users": 1, "webhook_endpoints": 2},
        "total": 3,
    }
    assert _stored_key_ids(database) == {key_id(NEW.encode())}
    again = _secrets("rotate")
    assert again.exit_code == 0 and "Re-sealed 0 secrets" in again.stdout  # nothing left on the old key

    secret_keys(NEW)  # and removes the old one
    shown, seed = _in_use(database, seeded)
    assert shown == seeded["shown"] and seed == seeded["seed"]

    secret_keys(OLD)  # a process left with the old key alone reads none of them
    with pytest.raises(SecretKeyMissing):
        _in_use(database, seeded)
    refused = _secrets("rotate")
    assert refused.exit_code == 1 and "cannot be read with this server's keys" in refused.output


def test_new_key_prints_a_key_the_setting_takes(secret_keys):
    _register_commands()
    result = _secrets("new-key")
    assert result.exit_code == 0
    keyring = secret_keys(result.stdout.strip())
    assert keyring.unseal(keyring.seal(b"x")) == b"x"


def test_keys_that_cannot_work_stop_the_command_with_a_line_saying_why(tmp_path):
    environment = {**os.environ, "COURSIER_SECRET_KEYS": "not-a-key", "COURSIER_DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    ran = subprocess.run(
        [sys.executable, "-m", "coursier", "secrets", "rotate"], env=environment, capture_output=True, text=True
    )
    assert ran.returncode == EXIT_CONFIGURATION
    assert "COURSIER_SECRET_KEYS: key 1 is not a Fernet key" in ran.stderr and "Traceback" not in ran.stderr
