"""Invoices, sent and received (one row per side), and the reads of their lifecycle events."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from time import monotonic

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    Select,
    SmallInteger,
    String,
    Text,
    exists,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, defer, mapped_column, query_expression, with_expression
from sqlalchemy.sql.elements import ColumnElement

from coursier.db.as4_messages import As4Message
from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import REFUSAL_STATUSES

Money = Numeric(19, 2)
# Invoice.direction: issued by the row's client, or received by it.
OUTBOUND, INBOUND = "outbound", "inbound"
# The invoices a duplicate is looked for among: sent, and not refused (213, 501).
_ACCEPTED_OUTBOUND = text("direction = 'outbound' AND status_code NOT IN (213, 501)")


def trigrams(value) -> ColumnElement[list[str]]:
    """The distinct three-character pieces of lower(value) (SQL function of migration 0019): a
    text contains a fragment only if its trigrams contain the fragment's, which a GIN index finds
    (pg_trgm's idea, with what every PostgreSQL has)."""
    return func.coursier_trigrams(func.lower(value), type_=ARRAY(Text))


def fragment_trigrams(fragment: str) -> set[str]:
    """`coursier_trigrams` of a fragment already lowered, in Python: the query leaves out the
    common ones (`InvoiceRepository.text_contains`)."""
    return {fragment[start : start + 3] for start in range(len(fragment) - 2)}


def trigram_index(column: str) -> str:
    """The name of the trigram index of a column of invoices (its statistics are read by that name)."""
    return f"ix_invoices_{column}_trigrams"


# Trigrams in at least this share of a column's values find next to nothing: reading their long
# lists in the index costs more than checking the rows the rarer ones find (measured at 1 M rows:
# a name fragment 54 ms with all its trigrams, 4 ms with its rare ones).
_COMMON_SHARE = 0.05
_COMMON_KEPT_SECONDS = 600.0
_common: dict[str, tuple[float, frozenset[str]]] = {}


class Invoice(Base):
    """One invoice as one client sees it: an outbound one it issued, or an inbound one it received.

    An invoice exchanged between two clients of this platform is two rows, one per side, linked by
    `source_invoice_id`, so each side has its own statuses and its own tenant.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        # The lists (services.invoicing.reading): rows in (created_at, id) order for a client, or for
        # the whole sponsor (the dashboard), with every filter the API offers: an index walked in
        # that order where the filter is an equality, an index on the filtered range otherwise
        # (few rows: sorted; many: the planner walks the order and filters). A fragment of a
        # number or a name: the trigram indexes below.
        Index("ix_invoices_client_order", "sponsor_id", "client_id", "created_at", "id"),
        Index("ix_invoices_sponsor_order", "sponsor_id", "created_at", "id"),
        Index("ix_invoices_listing", "sponsor_id", "client_id", "direction", "created_at", "id"),
        Index("ix_invoices_client_status", "sponsor_id", "client_id", "status_code", "created_at", "id"),
        Index("ix_invoices_client_buyer", "sponsor_id", "client_id", "buyer_siren", "created_at", "id"),
        Index("ix_invoices_client_seller", "sponsor_id", "client_id", "seller_siren", "created_at", "id"),
        # Also the first and last creation of each issue date (`creation_stretch`).
        Index("ix_invoices_client_issue_date", "sponsor_id", "client_id", "issue_date", "created_at"),
        Index("ix_invoices_client_total", "sponsor_id", "client_id", "total_with_vat"),
        # Not a duplicate (same seller, number and year) among the invoices this platform accepted.
        Index("uq_invoices_accepted_duplicate_key", "duplicate_key", unique=True, postgresql_where=_ACCEPTED_OUTBOUND),
        # Fragments of a number or of a party's name (`InvoiceRepository.text_contains`).
        *(
            Index(trigram_index(column), trigrams(text(column)), postgresql_using="gin")
            for column in ("number", "buyer_name", "seller_name")
        ),
        # A sent invoice is delivered once: at most one inbound copy of it, however often routing runs.
        Index(
            "uq_invoices_inbound_source",
            "source_invoice_id",
            unique=True,
            postgresql_where=text("direction = 'inbound'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="RESTRICT"), index=True)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)  # outbound | inbound
    status_code: Mapped[int] = mapped_column(SmallInteger, nullable=False)  # model.lifecycle.InvoiceStatus
    rejection_reason: Mapped[str | None] = mapped_column(String(40))
    rejection_message: Mapped[str | None] = mapped_column(String(2000))
    number: Mapped[str | None] = mapped_column(String(200))
    type_code: Mapped[str | None] = mapped_column(String(3))
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str | None] = mapped_column(String(3))
    total_without_vat: Mapped[Decimal | None] = mapped_column(Money)
    total_vat: Mapped[Decimal | None] = mapped_column(Money)
    total_with_vat: Mapped[Decimal | None] = mapped_column(Money)
    amount_due: Mapped[Decimal | None] = mapped_column(Money)
    seller_siren: Mapped[str | None] = mapped_column(String(9))
    seller_name: Mapped[str | None] = mapped_column(String(300))
    buyer_siren: Mapped[str | None] = mapped_column(String(9))
    buyer_name: Mapped[str | None] = mapped_column(String(300))
    # "seller SIREN|number|issue year": what makes an invoice a duplicate of another.
    duplicate_key: Mapped[str | None] = mapped_column(String(300))
    container: Mapped[str | None] = mapped_column(String(8))  # xml | pdf
    syntax: Mapped[str | None] = mapped_column(String(16))  # cii | ubl
    profile: Mapped[str | None] = mapped_column(String(32))
    file_name: Mapped[str | None] = mapped_column(String(255))
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    readable_document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    # The EN 16931 model of the invoice, as JSON (field names of the API's invoice model).
    model: Mapped[dict | None] = mapped_column(JSONB(none_as_null=True))
    validation: Mapped[dict | None] = mapped_column(JSONB(none_as_null=True))
    recipient_platform_id: Mapped[str | None] = mapped_column(String(8))
    source_invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoices.id", ondelete="RESTRICT"))
    draft_id: Mapped[str | None] = mapped_column(String(32))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()
    # What a summary shows of the JSON columns (`summary_facts`), computed by the database for a
    # listed row so that lists never load them (`InvoiceRepository.listable`); None otherwise.
    listed_facts: Mapped[dict | None] = query_expression()


def summary_facts(invoice: Invoice) -> dict:
    """Whether the invoice has its EN 16931 model, the file's size and the parties' VAT numbers."""
    if invoice.listed_facts is not None:
        return invoice.listed_facts
    model = invoice.model or {}
    return {
        "has_model": invoice.model is not None,
        "file_size": (invoice.validation or {}).get("file_size"),
        "seller_vat_identifier": (model.get("seller") or {}).get("vat_identifier"),
        "buyer_vat_identifier": (model.get("buyer") or {}).get("vat_identifier"),
    }


# `summary_facts` as the database computes it (a few bytes instead of the JSON columns).
_LISTED_FACTS = func.jsonb_build_object(
    "has_model",
    Invoice.model.is_not(None),
    "file_size",
    Invoice.validation["file_size"],
    "seller_vat_identifier",
    Invoice.model[("seller", "vat_identifier")],
    "buyer_vat_identifier",
    Invoice.model[("buyer", "vat_identifier")],
)


class InvoiceRepository(ScopedRepository[Invoice]):
    model = Invoice
    noun = "invoice"

    def text_contains(self, column, fragment: str) -> ColumnElement[bool]:
        """lower(column) contains lower(fragment) (LIKE, its wildcards escaped), the candidates found
        first through the column's trigram index by the fragment's trigrams, less the common ones;
        a fragment with no other (under three characters, or only common ones) walks the order."""
        fragment = fragment.lower()
        found = func.lower(column).contains(fragment, autoescape=True)
        searched = fragment_trigrams(fragment) - self._common_trigrams(column.key)
        if not searched:
            return found
        # LIKE first: where a condition of an OR is checked row by row, the trigrams (~10 us) are
        # computed only for the rows it keeps.
        return found & trigrams(column).contains(sorted(searched))

    def _common_trigrams(self, column: str) -> frozenset[str]:
        """The trigrams in at least `_COMMON_SHARE` of the column's values, as ANALYZE last sampled
        them (the statistics of its index), read again every `_COMMON_KEPT_SECONDS`."""
        index = trigram_index(column)
        now = monotonic()
        kept = _common.get(index)
        if kept is not None and now - kept[0] < _COMMON_KEPT_SECONDS:
            return kept[1]
        row = self.session.execute(
            text(
                "SELECT most_common_elems::text::text[] AS grams, most_common_elem_freqs AS shares"
                " FROM pg_stats WHERE tablename = :index"
            ),
            {"index": index},
        ).first()
        common = (
            frozenset(gram for gram, share in zip(row.grams, row.shares, strict=False) if share >= _COMMON_SHARE)
            if row is not None and row.grams
            else frozenset()
        )
        _common[index] = (now, common)
        return common

    @classmethod
    def listable(cls, ctx: TenantContext) -> Select[tuple[Invoice]]:
        """`readable` for a list: rows without their model and report JSON, with their summary facts."""
        return cls.readable(ctx).options(
            defer(Invoice.model), defer(Invoice.validation), with_expression(Invoice.listed_facts, _LISTED_FACTS)
        )

    def creation_stretch(self, ctx: TenantContext, first: date | None, last: date | None) -> tuple | None:
        """The first and last creation of the caller's invoices issued from `first` to `last`;
        None when there are none.

        A list filtered by issue dates, bounded by them, walks its rows in creation order from the
        first one issued in those dates to the last, rather than from the client's very first to its
        very last. Read from the issue-date index by skipping from one issue date to the next (three
        index probes per day that has invoices), however many invoices each day has.
        """
        first, last = first or date.min, last or date.max

        def scoped(*columns):
            return self.readable(ctx).with_only_columns(*columns)

        start = scoped(func.min(Invoice.issue_date)).where(Invoice.issue_date.between(first, last))
        days = select(start.scalar_subquery().label("day")).cte("issue_days", recursive=True)
        following = scoped(func.min(Invoice.issue_date)).where(
            Invoice.issue_date > days.c.day, Invoice.issue_date <= last
        )
        days = days.union_all(select(following.scalar_subquery()).where(days.c.day.is_not(None)))

        def on_day(edge):
            return scoped(edge(Invoice.created_at)).where(Invoice.issue_date == days.c.day).scalar_subquery()

        lowest, highest = self.session.execute(
            select(func.min(on_day(func.min)), func.max(on_day(func.max))).select_from(days)
        ).one()
        return None if lowest is None else (lowest, highest)

    def add_unless_duplicates(self, invoices: list[Invoice]) -> list[bool]:
        """Insert the new `invoices` in one statement; for each, whether it went in: not when an
        accepted invoice has its `duplicate_key`, nor when an earlier one of the list has it.

        The partial unique index decides, so two concurrent deposits of one invoice cannot both
        pass: the second waits for the first to commit, then finds the conflict. No savepoint: the
        conflict clause keeps the transaction usable. Rows go in by key, so two transactions
        inserting the same keys take their locks in one order and never deadlock.
        """
        ordered = sorted(invoices, key=lambda invoice: invoice.duplicate_key or "")  # stable: the first keeps its key
        inserted = self.insert_loaded(
            ordered, unless_conflict={"index_elements": [Invoice.duplicate_key], "index_where": _ACCEPTED_OUTBOUND}
        )
        return [invoice.id in inserted for invoice in invoices]

    def events(self, ctx: TenantContext, invoice: Invoice) -> list[LifecycleEvent]:
        """The invoice's lifecycle events, and those of the reporting of its statuses (a 601), in no
        particular order."""
        return list(
            self.session.scalars(
                select(LifecycleEvent).where(
                    LifecycleEvent.sponsor_id == ctx.sponsor_id,
                    LifecycleEvent.client_id == invoice.client_id,
                    LifecycleEvent.object_type.in_(("invoice", "lifecycle_status")),
                    LifecycleEvent.object_id == invoice.id,
                )
            )
        )

    def sent_to_platform(self, *, seller_siren: str, number: str, issue_date: date, platform_id: str) -> Invoice | None:
        """The invoice this platform accepted and routed to platform `platform_id`, locked (jobs: no tenant)."""
        return self.session.scalar(
            select(Invoice)
            .where(
                Invoice.direction == OUTBOUND,
                Invoice.seller_siren == seller_siren,
                Invoice.number == number,
                Invoice.issue_date == issue_date,
                Invoice.recipient_platform_id == platform_id,
                Invoice.status_code.not_in(tuple(int(status) for status in REFUSAL_STATUSES)),
            )
            .with_for_update()
        )

    def received_from_peers(self, *, seller_siren: str, number: str, issue_date: date) -> list[tuple[Invoice, str]]:
        """The invoices other platforms delivered here with this seller, number and date, locked, each
        with the access point that brought it (its certificate's CN), first received first (jobs: no tenant)."""
        rows = self.session.execute(
            select(Invoice, As4Message.sender_party)
            .join(As4Message, As4Message.invoice_id == Invoice.id)
            .where(
                Invoice.direction == INBOUND,
                Invoice.seller_siren == seller_siren,
                Invoice.number == number,
                Invoice.issue_date == issue_date,
            )
            .order_by(Invoice.created_at, Invoice.id)
            .with_for_update(of=Invoice)
        )
        return [(invoice, sender_party) for invoice, sender_party in rows]

    def delivered_copy(self, invoice_id: str) -> Invoice | None:
        """The recipient's row of a sent invoice delivered on this platform, locked (jobs: no tenant)."""
        return self.session.scalar(
            select(Invoice)
            .where(Invoice.source_invoice_id == invoice_id, Invoice.direction == INBOUND)
            .with_for_update()
        )

    def has_event(self, invoice: Invoice, status_codes: Iterable[str]) -> bool:
        """Whether an event of one of `status_codes` was written for the invoice (jobs: no tenant)."""
        return self.session.scalar(
            select(
                exists().where(
                    LifecycleEvent.object_type == "invoice",
                    LifecycleEvent.object_id == invoice.id,
                    LifecycleEvent.status_code.in_(tuple(status_codes)),
                )
            )
        )
