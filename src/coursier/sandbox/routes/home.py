"""/: the home page (open, for people)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coursier.sandbox.deps import Db
from coursier.sandbox.home import home_page

router = APIRouter(tags=["Home"])


@router.get("/", response_class=HTMLResponse, summary="What the sandbox is, its platforms and companies")
def home(request: Request, conn: Db, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> str:
    return home_page(conn, request.app.state.config.platforms.values(), page)
