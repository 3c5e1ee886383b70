"""At scale, every main filter of the invoice list reads an index, never the whole table: checked
on the plans PostgreSQL picks for a filled table, sequential scans allowed."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, text
from sqlalchemy.dialects import postgresql

from coursier.db import invoices as invoices_module
from coursier.db.invoices import Invoice, InvoiceRepository, fragment_trigrams
from coursier.db.paging import encode_cursor, page_statement
from coursier.kit.tenancy import TenantContext
from coursier.services.invoicing.reading import InvoiceFilters, list_invoices_query
from support.invoice_rows import counterparty_siren, fill_invoices

ROWS = 30_000
# The main ways a list is asked for: each alone, and a few together.
COMBINATIONS = {
    "none": InvoiceFilters(),
    "direction": InvoiceFilters(direction="inbound"),
    "status code": InvoiceFilters(status="213"),
    "status rejected": InvoiceFilters(status="rejected"),
    "status validated": InvoiceFilters(status="validated"),
    "status processed": InvoiceFilters(status="processed"),
    "a month": InvoiceFilters(date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)),
    "a year": InvoiceFilters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
    "counterparty": InvoiceFilters(counterparty=counterparty_siren(42)),
    "counterparty sent to": InvoiceFilters(direction="outbound", counterparty=counterparty_siren(42)),
    "amounts": InvoiceFilters(amount_min=Decimal("100"), amount_max=Decimal("110")),
    "direction status month": InvoiceFilters(
        direction="outbound", status="rejected", date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)
    ),
    "a name fragment": InvoiceFilters(counterparty="Société 30000004"),
    "a name fragment sent to": InvoiceFilters(direction="outbound", counterparty="té 300000042"),
    "a name nobody has": InvoiceFilters(counterparty="nobody like this"),
    "a name fragment all have": InvoiceFilters(counterparty="société 3"),
    "a number fragment": InvoiceFilters(number="F-4242"),
    "a number that is nowhere": InvoiceFilters(number="ZZ-1"),
}


@pytest.fixture
def filled(session, tenant_a, tenant_b):
    """Tenant A's client with many invoices, tenant B's with some; statistics up to date."""
    connection = session.connection()
    fill_invoices(connection, sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id, count=ROWS)
    fill_invoices(
        connection, sponsor_id=tenant_b.sponsor_id, client_id=tenant_b.client_id, count=ROWS // 3, prefix="inv_b_"
    )
    connection.execute(text("ANALYZE invoices"))
    return tenant_a


def _plan(session, stmt) -> str:
    sql = stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())


@pytest.mark.parametrize("name", COMBINATIONS)
def test_each_main_filter_reads_an_index(session, filled, name):
    assert session.scalar(text("SHOW enable_seqscan")) == "on"
    ctx = TenantContext(sponsor_id=filled.sponsor_id, client_id=filled.client_id)
    query = list_invoices_query(session, ctx, COMBINATIONS[name])
    deep = encode_cursor("2026-06-01T00:00:00+00:00", "inv_bulk_")
    for cursor in (None, deep):
        plan = _plan(session, page_statement(query, Invoice, limit=50, cursor=cursor))
        assert "Seq Scan" not in plan and "Index" in plan, plan


def test_the_sponsor_wide_list_newest_first_reads_an_index(session, filled):
    query = list_invoices_query(session, TenantContext(sponsor_id=filled.sponsor_id), InvoiceFilters())
    plan = _plan(session, page_statement(query, Invoice, limit=50, newest_first=True))
    assert "Seq Scan" not in plan and "Index Scan Backward using ix_invoices_sponsor_order" in plan, plan


def test_a_list_reads_no_json_column(session, filled):
    ctx = TenantContext(sponsor_id=filled.sponsor_id, client_id=filled.client_id)
    sql = str(page_statement(list_invoices_query(session, ctx, InvoiceFilters()), Invoice, limit=50).compile())
    selected = sql.split(" FROM ")[0]
    assert "invoices.model," not in selected and "invoices.validation," not in selected
    assert "jsonb_build_object" in selected  # the few facts a summary shows, computed by the database


def test_a_few_weeks_of_issue_dates_list_exactly_their_invoices_however_late_created(session, filled):
    from coursier.db.paging import page_of

    # An invoice of June created last of all, and one created first issued in June too.
    session.execute(
        text("UPDATE invoices SET issue_date = '2025-06-15' WHERE id IN (:last, :first)"),
        {"last": f"inv_bulk_{ROWS:012d}", "first": f"inv_bulk_{1:012d}"},
    )
    ctx = TenantContext(sponsor_id=filled.sponsor_id, client_id=filled.client_id)
    query = list_invoices_query(session, ctx, COMBINATIONS["a month"])
    listed, cursor = [], None
    while True:
        page = page_of(session, query, Invoice, limit=200, cursor=cursor)
        listed += [invoice.id for invoice in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    expected = session.scalars(
        text(
            "SELECT id FROM invoices WHERE client_id = :client AND issue_date BETWEEN '2025-06-01' AND '2025-06-30'"
            " ORDER BY created_at, id"
        ),
        {"client": filled.client_id},
    ).all()
    assert listed == expected and listed[0] == f"inv_bulk_{1:012d}" and listed[-1] == f"inv_bulk_{ROWS:012d}"


@pytest.mark.parametrize(
    "filters,column",
    [
        (InvoiceFilters(number="F-42"), "number"),
        (InvoiceFilters(number="f-4242"), "number"),
        (InvoiceFilters(number="-1"), "number"),  # two characters: no trigram
        (InvoiceFilters(number="%"), "number"),  # a LIKE wildcard is a character like any other
        (InvoiceFilters(number="F_1"), "number"),
        (InvoiceFilters(direction="outbound", counterparty="SOCIÉTÉ 3000000"), "buyer_name"),
        (InvoiceFilters(direction="inbound", counterparty="été 30"), "seller_name"),
    ],
)
def test_a_fragment_finds_exactly_the_rows_whose_text_contains_it(session, filled, filters, column):
    ctx = TenantContext(sponsor_id=filled.sponsor_id, client_id=filled.client_id)
    listed = set(session.scalars(list_invoices_query(session, ctx, filters).with_only_columns(Invoice.id)))
    fragment = (filters.number or filters.counterparty).lower()
    expected = set(
        session.scalars(
            text(
                f"SELECT id FROM invoices WHERE client_id = :client AND strpos(lower({column}), :fragment) > 0"
                + (" AND direction = :direction" if filters.direction else "")
            ),
            {"client": filled.client_id, "fragment": fragment, "direction": filters.direction},
        )
    )
    assert listed == expected
    assert expected or fragment in ("%", "f_1")


def test_the_trigrams_of_a_fragment_are_those_the_index_holds(session):
    for value in ("société 300000042", "f-4242", "ab", "aaaa", "été 30 été"):
        in_the_database = session.scalar(text("SELECT coursier_trigrams(:value)"), {"value": value})
        assert set(in_the_database) == fragment_trigrams(value)


def test_a_fragment_is_looked_up_by_its_rare_trigrams(session, filled, monkeypatch):
    monkeypatch.setattr(invoices_module, "_common", {})  # the statistics of this test's rows
    condition = InvoiceRepository(session).text_contains(Invoice.buyer_name, "Société 300000042")
    [searched] = [value for value in condition.compile().params.values() if isinstance(value, list)]
    # Every name of the filled rows is "Société 3…": those trigrams would each select them all.
    assert "soc" not in searched and "é 3" not in searched and "042" in searched
    only_common = InvoiceRepository(session).text_contains(Invoice.buyer_name, "Société")
    assert not [value for value in only_common.compile().params.values() if isinstance(value, list)]


def test_the_planner_knows_how_many_rows_a_fragment_keeps(session, filled):
    # A fragment every name has is not taken for a rare one (statistics on the lowered texts): at
    # scale the planner would sort every row rather than walk the order.
    ctx = TenantContext(sponsor_id=filled.sponsor_id, client_id=filled.client_id)
    query = list_invoices_query(session, ctx, InvoiceFilters(direction="outbound", counterparty="société 3"))
    estimated = int(_plan(session, query).split("rows=")[1].split()[0])
    kept = session.scalar(query.with_only_columns(func.count()).order_by(None))
    assert kept > ROWS / 2 and estimated > kept / 3, (estimated, kept)
