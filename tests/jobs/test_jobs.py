import importlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from coursier.db.idempotency import IdempotencyRecord
from coursier.jobs.app import job_app
from coursier.jobs.maintenance import purge_idempotency_keys
from coursier.kit.defer import defer, queue_of

SRC = Path(__file__).resolve().parents[2] / "src" / "coursier"
DEFERRED_NAME = re.compile(r"\bdefer\(\s*\w+,\s*\"([\w.]+)\"")


def _jobs(session, task_name: str) -> int:
    return session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :n"), {"n": task_name})


def test_a_deferred_job_lives_and_dies_with_the_transaction(session):
    name = purge_idempotency_keys.name
    before = _jobs(session, name)
    nested = session.begin_nested()
    defer(session, name, timestamp=1)
    assert _jobs(session, name) == before + 1
    nested.rollback()
    assert _jobs(session, name) == before


def test_the_worker_runs_a_committed_job(live_server, drain_jobs):
    _, runtime = live_server
    old = datetime.now(UTC) - timedelta(hours=48)
    with runtime.sessions.begin() as session:
        session.add(IdempotencyRecord(sponsor_id="spn_jobtest", key="old", request_hash="0" * 64, created_at=old))
        session.add(IdempotencyRecord(sponsor_id="spn_jobtest", key="fresh", request_hash="0" * 64))
        job_id = defer(session, purge_idempotency_keys.name, timestamp=2)

    drain_jobs()
    with runtime.sessions() as session:
        status = session.scalar(text("SELECT status FROM procrastinate_jobs WHERE id = :id"), {"id": job_id})
        keys = session.scalars(select(IdempotencyRecord.key).where(IdempotencyRecord.sponsor_id == "spn_jobtest")).all()
    assert status == "succeeded"
    assert keys == ["fresh"]


def test_every_task_deferred_by_name_is_declared_in_the_queue_its_name_gives():
    for module in job_app.import_paths:
        importlib.import_module(module)
    deferred = {name for path in SRC.rglob("*.py") for name in DEFERRED_NAME.findall(path.read_text())}
    assert len(deferred) >= 4  # routing, F1, line registration and closing at least
    for name in deferred:
        assert name in job_app.tasks, f"defer names {name!r}, which no module of jobs/ declares"
    for name, task in job_app.tasks.items():
        if name.startswith(("builtin:", "procrastinate.")):
            continue  # procrastinate's own
        assert task.queue == queue_of(name), name


def test_network_jobs_retry_for_hours_then_stop():
    from types import SimpleNamespace

    from coursier.jobs.app import NETWORK_ATTEMPTS, network_retry
    from coursier.kit.errors import Unavailable

    strategy = network_retry(Unavailable)
    waits = []
    for attempts in range(NETWORK_ATTEMPTS):
        decision = strategy.get_retry_decision(exception=Unavailable("down"), job=SimpleNamespace(attempts=attempts))
        if decision is None:
            break
        waits.append(round((decision.retry_at - datetime.now(UTC)).total_seconds()))
    # Doubling waits, an afternoon's outage in all; nothing retried past the last attempt.
    assert waits[:3] == [2, 4, 8] and all(b == 2 * a for a, b in zip(waits, waits[1:], strict=False))
    assert 4 * 3600 <= sum(waits) <= 5 * 3600
    assert strategy.get_retry_decision(exception=ValueError(), job=SimpleNamespace(attempts=0)) is None
