"""/ereporting: what the PPF holds of the e-reporting a platform sent (F10 files accepted, 300)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from coursier.sandbox import ereporting
from coursier.sandbox.deps import Caller, Db

router = APIRouter(prefix="/ereporting", tags=["E-reporting"])


@router.get("/declarants/{siren}/totals", summary="The data held for a declarant, per role, over some periods")
def held_totals(
    siren: str,
    conn: Db,
    caller: Caller,
    start: Annotated[date, Query(description="First day of the first period")],
    end: Annotated[date, Query(description="Last day of the last period")],
) -> dict:
    """The transmissions in force (a corrective one replaced those before it) that this platform
    sent for the declarant, and their totals: international invoices, transactions by category and
    VAT rate, payments by rate."""
    return ereporting.held_totals(conn, caller, siren=siren, start=start, end=end)
