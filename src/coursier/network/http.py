"""What our HTTP connectors share: a bearer-token client whose failures become typed errors."""

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Problem:
    """A non-2xx answer, read from its problem document when it has one."""

    status: int
    code: str
    message: str
    body: dict


def problem_of(response: httpx.Response) -> Problem:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    return Problem(
        status=status,
        code=body.get("code") or f"http_{status}",
        message=body.get("detail") or f"{status} {response.reason_phrase}",
        body=body,
    )


def is_retryable(problem: Problem) -> bool:
    """Server trouble or throttling: the same call may succeed later."""
    return problem.status >= 500 or problem.status == 429


class BearerClient:
    """An httpx client with a bearer token; subclasses say which error each failure is."""

    def __init__(
        self, base_url: str, token: str, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **options)
        except httpx.TransportError as exc:  # refused, reset, DNS, every timeout
            raise self._unreachable(exc) from exc
        if not response.is_success:
            raise self._refused(problem_of(response))
        return response

    def _unreachable(self, exc: httpx.TransportError) -> Exception:
        raise NotImplementedError

    def _refused(self, problem: Problem) -> Exception:
        raise NotImplementedError
