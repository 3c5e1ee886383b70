"""Recording what a client reports: each item in its period, a new version superseding the one
before (kept as history), with a lifecycle event on the object it is about.

An item that lands in a period whose report already left goes into the next one: a corrective
report (RE), which carries all the period's data again (DG §3.7.7), so nothing is lost and nothing
counted twice.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.reporting import OPEN, ReportingItem, ReportingItemRepository, ReportingPeriod
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import DataKind, DeclarantRole
from coursier.services.lifecycle import record_event
from coursier.services.reporting.declarants import Declarant
from coursier.services.reporting.periods import period_for

RECORDED = "TransactionDataStatus.RECORDED"
REPLACED = "TransactionDataStatus.REPLACED"
WITHDRAWN = "TransactionDataStatus.WITHDRAWN"
# Object types of the events: an invoice, or other transaction data (a day, a payment).
INVOICE_OBJECT, DATA_OBJECT = "invoice", "transaction_data"


@dataclass(frozen=True)
class Recorded:
    item: ReportingItem
    replaces: str | None  # the version it superseded
    late: bool  # its period's report already left: it goes into a corrective one


def object_of(item: ReportingItem) -> tuple[str, str]:
    """The object an item's events are about: its invoice (a 10.1 entry, a payment of it), else the
    item itself (a B2C day, a day's payments)."""
    return (INVOICE_OBJECT, item.invoice_id) if item.invoice_id else (DATA_OBJECT, item.id)


def record_item(
    session: Session,
    ctx: TenantContext,
    declarant: Declarant,
    *,
    role: DeclarantRole,
    kind: DataKind,
    item_type: str,
    key: str,
    day: date,
    content: dict,
    invoice_id: str | None = None,
) -> Recorded:
    """Put `content` in its period under `key`, superseding the current version of the same key."""
    period = period_for(session, ctx, declarant, role, kind, day)
    items = ReportingItemRepository(session)
    item = ReportingItem(
        id=new_id("txd"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        period_id=period.id,
        item_type=item_type,
        item_key=key,
        operation_date=day,
        invoice_id=invoice_id,
        content=content,
    )
    replaced = items.current(period.id, key, lock=True)
    for previous in replaced:
        _supersede(session, ctx, previous, period, by=item.id)
    items.add(item)
    _changed(period)
    recorded = Recorded(item, replaced[0].id if replaced else None, period.state != OPEN)
    object_type, object_id = object_of(item)
    record_event(
        session,
        ctx,
        object_type=object_type,
        object_id=object_id,
        status_code=RECORDED,
        details={"item_id": item.id, "period_id": period.id, "replaces": recorded.replaces, "late": recorded.late},
    )
    return recorded


def withdraw_item(session: Session, ctx: TenantContext, item: ReportingItem, period: ReportingPeriod) -> None:
    _supersede(session, ctx, item, period, by=None)
    _changed(period)


def _supersede(
    session: Session, ctx: TenantContext, item: ReportingItem, period: ReportingPeriod, *, by: str | None
) -> None:
    item.superseded_at = clock.now()
    item.superseded_by = by
    session.flush()  # before its successor takes the key
    object_type, object_id = object_of(item)
    record_event(
        session,
        ctx,
        object_type=object_type,
        object_id=object_id,
        status_code=REPLACED if by else WITHDRAWN,
        details={"item_id": item.id, "period_id": period.id, "replaced_by": by},
    )


def _changed(period: ReportingPeriod) -> None:
    period.changed_at = clock.now()
