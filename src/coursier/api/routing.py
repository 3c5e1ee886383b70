"""Where the API is mounted, and a router whose every path answers with and without a trailing
slash (no redirect)."""

from fastapi import APIRouter

# Every API router is mounted under it; the pages (onboarding, health) are not.
API_PREFIX = "/api"


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint, **kwargs) -> None:
        super().add_api_route(path, endpoint, **kwargs)
        twin = path[:-1] if path.endswith("/") else path + "/"
        if self.prefix + twin:  # "/" has no twin
            super().add_api_route(twin, endpoint, **{**kwargs, "include_in_schema": False})
