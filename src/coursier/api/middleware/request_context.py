"""What describes a request as a whole: its id (taken from `X-Request-Id` when safe, sent back),
one JSON access log line, its count in the usage of the tenant that made it, and a 500 problem
document for an error nothing else answered."""

import logging
import time

from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.authentication import request_tenant
from coursier.api.routing import API_PREFIX
from coursier.kit.logs import end_request, start_request
from coursier.kit.problems import busy_response, problem_response, refused_value_response

log = logging.getLogger("coursier.access")

# Paths whose next segment is a secret (an onboarding link's token): never written to logs.
_SECRET_PATH_PREFIXES = ("/onboarding/", "/dashboard/invitation/")


def loggable_path(path: str) -> str:
    for prefix in _SECRET_PATH_PREFIXES:
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            _, slash, tail = rest.partition("/")
            return f"{prefix}[redacted]{slash}{tail}"
    return path


def route_template(scope: Scope) -> str:
    """`/api/clients/{client_id}` for a matched request, `unmatched` otherwise.

    Routes included with a prefix keep their own path, so the /api prefix is put back here; both
    spellings of a path (with and without the trailing slash) count as one endpoint.
    """
    path = getattr(scope.get("route"), "path", None)
    if path is None:
        return "unmatched"
    if scope["path"].startswith(API_PREFIX) and not path.startswith(API_PREFIX):
        path = API_PREFIX + path
    return path.rstrip("/") or "/"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id, token = start_request(Headers(scope=scope).get("x-request-id"))
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except PoolTimeout:
            if response_started:
                raise
            await busy_response()(scope, receive, send_with_id)
        except DataError as exc:
            if response_started:
                raise
            await refused_value_response(exc)(scope, receive, send_with_id)
        except Exception:
            # Answered here rather than by Starlette's outer error middleware, so the problem
            # document and the log line carry the request id.
            log.exception("unhandled error on %s %s", scope["method"], loggable_path(scope["path"]))
            if response_started:
                raise
            response = problem_response(
                500, "internal_error", "An unexpected error occurred; quote trace_id to support"
            )
            await response(scope, receive, send_with_id)
        finally:
            duration_ms = (time.perf_counter() - started) * 1000
            template = route_template(scope)
            path = loggable_path(scope["path"])
            log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "route": template,
                    "status": status,
                    "duration_ms": round(duration_ms, 2),
                },
            )
            _count_call(scope, template, status, duration_ms)
            end_request(token)


def _count_call(scope: Scope, template: str, status: int, duration_ms: float) -> None:
    """An authenticated API call, in the usage of its tenant (the recorder batches the writes)."""
    tenant = request_tenant(scope)
    recorder = getattr(scope["app"].state, "usage", None) if "app" in scope else None
    if tenant is None or recorder is None or not scope["path"].startswith(API_PREFIX):
        return
    parts = template.split("/")
    area = parts[2] if len(parts) > 2 and parts[2] else "root"
    recorder.record(
        sponsor_id=tenant.sponsor_id,
        client_id=tenant.client_id,
        token_id=tenant.token_id,
        area=area,
        endpoint=f"{scope['method']} {template}",
        status=status,
        duration_ms=duration_ms,
    )
