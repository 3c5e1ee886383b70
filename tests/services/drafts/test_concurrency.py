"""Finalizations racing each other on a live server with real commits: numbers stay gap-free."""

from concurrent.futures import ThreadPoolExecutor

import httpx

DRAFTS = 20


def test_concurrent_finalizations_get_distinct_consecutive_numbers(live_server, committed_tenant, invoice_data):
    base, _ = live_server
    with httpx.Client(base_url=base + "/api/drafts", headers=committed_tenant.headers, timeout=120) as client:
        ids = []
        for _ in range(DRAFTS):
            r = client.post("", json=invoice_data)
            assert r.status_code == 201, r.text
            ids.append(r.json()["draft_id"])

        def finalize(draft_id: str) -> httpx.Response:
            return client.post(f"/{draft_id}/validate", json={"send": False})

        with ThreadPoolExecutor(max_workers=DRAFTS) as pool:
            answers = list(pool.map(finalize, ids))
        assert [r.status_code for r in answers] == [200] * DRAFTS, [r.text for r in answers if r.status_code != 200]
        numbers = sorted(r.json()["number"] for r in answers)
        assert numbers == [f"F2025-{n:06d}" for n in range(1, DRAFTS + 1)]

        # A second round on the same drafts changes nothing: each is finalized once.
        with ThreadPoolExecutor(max_workers=4) as pool:
            again = list(pool.map(finalize, ids[:4]))
        assert {r.json()["code"] for r in again} == {"draft_finalized"}
        stored = {d["draft_id"]: d["number"] for d in client.get("", params={"limit": 200}).json()}
        assert stored == {r.json()["draft_id"]: r.json()["number"] for r in answers}
