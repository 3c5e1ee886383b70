"""Lifecycle events: every notable change of an object leaves one, in the transaction of the change."""

from sqlalchemy import func
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.lifecycle import LifecycleEvent, LifecycleEventRepository
from coursier.kit.tenancy import TenantContext

# Who emitted an event: the issuer's platform (PDPE), the receiver's (PDPR), the PPF, or this
# platform acting on its own objects (mandates, directory lines).
EMITTER_PLATFORM = "PDPE"


def record_event(
    session: Session,
    ctx: TenantContext,
    *,
    object_type: str,
    object_id: str,
    status_code: str,
    emitter: str = EMITTER_PLATFORM,
    reason: str | None = None,
    rejection_reason: str | None = None,
    is_mandatory: bool = False,
    details: dict | None = None,
) -> LifecycleEvent:
    return LifecycleEventRepository(session).add(
        LifecycleEvent(
            id=new_id("evt"),
            sponsor_id=ctx.sponsor_id,
            client_id=ctx.client_id,
            object_type=object_type,
            object_id=object_id,
            status_code=status_code,
            emitter=emitter,
            reason=reason,
            rejection_reason=rejection_reason,
            is_mandatory=is_mandatory,
            details=details or {},
            # The moment of the event, not of its transaction's start: events written together keep their order.
            created_at=func.clock_timestamp(),
        )
    )
