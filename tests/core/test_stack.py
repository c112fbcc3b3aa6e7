"""core.stack: a request's frames kept off the edge of CPython 3.11's frame-stack chunks."""

import resource
import sys

import pytest

from core.stack import RoomyStack

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 13), reason="CPython 3.13 and later keep a chunk (gh-142183)"
)


def _leaf():
    """A frame of some 60 slots, larger than one step of `_down`, so some depth puts the
    loop's call of it right across a chunk's edge."""
    v0 = v1 = v2 = v3 = v4 = v5 = v6 = v7 = v8 = v9 = v10 = v11 = v12 = v13 = v14 = v15 = 1
    v16 = v17 = v18 = v19 = v20 = v21 = v22 = v23 = v24 = v25 = v26 = v27 = v28 = v29 = v0
    v30 = v31 = v32 = v33 = v34 = v35 = v36 = v37 = v38 = v39 = v40 = v41 = v42 = v43 = v1
    v44 = v45 = v46 = v47 = v48 = v49 = v50 = v51 = v52 = v53 = v54 = v55 = v56 = v57 = v2
    return (v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15, v16, v17, v18, v19, v20,
            v21, v22, v23, v24, v25, v26, v27, v28, v29, v30, v31, v32, v33, v34, v35, v36,
            v37, v38, v39, v40, v41, v42, v43, v44, v45, v46, v47, v48, v49, v50, v51, v52,
            v53, v54, v55, v56, v57)  # fmt: skip


def _down(depth: int, calls: int) -> int:
    """The minor page faults of `calls` calls of `_leaf` made `depth` frames further down:
    a chunk mapped afresh for each call faults its first page in."""
    if depth:
        return _down(depth - 1, calls)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        _leaf()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _worst_depth(calls: int = 300) -> int:
    """The most faults a loop makes at any depth up to 400 frames (some 48 KB of stack)."""
    return max(_down(depth, calls) for depth in range(400))


def test_a_loop_at_a_chunk_edge_maps_a_chunk_per_call_without_the_roomy_frame():
    """The cost RoomyStack takes away, seen where it is not in use."""
    assert _worst_depth() >= 300


def test_a_request_runs_above_a_frame_that_leaves_room_for_a_deep_loop():
    faults = RoomyStack(lambda request: _worst_depth())(object())
    assert faults < 30


def test_the_roomy_middleware_passes_the_request_and_the_answer_through():
    request = object()
    assert RoomyStack(lambda got: ("answer to", got))(request) == ("answer to", request)
