"""/statuses: the mandatory statuses of an invoice the PPF holds, as the platform that reported them."""

from typing import Annotated

from fastapi import APIRouter, Query

from coursier.sandbox import statuses
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.schemas import HeldStatus

router = APIRouter(tags=["Flows"])


@router.get("/statuses", summary="The statuses of one invoice you reported (F6) and the PPF accepted")
def held_statuses(
    conn: Db,
    caller: Caller,
    seller_siren: Annotated[str, Query(pattern=r"^\d{9}$", description="The invoice's seller (MDT-129)")],
    invoice_number: Annotated[str, Query(min_length=1, max_length=200, description="MDT-87")],
) -> list[HeldStatus]:
    return statuses.held(conn, caller, seller_siren=seller_siren, invoice_number=invoice_number)
