"""Budgets a request is held to before anything reads it: the number and size of its headers (431)
and the size of its body (413); and no NUL character in its path or query (400), which no text
column can hold.

Uploads (multipart, raw PDF or XML, AS4 messages) get the upload budget, a bulk deposit its own
(`COURSIER_BATCH_MAX_BYTES`), every other body the JSON one (`COURSIER_MAX_JSON_BYTES`). A
declared Content-Length over the budget is refused at once; a body sent without one is counted as
it arrives, so no layer ever buffers more than the budget.
"""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coursier.api.invoicing import BATCH_MEDIA_TYPES, BATCH_PATH, MAX_REQUEST_BYTES, RAW_MEDIA_TYPES
from coursier.kit.problems import problem_response

UPLOAD_BUDGET = MAX_REQUEST_BYTES
# AS4 messages (multipart/related) carry an invoice too, compressed and encrypted.
UPLOAD_MEDIA_TYPES = ("multipart/form-data", "multipart/related", *RAW_MEDIA_TYPES)


class BodyTooLarge(HTTPException):
    """Raised from `receive` past the budget. An HTTPException, so that whichever layer is reading
    (FastAPI's body parsing, the idempotency layer) lets it through to a 413 problem."""

    def __init__(self, budget: int) -> None:
        super().__init__(413, f"The request body is over its limit of {budget} bytes")


class BudgetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        settings = scope["app"].state.settings
        raw_headers = scope["headers"]
        if len(raw_headers) > settings.max_header_count or (
            sum(len(k) + len(v) for k, v in raw_headers) > settings.max_header_bytes
        ):
            detail = (
                f"Send at most {settings.max_header_count} headers and {settings.max_header_bytes} bytes of them in all"
            )
            return await problem_response(431, "headers_too_large", detail)(scope, receive, send)

        if b"\x00" in scope["path"].encode() or b"%00" in scope["query_string"] or b"\x00" in scope["query_string"]:
            detail = "The path and query may not contain NUL (0x00) characters"
            return await problem_response(400, "invalid_characters", detail)(scope, receive, send)

        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if BATCH_PATH.match(scope["path"]) and media_type in BATCH_MEDIA_TYPES:
            budget = settings.batch_max_bytes
        else:
            budget = UPLOAD_BUDGET if media_type in UPLOAD_MEDIA_TYPES else settings.max_json_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > budget:
            return await _too_large(budget)(scope, receive, send)

        received = 0
        response_started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > budget:
                    raise BodyTooLarge(budget)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if response_started:
                raise
            await _too_large(budget)(scope, receive, send)


def _too_large(budget: int):
    return problem_response(413, "payload_too_large", f"The request body is over its limit of {budget} bytes")
