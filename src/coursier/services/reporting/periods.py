"""Reporting periods: opened when an item first lands in one, listed with their states."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.reporting import OPEN, ReportingPeriod, ReportingPeriodRepository
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import DataKind, DeclarantRole, Period, deadline, period_of
from coursier.services.reporting.declarants import Declarant

# What a period is seen as: `open` while it runs, `due` once over with nothing sent, then the
# state of its reports (`sent` while one waits for the PPF's answer, `accepted`, `rejected`).
DUE = "due"
ONE_DAY = timedelta(days=1)


def period_for(
    session: Session, ctx: TenantContext, declarant: Declarant, role: DeclarantRole, kind: DataKind, day: date
) -> ReportingPeriod:
    """The declarant's period of `kind` in `role` that `day` falls in, opened if needed; locked.

    A period already opened keeps its dates, whatever the client's regime is now: a day it holds
    lands in it. A new one follows today's regime, cut short where it would overlap a period opened
    under another regime (a report covers each day once).
    """
    periods = ReportingPeriodRepository(session)
    wanted = ReportingPeriod(
        id=new_id("rpd"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        siren=declarant.siren,
        declarant_name=declarant.name[:300],
        role=role.value,
        kind=kind.value,
        regime=declarant.regime.value,
        state=OPEN,
    )
    covering = periods.covering(wanted, day)
    if covering is not None:
        return covering
    dates = period_of(declarant.regime, kind, day)
    ended_before, starting_after = periods.free_around(wanted, day)
    dates = Period(
        max(dates.start, ended_before + ONE_DAY) if ended_before else dates.start,
        min(dates.end, starting_after - ONE_DAY) if starting_after else dates.end,
    )
    wanted.start_date, wanted.end_date = dates.start, dates.end
    wanted.deadline = deadline(declarant.regime, kind, dates)
    return periods.open_or_get(wanted)


def shown_state(period: ReportingPeriod, today: date) -> str:
    return DUE if period.state == OPEN and period.end_date < today else period.state


def get_period(session: Session, ctx: TenantContext, period_id: str) -> ReportingPeriod:
    return ReportingPeriodRepository(session).get_or_404(ctx, period_id)
