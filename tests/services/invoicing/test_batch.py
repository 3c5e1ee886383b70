"""The bulk deposit: several files in one request, each judged as a single upload judges it."""

import io
import zipfile

import pytest
from sqlalchemy import func, select, text

from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.usage import UsageCounter
from support.invoicing import Party, activate_mandate

BATCH = "/api/invoicing/files/submit-batch"
SINGLE = "/api/invoicing/files/submit"


@pytest.fixture
def buyer_unknown(sandbox_companies):
    """A company of the register with no directory line: invoices to it are DEST_INC."""
    return sandbox_companies.pop()


@pytest.fixture
def month_end(french_invoice, as_file, buyer_elsewhere, buyer_unknown, sandbox_companies):
    """month_end(seller) -> the files of a month-end run, good and bad, and the outcome each must get."""
    stranger = sandbox_companies.pop()  # a seller the client has no mandate for

    def files(seller: Party) -> list[tuple[tuple[str, bytes], tuple[int, str | None]]]:
        def invoice(number, *, fmt="cii", buyer=buyer_elsewhere, sold_by=seller.company):
            return as_file(french_invoice(sold_by, buyer, number=number), fmt)

        first = invoice("M-001")
        return [
            (first, (200, None)),
            (("empty.xml", b""), (501, "IRR_VIDE_F")),
            (invoice("M-002", fmt="ubl"), (200, None)),
            (("notes.txt", b"Invoice M-9: 100 EUR"), (501, "IRR_TYPE_F")),
            (first, (213, "DOUBLON")),  # the same invoice again, within the batch
            (invoice("M-003", fmt="facturx"), (200, None)),
            (invoice("M-004", buyer=buyer_unknown), (213, "DEST_INC")),
            (invoice("M-005", sold_by=stranger), (213, "REJ_COH")),
            (("broken.xml", b"<rsm:CrossIndustryInvoice"), (501, "IRR_SYNTAX")),
        ]

    return files


def _outcomes(items: list[dict]) -> list[tuple[int, str | None]]:
    return [(item["status_code"], item["rejection_reason"]) for item in items]


def _multipart(files: list[tuple[str, bytes]]) -> list:
    return [("files", (name, content)) for name, content in files]


def _zip(files: list[tuple[str, bytes]], folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, (name, content) in enumerate(files):
            archive.writestr(f"{folder}{position:02d}-{name}", content)
    return out.getvalue()


def test_every_file_gets_its_own_outcome_in_order_with_its_row_event_and_job(api, ppf, seller, month_end, session):
    run = month_end(seller)
    r = api.post(BATCH, headers=seller.headers, files=_multipart([file for file, _ in run]))
    assert r.status_code == 201, r.text
    body = r.json()
    expected = [outcome for _, outcome in run]
    assert _outcomes(body["invoices"]) == expected
    assert [item["position"] for item in body["invoices"]] == list(range(len(run)))
    assert [item["file_name"] for item in body["invoices"]] == [name for (name, _), _ in run]
    assert (body["count"], body["accepted"], body["rejected"]) == (9, 3, 6)
    refused = body["invoices"][4]
    assert refused["errors"][0]["rule"] == "DOUBLON" and refused["rejection_message"]

    ids = [item["invoice_id"] for item in body["invoices"]]
    rows = {row.id: row for row in session.scalars(select(Invoice).where(Invoice.id.in_(ids)))}
    assert [(rows[i].status_code, rows[i].rejection_reason) for i in ids] == expected
    assert rows[ids[6]].recipient_platform_id is None and rows[ids[0]].recipient_platform_id == "0099"
    events = session.execute(
        select(LifecycleEvent.object_id, LifecycleEvent.details["status_code"].as_integer())
        .where(LifecycleEvent.object_id.in_(ids))
        .order_by(LifecycleEvent.seq)
    ).all()
    assert events == [(i, rows[i].status_code) for i in ids]  # one each, in the order of the files
    routed = session.scalars(
        text("SELECT args->>'invoice_id' FROM procrastinate_jobs WHERE task_name = 'invoicing.route' ORDER BY id")
    ).all()
    assert [i for i in ids if i in routed] == [ids[0], ids[2], ids[5]]
    sent = session.scalar(
        select(func.sum(UsageCounter.value)).where(
            UsageCounter.client_id == seller.tenant.client_id, UsageCounter.counter == "invoices_sent"
        )
    )
    assert sent == 3


def test_a_batch_answers_what_single_uploads_answer(api, ppf, session, seller, tenant_b, sandbox_companies, month_end):
    # The same run, sent one file at a time by another client (its own seller, same buyers and numbers).
    company = sandbox_companies.pop()
    activate_mandate(session, tenant_b, company.siren)
    alone = Party(tenant_b, company)
    singles = [api.post(SINGLE, headers=alone.headers, files={"file": file}).json() for file, _ in month_end(alone)]
    batch = api.post(BATCH, headers=seller.headers, files=_multipart([f for f, _ in month_end(seller)])).json()

    def judged(item: dict) -> tuple:
        rules = [(e["rule"], e["stage"]) for e in item["errors"]]
        warnings = [(w["rule"], w["stage"]) for w in item["warnings"]]
        data = item["extracted_data"] or {}
        return (
            item["status"],
            item["status_code"],
            item["rejection_reason"],
            rules,
            warnings,
            data.get("total_with_vat"),
        )

    assert [judged(item) for item in batch["invoices"]] == [judged(item) for item in singles]
    assert _outcomes(singles) == [outcome for _, outcome in month_end(alone)]


def test_a_zip_is_judged_file_by_file_its_folders_ignored(api, ppf, seller, month_end):
    run = month_end(seller)
    archive = _zip([file for file, _ in run], folder="march/")
    r = api.post(BATCH, headers=seller.headers, files={"files": ("march.zip", archive)})
    assert r.status_code == 201, r.text
    items = r.json()["invoices"]
    assert _outcomes(items) == [outcome for _, outcome in run]
    assert items[0]["file_name"] == f"00-{run[0][0][0]}"
    # The raw body works too (the run again: now every invoice is a duplicate or refused as before).
    r = api.post(BATCH, headers={**seller.headers, "Content-Type": "application/zip"}, content=archive)
    assert r.status_code == 201
    assert [status for status, _ in _outcomes(r.json()["invoices"])].count(200) == 0


def test_a_zip_inside_a_batch_is_a_file_like_any_other(api, ppf, seller, month_end):
    (good, _), *_ = month_end(seller)
    nested = _zip([good])
    r = api.post(BATCH, headers=seller.headers, files=_multipart([good, ("more.zip", nested)]))
    assert _outcomes(r.json()["invoices"]) == [(200, None), (501, "IRR_TYPE_F")]


def test_unsafe_unreadable_and_bomb_zips_are_refused_whole(api, ppf, seller, session):
    def sent(archive: bytes):
        return api.post(BATCH, headers={**seller.headers, "Content-Type": "application/zip"}, content=archive)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ok.xml", b"<a/>")
        archive.writestr("../../etc/cron.d/x.xml", b"<a/>")
    assert sent(out.getvalue()).json()["code"] == "unsafe_zip_path"

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"<" + b" " * 5_000_000 + b"/>")
    r = sent(out.getvalue())
    assert (r.status_code, r.json()["code"]) == (422, "zip_ratio_too_high")

    r = sent(b"PK\x03\x04 not really a zip")
    assert (r.status_code, r.json()["code"]) == (400, "invalid_zip")
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    assert sent(empty.getvalue()).json()["code"] == "file_missing"
    assert (
        session.scalar(select(func.count()).select_from(Invoice).where(Invoice.client_id == seller.tenant.client_id))
        == 0
    )


def test_the_request_is_bounded_in_files_and_bytes(database_url, engine, sessions, seller, ppf, month_end):
    from fastapi.testclient import TestClient

    from conftest import make_runtime
    from coursier.api.app import create_app

    runtime = make_runtime(database_url, engine, sessions, batch_max_files=3, batch_max_bytes=200_000)
    runtime.ppf = lambda: ppf
    files = [file for file, _ in month_end(seller)]
    with TestClient(create_app(runtime)) as api:
        r = api.post(BATCH, headers=seller.headers, files=_multipart(files[:4]))
        assert (r.status_code, r.json()["code"]) == (413, "too_many_files")
        r = api.post(BATCH, headers={**seller.headers, "Content-Type": "application/zip"}, content=_zip(files[:4]))
        assert (r.status_code, r.json()["code"]) == (413, "too_many_files")
        big = [("big.xml", b"<a>" + b"x" * 250_000 + b"</a>")]
        r = api.post(BATCH, headers=seller.headers, files=_multipart(big))
        assert (r.status_code, r.json()["code"]) == (413, "payload_too_large")
        r = api.post(BATCH, headers={**seller.headers, "Content-Type": "application/zip"}, content=_zip(big * 2))
        assert (r.status_code, r.json()["code"]) == (413, "batch_too_large")
        r = api.post(BATCH, headers={**seller.headers, "Content-Type": "application/json"}, content=b"{}")
        assert r.status_code == 415
        r = api.post(BATCH, headers=seller.headers, data={"note": "no file"}, files=[])
        assert r.status_code in (400, 415)
        assert api.post(BATCH, headers=seller.headers, files=_multipart(files[:3])).status_code == 201


def test_each_file_is_a_call_against_the_rate_limits(
    database_url, engine, sessions, seller, ppf, month_end, session, monkeypatch
):
    from types import SimpleNamespace

    from fastapi.testclient import TestClient

    from conftest import make_runtime
    from coursier.api.app import create_app
    from coursier.kit import clock
    from coursier.services import usage_limits

    frozen = clock.now()  # the whole test in one minute window, however long the checks take
    monkeypatch.setattr(usage_limits, "clock", SimpleNamespace(now=lambda: frozen))
    runtime = make_runtime(database_url, engine, sessions, rate_limit_per_minute=6)
    runtime.ppf = lambda: ppf
    files = [file for file, _ in month_end(seller)]
    with TestClient(create_app(runtime)) as api:
        r = api.post(BATCH, headers=seller.headers, files=_multipart(files[:7]))
        assert (r.status_code, r.json()["code"]) == (429, "rate_limited") and int(r.headers["retry-after"]) >= 1
        assert (
            session.scalar(
                select(func.count()).select_from(Invoice).where(Invoice.client_id == seller.tenant.client_id)
            )
            == 0
        )
        assert api.post(BATCH, headers=seller.headers, files=_multipart(files[:5])).status_code == 201  # 1 + 5 calls
        assert api.get("/api/settings", headers=seller.headers).status_code == 429  # the 7th call


def test_files_are_checked_several_at_once_each_on_a_heavy_slot(api, ppf, seller, month_end, monkeypatch, session):
    from coursier.api import invoicing
    from coursier.db.usage import heavy_slots_in_use

    seen = {}
    deposit_many = invoicing.deposit_many

    def watched(session_, ctx, files, **kwargs):
        seen["parallel"] = kwargs["parallel"]
        seen["slots"] = heavy_slots_in_use(session_, ctx.sponsor_id, 4)
        return deposit_many(session_, ctx, files, **kwargs)

    monkeypatch.setattr(invoicing, "deposit_many", watched)
    monkeypatch.setattr(invoicing.cpu, "workers", lambda: 3)
    files = [file for file, _ in month_end(seller)]
    r = api.post(BATCH, headers=seller.headers, files=_multipart(files))
    assert r.status_code == 201 and _outcomes(r.json()["invoices"]) == [outcome for _, outcome in month_end(seller)]
    assert seen == {"parallel": 3, "slots": 3}  # the default cap is 4: three taken


def test_more_heavy_slots_are_only_those_no_one_holds(engine, tenant_a):
    from sqlalchemy.orm import Session

    from coursier.db.usage import heavy_slots_in_use
    from coursier.services.usage_limits import take_heavy_slot, take_more_heavy_slots

    with Session(engine) as first, Session(engine) as second:
        assert take_heavy_slot(first, tenant_a.sponsor_id, 3)
        assert take_more_heavy_slots(first, tenant_a.sponsor_id, 3, wanted=1) == 1
        assert take_heavy_slot(second, tenant_a.sponsor_id, 3)
        assert take_more_heavy_slots(second, tenant_a.sponsor_id, 3, wanted=2) == 0  # all three held
        assert heavy_slots_in_use(second, tenant_a.sponsor_id, 3) == 3
        assert take_more_heavy_slots(second, tenant_a.sponsor_id, 0, wanted=5) == 5  # no cap
        first.rollback()
        assert take_more_heavy_slots(second, tenant_a.sponsor_id, 3, wanted=5) == 2


def test_another_sponsor_cannot_send_for_the_client(api, ppf, seller, tenant_b, month_end, session):
    files = [file for file, _ in month_end(seller)][:2]
    headers = {**tenant_b.auth, "X-PDP-Client-Id": seller.tenant.client_id}
    r = api.post(BATCH, headers=headers, files=_multipart(files))
    assert (r.status_code, r.json()["code"]) == (404, "client_not_found")
    sent = api.post(BATCH, headers=seller.headers, files=_multipart(files)).json()
    assert (
        api.get(f"/api/invoicing/invoices/{sent['invoices'][0]['invoice_id']}", headers=tenant_b.headers).status_code
        == 404
    )
    assert api.get("/api/invoicing/invoices", headers=tenant_b.headers).json() == []


def test_a_batch_sent_again_with_its_key_is_replayed(api, ppf, seller, month_end):
    files = [file for file, _ in month_end(seller)][:3]
    headers = {**seller.headers, "Idempotency-Key": "march-run"}
    first = api.post(BATCH, headers=headers, files=_multipart(files))
    again = api.post(BATCH, headers=headers, files=_multipart(files))
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    other = api.post(BATCH, headers=headers, files=_multipart(files[:2]))
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")


def test_the_bulk_deposit_is_in_the_openapi_document(api):
    operation = api.get("/openapi.json").json()["paths"]["/api/invoicing/files/submit-batch"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"multipart/form-data", "application/zip", "application/x-zip-compressed"}
    assert content["multipart/form-data"]["schema"]["properties"]["files"]["type"] == "array"
    assert {"201", "413", "429"} <= set(operation["responses"])


def test_files_are_read_several_a_task_and_a_chunk_over_the_time_limit_file_by_file(monkeypatch):
    from coursier.services.invoicing import deposit

    tasks = []

    def run(function, argument):  # the pool, in process: a task holding b"slow" runs over its limit
        files = argument if isinstance(argument, list) else [argument]
        tasks.append(len(files))
        if b"slow" in files:
            raise deposit.cpu.CpuTimeExceeded(30.0)
        return function(argument)

    monkeypatch.setattr(deposit.cpu, "run", run)
    monkeypatch.setattr(deposit, "_FILES_PER_TASK", 3)
    readings = deposit._read_all([b"", b"", b"slow", b"", b"", b"", b""], parallel=1)
    assert tasks == [3, 1, 1, 1, 3, 1]  # the first chunk over the limit, then read file by file
    assert [reading.refusal.reason.code for reading in readings] == ["IRR_VIDE_F"] * 2 + ["IRR_SYNTAX"] + [
        "IRR_VIDE_F"
    ] * 4
    assert readings[2].refusal.message == "The invoice could not be checked within 30 s"


def test_a_chunk_holds_few_files_and_few_bytes():
    from coursier.services.invoicing.deposit import _BYTES_PER_TASK, _chunks

    small, half, large = b"x" * 1000, b"h" * (_BYTES_PER_TASK // 2), b"L" * (_BYTES_PER_TASK + 1)
    contents = [small] * 5 + [half, half, large, small]
    assert [[len(file) for file in chunk] for chunk in _chunks(contents, files=3)] == [
        [1000] * 3,
        [1000, 1000, len(half)],
        [len(half)],
        [len(large)],
        [1000],
    ]
