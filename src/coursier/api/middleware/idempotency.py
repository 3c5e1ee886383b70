"""Idempotent POSTs: a POST sent with an `Idempotency-Key` runs once per sponsor and key.

Sent again with the same request it gets the stored response (marked `Idempotent-Replayed`); with
another request under the same key, a 409. The same request means the same method, path, client
and content: for a multipart upload its fields and files, whatever boundary the client picked. The
key is claimed in the request's transaction, so the created object and the stored response commit
together and a failed request stores nothing (a corrected retry runs). A duplicate sent while the
first is still running gets a 409 `idempotency_key_in_progress` at once: no request ever waits on
another's key.
"""

import hashlib

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.authentication import request_tenant
from coursier.api.middleware.transaction import before_commit, request_session
from coursier.db.idempotency import Claim, IdempotencyRepository
from coursier.kit.problems import problem_response

_SKIPPED_REPLAY_HEADERS = {b"content-length", b"x-request-id", b"date", b"server"}
# The first request usually ends within a second or two; then the retry gets the replay.
IN_PROGRESS_RETRY_AFTER_SECONDS = 1


class IdempotencyMiddleware:
    """Inside the fairness middleware, which authenticated the request, and the transaction
    middleware, whose session it uses. The body it reads is already held to its budget."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        key = Headers(scope=scope).get("idempotency-key")
        session = request_session(scope)
        ctx = request_tenant(scope)
        # Outside the request transaction (health probes, docs) a key means nothing; without a
        # tenant the route answers the 401.
        if key is None or session is None or ctx is None:
            return await self.app(scope, receive, send)
        if not 1 <= len(key) <= 255:
            response = problem_response(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters")
            return await response(scope, receive, send)
        await self._once(scope, receive, send, session, ctx.sponsor_id, key)

    async def _once(
        self, scope: Scope, receive: Receive, send: Send, session: Session, sponsor_id: str, key: str
    ) -> None:
        body = await _read_body(receive)
        request_hash = await _request_hash(scope, body)
        ttl_hours = scope["app"].state.settings.idempotency_ttl_hours
        repo = IdempotencyRepository(session)
        claim = await run_in_threadpool(repo.claim, sponsor_id, key, request_hash, ttl_hours)
        if claim is Claim.IN_PROGRESS:
            await run_in_threadpool(session.rollback)
            response = problem_response(
                409,
                "idempotency_key_in_progress",
                "A request with this Idempotency-Key is still running; retry shortly to get its response",
                headers={"Retry-After": str(IN_PROGRESS_RETRY_AFTER_SECONDS)},
            )
            return await response(scope, receive, send)
        if claim is Claim.DONE:
            record = await run_in_threadpool(repo.get, sponsor_id, key)
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
            record = await run_in_threadpool(repo.get, sponsor_id, key)
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


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _request_hash(scope: Scope, body: bytes) -> str:
    headers = Headers(scope=scope)
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], headers.get("x-pdp-client-id") or ""):
        digest.update(part.encode() + b"\n")
    digest.update(await _content_digest(headers, body))
    return digest.hexdigest()


async def _content_digest(headers: Headers, body: bytes) -> bytes:
    """The body's SHA-256; for a multipart form, of its fields and files in order, without the
    boundary and part headers a client picks anew on each try. An unreadable form: its bytes."""
    if headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        return hashlib.sha256(body).digest()

    async def stream():
        yield body

    try:
        form = await MultiPartParser(headers, stream()).parse()
    except MultiPartException:
        return hashlib.sha256(body).digest()
    digest = hashlib.sha256()
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                fields = (name, value.filename or "", hashlib.sha256(content).hexdigest())
            else:
                fields = (name, "", hashlib.sha256(value.encode()).hexdigest())
            digest.update("\0".join(fields).encode() + b"\n")
    finally:
        await form.close()
    return digest.digest()


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
