"""Usage metrics per client and the sponsor's monthly billing export (`/api/usage`)."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

from coursier.api.deps import ClientCtx, DbSession, SponsorCtx
from coursier.api.routing import Router
from coursier.kit import clock
from coursier.services import usage as service
from coursier.services.usage_limits import limits_report

router = Router(prefix="/usage", tags=["Usage"])

Period = Literal["daily", "weekly", "monthly", "yearly"]


class AreaUsage(BaseModel):
    area: str
    calls: int
    successful: int
    failed: int
    average_duration_ms: float
    max_duration_ms: int


class PeriodBucket(BaseModel):
    period_start: date
    total_api_calls: int
    successful: int
    failed: int


class DomainCounters(BaseModel):
    invoices_sent: int
    invoices_received: int
    drafts_finalized: int
    ereporting_items: int
    lifecycle_events: int
    webhook_deliveries: int
    validation_incidents: int


class UsageMetrics(BaseModel):
    company_id: str
    period: Period
    start_date: date
    end_date: date
    total_api_calls: int
    total_successful_calls: int
    total_failed_calls: int
    success_rate: float
    endpoint_usage: dict[str, int]
    areas: list[AreaUsage]
    series: list[PeriodBucket]
    counters: DomainCounters
    generated_at: datetime


class UsageSummary(BaseModel):
    company_id: str
    current_month_calls: int
    previous_month_calls: int
    month_over_month_change: float | None
    most_used_endpoint: str | None
    least_used_endpoint: str | None
    peak_usage_day: date | None
    peak_usage_count: int


class WindowLimit(BaseModel):
    period: Literal["minute", "hour", "day", "month"]
    limit: int | None = Field(description="Calls allowed in the window; null: no limit")
    used: int
    remaining: int | None
    resets_at: datetime = Field(description="When the window ends (minute, hour and day are UTC windows)")


class HeavyRequests(BaseModel):
    limit: int | None = Field(description="Uploads, validations and renderings that may run at once; null: no cap")
    running: int


class UsageLimits(BaseModel):
    sponsor_id: str
    endpoint: str | None = Field(description="The endpoint asked about: the limits are the sponsor's, for every one")
    limits: list[WindowLimit]
    heavy_requests: HeavyRequests


@router.get("/limits", response_model=UsageLimits, summary="The sponsor's rate limits and what it used of them")
def limits(
    ctx: SponsorCtx,
    session: DbSession,
    request: Request,
    endpoint: Annotated[str | None, Query(max_length=200, description="e.g. `POST /api/clients`")] = None,
) -> UsageLimits:
    """Over a limit, calls get a 429 with `Retry-After`. Several processes count calls together;
    what one of them shows may miss the others' last second."""
    report = limits_report(session, request.app.state.rate_limits, ctx)
    return UsageLimits(endpoint=endpoint, **report)


@router.get("/metrics", response_model=UsageMetrics, summary="API calls and domain counters of the client")
def metrics(
    ctx: ClientCtx,
    session: DbSession,
    period: Period = "monthly",
    start_date: Annotated[date | None, Query()] = None,
    end_date: Annotated[date | None, Query()] = None,
) -> UsageMetrics:
    start, end = service.check_window(period, start_date, end_date, clock.today())
    return UsageMetrics.model_validate(service.client_metrics(session, ctx, period, start, end))


@router.get("/summary", response_model=UsageSummary, summary="This month against the previous one")
def summary(ctx: ClientCtx, session: DbSession) -> UsageSummary:
    return UsageSummary.model_validate(service.client_summary(session, ctx, clock.today()))


@router.get(
    "/export",
    summary="Billing export: usage of every client of the sponsor for one month",
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def export(
    ctx: SponsorCtx,
    session: DbSession,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    format: Literal["json", "csv"] = "json",
):
    rows = service.billing_rows(session, ctx, month)
    if format == "csv":
        return PlainTextResponse(
            service.billing_csv(rows),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="coursier-usage-{month}.csv"'},
        )
    return JSONResponse({"sponsor_id": ctx.sponsor_id, "month": month, "clients": rows})
