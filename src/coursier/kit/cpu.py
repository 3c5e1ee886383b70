"""CPU-heavy work (validation, reports, PDF rendering) in a pool of worker processes.

Such work holds the GIL for as long as it runs, so done on a request thread it stalls every other
request of the process, `/healthz` included. In worker processes it stalls nobody, it uses every
core, and a task that runs over its time limit can be stopped: its worker is killed and the pool
is started afresh. What goes in and out must be picklable (module-level functions, bytes, plain
data and models).
"""

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from coursier.kit import memory
from coursier.kit.errors import Unavailable, Unprocessable

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Replaced at start-up from the settings (COURSIER_CPU_TASK_SECONDS).
task_seconds = 30.0


class CpuTimeExceeded(Unprocessable):
    """A task ran over its time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"The work took longer than the {seconds:g} s allowed and was stopped",
            code="too_long_to_process",
            extra={"limit_seconds": seconds},
        )
        self.seconds = seconds


_WORKERS = os.cpu_count() or 1
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
# One task per worker at a time: the time limit then counts the work only, never a wait in the
# pool's queue (which would get a task killed, with its whole pool, for others' slowness).
_free_workers = threading.BoundedSemaphore(_WORKERS)
# What a worker runs as it starts, before any task (`start`): a module-level function.
_preparation: Callable[[], None] | None = None


def workers() -> int:
    """How many tasks run at once (one worker process per core)."""
    return _WORKERS


def start(preparation: Callable[[], None] | None = None) -> None:
    """Start every worker now, each running `preparation` first (imports, schemas, rule books):
    what the first tasks would otherwise wait for, seconds on a cold worker. A pool started afresh
    after a lost or stopped worker starts its workers at once too, prepared the same way."""
    global _preparation
    _preparation = preparation
    _current_pool()


def run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(*args, **kwargs)` in a worker process; `CpuTimeExceeded` past `task_seconds`.

    A worker lost to something else (killed by the OS) is replaced and the task tried once more.
    Waiting for a free worker longer than the time limit is `Unavailable` (503).
    """
    seconds = task_seconds
    if not _free_workers.acquire(timeout=seconds):
        raise Unavailable("Every worker process is busy; try again shortly", code="cpu_busy")
    try:
        return _run_in_pool(seconds, function, *args, **kwargs)
    finally:
        _free_workers.release()


def _run_in_pool(seconds: float, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    for attempt in (1, 2):
        pool = _current_pool()
        future: Future[T] = pool.submit(_then_give_back, function, args, kwargs)
        try:
            return future.result(timeout=seconds)
        except FutureTimeout:
            _restart(pool)
            raise CpuTimeExceeded(seconds) from None
        except BrokenProcessPool:
            _restart(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _then_give_back(function: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """In the worker: the task, then its memory returned to the system (a large document's tree
    and reports would otherwise stay resident in every worker that ever read one)."""
    try:
        return function(*args, **kwargs)
    finally:
        memory.give_back()


def _current_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn: forking a threaded server process copies locks held by other threads.
            _pool = ProcessPoolExecutor(
                max_workers=_WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_prepare,
                initargs=(_preparation,),
            )
            if _preparation is not None:
                # A spawning pool adds a worker per task submitted while none is idle: as many
                # tasks at once start them all, each preparing before it takes its task.
                for _ in range(_WORKERS):
                    _pool.submit(_nothing)
        return _pool


def _nothing() -> None:
    """The task that only makes a worker start."""


def _prepare(preparation: Callable[[], None] | None) -> None:
    """A worker's preparation, whose failure must not break the pool (an initializer that raises
    does): the worker then loads what it needs on first use, as an unprepared one does."""
    if preparation is None:
        return
    try:
        preparation()
    except Exception:
        log.exception("a CPU worker could not prepare; it loads what it needs on first use")


def _restart(pool: ProcessPoolExecutor) -> None:
    """Kill the workers of `pool` (a task past its limit cannot be stopped otherwise) and let the
    next `run` start a fresh pool. Tasks other requests had in it fail and are tried again."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list((pool._processes or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
