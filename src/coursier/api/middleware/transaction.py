"""One database transaction per request to the API and the onboarding pages.

It is committed when the response starts with a status below 400, before a byte of it reaches the
caller: a client that is told "created" can rely on it. Errors roll back. A layer inside that must
write with that commit (the idempotency record) registers a step with `before_commit`. The session
is closed before the last byte of the response is sent, so a caller that has read the response
never races with this request's connection.

A request holds a database connection for its whole life, so a process lets as many requests in as
its pool keeps connections (the pool's overflow is left to the job worker and the timer threads);
the others queue, and one that waited `COURSIER_DB_QUEUE_SECONDS` gets a 503 with `Retry-After`.
"""

import logging
from collections.abc import Awaitable, Callable

import anyio
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.routing import API_PREFIX
from coursier.kit.problems import busy_response, problem_response

log = logging.getLogger("coursier.access")

# Paths served with a database transaction: the API and the server-rendered pages.
TRANSACTIONAL_PREFIXES = (API_PREFIX, "/onboarding", "/dashboard")

CommitStep = Callable[[Message], Awaitable[None]]


def request_session(scope: Scope) -> Session | None:
    """The session of the request's transaction; None outside the transactional paths."""
    return scope.get("state", {}).get("db")


def before_commit(scope: Scope, step: CommitStep) -> None:
    """Run `step(response_start)` in the transaction, just before it commits a successful response."""
    scope["state"]["before_commit"].append(step)


class TransactionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(TRANSACTIONAL_PREFIXES):
            return await self.app(scope, receive, send)
        state = scope["app"].state
        if self._slots is None:
            self._slots = anyio.Semaphore(state.runtime.engine.pool.size())
        acquired = False
        with anyio.move_on_after(state.settings.db_queue_seconds):
            await self._slots.acquire()
            acquired = True
        if not acquired:
            return await busy_response()(scope, receive, send)
        try:
            await self._run(scope, receive, send, state.sessions())
        finally:
            self._slots.release()

    async def _run(self, scope: Scope, receive: Receive, send: Send, session: Session) -> None:
        steps: list[CommitStep] = []
        state = scope.setdefault("state", {})
        state["db"], state["before_commit"] = session, steps
        try:
            await self.app(scope, receive, _committing_send(send, session, steps))
        except BaseException:
            await run_in_threadpool(session.rollback)
            raise
        finally:
            await run_in_threadpool(session.close)


def _committing_send(send: Send, session: Session, steps: list[CommitStep]) -> Send:
    """Commit (status < 400) or roll back as the response starts, before it is sent; close the
    session before the response's last part is."""
    failed = False

    async def wrapped(message: Message) -> None:
        nonlocal failed
        if message["type"] == "http.response.start":
            try:
                if message["status"] < 400:
                    for step in steps:
                        await step(message)
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
        if failed:
            return
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            await run_in_threadpool(session.close)
        await send(message)

    return wrapped


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
