"""What the server-rendered pages share (onboarding, dashboard): their response headers, the
language switch, and routes whose failures become pages of their own area."""

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from coursier.kit.texts import LANGUAGES, Language, text


def page_headers(content_security_policy: str | None, *, referrer: str = "no-referrer") -> dict[str, str]:
    """No referrer to other sites (page URLs can hold a token), no sniffing, no caching; and the
    page's CSP (None for a document the browser's own viewer shows)."""
    headers = {"Referrer-Policy": referrer, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    if content_security_policy is not None:
        headers["Content-Security-Policy"] = content_security_policy
    return headers


def html(body: str, headers: dict[str, str], status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=headers)


def other_languages(language: Language) -> list[tuple[Language, str]]:
    """Each other language, named in itself, for the language switch."""
    return [(other, text(other, "language.name")) for other in LANGUAGES if other != language]


class PageRoute(APIRoute):
    """A route of pages: whatever its handler or its dependencies raise is answered by
    `error_page`, so the API's problem+json handlers never see a page request."""

    def error_page(self, request: Request, exc: Exception) -> Response:
        raise NotImplementedError

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                return self.error_page(request, exc)

        return page_handler
