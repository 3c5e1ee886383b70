"""Conveniences of the sandbox's own tests; the sandbox process itself is `sandbox_server` in
tests/conftest.py, shared with every package that talks to the PPF."""

from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def ppf(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0042."""
    with sandbox_server.client("0042") as client:
        yield client


@pytest.fixture
def competitor(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0099."""
    with sandbox_server.client("0099") as client:
        yield client


def _problem_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
def problem():
    """problem(response, status): the problem document of an error answer, its status and type checked."""
    return _problem_of
