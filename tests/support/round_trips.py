"""Database round trips counted at the wire: libpq's trace of every connection of an engine.

A round trip is a run of messages the client sends before it reads an answer (a simple query, an
extended-protocol exchange ended by Sync, a pipeline of several): the count is what the latency of
a request pays, whatever layer sent them (SQLAlchemy, procrastinate, the pool's pre-ping).
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from psycopg import pq
from sqlalchemy import Engine, event


@dataclass
class WireLog:
    round_trips: int = 0
    statements: list[str] = field(default_factory=list)  # the first line of each SQL statement sent, in order

    def read(self, trace: str) -> None:
        sending = False
        for line in trace.splitlines():
            direction, _, rest = line.partition("\t")
            kind, _, text = rest.partition("\t")[2].partition("\t")
            if direction == "F":
                if not sending:  # what the client sends until it reads again is one round trip
                    self.round_trips += 1
                    sending = True
                if kind.strip() == "Query":
                    self.statements.append(text.strip().strip('"'))
                elif kind.strip() == "Parse":
                    self.statements.append(text.strip().split('"', 3)[3].rsplit('"', 1)[0])
            elif direction == "B":
                sending = False


class WireTrace:
    """Traces every connection `engine` opens from now on; `window()` counts what a block sends."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.files: list = []
        engine.dispose()  # connections opened before were not traced
        event.listen(engine, "connect", self._trace)

    def _trace(self, dbapi_connection, _record) -> None:
        log_file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the connection, closed by close())
        self.files.append(log_file)
        dbapi_connection.pgconn.trace(log_file.fileno())
        dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)

    @contextmanager
    def window(self) -> Iterator[WireLog]:
        starts = {id(f): os.fstat(f.fileno()).st_size for f in self.files}
        log = WireLog()
        yield log
        for log_file in list(self.files):
            log_file.seek(starts.get(id(log_file), 0))
            log.read(log_file.read().decode("utf-8", "replace"))

    def close(self) -> None:
        event.remove(self.engine, "connect", self._trace)
        self.engine.dispose()
        for log_file in self.files:
            log_file.close()
