"""The request id, visible to every log line of the request, and structured JSON logging."""

import logging
import re
import secrets
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# A caller-supplied X-Request-Id is kept only if it is short and plain, so it is safe in logs.
_ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{8,64}$")


def current_request_id() -> str | None:
    return _request_id.get()


def start_request(incoming: str | None) -> tuple[str, object]:
    request_id = incoming if incoming and _ACCEPTABLE_REQUEST_ID.match(incoming) else "req_" + secrets.token_hex(12)
    return request_id, _request_id.set(request_id)


def end_request(token: object) -> None:
    _request_id.reset(token)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Our middleware writes one access line per request, with its request id; uvicorn's would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
