"""/peers: the HTTP contract of the sandbox's store-and-forward network between platforms (the
transport client's behaviour is tested in tests/network/test_transport.py)."""

import uuid


def deliver(client, platform_id: str, invoice_id: str, content: bytes = b"<invoice/>", filename: str = "inv.xml"):
    return client.post(
        f"/peers/{platform_id}/inbox",
        data={"invoice_id": invoice_id},
        files={"file": (filename, content, "application/xml")},
    )


def test_a_delivery_is_accepted_then_listed_oldest_first(ppf, competitor):
    ids = [f"inv_{uuid.uuid4().hex}" for _ in range(2)]
    receipts = []
    for invoice_id in ids:
        response = deliver(ppf, "0099", invoice_id, filename="dir/" + invoice_id + ".xml")
        assert response.status_code == 202 and "idempotent-replayed" not in response.headers
        assert set(response.json()) == {"delivery_id", "platform_id", "accepted_at"}
        receipts.append(response.json())
    listed = competitor.get("/peers/0099/inbox", params={"limit": 500}).json()
    mine = [message for message in listed if message["invoice_id"] in ids]
    assert [message["delivery_id"] for message in mine] == [receipt["delivery_id"] for receipt in receipts]
    assert mine[0] == {  # the file's name is kept, never a path the sender gave with it
        **receipts[0],
        "sender_platform_id": "0042",
        "kind": "invoice",
        "invoice_id": ids[0],
        "filename": ids[0] + ".xml",
        "media_type": "application/xml",
        "size": len(b"<invoice/>"),
    }
    content = competitor.get(f"/peers/0099/inbox/{receipts[0]['delivery_id']}/content")
    assert content.content == b"<invoice/>" and content.headers["content-type"] == "application/xml"
    assert content.headers["content-disposition"] == f"attachment; filename*=UTF-8''{ids[0]}.xml"


def test_deliveries_that_cannot_be_taken_are_refused(ppf, sandbox_server, problem):
    assert problem(deliver(ppf, "0777", "inv_x"), 404)["code"] == "platform_not_found"
    assert problem(deliver(ppf, "07-7", "inv_x"), 422)["code"] == "validation_error"
    assert problem(deliver(ppf, "0099", ""), 422)["code"] == "validation_error"
    assert problem(deliver(ppf, "0099", "inv_x", filename=""), 422)["code"] in {"validation_error", "filename_missing"}
    with sandbox_server.client(None) as anonymous:
        assert problem(deliver(anonymous, "0099", "inv_x"), 401)["code"]


def test_an_inbox_is_read_by_its_platform_only(ppf, problem):
    assert problem(ppf.get("/peers/0099/inbox"), 403)["code"] == "platform_mismatch"
    assert problem(ppf.get("/peers/0099/inbox/dlv_x/content"), 403)["code"] == "platform_mismatch"
    assert problem(ppf.get("/peers/0042/inbox/dlv_x/content"), 404)["code"] == "delivery_not_found"
