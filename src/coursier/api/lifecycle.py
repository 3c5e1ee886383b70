"""The lifecycle-event feed (`/api/lifecycle-events`): one client's events with X-PDP-Client-Id,
every event of the sponsor without it."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from coursier.api.deps import DbSession, SponsorOrClientCtx
from coursier.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, link_next_page
from coursier.api.routing import Router
from coursier.db.lifecycle import FeedPosition
from coursier.db.paging import cursor_values, encode_cursor
from coursier.kit.errors import InvalidInput
from coursier.services import lifecycle as service
from coursier.services.webhook_events import OBJECT_TYPES, event_document

router = Router(
    prefix="/lifecycle-events",
    tags=["Lifecycle"],
    responses={
        401: {"description": "`missing_token` or `invalid_token`"},
        404: {"description": "`client_not_found` (X-PDP-Client-Id), or `event_not_found` (`after`)"},
    },
)

ObjectType = Literal[OBJECT_TYPES]


class LifecycleEventOut(BaseModel):
    id: str
    event_type: str = Field(description="Its webhook event type (GET /api/webhooks/event-types)")
    object_type: ObjectType
    object_id: str
    client_id: str | None = Field(description="null for the sponsor's own objects (its sponsor-wide endpoints)")
    status_code: str = Field(
        description="With its family: InvoiceLifecycleStatus.DEPOSITED, MandateLifecycleStatus.ACTIVE, "
        "DirectoryEntryStatus.ACCEPTED, RegulatoryDataStatus.REJECTED, WebhookStatus.DISABLED…"
    )
    timestamp: datetime
    emitter: str = Field(description="PDPE (issuer's platform), PDPR (receiver's platform), PPF")
    reason: str | None = Field(description="Free text")
    rejection_reason: str | None = Field(description="A reason code (REJ_SEMAN, DOUBLON, ROUTAGE_ERR…)")
    is_mandatory: bool = Field(description="A status that must reach the PPF (200, 210, 212, 213)")
    details: dict


@router.get(
    "",
    response_model=list[LifecycleEventOut],
    summary="Lifecycle events, in a stable order to poll",
    responses={400: {"description": "`invalid_cursor`: `after` is neither an event id nor a cursor of this feed"}},
)
def list_events(
    ctx: SponsorOrClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    object_type: ObjectType | None = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[
        str | None,
        Query(
            description="Only what comes after this event id or cursor (`X-Next-Cursor` of the previous answer). "
            "Keep the last one and poll with it: no event is missed or repeated."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Events per answer")] = DEFAULT_LIMIT,
) -> list[LifecycleEventOut]:
    """Events in one total order that never changes: an event appears once every transaction that
    could come before it has ended, so a new one always comes after those already listed (events
    appear a moment after they are written). Without X-PDP-Client-Id: every client's events, and
    the sponsor's own. `X-Next-Cursor` and `Link` (rel="next") give where the answer ends, even
    when it is empty."""
    position = service.position_of(session, ctx, after) if after and after.startswith("evt_") else _decode(after)
    events, end = service.feed(session, ctx, after=position, limit=limit, object_type=object_type, object_id=object_id)
    link_next_page(request, response, encode_cursor(str(end[0]), end[1]), param="after", limit=limit)
    return [LifecycleEventOut.model_validate(event_document(event)) for event in events]


def _decode(cursor: str | None) -> FeedPosition:
    if cursor is None:
        return (0, 0)
    xact_id, seq = cursor_values(cursor, int, int)
    if xact_id < 0 or seq < 0:
        raise InvalidInput("The cursor is not one this API gave out", code="invalid_cursor")
    return (xact_id, seq)
