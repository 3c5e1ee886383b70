"""The development mailbox, the outage switch and the health probe."""

import secrets

import pytest


@pytest.fixture
def address() -> str:
    return f"user-{secrets.token_hex(4)}@example.fr"


def test_mails_are_listed_newest_first_for_their_recipient(ppf, competitor, address):
    first = ppf.post("/sandbox/mailbox", json={"to": address, "subject": "Code", "text": "Your code: 111111"})
    assert first.status_code == 201
    assert {first.json()[k] for k in ("to", "platform_id")} == {address, "0042"}
    competitor.post(
        "/sandbox/mailbox",
        json={
            "to": address.upper(),
            "subject": "Code",
            "text": "Your code: 222222",
            "html": "<p>Your code: <b>222222</b></p>",
        },
    )
    ppf.post("/sandbox/mailbox", json={"to": "someone-else@example.fr", "subject": "Other", "text": "-"})
    mails = ppf.get("/sandbox/mailbox", params={"to": address}).json()
    assert [mail["text"] for mail in mails] == ["Your code: 222222", "Your code: 111111"]
    assert mails[0]["html"] == "<p>Your code: <b>222222</b></p>" and mails[1]["html"] is None


def test_posting_a_mail_needs_a_platform_token_but_reading_does_not(sandbox_server, problem, address):
    with sandbox_server.client(None) as anonymous:
        response = anonymous.post("/sandbox/mailbox", json={"to": address, "subject": "s", "text": "t"})
        assert problem(response, 401)["code"] == "unauthenticated"
        assert anonymous.get("/sandbox/mailbox", params={"to": address}).json() == []


def test_the_mailbox_page_shows_mails_escaped(ppf, address):
    ppf.post(
        "/sandbox/mailbox",
        json={
            "to": address,
            "subject": "<script>alert(1)</script>",
            "text": "a & b",
            "html": '<p onclick="x()">Hi</p>',
        },
    )
    page = ppf.get("/sandbox/mailbox.html", params={"to": address})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>" not in page.text
    assert "a &amp; b" in page.text
    assert '<iframe sandbox srcdoc="&lt;p onclick=&quot;x()&quot;&gt;Hi&lt;/p&gt;"' in page.text
    assert "No mail yet." in ppf.get("/sandbox/mailbox.html", params={"to": "nobody@example.fr"}).text


def test_an_outage_answers_every_endpoint_but_admin_and_health(sandbox_server, ppf, problem):
    with sandbox_server.directory("0042") as directory:
        directory.get("/siren/code-insee:100000009").raise_for_status()  # a PISTE token in hand
        try:
            switched = ppf.post("/sandbox/admin/availability", json={"available": False, "status_code": 502})
            assert switched.json() == {"available": False, "status_code": 502}
            for response in (
                ppf.get("/sandbox/register/companies/100000009"),
                ppf.get("/sandbox/mailbox"),
                ppf.post("/api/oauth/token", data={"grant_type": "client_credentials"}),
                directory.get("/siren/code-insee:100000009"),
                directory.post("/ligne-annuaire", json={}),
            ):
                assert problem(response, 502)["code"] == "ppf_unavailable"
            assert ppf.get("/healthz").json() == {"status": "ok", "available": False}
            assert ppf.get("/sandbox/admin/availability").json()["available"] is False
        finally:
            sandbox_server.set_available(True)
        assert directory.get("/siren/code-insee:100000009").status_code == 200
    assert ppf.get("/sandbox/register/companies/100000009").status_code == 200
    assert ppf.get("/healthz").json() == {"status": "ok", "available": True}


def test_the_outage_switch_needs_a_platform_token(sandbox_server, problem):
    with sandbox_server.client(None) as anonymous:
        assert problem(anonymous.post("/sandbox/admin/availability", json={"available": False}), 401)
