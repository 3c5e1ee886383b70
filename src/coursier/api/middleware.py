"""ASGI middleware: request context and usage (outer), one transaction per request with
idempotent POST replay (inner).

The transaction is committed when the response starts with a status below 400, before a byte of
it reaches the caller: a client that is told "created" can rely on it. Errors roll back. A POST
with an `Idempotency-Key` claims the key in that same transaction, so the created object and the
stored response commit together, and a concurrent duplicate waits on the key and then replays.
"""

import hashlib
import logging
import time

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.context import end_request, start_request
from coursier.api.errors import problem_response
from coursier.db.idempotency import IdempotencyRepository
from coursier.services.sponsors import authenticate

log = logging.getLogger("coursier.access")

API_PREFIX = "/api"
# Paths served with a database transaction: the API and the server-rendered pages.
TRANSACTIONAL_PREFIXES = (API_PREFIX, "/onboarding", "/dashboard")
MAX_IDEMPOTENT_BODY = 50 * 1024 * 1024
_SKIPPED_REPLAY_HEADERS = {b"content-length", b"x-request-id", b"date", b"server"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def bearer_token(raw: str | None) -> str | None:
    """`Authorization: <token>` as the Seqino API has it, or `Bearer <token>`."""
    if not raw:
        return None
    raw = raw.strip()
    if raw[:7].lower() == "bearer ":
        raw = raw[7:].strip()
    return raw or None


# Paths whose next segment is a secret (an onboarding link's or an invitation's token): never written to logs.
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
    """Request id in and out, one JSON access log line, and the call counted for usage."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id, token = start_request(_header(scope, b"x-request-id"))
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
            self._record_usage(scope, template, status, duration_ms)
            end_request(token)

    @staticmethod
    def _record_usage(scope: Scope, template: str, status: int, duration_ms: float) -> None:
        state = scope.get("state") or {}
        tenant = state.get("tenant")
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


class TransactionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(TRANSACTIONAL_PREFIXES):
            return await self.app(scope, receive, send)
        session = scope["app"].state.sessions()
        scope.setdefault("state", {})["db"] = session
        try:
            key = _header(scope, b"idempotency-key")
            if scope["method"] == "POST" and key is not None:
                await self._idempotent(scope, receive, send, session, key)
            else:
                await self.app(scope, receive, self._committing_send(send, session))
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)

    @staticmethod
    def _committing_send(send: Send, session, on_commit=None) -> Send:
        """Commit (status < 400) or roll back as the response starts, before it is sent."""
        failed = False

        async def wrapped(message: Message) -> None:
            nonlocal failed
            if message["type"] == "http.response.start":
                try:
                    if message["status"] < 400:
                        if on_commit is not None:
                            await on_commit(message)
                        await run_in_threadpool(session.commit)
                    else:
                        await run_in_threadpool(session.rollback)
                except Exception:
                    log.exception("commit failed")
                    await run_in_threadpool(session.rollback)
                    failed = True
                    response = problem_response(
                        500, "commit_failed", "The change could not be saved; nothing was stored. Retry the request."
                    )
                    await response({"type": "http"}, _no_receive, send)
                    return
            if not failed:
                await send(message)

        return wrapped

    async def _idempotent(self, scope: Scope, receive: Receive, send: Send, session, key: str) -> None:
        body, too_large = await _read_body(receive, MAX_IDEMPOTENT_BODY)
        if too_large:
            response = problem_response(413, "payload_too_large", "Request body too large")
            return await response(scope, receive, send)
        if not 1 <= len(key) <= 255:
            response = problem_response(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters")
            return await response(scope, receive, send)

        ctx = None
        secret = bearer_token(_header(scope, b"authorization"))
        if secret:
            ctx = await run_in_threadpool(authenticate, session, secret)
        if ctx is None:  # let the route's auth dependency answer 401
            return await self.app(scope, _replay(body, receive), self._committing_send(send, session))
        scope["state"]["tenant"] = ctx

        ttl_hours = scope["app"].state.settings.idempotency_ttl_hours
        request_hash = hashlib.sha256(
            b"\n".join(
                [
                    scope["method"].encode(),
                    scope["path"].encode(),
                    (_header(scope, b"x-pdp-client-id") or "").encode(),
                    body,
                ]
            )
        ).hexdigest()
        repo = IdempotencyRepository(session)
        claimed = await run_in_threadpool(repo.claim, ctx.sponsor_id, key, request_hash, ttl_hours)
        if not claimed:
            record = await run_in_threadpool(repo.get, ctx.sponsor_id, key)
            await run_in_threadpool(session.rollback)
            if record is None or record.request_hash != request_hash:
                response = problem_response(
                    409,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used with a different request",
                )
                return await response(scope, receive, send)
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.response_headers or []]
            await send(
                {
                    "type": "http.response.start",
                    "status": record.status_code,
                    "headers": [*headers, (b"idempotent-replayed", b"true")],
                }
            )
            await send({"type": "http.response.body", "body": record.response_body or b""})
            return

        # Our key: run the request, keep the whole response, store it with the commit.
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, _replay(body, receive), capture)

        async def store(message: Message) -> None:
            record = await run_in_threadpool(repo.get, ctx.sponsor_id, key)
            record.status_code = message["status"]
            record.response_headers = [
                [k.decode("latin-1"), v.decode("latin-1")]
                for k, v in message.get("headers", [])
                if k.lower() not in _SKIPPED_REPLAY_HEADERS
            ]
            record.response_body = b"".join(chunks)
            await run_in_threadpool(session.flush)

        committing = self._committing_send(send, session, on_commit=store)
        await committing(start)
        await committing({"type": "http.response.body", "body": b"".join(chunks)})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts), False


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the real channel (which reports a real disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
