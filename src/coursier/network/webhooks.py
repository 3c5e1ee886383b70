"""Calling sponsors' webhook endpoints: Standard Webhooks signatures, and requests that reach only
the public addresses a URL resolves to.

Every address a host name resolves to is checked, at registration and again at each delivery, and
the request goes to a checked address (the name still names the host, for TLS and `Host`), so a
name that later resolves inside the network (DNS rebinding) reaches nothing there. Redirects are
not followed; every request has timeouts and reads at most the start of the answer.
"""

import base64
import hashlib
import hmac
import ipaddress
import socket
import time
from dataclasses import dataclass

import httpx

from coursier import __version__

SECRET_PREFIX = "whsec_"
# What the log keeps of an answer.
EXCERPT_CHARS = 1000
_READ_BYTES = 4096
_DEFAULT_PORTS = {"https": 443, "http": 80}


class DestinationRefused(Exception):
    """The URL may not be called (scheme, or an address inside the network); the message says why."""


def format_secret(secret: bytes) -> str:
    return SECRET_PREFIX + base64.b64encode(secret).decode()


def sign(secret: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` (Standard Webhooks)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()


def signed_headers(secrets: list[bytes], message_id: str, body: bytes, timestamp: int | None = None) -> dict:
    """The headers of one attempt: one signature per secret in use (a rotated one still counts)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(secret, message_id, timestamp, body) for secret in secrets),
        "content-type": "application/json",
        "user-agent": f"Coursier-Webhooks/{__version__}",
    }


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(url: httpx.URL, *, allow_private: bool) -> list[str]:
    """The addresses to call for `url`, every one checked; refused if any is not allowed."""
    if url.scheme not in _DEFAULT_PORTS or not url.host:
        raise DestinationRefused("the URL must be https://host/…")
    try:
        infos = socket.getaddrinfo(_ascii_host(url), url.port or _DEFAULT_PORTS[url.scheme], type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationRefused(f"{url.host} does not resolve ({exc})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    parsed = [ipaddress.ip_address(address.split("%")[0]) for address in addresses]
    if url.scheme == "http" and not all(address.is_loopback for address in parsed):
        raise DestinationRefused("the URL must use https (plain http only on the loopback interface)")
    if not allow_private:
        refused = [str(address) for address in parsed if not _allowed(address)]
        if refused:
            raise DestinationRefused(
                f"{url.host} resolves to {', '.join(refused)}: private, loopback and link-local addresses "
                "are not allowed"
            )
    return addresses


@dataclass(frozen=True)
class Answer:
    """What one request got: a status, or an error (no answer)."""

    status_code: int | None
    latency_ms: int
    excerpt: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender:
    """Posts signed bodies. Safe to share between threads (one connection pool per process)."""

    def __init__(self, *, allow_private: bool, timeout: float = 10.0, connect_timeout: float = 5.0) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self._client = httpx.Client(
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would skip the address checks
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
        )

    def post(self, url: str, headers: dict, body: bytes) -> Answer:
        started = time.monotonic()
        target = httpx.URL(url)
        try:
            addresses = resolve(target, allow_private=self.allow_private)
        except DestinationRefused as exc:
            return Answer(None, _since(started), error=f"refused: {exc}"[:300])
        error = "no address"
        for address in addresses:
            try:
                return self._post_to(address, target, headers, body, started)
            except httpx.ConnectError as exc:
                error = f"connection failed: {exc}"  # the next address may answer
            except httpx.TimeoutException:
                return Answer(None, _since(started), error="timeout")
            except httpx.HTTPError as exc:
                return Answer(None, _since(started), error=f"{type(exc).__name__}: {exc}"[:300])
        return Answer(None, _since(started), error=error[:300])

    def _post_to(self, address: str, target: httpx.URL, headers: dict, body: bytes, started: float) -> Answer:
        deadline = started + self.timeout
        request = self._client.build_request(
            "POST",
            target.copy_with(host=address),
            headers={**headers, "host": target.netloc.decode("ascii")},
            content=body,
            # TLS names the host, not the address: the certificate is checked against the name.
            extensions={"sni_hostname": _ascii_host(target)},
        )
        response = self._client.send(request, stream=True)
        try:
            start = b""
            for chunk in response.iter_bytes():
                start += chunk
                if len(start) >= _READ_BYTES or time.monotonic() > deadline:
                    break
        finally:
            response.close()
        excerpt = start.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
        return Answer(response.status_code, _since(started), excerpt=excerpt or None)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "WebhookSender":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _ascii_host(url: httpx.URL) -> str:
    return url.raw_host.decode("ascii").strip("[]")


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
