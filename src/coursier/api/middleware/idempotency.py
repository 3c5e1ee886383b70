"""Idempotent POSTs: a POST sent with an `Idempotency-Key` runs once per sponsor and key.

Sent again with the same request it gets the stored response (marked `Idempotent-Replayed`); with
another request under the same key, a 409. The key is claimed in the request's transaction, so the
created object and the stored response commit together, a failed request stores nothing (a
corrected retry runs), and a concurrent duplicate waits on the key, then replays.
"""

import hashlib

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.authentication import authenticate_header, remember_tenant
from coursier.api.middleware.transaction import before_commit, request_session
from coursier.db.idempotency import IdempotencyRepository
from coursier.kit.errors import Unauthenticated
from coursier.kit.problems import problem_response

MAX_IDEMPOTENT_BODY = 50 * 1024 * 1024
_SKIPPED_REPLAY_HEADERS = {b"content-length", b"x-request-id", b"date", b"server"}


class IdempotencyMiddleware:
    """Inside the transaction middleware: it uses the request's session."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        key = Headers(scope=scope).get("idempotency-key")
        session = request_session(scope)
        # Outside the request transaction (health probes, docs) a key means nothing.
        if key is None or session is None:
            return await self.app(scope, receive, send)
        await self._once(scope, receive, send, session, key)

    async def _once(self, scope: Scope, receive: Receive, send: Send, session: Session, key: str) -> None:
        headers = Headers(scope=scope)
        body, too_large = await _read_body(receive, MAX_IDEMPOTENT_BODY)
        if too_large:
            response = problem_response(413, "payload_too_large", "Request body too large")
            return await response(scope, receive, send)
        if not 1 <= len(key) <= 255:
            response = problem_response(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters")
            return await response(scope, receive, send)

        try:
            ctx = await run_in_threadpool(authenticate_header, session, headers.get("authorization"))
        except Unauthenticated:  # the route's auth dependency answers the 401
            return await self.app(scope, _replay(body, receive), send)
        remember_tenant(scope, ctx)

        ttl_hours = scope["app"].state.settings.idempotency_ttl_hours
        request_hash = hashlib.sha256(
            b"\n".join(
                [
                    scope["method"].encode(),
                    scope["path"].encode(),
                    (headers.get("x-pdp-client-id") or "").encode(),
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
            stored_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.response_headers or []]
            await send(
                {
                    "type": "http.response.start",
                    "status": record.status_code,
                    "headers": [*stored_headers, (b"idempotent-replayed", b"true")],
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

        before_commit(scope, store)
        await send(start)
        await send({"type": "http.response.body", "body": b"".join(chunks)})


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
