"""Reporting periods: opened when an item first lands in one, listed with their states."""

from datetime import date

from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.reporting import OPEN, ReportingPeriod, ReportingPeriodRepository
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import DataKind, DeclarantRole, deadline, period_of
from coursier.services.reporting.declarants import Declarant

# What a period is seen as: `open` while it runs, `due` once over with nothing sent, then the
# state of its reports (`sent` while one waits for the PPF's answer, `accepted`, `rejected`).
DUE = "due"


def period_for(
    session: Session, ctx: TenantContext, declarant: Declarant, role: DeclarantRole, kind: DataKind, day: date
) -> ReportingPeriod:
    """The declarant's period of `kind` in `role` that `day` falls in, opened if needed; locked.

    The calendar is the client's regime of today: a period opened under another regime keeps its
    dates (an item of a day it covers lands in the period that starts the same day, else a new one).
    """
    dates = period_of(declarant.regime, kind, day)
    return ReportingPeriodRepository(session).open_or_get(
        ReportingPeriod(
            id=new_id("rpd"),
            sponsor_id=ctx.sponsor_id,
            client_id=ctx.client_id,
            siren=declarant.siren,
            declarant_name=declarant.name[:300],
            role=role.value,
            kind=kind.value,
            regime=declarant.regime.value,
            start_date=dates.start,
            end_date=dates.end,
            deadline=deadline(declarant.regime, kind, dates),
            state=OPEN,
        )
    )


def shown_state(period: ReportingPeriod, today: date) -> str:
    return DUE if period.state == OPEN and period.end_date < today else period.state


def get_period(session: Session, ctx: TenantContext, period_id: str) -> ReportingPeriod:
    return ReportingPeriodRepository(session).get_or_404(ctx, period_id)
