"""Migration 0018 on a database with clear secrets: webhook signing secrets and TOTP seeds are sealed
in place with the configured key, read back through the tables' column types, and made clear again
by the downgrade."""

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from coursier.db.session import make_engine
from coursier.db.sponsor_users import SponsorUser
from coursier.db.webhooks import WebhookEndpoint
from coursier.kit.sealed import new_key
from support.migrations import migrate_to

ENDPOINTS = 501  # more than one batch of the rewrite
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _clear_secret(n: int) -> bytes:
    return n.to_bytes(2, "big") * 16


def _stored(engine) -> tuple[dict, dict]:
    with engine.connect() as conn:
        endpoints = {
            row.id: row for row in conn.execute(text("SELECT id, secret, previous_secret FROM webhook_endpoints"))
        }
        seeds = dict(conn.execute(text("SELECT id, totp_secret FROM sponsor_users")).all())
    return endpoints, seeds


def test_0018_seals_the_clear_secrets_and_the_downgrade_opens_them(worker_id, fresh_database, secret_keys):
    keyring = secret_keys(new_key())  # the migration seals with the configured key, as the application
    engine = make_engine(fresh_database(f"coursier_migration_0018_{worker_id}"), pool_size=1)
    try:
        migrate_to(engine, "0017")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO sponsors (id, name) VALUES ('spn_m', 'M')"))
            conn.execute(
                text(
                    "INSERT INTO webhook_endpoints (id, sponsor_id, url, event_types, status, secret, previous_secret)"
                    " SELECT 'whk_' || lpad(n::text, 4, '0'), 'spn_m', 'https://erp.example.com/hook', '[]',"
                    " 'active', decode(repeat(lpad(to_hex(n), 4, '0'), 16), 'hex'),"
                    " CASE WHEN n % 2 = 0 THEN decode('00ff', 'hex') END FROM generate_series(1, :count) AS n"
                ),
                {"count": ENDPOINTS},
            )
            conn.execute(
                text(
                    "INSERT INTO sponsor_users (id, sponsor_id, email, role, language, totp_secret, failed_attempts)"
                    " VALUES ('usr_on', 'spn_m', 'on@example.fr', 'admin', 'fr', :seed, 0),"
                    " ('usr_off', 'spn_m', 'off@example.fr', 'admin', 'fr', NULL, 0)"
                ),
                {"seed": SEED},
            )
        clear_endpoints, clear_seeds = _stored(engine)
        assert clear_endpoints["whk_0007"].secret == _clear_secret(7) and clear_seeds["usr_on"] == SEED

        migrate_to(engine, "0018")
        endpoints, seeds = _stored(engine)
        for endpoint_id, clear in clear_endpoints.items():
            sealed = endpoints[endpoint_id]
            assert sealed.secret.startswith(keyring.sealing_key_id.encode() + b":")
            assert keyring.unseal(sealed.secret) == clear.secret
            if clear.previous_secret is None:
                assert sealed.previous_secret is None
            else:
                assert keyring.unseal(sealed.previous_secret) == clear.previous_secret == b"\x00\xff"
        assert SEED not in seeds["usr_on"] and keyring.unseal(seeds["usr_on"].encode()).decode() == SEED
        assert seeds["usr_off"] is None
        with Session(engine) as session:  # the tables read them as they were
            assert session.get(WebhookEndpoint, "whk_0501").secret == _clear_secret(501)
            assert session.scalar(select(SponsorUser.totp_secret).where(SponsorUser.id == "usr_on")) == SEED

        migrate_to(engine, "0017", down=True)
        assert _stored(engine) == (clear_endpoints, clear_seeds)
        [column] = [c for c in inspect(engine).get_columns("sponsor_users") if c["name"] == "totp_secret"]
        assert column["type"].length == 64
    finally:
        engine.dispose()
