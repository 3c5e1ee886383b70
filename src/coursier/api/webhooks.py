"""Webhook endpoints (`/api/webhooks`): the sponsor's (no X-PDP-Client-Id: every client's events)
and its clients' (with X-PDP-Client-Id: that client's events only)."""

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from coursier.api.deps import DbSession, Settings, SponsorOrClientCtx
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from coursier.services import webhook_events
from coursier.services import webhooks as service

router = Router(
    prefix="/webhooks",
    tags=["Webhooks"],
    responses={
        401: {"description": "`missing_token` or `invalid_token`"},
        404: {"description": "`client_not_found`: X-PDP-Client-Id names no client of the sponsor"},
    },
)

EndpointStatus = Literal["active", "paused", "disabled"]
DeliveryStatus = Literal["pending", "held", "succeeded", "failed", "cancelled"]
_NOT_FOUND = {
    404: {
        "description": "`webhook_not_found`: no such endpoint for the caller (another sponsor's, or one outside "
        "the client named), or `client_not_found`"
    }
}
_URL_DOC = (
    "https URL of a public address (plain http only on the loopback interface, and private, loopback and "
    "link-local addresses only when the platform allows them: COURSIER_WEBHOOK_ALLOW_PRIVATE). Redirects are not "
    "followed."
)
_EVENTS_DOC = "Event types to send (GET /api/webhooks/event-types); empty: every type"


# ---- schemas -------------------------------------------------------------------------------------


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=2000, description=_URL_DOC)
    events: list[str] = Field(default_factory=list, max_length=50, description=_EVENTS_DOC)
    description: str | None = Field(default=None, max_length=200)


class WebhookUpdateIn(BaseModel):
    """Fields left out are kept."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str | None = Field(default=None, min_length=1, max_length=2000, description=_URL_DOC)
    events: list[str] | None = Field(default=None, max_length=50, description=_EVENTS_DOC)
    description: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _nullable_only_where_allowed(self) -> "WebhookUpdateIn":
        nulls = [n for n in self.model_fields_set if getattr(self, n) is None and n != "description"]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} cannot be null; leave a field out to keep it")
        return self


class WebhookOut(BaseModel):
    webhook_id: str
    client_id: str | None = Field(description="The client whose events it receives; null: every client's")
    url: str
    events: list[str] = Field(description=_EVENTS_DOC)
    description: str | None
    status: EndpointStatus = Field(
        description="paused: events are kept and sent on resume; disabled (after about 3 days of failed "
        "deliveries): nothing is kept until it is resumed"
    )
    is_active: bool
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="After a rotation, the previous secret also signs until then"
    )
    created_at: datetime
    updated_at: datetime | None
    last_triggered_at: datetime | None = Field(description="The last delivery attempt")


class WebhookWithSecretOut(WebhookOut):
    secret: str = Field(
        description="`whsec_` + base64 of the HMAC-SHA256 key (Standard Webhooks). Shown only in this answer."
    )


class EventTypeOut(BaseModel):
    type: str
    description: str
    example: dict = Field(description="A payload of this type, as sent")


class EventTypesOut(BaseModel):
    event_types: list[EventTypeOut]


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_period_hours: int = Field(
        default=24, ge=0, le=168, description="How long the current secret keeps signing beside the new one"
    )


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's status; null when it gave none")
    latency_ms: int
    response_excerpt: str | None = Field(description="The start of the receiver's answer")
    error: str | None = Field(description="Why there was no answer: timeout, connection failed, refused address…")


class DeliveryOut(BaseModel):
    delivery_id: str
    event_id: str = Field(description="Sent as `webhook-id`, the same for every attempt")
    event_type: str
    trigger: Literal["event", "manual"]
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    last_attempt: AttemptOut | None


class DeliveryDetailOut(DeliveryOut):
    attempt_log: list[AttemptOut]


class RedeliverIn(BaseModel):
    """One event (`event_id`), or every event this endpoint receives from a moment on (`since`)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str | None = None
    since: AwareDatetime | None = Field(default=None, description="With its UTC offset: 2026-09-01T08:00:00+02:00")

    @model_validator(mode="after")
    def _one_of(self) -> "RedeliverIn":
        if (self.event_id is None) == (self.since is None):
            raise ValueError("give either event_id or since")
        return self


class RedeliverOut(BaseModel):
    queued: int
    delivery_ids: list[str]


class TestMessageOut(BaseModel):
    succeeded: bool = Field(description="The endpoint answered 2xx")
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None
    error: str | None


def webhook_out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(**_fields(endpoint))


def _fields(endpoint: WebhookEndpoint) -> dict:
    return {
        "webhook_id": endpoint.id,
        "client_id": endpoint.client_id,
        "url": endpoint.url,
        "events": endpoint.event_types,
        "description": endpoint.description,
        "status": endpoint.status,
        "is_active": endpoint.status == "active",
        "disabled_reason": endpoint.disabled_reason,
        "previous_secret_expires_at": endpoint.previous_secret_expires_at,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
        "last_triggered_at": endpoint.last_triggered_at,
    }


def _delivery_fields(delivery: WebhookDelivery, last: WebhookAttempt | None) -> dict:
    return {
        "delivery_id": delivery.id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "trigger": delivery.trigger,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
        "created_at": delivery.created_at,
        "last_attempt": AttemptOut.model_validate(last) if last else None,
    }


# ---- routes ---------------------------------------------------------------------------------------


@router.get("/event-types", response_model=EventTypesOut, summary="The event types, each with an example payload")
def list_event_types(ctx: SponsorOrClientCtx) -> EventTypesOut:
    return EventTypesOut(
        event_types=[
            EventTypeOut(type=t.name, description=t.description, example=webhook_events.example(t))
            for t in webhook_events.EVENT_TYPES
        ]
    )


@router.post(
    "",
    status_code=201,
    response_model=WebhookWithSecretOut,
    summary="Register an endpoint (its secret is shown only here)",
    responses={
        409: {"description": "`webhook_limit_reached`: 10 endpoints per sponsor and per client"},
        422: {"description": "`webhook_url_not_allowed`, `unknown_event_type`, or a malformed body"},
    },
)
def create_webhook(body: WebhookIn, ctx: SponsorOrClientCtx, session: DbSession, settings: Settings):
    """Without X-PDP-Client-Id the endpoint receives the events of every client of the sponsor; with
    it, that client's only. Messages are signed the Standard Webhooks way (`webhook-id`,
    `webhook-timestamp`, `webhook-signature`)."""
    registration = service.Registration(url=body.url, event_types=body.events, description=body.description)
    endpoint, secret = service.create_endpoint(session, ctx, registration, allow_private=settings.webhook_allow_private)
    return WebhookWithSecretOut(**_fields(endpoint), secret=secret)


@router.get("", response_model=list[WebhookOut], summary="List endpoints")
def list_webhooks(
    ctx: SponsorOrClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
) -> list[WebhookOut]:
    """Without X-PDP-Client-Id: the sponsor's endpoints and its clients'; with it: that client's."""
    rows = paginate(session, service.list_endpoints_query(ctx), WebhookEndpoint, page, request, response)
    return [webhook_out(endpoint) for endpoint in rows]


@router.get("/{webhook_id}", response_model=WebhookOut, summary="Get an endpoint", responses=_NOT_FOUND)
def get_webhook(webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession) -> WebhookOut:
    return webhook_out(service.get_endpoint(session, ctx, webhook_id))


@router.patch(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="Change an endpoint's URL, events or description",
    responses=_NOT_FOUND,
)
def update_webhook(
    webhook_id: str, body: WebhookUpdateIn, ctx: SponsorOrClientCtx, session: DbSession, settings: Settings
) -> WebhookOut:
    changes = body.model_dump(exclude_unset=True)
    if "events" in changes:
        changes["event_types"] = changes.pop("events")
    endpoint = service.update_endpoint(session, ctx, webhook_id, changes, allow_private=settings.webhook_allow_private)
    return webhook_out(endpoint)


@router.delete(
    "/{webhook_id}",
    status_code=204,
    response_class=Response,
    summary="Delete an endpoint and its delivery log",
    responses=_NOT_FOUND,
)
def delete_webhook(webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession) -> Response:
    service.delete_endpoint(session, ctx, webhook_id)
    return Response(status_code=204)


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookWithSecretOut,
    summary="Replace the secret (the current one keeps signing for a grace period)",
    responses=_NOT_FOUND,
)
def rotate_webhook_secret(
    webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession, body: RotateIn | None = None
) -> WebhookWithSecretOut:
    """During the grace period each message carries two signatures (`v1,<new> v1,<previous>`): a
    receiver checking either secret accepts it, so it can switch keys at its own pace."""
    grace = timedelta(hours=(body or RotateIn()).grace_period_hours)
    endpoint, secret = service.rotate_secret(session, ctx, webhook_id, grace)
    return WebhookWithSecretOut(**_fields(endpoint), secret=secret)


@router.post(
    "/{webhook_id}/pause",
    response_model=WebhookOut,
    summary="Stop sending for a while (events are kept)",
    responses={**_NOT_FOUND, 409: {"description": "`webhook_disabled`: resume a disabled endpoint instead"}},
)
def pause_webhook(webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession) -> WebhookOut:
    return webhook_out(service.pause(session, ctx, webhook_id))


@router.post(
    "/{webhook_id}/resume",
    response_model=WebhookOut,
    summary="Send again (a paused endpoint first gets what it missed)",
    responses=_NOT_FOUND,
)
def resume_webhook(webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession) -> WebhookOut:
    """A disabled endpoint starts again from new events: ask for the ones it missed with /redeliver."""
    return webhook_out(service.resume(session, ctx, webhook_id))


@router.post(
    "/{webhook_id}/test",
    response_model=TestMessageOut,
    summary="Send a `webhook.test` message now and see the answer",
    responses=_NOT_FOUND,
)
def send_test_message(
    webhook_id: str, ctx: SponsorOrClientCtx, session: DbSession, settings: Settings
) -> TestMessageOut:
    answer = service.send_test(session, ctx, webhook_id, allow_private=settings.webhook_allow_private)
    return TestMessageOut(
        succeeded=answer.succeeded,
        status_code=answer.status_code,
        latency_ms=answer.latency_ms,
        response_excerpt=answer.excerpt,
        error=answer.error,
    )


@router.get(
    "/{webhook_id}/deliveries",
    response_model=list[DeliveryOut],
    summary="The delivery log of an endpoint",
    responses=_NOT_FOUND,
)
def list_deliveries(
    webhook_id: str,
    ctx: SponsorOrClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    status: Annotated[DeliveryStatus | None, Query()] = None,
) -> list[DeliveryOut]:
    stmt = service.deliveries_query(session, ctx, webhook_id, status)
    deliveries = paginate(session, stmt, WebhookDelivery, page, request, response)
    last = service.last_attempts(session, ctx, deliveries)
    return [DeliveryOut(**_delivery_fields(d, last.get(d.id))) for d in deliveries]


@router.get(
    "/{webhook_id}/deliveries/{delivery_id}",
    response_model=DeliveryDetailOut,
    summary="One delivery and each of its attempts",
    responses={404: {"description": "`webhook_not_found`, `delivery_not_found` or `client_not_found`"}},
)
def get_delivery(webhook_id: str, delivery_id: str, ctx: SponsorOrClientCtx, session: DbSession) -> DeliveryDetailOut:
    delivery, attempts = service.delivery_with_attempts(session, ctx, webhook_id, delivery_id)
    return DeliveryDetailOut(
        **_delivery_fields(delivery, attempts[-1] if attempts else None),
        attempt_log=[AttemptOut.model_validate(attempt) for attempt in attempts],
    )


@router.post(
    "/{webhook_id}/redeliver",
    status_code=202,
    response_model=RedeliverOut,
    summary="Send one event again, or every event since a moment",
    responses={
        404: {"description": "`webhook_not_found`, `event_not_found` or `client_not_found`"},
        409: {"description": "`webhook_disabled`: resume the endpoint first"},
        422: {"description": "`redelivery_too_large`: more than 5000 events since then"},
    },
)
def redeliver(webhook_id: str, body: RedeliverIn, ctx: SponsorOrClientCtx, session: DbSession) -> RedeliverOut:
    """The events go out again in their order, with their own ids (`webhook-id`); a `since` redelivery
    sends only the event types the endpoint receives."""
    deliveries = service.redeliver(session, ctx, webhook_id, event_id=body.event_id, since=body.since)
    return RedeliverOut(queued=len(deliveries), delivery_ids=[d.id for d in deliveries])
