"""Hold back what many steps of one piece of work would each write, and write it all at once.

A bulk deposit records events and defers jobs for every file; one statement for all of them
costs far less than one per file. The steps do not know they are batched: they call `hold`, which
gives them the open batch of the session, if any (they then append to it), or None (they write at
once).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


def hold(session: Session, key: str) -> list | None:
    """The items held back under `key` by an open `held_together` block, or None outside one."""
    return session.info.get(key)


@contextmanager
def held_together(session: Session, key: str, write: Callable[[Session, list], object]) -> Iterator[None]:
    """The items held under `key` within the block are handed to `write`, in order, when it ends
    without an error (an error leaves none: the transaction is rolled back anyway). Blocks nest:
    the outermost writes."""
    if key in session.info:
        yield
        return
    held: list = []
    session.info[key] = held
    try:
        yield
    finally:
        del session.info[key]
    if held:
        write(session, held)
