"""Latency of the invoice list (GET /api/invoicing/invoices) on a client with a million invoices.

Usage: python bench/listing.py [--rows N] [--repeat R] [--database-url URL] [--reuse]

Makes a scratch database (on DATABASE_URL's server or --database-url, else an embedded cluster in
a temporary data dir), applies the migrations, fills N invoices for one client by SQL
(generate_series; tests/support/invoice_rows.py) and N/10 for another client of another sponsor,
then VACUUM ANALYZE. For the main filter combinations it times what the endpoint does but HTTP:
the page query through the ORM (with, for issue dates, the read of their creation stretch) and
the summaries built from its rows; page 1, then deep pages
(cursors at 50 % and 90 % of the rows the filters keep, and the last page). Each is run R times; it prints p50 and
p99 per combination and page, the index the plan reads, and the worst p99. Target: p99 <= 50 ms.
"""

import argparse
import importlib.util
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from coursier.api.invoicing import InvoiceSummary, _summary_fields
from coursier.db import migrate
from coursier.db.invoices import Invoice
from coursier.db.paging import encode_cursor, page_of, page_statement
from coursier.db.session import make_engine, make_sessionmaker
from coursier.kit import clock, memory
from coursier.kit.embedded import normalise_url, start_embedded
from coursier.kit.tenancy import TenantContext
from coursier.services.clients import ClientCreate, create_client
from coursier.services.invoicing.reading import InvoiceFilters, list_invoices_query
from coursier.services.sponsors import create_sponsor

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "coursier_bench_listing"
PAGE = 50
FILL_CHUNK = 100_000
TARGET_P99_MS = 50


def _rows_module():
    spec = importlib.util.spec_from_file_location("invoice_rows", ROOT / "tests" / "support" / "invoice_rows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def combinations(rows) -> dict[str, InvoiceFilters]:
    party = rows.counterparty_siren(42)
    return {
        "no filter": InvoiceFilters(),
        "direction": InvoiceFilters(direction="inbound"),
        "status 213": InvoiceFilters(status="213"),
        "status rejected": InvoiceFilters(status="rejected"),
        "status processed": InvoiceFilters(status="processed"),
        "a month": InvoiceFilters(date_from=date(2025, 6, 1), date_to=date(2025, 6, 30)),
        "since a recent date": InvoiceFilters(date_from=clock.today() - timedelta(days=40)),
        "a year": InvoiceFilters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
        "counterparty": InvoiceFilters(counterparty=party),
        "direction+counterparty": InvoiceFilters(direction="outbound", counterparty=party),
        "amounts": InvoiceFilters(amount_min=Decimal("1000"), amount_max=Decimal("1100")),
        "direction+status+month": InvoiceFilters(
            direction="outbound", status="rejected", date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)
        ),
        "name fragment": InvoiceFilters(counterparty="société " + party),
        "name nobody has": InvoiceFilters(counterparty="nobody like this"),
        "name all have": InvoiceFilters(counterparty="société 3"),
        "number fragment": InvoiceFilters(number="F-424242"),
        "number nowhere": InvoiceFilters(number="ZZ-1"),
    }


# --reuse: the embedded cluster of the last run, kept here (the fill takes minutes).
KEPT_DATA_DIR = Path(tempfile.gettempdir()) / "coursier-bench-listing"


def scratch_database(url: str | None, *, reuse: bool) -> str:
    if url is None and os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
    if url is None:
        url = start_embedded(KEPT_DATA_DIR)
    url = make_url(normalise_url(url))
    if not reuse:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
    return url.set(database=DATABASE).render_as_string(hide_password=False)


def filled_client(sessions) -> TenantContext:
    """The big client of an earlier run's database."""
    with sessions() as session:
        row = session.execute(text("SELECT sponsor_id, id FROM clients WHERE external_ref = 'big'")).one()
    return TenantContext(sponsor_id=row.sponsor_id, client_id=row.id)


def fill(engine, sessions, rows, count: int) -> tuple[TenantContext, TenantContext]:
    with sessions.begin() as session:
        big_sponsor, _ = create_sponsor(session, "bench")
        big = create_client(
            session, TenantContext(sponsor_id=big_sponsor.id), ClientCreate("Big", "a@b.fr", external_ref="big")
        )
        other_sponsor, _ = create_sponsor(session, "other")
        other = create_client(
            session, TenantContext(sponsor_id=other_sponsor.id), ClientCreate("Other", "a@b.fr", external_ref="other")
        )
    started = time.perf_counter()
    for first in range(0, count, FILL_CHUNK):
        with engine.begin() as conn:
            rows.fill_invoices(
                conn,
                sponsor_id=big_sponsor.id,
                client_id=big.id,
                count=min(FILL_CHUNK, count - first),
                prefix="inv_big_",
                offset=first,
                total=count,
            )
        print(f"  {first + min(FILL_CHUNK, count - first):>9} rows, {time.perf_counter() - started:.0f} s", flush=True)
    with engine.begin() as conn:
        rows.fill_invoices(conn, sponsor_id=other_sponsor.id, client_id=other.id, count=count // 10, prefix="inv_o_")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE invoices"))
    return (
        TenantContext(sponsor_id=big_sponsor.id, client_id=big.id),
        TenantContext(sponsor_id=other_sponsor.id, client_id=other.id),
    )


def cursor_at(session, query, share: float | None) -> tuple[str | None, int]:
    """The cursor after the row at `share` of the rows `query` keeps (None: the last page, ten rows
    before the end), and how many it keeps."""
    kept = session.scalar(query.with_only_columns(func.count()).order_by(None))
    offset = max(0, kept - 10) if share is None else int(kept * share)
    if offset == 0:
        return None, kept
    last = session.execute(
        query.with_only_columns(Invoice.created_at, Invoice.id)
        .order_by(Invoice.created_at, Invoice.id)
        .offset(offset - 1)
        .limit(1)
    ).one()
    return encode_cursor(last.created_at.isoformat(), last.id), kept


def index_read(session, query, cursor) -> str:
    sql = page_statement(query, Invoice, limit=PAGE, cursor=cursor).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    plan = "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())
    if "Seq Scan" in plan:
        return "SEQ SCAN"
    used = [word for word in plan.replace("(", " ").split() if word.startswith("ix_invoices_")]
    return ",".join(dict.fromkeys(used)) or "?"


def timed_page(sessions, ctx, filters, cursor) -> float:
    with sessions() as session:
        started = time.perf_counter()
        query = list_invoices_query(session, ctx, filters)
        page = page_of(session, query, Invoice, limit=PAGE, cursor=cursor)
        [InvoiceSummary(**_summary_fields(invoice)) for invoice in page.rows]
        return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--reuse", action="store_true", help="the database of the last run, as it was filled")
    args = parser.parse_args()
    rows = _rows_module()
    url = scratch_database(args.database_url, reuse=args.reuse)
    engine = make_engine(url, pool_size=2)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    if args.reuse:
        ctx = filled_client(sessions)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE invoices"))  # a migration since the fill may have added indexes
    else:
        print(f"filling {args.rows} invoices of one client (and {args.rows // 10} of another sponsor's)...", flush=True)
        ctx, _ = fill(engine, sessions, rows, args.rows)
    with sessions() as session:
        args.rows = session.scalar(select(func.count()).select_from(Invoice).where(Invoice.client_id == ctx.client_id))

    cases = []
    with sessions() as session:
        for name, filters in combinations(rows).items():
            query = list_invoices_query(session, ctx, filters)
            for label, share in (("page 1", 0.0), ("50 %", 0.5), ("90 %", 0.9), ("last", None)):
                cursor, kept = cursor_at(session, query, share)
                cases.append((name, label, filters, cursor, kept, index_read(session, query, cursor)))
    for _ in range(2):  # warm the caches and the ORM's statement cache
        for _, _, filters, cursor, *_ in cases:
            timed_page(sessions, ctx, filters, cursor)
    memory.settle()  # as `coursier serve` does before it serves
    timings: dict[int, list[float]] = {index: [] for index in range(len(cases))}
    for _ in range(args.repeat):  # rounds over every case: a busy moment slows them all alike
        for index, (_, _, filters, cursor, *_) in enumerate(cases):
            timings[index].append(timed_page(sessions, ctx, filters, cursor))

    print(f"\n{args.rows} invoices, page of {PAGE}, {args.repeat} runs each (ms)")
    print(f"{'filters':<24}{'page':>8}{'rows kept':>11}{'p50':>8}{'p99':>8}  index")
    worst = 0.0
    for index, (name, label, _, _, kept, used) in enumerate(cases):
        p50, p99 = (percentile(timings[index], share) * 1000 for share in (0.5, 0.99))
        worst = max(worst, p99)
        print(f"{name:<24}{label:>8}{kept:>11}{p50:>8.1f}{p99:>8.1f}  {used}")
    print(f"median of all p50: {statistics.median(percentile(t, 0.5) for t in timings.values()) * 1000:.1f} ms")
    verdict = "met" if worst <= TARGET_P99_MS else "NOT met"
    print(f"worst p99: {worst:.1f} ms (target <= {TARGET_P99_MS} ms: {verdict})")
    engine.dispose()


if __name__ == "__main__":
    main()
