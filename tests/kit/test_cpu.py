"""The CPU worker processes: results and errors come back, a task over its time limit is stopped
without taking the others down, a lost worker is replaced, and a full pool says so."""

import threading
from concurrent.futures.process import BrokenProcessPool

import pytest

from coursier.kit import cpu
from coursier.kit.errors import InvalidInput, Unavailable
from support import tasks


@pytest.fixture(autouse=True)
def limit(monkeypatch):
    monkeypatch.setattr(cpu, "task_seconds", 30.0)


def test_a_result_and_a_typed_error_come_back():
    assert cpu.run(tasks.square, 12) == 144
    with pytest.raises(InvalidInput) as caught:
        cpu.run(tasks.refuse, "no")
    assert (caught.value.code, caught.value.extra) == ("refused_in_worker", {"where": "worker"})


def test_a_task_over_its_limit_is_stopped_and_the_next_one_runs(monkeypatch):
    monkeypatch.setattr(cpu, "task_seconds", 0.5)
    with pytest.raises(cpu.CpuTimeExceeded) as caught:
        cpu.run(tasks.sleep, 60)
    assert (caught.value.code, caught.value.extra) == ("too_long_to_process", {"limit_seconds": 0.5})
    monkeypatch.setattr(cpu, "task_seconds", 30.0)
    assert cpu.run(tasks.square, 3) == 9


def test_a_worker_lost_to_the_system_is_replaced_and_the_task_tried_again():
    with pytest.raises(BrokenProcessPool):  # the task itself kills its worker, each time it is tried
        cpu.run(tasks.die)
    assert cpu.run(tasks.square, 4) == 16


def test_when_every_worker_stays_busy_past_the_limit_the_caller_is_told(monkeypatch):
    monkeypatch.setattr(cpu, "task_seconds", 0.5)
    every_worker_busy = threading.BoundedSemaphore(1)
    every_worker_busy.acquire()
    monkeypatch.setattr(cpu, "_free_workers", every_worker_busy)
    with pytest.raises(Unavailable) as caught:
        cpu.run(tasks.square, 2)
    assert caught.value.code == "cpu_busy"


def test_started_workers_are_all_there_and_prepared_even_after_a_restart(monkeypatch):
    monkeypatch.setattr(cpu, "_preparation", None)
    cpu._restart(cpu._current_pool())
    try:
        cpu.start(tasks.prepare)
        assert len(cpu._pool._processes) == cpu.workers()  # every worker started, none waits for a task
        assert cpu.run(tasks.prepared)
        with pytest.raises(BrokenProcessPool):
            cpu.run(tasks.die)
        assert cpu.run(tasks.prepared)  # the fresh pool's workers prepared too
    finally:
        cpu._restart(cpu._current_pool())


def test_a_preparation_that_fails_leaves_the_workers_working(monkeypatch):
    monkeypatch.setattr(cpu, "_preparation", None)
    cpu._restart(cpu._current_pool())
    try:
        cpu.start(tasks.fail_to_prepare)
        assert cpu.run(tasks.square, 5) == 25
    finally:
        cpu._restart(cpu._current_pool())
