"""Usage: API calls and domain counters per day and per month, as charts and tables, for the
sponsor or one client; and the monthly billing export."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from coursier.kit import clock
from coursier.kit.texts import Language, text
from coursier.services import usage as usage_service
from coursier.web.dashboard.common import PREFIX, DashboardRoute, Db, Looking, attachment, narrowed_to_client, page

router = APIRouter(prefix=PREFIX + "/usage", route_class=DashboardRoute)


def _series_labels(language: Language) -> dict[str, str]:
    labels = {name: text(language, f"dashboard.counter.{name}") for name in usage_service.DOMAIN_COUNTERS}
    return labels | {name: text(language, f"dashboard.usage.{name}") for name in ("successful", "failed")}


def _serialisable(rows: list[dict]) -> list[dict]:
    return [{**row, "period_start": row["period_start"].isoformat()} for row in rows]


@router.get("")
def usage_page(request: Request, session: Db, viewer: Looking, client: str = "") -> Response:
    ctx, chosen_client = narrowed_to_client(session, viewer.ctx, client)
    today = clock.today()
    daily = usage_service.usage_history(session, ctx, "daily", *usage_service.daily_window(today))
    monthly = usage_service.usage_history(session, ctx, "monthly", *usage_service.monthly_window(today))
    return page(
        request,
        viewer,
        "usage.html.j2",
        section="usage",
        chosen_client=chosen_client,
        daily=daily,
        monthly=monthly,
        counters=usage_service.DOMAIN_COUNTERS,
        active=any(row["calls"] or any(row[name] for name in usage_service.DOMAIN_COUNTERS) for row in monthly),
        chart_data={
            "daily": _serialisable(daily),
            "monthly": _serialisable(monthly),
            "counters": usage_service.DOMAIN_COUNTERS,
            "labels": _series_labels(viewer.language),
        },
        this_month=today.strftime("%Y-%m"),
    )


@router.get("/export")
def billing_export(session: Db, viewer: Looking, month: str = Query(pattern=r"^\d{4}-\d{2}$")) -> Response:
    rows = usage_service.billing_rows(session, viewer.ctx, month)
    return attachment(usage_service.billing_csv(rows).encode(), "text/csv", f"coursier-usage-{month}.csv")
