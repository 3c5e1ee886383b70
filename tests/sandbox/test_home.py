"""The sandbox's home page: what it is, its platforms, its companies page by page, where to go next."""

import re

import httpx
import pytest


@pytest.fixture
def home(sandbox_server):
    def get(**params) -> httpx.Response:
        return httpx.get(sandbox_server.url + "/", params=params, timeout=30)

    return get


def test_the_home_page_says_what_the_sandbox_is_and_where_to_go(home):
    response = home()
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "PPF sandbox" in page
    assert "0042" in page and "0099" in page  # the platforms it knows (never their tokens)
    assert "test-token-0042" not in page
    assert 'href="/sandbox/mailbox.html"' in page and 'href="/docs"' in page
    assert 'href="/ppf/annuaire-public/v1/docs"' in page
    # Everything is served from here: no CDN, no script.
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<script" not in page


def test_the_companies_come_with_their_siren_and_siret_page_by_page(home):
    first = home().text
    assert "Acme Industrie SA" in first and "100000009" in first and "10000000900017" in first
    assert 'href="/?page=2"' in first and "?page=0" not in first
    total, pages = map(int, re.search(r"(\d+) companies in the register; page 1 of (\d+)", first).groups())
    assert total > 200 and pages == -(-total // 50)  # the seeded ones, the fixed ones, the one of the CSV
    last = home(page=pages).text
    assert f'href="/?page={pages - 1}"' in last and f"?page={pages + 1}" not in last
    assert "No company on this page" in home(page=pages + 1).text


def test_a_bad_page_number_is_a_problem(home):
    response = home(page=0)
    assert response.status_code == 422
