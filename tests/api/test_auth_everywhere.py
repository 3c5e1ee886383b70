"""Every route under /api demands a valid token: a new endpoint cannot forget it."""

import re

import pytest
from fastapi.routing import APIRoute

from coursier.api.app import API_ROUTERS


def _api_routes():
    for router in API_ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                for method in sorted(route.methods):
                    yield method, "/api" + re.sub(r"\{[^}]+\}", "x", route.path)


@pytest.mark.parametrize("method,path", sorted(set(_api_routes())))
def test_route_refuses_missing_and_wrong_tokens(api, method, path):
    for headers in ({}, {"Authorization": "csk_not_a_token"}):
        r = api.request(method, path, headers=headers)
        assert r.status_code == 401, (method, path, headers, r.text)
        assert r.json()["code"] in ("missing_token", "invalid_token")
