"""GET /api/directory/companies: the register's name search, paged like every list of the API."""

import httpx
import pytest

# "sa" is in most seeded names (SA, SAS, SASU, SARL...): more companies than a page.
NAME = "sa"


@pytest.fixture
def search(live_server, committed_tenant):
    base, _ = live_server

    def get(**params) -> httpx.Response:
        return httpx.get(
            base + "/api/directory/companies", params={"name": NAME, **params}, headers=committed_tenant.headers
        )

    return get


def test_the_default_page_holds_fifty_and_says_where_the_next_is(search):
    response = search()
    assert response.status_code == 200
    assert len(response.json()) == 50
    cursor = response.headers["X-Next-Cursor"]
    assert f"cursor={cursor}" in response.headers["Link"] and 'rel="next"' in response.headers["Link"]


def _walk(search, limit: int) -> list[dict]:
    walked, cursor = [], None
    while True:
        response = search(limit=limit, **({"cursor": cursor} if cursor else {}))
        page = response.json()
        assert len(page) <= limit
        walked += page
        cursor = response.headers.get("X-Next-Cursor")
        if cursor is None:
            return walked


def test_walking_the_pages_gives_every_match_once_in_order(search):
    everything = _walk(search, 200)
    assert len(everything) > 50
    walked = _walk(search, 37)
    assert walked == everything
    assert len({company["siren"] for company in walked}) == len(walked)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}])
def test_bad_paging_is_a_problem_with_a_code(search, params):
    response = search(**params)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"]
