"""E-reporting fixtures: clients with an active mandate (their SIREN declares), a month whose
periods are all over, and the sandbox's e-reporting desk on a database of its own."""

from datetime import date

import pytest
from sqlalchemy import create_engine

from coursier.kit import clock
from support.invoicing import activate_mandate

SIREN_A, SIREN_B = "732829320", "552100554"


def month_ago(months: int) -> date:
    today = clock.today()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def month() -> date:
    """The first day of a month four months ago: every regime's periods and deadlines for it are over."""
    return month_ago(4)


@pytest.fixture
def declarant_a(session, tenant_a):
    activate_mandate(session, tenant_a, SIREN_A)
    return tenant_a


@pytest.fixture
def declarant_b(session, tenant_b):
    activate_mandate(session, tenant_b, SIREN_B)
    return tenant_b


@pytest.fixture(scope="session")
def sandbox_engine(fresh_database, worker_id):
    from coursier.sandbox.storage import metadata

    engine = create_engine(fresh_database(f"coursier_sandbox_unit_{worker_id}"))
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def ppf_desk(sandbox_engine):
    """A connection to the sandbox's own database, rolled back after the test."""
    with sandbox_engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()
