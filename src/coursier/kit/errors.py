"""Errors raised by services, each with a stable machine code.

The API turns them into RFC 9457 problem documents; the status travels with the error so that
every layer agrees on what kind of failure it is.
"""


class ConfigurationError(ValueError):
    """Settings that cannot work: the process stops at start with this message, not a traceback."""


class CoursierError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"
    # Seconds after which the same request may succeed (sent as `Retry-After`), when it is known.
    retry_after: int | None = None

    def __init__(self, message: str | None = None, *, code: str | None = None, extra: dict | None = None) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        if code:
            self.code = code
        self.extra = extra or {}

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in CPU worker processes (kit.cpu), so it must unpickle with its code and extra.
        return _rebuild, (type(self), self.message, self.code, self.extra)


def _rebuild(cls: type[CoursierError], message: str, code: str, extra: dict) -> CoursierError:
    return cls(message, code=code, extra=extra)


class InvalidInput(CoursierError):
    status = 400
    code = "invalid_input"
    title = "Invalid input"


class Unauthenticated(CoursierError):
    status = 401
    code = "unauthenticated"
    title = "Missing or invalid API token"


class NotFound(CoursierError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(CoursierError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(CoursierError):
    status = 413
    code = "payload_too_large"
    title = "Payload too large"


class TooManyRequests(CoursierError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(
        self, message: str, *, retry_after: int | None = None, code: str | None = None, extra: dict | None = None
    ) -> None:
        super().__init__(message, code=code, extra=extra)
        self.retry_after = retry_after


class Unprocessable(CoursierError):
    status = 422
    code = "unprocessable"
    title = "Unprocessable content"


class Unavailable(CoursierError):
    status = 503
    code = "unavailable"
    title = "Service unavailable"
