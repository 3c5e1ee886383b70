from coursier.db.base import new_id
from coursier.db.mandates import Mandate

NEW_CLIENT = {"organization_name": "Boulangerie Martin", "contact_email": "compta@martin.fr", "external_ref": "erp-42"}


def test_create_returns_client_and_message(api, tenant_a):
    r = api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth)
    assert r.status_code == 201
    body = r.json()
    assert body["message"]
    client = body["client"]
    assert client["client_id"].startswith("cli_")
    assert client["sponsor_id"] == tenant_a.sponsor_id
    assert client["status"] == "active"
    assert {k: client[k] for k in NEW_CLIENT} == NEW_CLIENT
    assert api.get(f"/api/clients/{client['client_id']}", headers=tenant_a.auth).json() == client


def test_duplicate_external_ref_is_a_conflict_per_sponsor(api, tenant_a, tenant_b):
    assert api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth).status_code == 201
    r = api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth)
    assert r.status_code == 409
    assert r.json()["code"] == "client_external_ref_taken"
    # Another sponsor may use the same reference for its own client.
    assert api.post("/api/clients", json=NEW_CLIENT, headers=tenant_b.auth).status_code == 201


def test_invalid_bodies_are_422_problems(api, tenant_a):
    for body in (
        {},
        {**NEW_CLIENT, "contact_email": "not-an-email"},
        {**NEW_CLIENT, "organization_name": ""},
        {**NEW_CLIENT, "external_ref": "x" * 101},
        {**NEW_CLIENT, "unexpected": 1},
    ):
        r = api.post("/api/clients", json=body, headers=tenant_a.auth)
        assert r.status_code == 422, body
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "validation_error"
        assert r.json()["errors"]


def test_list_filters_by_external_ref_and_answers_with_and_without_slash(api, tenant_a):
    api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth)
    for path in ("/api/clients", "/api/clients/"):
        r = api.get(path, headers=tenant_a.auth)
        assert r.status_code == 200
        assert sorted(c["external_ref"] for c in r.json()) == ["erp-42", "sponsor-a-1"]
    r = api.get("/api/clients/", params={"external_ref": "erp-42"}, headers=tenant_a.auth)
    assert [c["external_ref"] for c in r.json()] == ["erp-42"]


def test_list_pages_with_a_cursor_in_stable_order(api, tenant_a):
    for i in range(5):
        api.post("/api/clients", json={**NEW_CLIENT, "external_ref": f"p-{i}"}, headers=tenant_a.auth)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        r = api.get("/api/clients", params=params, headers=tenant_a.auth)
        assert r.status_code == 200
        seen += [c["client_id"] for c in r.json()]
        cursor = r.headers.get("x-next-cursor")
        if not cursor:
            assert "link" not in r.headers
            break
        assert 'rel="next"' in r.headers["link"] and cursor in r.headers["link"]
    everything = [c["client_id"] for c in api.get("/api/clients", params={"limit": 200}, headers=tenant_a.auth).json()]
    assert seen == everything and len(seen) == 6


def test_bad_cursor_and_limit_are_client_errors(api, tenant_a):
    assert (
        api.get("/api/clients", params={"cursor": "garbage!"}, headers=tenant_a.auth).json()["code"] == "invalid_cursor"
    )
    assert api.get("/api/clients", params={"limit": 0}, headers=tenant_a.auth).status_code == 422


def test_update_changes_only_given_fields(api, tenant_a):
    r = api.patch(f"/api/clients/{tenant_a.client_id}", json={"status": "suspended"}, headers=tenant_a.auth)
    assert r.status_code == 200
    assert r.json()["status"] == "suspended"
    assert r.json()["organization_name"] == "sponsor-a client"
    assert r.json()["updated_at"] is not None
    assert (
        api.patch(f"/api/clients/{tenant_a.client_id}", json={"status": "gone"}, headers=tenant_a.auth).status_code
        == 422
    )
    assert (
        api.patch(
            f"/api/clients/{tenant_a.client_id}", json={"organization_name": None}, headers=tenant_a.auth
        ).status_code
        == 422
    )


def test_update_to_a_taken_external_ref_is_a_conflict(api, tenant_a):
    api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth)
    r = api.patch(f"/api/clients/{tenant_a.client_id}", json={"external_ref": "erp-42"}, headers=tenant_a.auth)
    assert r.status_code == 409


def test_delete_is_refused_while_the_client_has_mandates(api, tenant_a, session):
    from datetime import date

    session.add(
        Mandate(
            id=new_id("mdt"),
            sponsor_id=tenant_a.sponsor_id,
            client_id=tenant_a.client_id,
            siren="732829320",
            start_date=date(2026, 9, 1),
        )
    )
    session.commit()
    r = api.delete(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth)
    assert r.status_code == 409
    assert r.json()["code"] == "client_has_mandates"
    assert api.get(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 200


def test_a_client_whose_mandates_have_ended_is_deleted_and_its_mandates_kept(api, tenant_a, session):
    from datetime import date

    from sqlalchemy import select

    ended = Mandate(
        id=new_id("mdt"),
        sponsor_id=tenant_a.sponsor_id,
        client_id=tenant_a.client_id,
        siren="732829320",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 10, 1),
        status="expired",
    )
    session.add(ended)
    session.commit()
    assert api.delete(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 204
    assert api.get(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 404
    assert tenant_a.client_id not in [c["client_id"] for c in api.get("/api/clients", headers=tenant_a.auth).json()]
    assert api.get("/api/settings", headers=tenant_a.headers).status_code == 404  # it cannot act any more
    assert session.scalar(select(Mandate.status).where(Mandate.id == ended.id)) == "expired"  # the evidence


def test_delete_removes_the_client(api, tenant_a):
    assert api.delete(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 204
    assert api.get(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 404
    assert api.delete(f"/api/clients/{tenant_a.client_id}", headers=tenant_a.auth).status_code == 404


# ---- the other side of the tenant boundary ---------------------------------------------------


def test_another_sponsor_cannot_see_or_change_a_client(api, tenant_a, tenant_b):
    path = f"/api/clients/{tenant_a.client_id}"
    unknown = api.get("/api/clients/cli_doesnotexist00", headers=tenant_b.auth)
    for r in (
        api.get(path, headers=tenant_b.auth),
        api.patch(path, json={"status": "inactive"}, headers=tenant_b.auth),
        api.delete(path, headers=tenant_b.auth),
    ):
        assert r.status_code == 404
        # Same answer as for an id that does not exist: nothing says the client is real.
        assert r.json()["code"] == unknown.json()["code"] == "client_not_found"
    assert tenant_a.client_id not in [c["client_id"] for c in api.get("/api/clients", headers=tenant_b.auth).json()]
    assert api.get("/api/clients", params={"external_ref": "sponsor-a-1"}, headers=tenant_b.auth).json() == []
    unchanged = api.get(path, headers=tenant_a.auth).json()
    assert unchanged["status"] == "active"


def test_calls_without_a_valid_token_are_401(api, tenant_a, session):
    from coursier.services.sponsors import list_tokens, revoke_token

    for headers in ({}, {"Authorization": ""}, {"Authorization": "csk_wrong"}, {"Authorization": "Bearer csk_wrong"}):
        r = api.get("/api/clients", headers=headers)
        assert r.status_code == 401
        assert r.json()["code"] in ("missing_token", "invalid_token")
    assert api.get("/api/clients", headers={"Authorization": f"Bearer {tenant_a.token}"}).status_code == 200
    revoke_token(session, list_tokens(session, tenant_a.sponsor_id)[0].id)
    session.commit()
    assert api.get("/api/clients", headers=tenant_a.auth).json()["code"] == "invalid_token"
    assert api.post("/api/clients", json=NEW_CLIENT, headers=tenant_a.auth).status_code == 401


def test_pdp_clients_register_a_client_usable_everywhere(api, tenant_a, tenant_b):
    body = {"external_reference": "pdp-7", "client_name": "SCI Les Tilleuls", "description": "grey label"}
    r = api.post("/api/clients/pdp-clients", json=body, headers=tenant_a.auth)
    assert r.status_code == 201
    created = r.json()
    assert created["external_reference"] == "pdp-7" and created["client_name"] == "SCI Les Tilleuls"
    assert created["status"] == "active" and created["message"]
    headers = {**tenant_a.auth, "X-PDP-Client-Id": created["pdp_client_id"]}
    assert api.get("/api/settings", headers=headers).status_code == 200
    assert api.post("/api/clients/pdp-clients", json=body, headers=tenant_a.auth).status_code == 409
    assert api.post("/api/clients/pdp-clients", json={"client_name": "x"}, headers=tenant_a.auth).status_code == 422
    assert api.get(f"/api/clients/{created['pdp_client_id']}", headers=tenant_b.auth).status_code == 404
