"""Fairness between sponsors at the API's edge: a sponsor over one of its rate limits, or with too
many heavy requests running, gets a 429 with `Retry-After` before its request does any work.

This layer authenticates the request (the tenant is kept for the layers and routes inside); a
request without a valid token goes on, and its route answers the 401.
"""

import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from coursier.api.authentication import authenticate_header, bearer_token, remember_tenant
from coursier.api.middleware.transaction import request_session
from coursier.api.routing import API_PREFIX
from coursier.kit import memory
from coursier.kit.errors import Unauthenticated
from coursier.kit.problems import problem_response
from coursier.services.usage_limits import take_heavy_slot

# Requests that validate or render: uploads, drafts (each write is checked in full), their
# validation and finalization, conversions. A bulk deposit takes more slots as it runs, one per
# file it checks at once (api/invoicing.py).
HEAVY_REQUESTS = (
    ("POST", re.compile(r"^/api/invoicing/files/submit(-batch)?/?$")),
    ("POST", re.compile(r"^/api/drafts/?$")),
    ("PUT", re.compile(r"^/api/drafts/[^/]+/?$")),
    ("POST", re.compile(r"^/api/drafts/validate-data/?$")),
    ("POST", re.compile(r"^/api/drafts/[^/]+/(validate|send)/?$")),
    ("GET", re.compile(r"^/api/invoicing/invoices/[^/]+/download/?$")),
)
# A heavy request lasts seconds: a slot is worth asking for again soon.
HEAVY_RETRY_AFTER_SECONDS = 2


def is_heavy(method: str, path: str) -> bool:
    return any(method == heavy_method and pattern.match(path) for heavy_method, pattern in HEAVY_REQUESTS)


class FairnessMiddleware:
    """Inside the transaction middleware: it authenticates with the request's session, and a heavy
    request's slot is held by that session's transaction."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = request_session(scope)
        if scope["type"] != "http" or session is None or not scope["path"].startswith(API_PREFIX):
            return await self.app(scope, receive, send)
        authorization = Headers(scope=scope).get("authorization")
        if bearer_token(authorization) is None:
            return await self.app(scope, receive, send)
        try:
            ctx = await run_in_threadpool(authenticate_header, session, authorization)
        except Unauthenticated:
            return await self.app(scope, receive, send)
        remember_tenant(scope, ctx)

        state = scope["app"].state
        refusal = state.rate_limits.admit(ctx.sponsor_id)
        if refusal is not None:
            response = problem_response(
                429,
                "rate_limited",
                f"Over the limit of {refusal.limit} calls per {refusal.period}; retry in {refusal.retry_after} s",
                headers={"Retry-After": str(refusal.retry_after)},
                extra={"limit": refusal.limit, "period": refusal.period},
            )
            return await response(scope, receive, send)

        heavy = is_heavy(scope["method"], scope["path"])
        slots = state.settings.heavy_requests_per_sponsor
        if heavy and not await run_in_threadpool(take_heavy_slot, session, ctx.sponsor_id, slots):
            response = problem_response(
                429,
                "too_many_heavy_requests",
                f"At most {slots} uploads, validations or renderings run at once for a sponsor; retry shortly",
                headers={"Retry-After": str(HEAVY_RETRY_AFTER_SECONDS)},
                extra={"limit": slots},
            )
            return await response(scope, receive, send)
        try:
            await self.app(scope, receive, send)
        finally:
            if heavy:  # its body, the file stored, the answer: megabytes the process need not keep
                await run_in_threadpool(memory.give_back)
