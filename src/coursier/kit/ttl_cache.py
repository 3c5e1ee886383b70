"""Short-lived, process-wide copies of rows every request reads (who a token is, that a client
exists), so that a request does not ask the database for them again and again.

Correctness before speed: a change made by this process (a token revoked, a client deleted)
clears the cache when its transaction commits, and a value read by a transaction that started
before that clearing is not kept (each clearing starts a new generation; `put` with an older one
is ignored). A change made by another process is seen within `seconds`.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, seconds: float, *, max_entries: int = 10_000, timer: Callable[[], float] = time.monotonic):
        self.seconds = seconds  # 0: nothing is kept
        self.max_entries = max_entries
        self._timer = timer
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """Read before the database read whose result is then `put`."""
        return self._generation

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0] <= self._timer():
                del self._entries[key]
                return None
            return found[1]

    def put(self, key: K, value: V, generation: int) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return  # read before a clearing: it may be what was just changed
            self._entries[key] = (self._timer() + self.seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def clear_after_commit(self, session: Session) -> None:
        """Clear when `session`'s transaction commits: the change is then what every read sees."""
        event.listen(session, "after_commit", lambda _session: self.clear(), once=True)
