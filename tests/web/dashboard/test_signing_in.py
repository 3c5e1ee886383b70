"""Signing in to the dashboard through HTTP: passwords, lock-out, second factor, sessions, CSRF,
invitations and the command that creates them."""

import html
import json
import re
from datetime import timedelta
from types import SimpleNamespace

import pyotp
import pytest
from typer.testing import CliRunner

from coursier.kit import clock


def _says(page, phrase: str) -> bool:
    return phrase in html.unescape(page.text)


def test_pages_send_a_visitor_to_sign_in_and_back(browser_for, person, tenant_a):
    browser = browser_for()
    r = browser.get(f"/dashboard/clients/{tenant_a.client_id}?x=1")
    assert r.status_code == 303
    assert r.headers["location"] == "/dashboard/login?next=%2Fdashboard%2Fclients%2F" + tenant_a.client_id + "%3Fx%3D1"
    login = browser.get(r.headers["location"])
    assert login.status_code == 200 and 'name="next" value="/dashboard/clients/' in login.text
    assert "script-src 'self'" in login.headers["content-security-policy"]
    assert login.headers["referrer-policy"] == "same-origin"

    someone = person(tenant_a)
    form = {"csrf_token": browser.http.cookies.get("coursier_dashboard_form"), "email": someone.email.upper()}
    signed_in = browser.post(
        "/dashboard/login", {**form, "password": someone.password, "next": f"/dashboard/clients/{tenant_a.client_id}"}
    )
    assert signed_in.status_code == 303 and signed_in.headers["location"] == f"/dashboard/clients/{tenant_a.client_id}"
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # a loopback server: plain HTTP
    assert browser.get(signed_in.headers["location"]).status_code == 200


def test_cookies_are_secure_outside_loopback(app, person, tenant_a):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://dashboard.example", follow_redirects=False) as http:
        http.get("/dashboard/login")
        assert "Secure" in http.get("/dashboard/login").headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/api/clients", "javascript:x"])
def test_sign_in_goes_back_only_to_the_dashboard(browser_for, person, tenant_a, target):
    browser = browser_for()
    someone = person(tenant_a)
    browser.get("/dashboard/login")
    token = browser.http.cookies.get("coursier_dashboard_form")
    r = browser.post(
        "/dashboard/login", {"csrf_token": token, "email": someone.email, "password": someone.password, "next": target}
    )
    assert r.headers["location"] == "/dashboard"


def test_wrong_passwords_lock_the_account_for_longer_each_time(browser_for, person, tenant_a, monkeypatch):
    browser = browser_for()
    someone = person(tenant_a)
    for _ in range(5):
        r = browser.sign_in(someone, password="not the password")
        assert r.status_code == 200 and _says(r, "Adresse e-mail ou mot de passe incorrect.")
    # Locked: even the right password is refused, and the page says for how long.
    r = browser.sign_in(someone)
    assert r.status_code == 200 and _says(r, "ce compte est bloqué pendant 1 minute(s)")

    later = clock.now() + timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert browser.sign_in(someone, password="wrong again").status_code == 200
    r = browser.sign_in(someone)
    assert _says(r, "bloqué pendant 2 minute(s)")  # the sixth failure doubled the lock

    even_later = later + timedelta(minutes=3)
    monkeypatch.setattr(clock, "now", lambda: even_later)
    assert browser.sign_in(someone).status_code == 303


def test_an_unknown_address_gets_the_same_answer(browser_for):
    r = browser_for().sign_in(SimpleNamespace(email="nobody@example.fr", password="whatever it is"))
    assert r.status_code == 200 and _says(r, "Adresse e-mail ou mot de passe incorrect.")


def test_sign_in_needs_the_form_cookie(browser_for, person, tenant_a):
    browser = browser_for()
    someone = person(tenant_a)
    browser.get("/dashboard/login")
    r = browser.post("/dashboard/login", {"csrf_token": "forged", "email": someone.email, "password": someone.password})
    assert r.status_code == 403 and _says(r, "Formulaire expiré")
    r = browser.post(
        "/dashboard/login",
        {"csrf_token": browser.http.cookies.get("coursier_dashboard_form"), "email": someone.email, "password": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403


def test_posts_without_the_session_csrf_token_are_refused(browser_for, person, tenant_a, tenant_b):
    someone = person(tenant_a)
    browser = browser_for(someone)
    for fields in ({}, {"csrf_token": "forged"}, {"csrf_token": _csrf_of_another_session(browser_for, someone)}):
        r = browser.post("/dashboard/clients", {**fields, "organization_name": "X", "external_ref": "csrf-1"})
        assert r.status_code == 403 and _says(r, "Ce formulaire n'est plus valable")
    r = browser.form_post("/dashboard/clients", "/dashboard/clients", organization_name="X", external_ref="csrf-1")
    assert r.status_code == 303


def _csrf_of_another_session(browser_for, someone) -> str:
    other = browser_for(someone)
    return re.search(r'name="csrf_token" value="([^"]+)"', other.get("/dashboard/clients").text).group(1)


def test_a_cookie_is_worthless_after_sign_out(browser_for, person, tenant_a):
    someone = person(tenant_a)
    browser = browser_for(someone)
    stolen = browser.http.cookies.get("coursier_dashboard")
    assert browser.form_post("/dashboard/clients", "/dashboard/logout").status_code == 303
    thief = browser_for()
    thief.http.cookies.set("coursier_dashboard", stolen, domain="127.0.0.1", path="/dashboard")
    r = thief.get("/dashboard/clients")
    assert r.status_code == 303 and r.headers["location"].startswith("/dashboard/login")


def test_signing_out_everywhere_ends_every_session(browser_for, person, tenant_a):
    someone = person(tenant_a)
    laptop, phone = browser_for(someone), browser_for(someone)
    assert phone.get("/dashboard/clients").status_code == 200
    assert laptop.form_post("/dashboard/account", "/dashboard/account/sign-out-everywhere").status_code == 303
    assert phone.get("/dashboard/clients").status_code == 303
    assert laptop.get("/dashboard/clients").status_code == 303


def test_sessions_end_when_idle(browser_for, person, tenant_a, monkeypatch):
    browser = browser_for(person(tenant_a))
    later = clock.now() + timedelta(hours=9)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert browser.get("/dashboard/clients").status_code == 303


def test_a_second_factor_is_asked_once_turned_on(browser_for, person, tenant_a):
    someone = person(tenant_a)
    browser = browser_for(someone)
    started = browser.form_post("/dashboard/account", "/dashboard/account/totp/start")
    secret = re.search(r'id="totp_secret" value="([A-Z2-7]+)"', started.text).group(1)
    totp = pyotp.TOTP(secret)
    wrong = browser.form_post("/dashboard/account", "/dashboard/account/totp/confirm", code="000000")
    assert wrong.status_code == 422 and _says(wrong, "Ce code n'est pas le bon")
    confirmed = browser.form_post("/dashboard/account", "/dashboard/account/totp/confirm", code=totp.now())
    assert _says(confirmed, "Double authentification activée.")

    other = browser_for()
    r = other.sign_in(someone)
    assert r.status_code == 303 and r.headers["location"].startswith("/dashboard/login/code")
    # Half signed in: no page opens.
    assert other.get("/dashboard/clients").status_code == 303
    code_form = other.get(r.headers["location"])
    token = other.http.cookies.get("coursier_dashboard_form")
    refused = other.post("/dashboard/login/code", {"csrf_token": token, "code": "123456", "next": "/dashboard/usage"})
    assert refused.status_code == 200 and _says(refused, "Ce code n'est pas le bon") and code_form.status_code == 200
    # The code the confirmation used does not work twice; the next step's does.
    step = totp.timecode(clock.now()) + 1
    accepted = other.post(
        "/dashboard/login/code",
        {"csrf_token": token, "code": totp.generate_otp(step), "next": "/dashboard/usage"},
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/dashboard/usage"
    assert other.get("/dashboard/usage").status_code == 200
    replayed = other.post(
        "/dashboard/login/code", {"csrf_token": token, "code": totp.generate_otp(step), "next": "/dashboard/usage"}
    )
    assert replayed.status_code == 303 and replayed.headers["location"] == "/dashboard/login"  # nothing half signed in


def _turn_on_totp(browser) -> pyotp.TOTP:
    started = browser.form_post("/dashboard/account", "/dashboard/account/totp/start")
    totp = pyotp.TOTP(re.search(r'id="totp_secret" value="([A-Z2-7]+)"', started.text).group(1))
    browser.form_post("/dashboard/account", "/dashboard/account/totp/confirm", code=totp.now())
    return totp


def _give_code(browser, person, code: str):
    browser.get(browser.sign_in(person).headers["location"])
    token = browser.http.cookies.get("coursier_dashboard_form")
    return browser.post("/dashboard/login/code", {"csrf_token": token, "code": code, "next": "/dashboard/usage"})


def test_the_second_factor_seed_is_stored_sealed(browser_for, person, tenant_a, session):
    from sqlalchemy import text

    from coursier.db.sealed import process_keyring

    someone = person(tenant_a)
    totp = _turn_on_totp(browser_for(someone))
    stored = session.scalar(text("SELECT totp_secret FROM sponsor_users WHERE id = :id"), {"id": someone.user_id})
    assert totp.secret not in stored and process_keyring().unseal(stored.encode()).decode() == totp.secret
    accepted = _give_code(browser_for(), someone, totp.generate_otp(totp.timecode(clock.now()) + 1))
    assert accepted.status_code == 303 and accepted.headers["location"] == "/dashboard/usage"


def test_a_seed_sealed_with_a_key_gone_is_a_page_saying_so_not_a_crash(browser_for, person, tenant_a, secret_keys):
    from coursier.kit.sealed import new_key

    someone = person(tenant_a)
    signed_in = browser_for(someone)
    totp = _turn_on_totp(signed_in)
    secret_keys(new_key())
    page = _give_code(browser_for(), someone, totp.generate_otp(totp.timecode(clock.now()) + 1))
    assert page.status_code == 503 and _says(page, "Un secret de ce compte ne peut pas être lu")
    # Pages that do not need the seed still open.
    assert signed_in.get("/dashboard/account").status_code == 200


def test_changing_the_password_ends_the_other_sessions(browser_for, person, tenant_a):
    someone = person(tenant_a)
    here, elsewhere = browser_for(someone), browser_for(someone)
    new = "another long passphrase"
    short = here.form_post(
        "/dashboard/account",
        "/dashboard/account/password",
        current_password=someone.password,
        password="short",
        confirmation="short",
    )
    assert short.status_code == 422 and _says(short, "au moins 12 caractères")
    changed = here.form_post(
        "/dashboard/account",
        "/dashboard/account/password",
        current_password=someone.password,
        password=new,
        confirmation=new,
    )
    assert changed.status_code == 200 and _says(changed, "Mot de passe changé")
    assert here.get("/dashboard/clients").status_code == 200
    assert elsewhere.get("/dashboard/clients").status_code == 303
    assert browser_for().sign_in(someone, password=new).status_code == 303


def test_the_command_line_invites_and_the_invitation_sets_the_password(database_url, monkeypatch, browser_for):
    from coursier.cli import _register_commands, app
    from coursier.config import get_settings
    from coursier.db.base import new_id

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    _register_commands()
    # The command commits on its own connection: the sponsor is made by the command too.
    email = f"Ops.{new_id('u')}@Example.FR"
    try:
        sponsor = json.loads(CliRunner().invoke(app, ["sponsors", "create", "Cabinet", "--json"]).stdout)
        result = CliRunner().invoke(
            app, ["sponsors", "users", "add", sponsor["sponsor_id"], email, "--role", "operator", "--json"]
        )
        assert result.exit_code == 0, result.output
        invited = json.loads(result.stdout)
        refused = CliRunner().invoke(
            app, ["sponsors", "users", "add", sponsor["sponsor_id"], "x@example.fr", "--role", "boss"]
        )
        assert refused.exit_code == 1 and "role is one of admin, operator" in refused.output
    finally:
        get_settings.cache_clear()
    assert invited["email"] == email.lower() and invited["role"] == "operator"
    path = "/dashboard/invitation/" + invited["invitation_url"].rsplit("/", 1)[1]

    browser = browser_for()
    page = browser.get(path)
    assert page.status_code == 200 and _says(page, email.lower())
    token = browser.http.cookies.get("coursier_dashboard_form")
    mismatch = browser.post(path, {"csrf_token": token, "password": "a long passphrase", "confirmation": "another"})
    assert mismatch.status_code == 422 and _says(mismatch, "Les deux mots de passe sont différents.")
    accepted = browser.post(
        path, {"csrf_token": token, "password": "a long passphrase", "confirmation": "a long passphrase"}
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/dashboard"
    assert browser.get("/dashboard/clients").status_code == 200
    # The link worked once.
    assert browser.get(path).status_code == 410


def test_an_expired_invitation_is_gone(browser_for, tenant_a, session, monkeypatch):
    from coursier.services import sponsor_users

    invitation = sponsor_users.invite_user(session, tenant_a.sponsor_id, "late@example.fr", role="operator")
    session.commit()
    later = clock.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = browser_for().get(f"/dashboard/invitation/{invitation.token}")
    assert r.status_code == 410 and _says(r, "Cette invitation a expiré")
