"""Dashboard fixtures: people of a sponsor with a password, a browser-like HTTP client signed in as
one of them (cookies kept, the page's CSRF token read from the page)."""

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    user_id: str
    email: str
    sponsor_id: str
    password: str = PASSWORD


def make_person(session, sponsor_id: str, *, role: str = "operator", email: str | None = None) -> Person:
    """An invited user who accepted the invitation (its password set), committed."""
    from coursier.db.base import new_id
    from coursier.services import sponsor_users

    email = email or f"{new_id('p')}@example.fr"
    invitation = sponsor_users.invite_user(session, sponsor_id, email, role=role)
    sponsor_users.accept_invitation(session, invitation.token, PASSWORD, PASSWORD, ip=None, user_agent=None)
    session.commit()
    return Person(invitation.user.id, email, sponsor_id)


@pytest.fixture
def person(session):
    """person(tenant, role="operator") -> a user of the tenant's sponsor."""

    def make(tenant, role: str = "operator", email: str | None = None) -> Person:
        return make_person(session, tenant.sponsor_id, role=role, email=email)

    return make


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


class Browser:
    """An HTTP client that keeps cookies, as a browser does, on a loopback address (so cookies are
    sent over plain HTTP)."""

    def __init__(self, app) -> None:
        self.http = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False, follow_redirects=False)

    def get(self, path: str, **kwargs):
        return self.http.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.http.post(path, data=data or {}, **kwargs)

    def form_post(self, page_path: str, action: str, **fields):
        """Post a form of `page_path` with the CSRF token that page carries."""
        return self.post(action, {"csrf_token": csrf_of(self.get(page_path)), **fields})

    def sign_in(self, person: Person, password: str | None = None):
        self.get("/dashboard/login")  # sets the form cookie
        token = self.http.cookies.get("coursier_dashboard_form")
        return self.post(
            "/dashboard/login",
            {"csrf_token": token, "email": person.email, "password": password or person.password, "next": ""},
        )


@pytest.fixture
def browser_for(app):
    """browser_for(person=None) -> a cookie-keeping client, signed in as `person` when given."""
    opened = []

    def make(person: Person | None = None) -> Browser:
        browser = Browser(app)
        browser.http.__enter__()
        opened.append(browser)
        if person is not None:
            assert browser.sign_in(person).status_code == 303
        return browser

    yield make
    for browser in opened:
        browser.http.__exit__(None, None, None)


@pytest.fixture
def committed_person(live_server):
    """committed_person(tenant, role="operator") -> a user committed for real, for the live server."""
    _, runtime = live_server

    def make(tenant, role: str = "operator") -> Person:
        with runtime.sessions() as session:
            return make_person(session, tenant.sponsor_id, role=role)

    return make
