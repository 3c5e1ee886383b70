"""Many invoice rows at once, made by SQL (generate_series), for what lists do at scale: the plans
of tests/services/invoicing/test_listing_plans.py and bench/listing.py (which loads this file).

A client's rows over two years, in creation order; 70 % sent, 30 % received; statuses as a live
platform has them (mostly delivered, a few refused); 2,000 counterparties; small model and report
JSON (the lists must not read them whatever their size).
"""

from datetime import UTC, date, datetime

from sqlalchemy import text

# The client's own SIREN: the seller of what it sends, the buyer of what it receives.
OWN_SIREN = "111111111"
COUNTERPARTIES = 2000
FIRST_DAY = date(2025, 1, 1)
DAYS = 730
# Outbound and inbound statuses, one in ten rows each: delivered mostly, then deposited, refused.
OUTBOUND_STATUSES = (201, 201, 201, 201, 201, 201, 200, 213, 501, 221)
INBOUND_STATUSES = (203, 203, 203, 203, 203, 203, 203, 203, 202, 205)

_FILL = text(
    """
    INSERT INTO invoices (
        id, sponsor_id, client_id, direction, status_code, number, type_code, issue_date, currency,
        total_with_vat, seller_siren, seller_name, buyer_siren, buyer_name, container, syntax, file_name,
        model, validation, created_at
    )
    SELECT
        :prefix || lpad(i::text, 12, '0'),
        :sponsor_id,
        :client_id,
        rows.direction,
        CASE WHEN rows.direction = 'outbound'
             THEN (CAST(:outbound AS smallint[]))[1 + (i / 10) % 10]
             ELSE (CAST(:inbound AS smallint[]))[1 + (i / 10) % 10] END,
        'F-' || i,
        '380',
        CAST(:first_day AS date) + (i::bigint * :days / :total)::int,
        'EUR',
        ((i::bigint * 104729) % 10000000) / 100.0,
        CASE WHEN rows.direction = 'outbound' THEN :own ELSE rows.party END,
        CASE WHEN rows.direction = 'outbound' THEN 'Client' ELSE 'Société ' || rows.party END,
        CASE WHEN rows.direction = 'outbound' THEN rows.party ELSE :own END,
        CASE WHEN rows.direction = 'outbound' THEN 'Société ' || rows.party ELSE 'Client' END,
        'xml',
        'cii',
        'F-' || i || '.xml',
        jsonb_build_object(
            'number', 'F-' || i,
            'seller', jsonb_build_object('vat_identifier', 'FR00' || :own),
            'buyer', jsonb_build_object('vat_identifier', 'FR00' || rows.party)
        ),
        jsonb_build_object('file_size', 9000 + i % 7000, 'errors', '[]'::jsonb, 'warnings', '[]'::jsonb),
        CAST(:first_instant AS timestamptz) + make_interval(secs => i::double precision * :seconds / :total)
    FROM generate_series(:offset + 1, :offset + :count) AS i,
    LATERAL (
        SELECT CASE WHEN (i / 3) % 10 < 7 THEN 'outbound' ELSE 'inbound' END AS direction,
               '3' || lpad(((i::bigint * 7919) % :counterparties)::text, 8, '0') AS party
    ) AS rows
    """
)


def counterparty_siren(index: int) -> str:
    return "3" + f"{index % COUNTERPARTIES:08d}"


def fill_invoices(
    connection,
    *,
    sponsor_id: str,
    client_id: str,
    count: int,
    prefix: str = "inv_bulk_",
    offset: int = 0,
    total: int | None = None,
) -> None:
    """`count` invoices of the client, created one after the other over two years; a fill in
    parts gives each the `offset` of its first row and the `total` of all."""
    connection.execute(
        _FILL,
        {
            "prefix": prefix,
            "sponsor_id": sponsor_id,
            "client_id": client_id,
            "outbound": list(OUTBOUND_STATUSES),
            "inbound": list(INBOUND_STATUSES),
            "first_day": FIRST_DAY,
            "days": DAYS,
            "count": count,
            "offset": offset,
            "total": total or count,
            "own": OWN_SIREN,
            "counterparties": COUNTERPARTIES,
            "first_instant": datetime(2025, 1, 1, 8, 0, tzinfo=UTC),
            "seconds": DAYS * 86400,
        },
    )
