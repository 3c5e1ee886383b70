"""Lifecycle events: the sponsor's feed (every client, or one), newest first, filtered by object
type, event type, status code and day, each event linking to what it is about."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coursier.db.lifecycle import LifecycleEvent
from coursier.kit.texts import Language
from coursier.model.lifecycle import REASONS, status_label, status_of_event_code
from coursier.services import clients as client_service
from coursier.services import lifecycle, webhook_events
from coursier.web.dashboard.common import (
    PREFIX,
    DashboardRoute,
    Db,
    Looking,
    day_param,
    listing,
    narrowed_to_client,
    page,
    wants_fragment,
)

router = APIRouter(prefix=PREFIX + "/events", route_class=DashboardRoute)


def object_link(event: LifecycleEvent) -> str | None:
    """The dashboard page of what an event is about, when it has one."""
    if event.object_type == "invoice":
        return f"{PREFIX}/invoices/{event.object_id}"
    if event.object_type in ("mandate", "directory_entry") and event.client_id:
        return f"{PREFIX}/clients/{event.client_id}#mandates"
    if event.object_type == "webhook":
        return f"{PREFIX}/webhooks/{event.object_id}"
    return None


def event_type_of(event: LifecycleEvent) -> str:
    return webhook_events.type_of(event.status_code).name


def status_options(language: Language) -> list[tuple[str, str]]:
    """(code, label) of each status code: an invoice's by its number and name, the others as they are."""
    options = []
    for code in webhook_events.NAMED_STATUS_CODES:
        status = status_of_event_code(code)
        options.append((code, f"{status.value} · {status_label(status, language)}" if status else code))
    return options


@router.get("")
def list_events(
    request: Request,
    session: Db,
    viewer: Looking,
    client: str = "",
    object_type: str = "",
    event_type: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    cursor: str | None = None,
) -> Response:
    ctx, chosen_client = narrowed_to_client(session, viewer.ctx, client)
    # A value no option offers (an old link, a hand-typed URL) filters nothing, as on the invoices' list.
    filters = lifecycle.EventFilters(
        object_type=object_type if object_type in webhook_events.OBJECT_TYPES else None,
        event_type=event_type if event_type in webhook_events.EVENT_TYPE_NAMES else None,
        status_code=status if status in webhook_events.NAMED_STATUS_CODES else None,
        day_from=day_param(date_from),
        day_to=day_param(date_to),
    )
    events = listing(session, lifecycle.events_query(ctx, filters), LifecycleEvent, cursor)
    return page(
        request,
        viewer,
        "events/rows.html.j2" if wants_fragment(request) else "events/list.html.j2",
        section="events",
        events=events,
        client_names=client_service.names_of(session, ctx, (event.client_id for event in events.rows)),
        chosen_client=chosen_client,
        filtered=any((object_type, event_type, status, date_from, date_to)),
        form={
            "object_type": object_type,
            "event_type": event_type,
            "status": status,
            "date_from": date_from,
            "date_to": date_to,
        },
        object_types=webhook_events.OBJECT_TYPES,
        event_types=webhook_events.EVENT_TYPE_NAMES,
        status_options=status_options(viewer.language),
        event_type_of=event_type_of,
        object_link=object_link,
        reasons=REASONS,
    )
