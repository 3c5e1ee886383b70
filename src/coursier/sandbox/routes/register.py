"""GET /sandbox/register/...: the company register the directory is built on, as the sandbox keeps
it (the directory API shows it through `/siren` and `/siret`)."""

from typing import Annotated

from fastapi import APIRouter, Query

from coursier.kit.errors import NotFound
from coursier.sandbox import register
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.schemas import Company, RegisteredEstablishment

router = APIRouter(prefix="/sandbox/register", tags=["Sandbox: company register"])


@router.get("/companies/{siren}", summary="A company and its establishments")
def get_company(siren: str, conn: Db, caller: Caller) -> Company:
    company = register.get_company(conn, siren)
    if company is None:
        raise NotFound(f"SIREN {siren} is not in the register", code="unknown_company")
    return company


@router.get("/establishments/{siret}", summary="An establishment, with its company's SIREN and name")
def get_establishment(siret: str, conn: Db, caller: Caller) -> RegisteredEstablishment:
    establishment = register.get_establishment(conn, siret)
    if establishment is None:
        raise NotFound(f"SIRET {siret} is not in the register", code="unknown_company")
    return establishment


@router.get("/companies", summary="Companies whose name contains the text (case and accents ignored)")
def search_companies(
    conn: Db,
    caller: Caller,
    name: Annotated[str, Query(min_length=2, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    after: Annotated[
        str | None, Query(pattern=r"^\d{9}$", description="The SIREN of the last company of the previous page")
    ] = None,
) -> list[Company]:
    """By name, then SIREN; page with `limit` and `after`."""
    return register.search_companies(conn, name, limit, after)
