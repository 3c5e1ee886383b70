"""What our HTTP connectors share: a client whose failures become typed errors, authenticated with
a fixed bearer token or with OAuth 2.0 client credentials (`ClientCredentials`)."""

import threading
import time
from collections.abc import Callable, Generator
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


class TokenRefused(Exception):
    """The token endpoint did not give a token: `problem` says why (RFC 6749 §5.2 `error`)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class StaticBearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


class ClientCredentials(httpx.Auth):
    """A bearer token from the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), as PISTE gives
    them: asked at `token_url` with the client id and secret in the body, kept and shared by every
    thread until `RENEW_BEFORE_SECONDS` before it expires, asked again when an API answers 401
    (a token withdrawn early). Failures: httpx's TransportError (unreachable), `TokenRefused`."""

    RENEW_BEFORE_SECONDS = 60.0

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = "openid",
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = token_url
        self._form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        if scope:
            self._form["scope"] = scope
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._monotonic() >= self._renew_at:
                self._token, lifetime = self._fetch()
                # A token shorter-lived than the margin is used for half its life.
                self._renew_at = self._monotonic() + max(lifetime - self.RENEW_BEFORE_SECONDS, lifetime / 2)
            return self._token

    def _fetch(self) -> tuple[str, float]:
        response = self._http.post(self._token_url, data=self._form, headers={"Accept": "application/json"})
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.is_success or not isinstance(body, dict) or not body.get("access_token"):
            body = body if isinstance(body, dict) else {}
            raise TokenRefused(
                Problem(
                    status=response.status_code if not response.is_success else 502,
                    code=body.get("error") or f"http_{response.status_code}",
                    message=f"the token endpoint refused: {body.get('error_description') or response.reason_phrase}",
                    body=body,
                )
            )
        return body["access_token"], float(body.get("expires_in") or 3600)

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self._forget(token)
            request.headers["Authorization"] = f"Bearer {self.token()}"
            yield request

    def close(self) -> None:
        self._http.close()


class BearerClient:
    """An httpx client with a bearer token (`token` a string, or an httpx.Auth that sets it, such
    as `ClientCredentials`); subclasses say which error each failure is."""

    def __init__(
        self,
        base_url: str,
        token: str | httpx.Auth,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._auth = token if isinstance(token, httpx.Auth) else StaticBearer(token)
        self._http = httpx.Client(base_url=base_url.rstrip("/"), auth=self._auth, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()
        if isinstance(self._auth, ClientCredentials):
            self._auth.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **options)
        except httpx.TransportError as exc:  # refused, reset, DNS, every timeout
            raise self._unreachable(exc) from exc
        except TokenRefused as exc:
            raise self._refused(exc.problem) from exc
        if not response.is_success:
            raise self._refused(problem_of(response))
        return response

    def _unreachable(self, exc: httpx.TransportError) -> Exception:
        raise NotImplementedError

    def _refused(self, problem: Problem) -> Exception:
        raise NotImplementedError
