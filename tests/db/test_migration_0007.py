"""Migration 0007 on a database with data: the `webhook_endpoints` setting becomes endpoints of its
client (disabled until someone rotates their secret), and events written before get their place
in the feed in the order of their timestamps."""

import json

from sqlalchemy import inspect, text

from coursier.db.session import make_engine
from support.migrations import migrate_to

HOOKS = [{"url": "https://erp.example.com/hook", "events": ["invoice.received"], "description": "ERP"}]


def test_0007_moves_the_setting_into_endpoints_and_orders_old_events(worker_id, fresh_database):
    engine = make_engine(fresh_database(f"coursier_migration_0007_{worker_id}"), pool_size=1)
    try:
        migrate_to(engine, "0005")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO sponsors (id, name) VALUES ('spn_m', 'M')"))
            conn.execute(
                text(
                    "INSERT INTO clients (id, sponsor_id, organization_name, external_ref, status)"
                    " VALUES ('cli_m', 'spn_m', 'M client', 'm-1', 'active')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO client_settings (client_id, sponsor_id, received_invoice_format, language,"
                    " invoice_number_pattern, auto_acknowledge_received, webhook_endpoints) VALUES ('cli_m', 'spn_m',"
                    " 'original', 'fr', 'F{SEQ}', false, CAST(:hooks AS jsonb))"
                ),
                {"hooks": json.dumps(HOOKS)},
            )
            for event_id, at in (("evt_later", "2026-01-02"), ("evt_earlier", "2026-01-01")):
                conn.execute(
                    text(
                        "INSERT INTO lifecycle_events (id, sponsor_id, client_id, object_type, object_id, status_code,"
                        " emitter, is_mandatory, details, created_at) VALUES (:id, 'spn_m', 'cli_m', 'invoice',"
                        " 'inv_m', 'InvoiceLifecycleStatus.DEPOSITED', 'PDPE', false, '{}', :at)"
                    ),
                    {"id": event_id, "at": at},
                )

        migrate_to(engine, "0007")
        with engine.connect() as conn:
            endpoint = conn.execute(text("SELECT * FROM webhook_endpoints")).mappings().one()
            events = conn.execute(text("SELECT id FROM lifecycle_events ORDER BY xact_id, seq")).scalars().all()
            next_seq = conn.execute(
                text(
                    "INSERT INTO lifecycle_events (id, sponsor_id, object_type, object_id, status_code, emitter,"
                    " is_mandatory, details) VALUES ('evt_new', 'spn_m', 'invoice', 'inv_m', 'x', 'PDPE', false, '{}')"
                    " RETURNING seq"
                )
            ).scalar()
        assert endpoint["client_id"] == "cli_m" and endpoint["url"] == "https://erp.example.com/hook"
        assert endpoint["event_types"] == ["invoice.received"] and endpoint["description"] == "ERP"
        assert endpoint["status"] == "disabled" and "rotate its secret" in endpoint["disabled_reason"]
        assert endpoint["id"].startswith("whk_") and len(endpoint["secret"]) == 32
        assert "webhook_endpoints" not in {c["name"] for c in inspect(engine).get_columns("client_settings")}
        assert events == ["evt_earlier", "evt_later"]
        assert next_seq == 3

        migrate_to(engine, "0005", down=True)
        with engine.connect() as conn:
            hooks = conn.execute(text("SELECT webhook_endpoints FROM client_settings")).scalar()
        assert hooks == HOOKS
    finally:
        engine.dispose()
