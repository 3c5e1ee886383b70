"""The mandatory statuses the PPF holds (flow 6): kept once accepted, and read back by the platform
that reported them (tests and developers check what reached the PPF)."""

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from coursier.formats.cdar import StatusMessage
from coursier.kit import clock
from coursier.sandbox.schemas import HeldStatus
from coursier.sandbox.storage import held_statuses


def hold(conn: Connection, platform_id: str, flow_id: str, message: StatusMessage, content: bytes) -> bool:
    """Keep an accepted status; False when this platform's message id is held already."""
    invoice = message.invoice
    row = conn.execute(
        insert(held_statuses)
        .values(
            platform_id=platform_id,
            message_id=message.message_id,
            flow_id=flow_id,
            seller_siren=invoice.seller_siren,
            invoice_number=invoice.number,
            invoice_date=invoice.issue_date,
            status_code=int(message.status),
            reasons=list(message.reasons),
            amounts=[
                {
                    "type": str(amount.type_code),
                    "vat_rate": None if amount.vat_rate is None else str(amount.vat_rate),
                    "amount": str(amount.value),
                    "currency": amount.currency,
                }
                for amount in message.amounts
            ],
            content=content,
            received_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["platform_id", "message_id"])
        .returning(held_statuses.c.message_id)
    ).first()
    return row is not None


def held(conn: Connection, caller: str, *, seller_siren: str, invoice_number: str) -> list[HeldStatus]:
    """The statuses of one invoice that `caller` reported and the PPF holds, in the order received."""
    rows = conn.execute(
        select(held_statuses)
        .where(
            held_statuses.c.platform_id == caller,
            held_statuses.c.seller_siren == seller_siren,
            held_statuses.c.invoice_number == invoice_number,
        )
        .order_by(held_statuses.c.received_at, held_statuses.c.message_id)
    )
    return [
        HeldStatus(
            message_id=row.message_id,
            flow_id=row.flow_id,
            status_code=row.status_code,
            invoice_date=row.invoice_date,
            reasons=row.reasons,
            amounts=row.amounts,
            received_at=row.received_at,
        )
        for row in rows
    ]
