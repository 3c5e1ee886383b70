"""RFC 9457 problem documents for every error, with the members Seqino-era clients read.

Every problem carries a stable machine `code`; for clients written against the Seqino API the same
object also has `error` (short message) and `trace_id` (the request id); a 422 adds `errors`.
"""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from coursier.kit.errors import CoursierError
from coursier.kit.logs import current_request_id

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://coursier.dev/problems/"

# Codes for errors raised by the framework itself (routing, method, validation).
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    431: "headers_too_large",
}
# How long a caller should wait before retrying when the server is busy (503).
BUSY_RETRY_AFTER_SECONDS = 2


def problem_body(status: int, code: str, detail: str, *, title: str | None = None, extra: dict | None = None) -> dict:
    title = title or HTTPStatus(status).phrase
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "error": detail,
        "trace_id": current_request_id(),
    }
    if extra:
        body.update(extra)
    return body


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    extra: dict | None = None,
    headers: dict | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, code, detail, title=title, extra=extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def busy_response() -> JSONResponse:
    """Every database connection of the process stayed in use while the request waited for one."""
    return problem_response(
        503,
        "server_busy",
        "The server is busy; retry in a moment",
        headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)},
    )


def refused_value_response(exc: DataError) -> JSONResponse:
    """A value the database cannot hold (a NUL character, a number out of range) that no schema caught."""
    if "NUL" in str(exc.orig):
        return problem_response(400, "invalid_characters", "Text may not contain NUL (0x00) characters")
    return problem_response(400, "invalid_value", "A value of the request is out of the range that can be stored")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CoursierError)
    async def _domain(request: Request, exc: CoursierError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return problem_response(exc.status, exc.code, exc.message, title=exc.title, extra=exc.extra, headers=headers)

    @app.exception_handler(DataError)
    async def _refused_value(request: Request, exc: DataError) -> JSONResponse:
        return refused_value_response(exc)

    @app.exception_handler(PoolTimeout)
    async def _busy(request: Request, exc: PoolTimeout) -> JSONResponse:
        return busy_response()

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        return problem_response(
            422, "validation_error", detail, title="Request validation failed", extra={"errors": errors}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))
