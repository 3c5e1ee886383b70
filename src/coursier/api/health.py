"""Liveness and readiness probes (outside /api: no token, not counted)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from coursier.db import migrate
from coursier.db.session import ping
from coursier.kit.problems import problem_response

router = APIRouter(tags=["Health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict:
    # On the event loop: a liveness probe must not queue behind requests waiting for a worker thread.
    return {"status": "ok"}


@router.get("/readyz", summary="The database is reachable and its schema is current")
async def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.runtime.engine

    def check() -> bool:
        ping(engine)
        return migrate.is_current(engine)

    try:
        current = await run_in_threadpool(check)
    except Exception as exc:  # any failure to reach the database means "not ready"
        return problem_response(503, "database_unreachable", f"Database unreachable: {type(exc).__name__}")
    if not current:
        return problem_response(503, "migrations_pending", "Database schema is not at the latest migration")
    return JSONResponse({"status": "ready", "database": "ok", "migrations": "current"})
