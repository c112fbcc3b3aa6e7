"""core.heap: a worker's start-up and warm heap kept out of the collector's walk."""

import gc
import weakref

from core import heap


class _Held:
    """A tracked object the test keeps alive across a freeze."""


def _served(monkeypatch, settings, *, warm_freezes) -> list[int]:
    """Which freezes six requests through the middleware make."""
    settings.LINKWELL_WARM_FREEZES = warm_freezes
    freezes = []
    monkeypatch.setattr(heap, "freeze_warm_heap", lambda: freezes.append(len(freezes)))
    middleware = heap.FreezeWarmHeap(lambda request: f"answer to {request}")
    answers = [middleware(n) for n in range(6)]
    assert answers == [f"answer to {n}" for n in range(6)]
    return freezes


def test_a_worker_freezes_its_heap_at_each_warm_freeze_and_at_no_other_request(
    monkeypatch, settings
):
    assert _served(monkeypatch, settings, warm_freezes=(2, 4)) == [0, 1]  # after 2nd and 4th


def test_with_no_warm_freezes_set_nothing_is_frozen(monkeypatch, settings):
    """The tests' own setting: their live server shares its heap with them."""
    assert _served(monkeypatch, settings, warm_freezes=()) == []


def test_freezing_the_warm_heap_collects_garbage_first_and_freezes_what_lives():
    held = _Held()
    garbage = _Held()
    garbage.me = garbage  # a cycle: only a collection frees it
    gone = weakref.ref(garbage)
    del garbage
    try:
        heap.freeze_warm_heap()
        assert gone() is None, "the garbage was collected, not frozen"
        assert not any(o is held for o in gc.get_objects()), "what lives left the walk"
    finally:
        gc.unfreeze()
