"""`coursier reporting preview`: the same report as GET /api/reporting/periods/{id}/preview."""

import json
import secrets
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coursier.cli import _register_commands, app
from coursier.config import get_settings
from coursier.db.base import new_id
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import Category
from coursier.validation.f10 import check_f10
from support.invoicing import activate_mandate


def _siren() -> str:
    """A valid SIREN no other test uses (mandates hold their SIREN platform-wide)."""
    body = [int(digit) for digit in f"{secrets.randbelow(10**8):08d}"]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(body))
    return "".join(map(str, body)) + str((10 - total % 10) % 10)


@pytest.fixture
def run(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    _register_commands()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def test_preview_prints_the_next_report(run, engine):
    from conftest import make_tenant
    from coursier.services.reporting.b2c import VatLine, record_b2c_day

    with Session(engine) as session:  # committed: the command reads the database on its own
        tenant = make_tenant(session, new_id("t"))
        siren = _siren()
        activate_mandate(session, tenant, siren)
        ctx = TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id)
        day = clock.today()  # a period not due yet: the job of other tests leaves it alone
        recorded = record_b2c_day(
            session,
            ctx,
            day=day,
            currency="EUR",
            category=Category.GOODS,
            vat=[VatLine(Decimal("20"), Decimal("10.00"), Decimal("2.00"))],
        )
        session.commit()
        period_id = recorded.item.period_id
    result = run("reporting", "preview", "--client", tenant.client_id, "--period", period_id)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["period_id"] == period_id and shown["report"]["document"]["declarant_siren"] == siren
    [entry] = shown["report"]["transactions"]["transactions"]
    assert (entry["date"], entry["tax_total"]) == (day.isoformat(), "2.00")
    as_xml = run("reporting", "preview", "--client", tenant.client_id, "--period", period_id, "--xml")
    assert as_xml.exit_code == 0 and check_f10(as_xml.stdout.encode()).valid
    unknown = run("reporting", "preview", "--client", "cli_nobody0000000000", "--period", period_id)
    assert unknown.exit_code == 1 and "No client" in unknown.output
