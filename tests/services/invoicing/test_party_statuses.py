"""Statuses the parties set through the API, on the rolled-back database: the rules' refusals (409
with the rule, 422 naming the allowed reasons) change nothing; 212 from payments; both sides' histories."""


def _statuses(api, party, invoice_id):
    r = api.get(f"/api/invoicing/invoices/{invoice_id}/statuses", headers=party.headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_smoke(api, seller, buyer_here, exchanged):
    sent, received = exchanged()
    r = api.post(f"/api/invoicing/invoices/{received}/statuses", headers=buyer_here.headers, json={"status": 205})
    assert r.status_code == 201, r.text
    print(r.json())
    print([(s["status"], s["emitter"]) for s in _statuses(api, seller, sent)])
    print([(s["status"], s["emitter"]) for s in _statuses(api, buyer_here, received)])
    r = api.post(
        f"/api/invoicing/invoices/{sent}/statuses",
        headers=seller.headers,
        json={"status": 212, "payment": {"amount": "100", "date": "2026-12-01"}},
    )
    print(r.status_code, r.json())
    assert 0
