"""The short-lived caches of rows every request reads."""

from sqlalchemy import text

from coursier.kit.ttl_cache import TtlCache


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_seconds_then_read_again():
    timer = Timer()
    cache: TtlCache[str, int] = TtlCache(5, timer=timer)
    assert cache.get("a") is None
    cache.put("a", 1, cache.generation)
    timer.now += 4.9
    assert cache.get("a") == 1
    timer.now += 0.2
    assert cache.get("a") is None


def test_a_value_read_before_a_clearing_is_not_kept():
    cache: TtlCache[str, int] = TtlCache(5)
    generation = cache.generation  # a read starts...
    cache.clear()  # ...a change commits meanwhile...
    cache.put("a", 1, generation)  # ...and what the read saw may be what changed
    assert cache.get("a") is None
    cache.put("a", 2, cache.generation)
    assert cache.get("a") == 2


def test_no_seconds_keeps_nothing_and_the_oldest_entries_make_room():
    off: TtlCache[str, int] = TtlCache(0)
    off.put("a", 1, off.generation)
    assert off.get("a") is None
    small: TtlCache[int, int] = TtlCache(5, max_entries=2)
    for key in range(3):
        small.put(key, key, small.generation)
    assert [small.get(key) for key in range(3)] == [None, 1, 2]


def test_clearing_after_commit_waits_for_the_commit_and_ignores_a_rollback(sessions):
    cache: TtlCache[str, int] = TtlCache(5)
    with sessions() as session:
        session.execute(text("SELECT 1"))
        cache.put("a", 1, cache.generation)
        cache.clear_after_commit(session)
        assert cache.get("a") == 1  # not committed yet: still what every other transaction sees
        session.rollback()
        assert cache.get("a") == 1
        cache.clear_after_commit(session)
        session.execute(text("SELECT 1"))
        session.commit()
        assert cache.get("a") is None
