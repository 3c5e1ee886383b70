"""Held back, then written at once: in order, by the outermost block, never after an error."""

from types import SimpleNamespace

import pytest

from coursier.kit.held import held_together, hold


def _batch(session, writes):
    return held_together(session, "items", lambda _, items: writes.append(list(items)))


def test_items_held_in_nested_blocks_are_written_once_in_order_by_the_outermost():
    session, writes = SimpleNamespace(info={}), []
    assert hold(session, "items") is None  # outside a block: the caller writes at once
    with _batch(session, writes):
        hold(session, "items").append(1)
        with _batch(session, writes):
            hold(session, "items").append(2)
        assert writes == []
        hold(session, "items").append(3)
    assert writes == [[1, 2, 3]] and hold(session, "items") is None


def test_an_error_in_the_block_writes_nothing_and_closes_it():
    session, writes = SimpleNamespace(info={}), []
    with pytest.raises(ValueError), _batch(session, writes):
        hold(session, "items").append(1)
        raise ValueError("a step failed")
    assert writes == [] and hold(session, "items") is None


def test_an_empty_block_writes_nothing():
    session, writes = SimpleNamespace(info={}), []
    with _batch(session, writes):
        pass
    assert writes == []
