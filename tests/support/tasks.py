"""Work for the CPU worker processes of `coursier.kit.cpu` in tests: module-level functions, so that
a spawned worker can import them by name."""

import os
import time

from coursier.kit.errors import InvalidInput


def square(value: int) -> int:
    return value * value


def refuse(message: str) -> None:
    raise InvalidInput(message, code="refused_in_worker", extra={"where": "worker"})


def sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def pid() -> int:
    return os.getpid()


def die() -> None:
    os._exit(1)  # as the OS's out-of-memory killer would end it


_prepared_in: int | None = None


def prepare() -> None:
    global _prepared_in
    _prepared_in = os.getpid()


def prepared() -> bool:
    """Whether this worker ran `prepare` before the task."""
    return _prepared_in == os.getpid()


def fail_to_prepare() -> None:
    raise RuntimeError("a schema could not be read")
