"""GraphIndex against the breadth-first-search oracle (D1-D4), on random small graphs."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.index
from graph import GraphIndex
from graph.reference import ReferenceGraph

UNKNOWN = 999_983  # never a member

# Sparse ids: multiples of 7 plus an offset, so index order and id order must be kept apart.
member_ids = st.sets(st.integers(1, 80), min_size=2, max_size=14).map(
    lambda ks: sorted(7 * k + k % 3 for k in ks)
)


@st.composite
def scenarios(draw):
    ids = draw(member_ids)
    # Members who join later: some with ids below existing ones (an old member's first link).
    newcomers = draw(st.lists(st.sampled_from([1, 2, 5, 600, 601]), max_size=3, unique=True))
    pool = ids + newcomers
    pairs = [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :]]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    endpoint = st.sampled_from(pool)
    deltas = draw(
        st.lists(
            st.tuples(st.sampled_from(["connect", "disconnect"]), endpoint, endpoint), max_size=12
        )
    )
    hidden = draw(st.frozensets(st.sampled_from(pool), max_size=3))
    compact_at = draw(st.none() | st.integers(0, 12))
    cache_size = draw(st.sampled_from([1, 2, 256]))
    return ids, pool, edges, deltas, hidden, compact_at, cache_size


def build(edges, cache_size=256, n_members=None):
    a = np.array([x for x, _ in edges], dtype=np.int64)
    b = np.array([y for _, y in edges], dtype=np.int64)
    index = GraphIndex.from_edges(a, b, n_members=n_members, cache_size=cache_size)
    return index, ReferenceGraph.from_edges(a.tolist(), b.tolist())


def assert_same(index, ref, pool, hidden, draw_limit=3):
    everyone = [*pool, UNKNOWN]
    for v in everyone:
        assert index.connection_count(v) == ref.connection_count(v)
        for h in (frozenset(), hidden):
            # Twice: the first builds the viewer's cached 2nd-degree set, the second reads it.
            expected = ref.degrees(v, everyone, hidden=h)
            assert index.degrees(v, everyone, hidden=h) == expected, (v, h)
            assert index.degrees(v, everyone, hidden=h) == expected, (v, h)
            assert index.second_degree_count(v, hidden=h) == ref.second_degree_count(v, hidden=h)
            assert index.suggestions(v, k=draw_limit, hidden=h) == ref.suggestions(
                v, k=draw_limit, hidden=h
            )
            assert index.suggestions(v, hidden=h) == ref.suggestions(v, hidden=h)
            for m in everyone:
                assert index.degree(v, m, hidden=h) == ref.degree(v, m, hidden=h), (v, m, h)
                assert index.mutual_count(v, m, hidden=h) == ref.mutual_count(v, m, hidden=h)
                assert index.mutuals(v, m, hidden=h) == ref.mutuals(v, m, hidden=h)
                assert index.mutuals(v, m, offset=1, limit=2, hidden=h) == ref.mutuals(
                    v, m, offset=1, limit=2, hidden=h
                )
                for hops in (1, 2, 3):
                    assert_paths(index, ref, v, m, draw_limit, hops, h)


def assert_paths(index, ref, v, m, limit, hops, hidden):
    """D3: `limit` of the shortest paths (all if fewer), distinct, sorted by member ids; within
    2 hops the smallest ids, as the oracle lists them; within 3 any of them."""
    found = index.paths(v, m, limit=limit, max_hops=hops, hidden=hidden)
    every = ref.all_shortest_paths(v, m, max_hops=hops, hidden=hidden)
    if every and len(every[0]) <= 3:
        assert found == every[:limit], (v, m, hidden)
        return
    assert len(found) == min(limit, len(every)), (v, m, hidden)
    assert found == sorted(found)
    assert len({tuple(path) for path in found}) == len(found)
    assert all(path in every for path in found), (v, m, hidden, found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_d1_d4_ids_too_spread_for_a_dense_map_answer_the_same(scenario):
    """Ids far apart (past 4 × members + 2**20) are found by binary search, not the id map."""
    _, pool, edges, _, hidden, _, _ = scenario
    spread = 1_000_000
    edges = [(x * spread, y * spread) for x, y in edges or [(pool[0], pool[1])]]
    index, ref = build(edges)
    assert not index._dense
    assert_same(index, ref, [m * spread for m in pool], frozenset(h * spread for h in hidden))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(1, 4))
def test_d1_d4_every_operation_matches_breadth_first_search(scenario, limit):
    ids, pool, edges, deltas, hidden, compact_at, cache_size = scenario
    index, ref = build(edges, cache_size)
    assert_same(index, ref, pool, hidden, limit)
    for step, (op, x, y) in enumerate(deltas):
        getattr(index, op)(x, y)
        getattr(ref, op)(x, y)
        if step == compact_at:
            index.compact()
        # A change shows in the very next query, cached 2nd-degree sets included.
        for v in pool:
            assert index.degrees(v, pool, hidden=hidden) == ref.degrees(v, pool, hidden=hidden)
    assert index.connections == sum(len(s) for s in ref.adj.values()) // 2
    assert_same(index, ref, pool, hidden, limit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_overlay_survives_a_full_tail_by_compacting(scenario):
    ids, pool, edges, deltas, hidden, _, _ = scenario
    with pytest.MonkeyPatch.context() as mp:
        # A two-entry overlay tail, so every few connects compact or widen it.
        mp.setattr(graph.index, "_tail_room", lambda directed: 2)
        index, ref = build(edges)
        for op, x, y in deltas + [(o, y, x) for o, x, y in reversed(deltas)]:
            getattr(index, op)(x, y)
            getattr(ref, op)(x, y)
            assert_same(index, ref, pool[:4], hidden)
    assert_same(index, ref, pool, hidden)


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.booleans())
def test_snapshot_round_trip_answers_the_same(tmp_path_factory, scenario, mmap):
    ids, pool, edges, deltas, hidden, _, _ = scenario
    index, ref = build(edges)
    for op, x, y in deltas[:6]:
        getattr(index, op)(x, y)
        getattr(ref, op)(x, y)
    index.generation = 42
    path = tmp_path_factory.mktemp("snap") / "graph"
    index.save(path)
    loaded = GraphIndex.load(path, mmap=mmap)
    assert loaded.generation == 42
    assert_same(loaded, ref, pool, hidden)
    for op, x, y in deltas[6:]:
        getattr(loaded, op)(x, y)
        getattr(ref, op)(x, y)
    assert_same(loaded, ref, pool, hidden)


def test_mapped_snapshot_is_never_written_by_deltas(tmp_path):
    index, _ = build([(1, 2), (2, 3), (3, 4)])
    index.save(tmp_path / "g")
    before = {p.name: p.read_bytes() for p in (tmp_path / "g").iterdir()}
    loaded = GraphIndex.load(tmp_path / "g", mmap=True)
    loaded.connect(1, 4)
    loaded.disconnect(2, 3)
    loaded.connect(9, 1)
    assert loaded.degree(9, 4) == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "g").iterdir()} == before
    assert GraphIndex.load(tmp_path / "g").degree(1, 4) == 3


def test_save_replaces_an_older_snapshot(tmp_path):
    first, _ = build([(1, 2)])
    first.save(tmp_path / "g")
    second, _ = build([(1, 2), (2, 3)])
    second.save(tmp_path / "g")
    assert GraphIndex.load(tmp_path / "g").degree(1, 3) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g"]


def test_n_members_makes_unconnected_members_known():
    index, _ = build([(3, 4)], n_members=5)
    assert index.members == 5
    index.connect(1, 3)
    assert index.degrees(1, [4, 2, 5]) == [2, None, None]


def test_d4_hidden_member_is_never_a_step_mutual_or_suggestion():
    # 1-2-4 and 1-3-4 share 4's neighbours; hiding 2 leaves only the path through 3.
    index, _ = build([(1, 2), (1, 3), (2, 4), (3, 4), (4, 5), (2, 6)])
    hidden = frozenset({2})
    assert index.paths(1, 4) == [[1, 2, 4], [1, 3, 4]]
    assert index.paths(1, 4, hidden=hidden) == [[1, 3, 4]]
    assert index.mutuals(1, 4, hidden=hidden) == [3]
    assert index.degree(1, 6, hidden=hidden) is None
    assert index.degree(1, 2, hidden=hidden) is None
    assert index.suggestions(1, hidden=hidden) == [(4, 1)]
    assert index.second_degree_count(1) == 2


def test_unknown_members_are_isolated_not_errors():
    index, _ = build([(1, 2)])
    assert index.degree(1, 77) is None
    assert index.degree(77, 77) == 0
    assert index.degrees(77, [1, 77]) == [None, 0]
    assert index.mutual_count(77, 1) == 0
    assert index.mutuals(1, 77) == []
    assert index.paths(77, 1) == []
    assert index.second_degree_count(77) == 0
    assert index.suggestions(77) == []
    assert index.connection_count(77) == 0
    index.disconnect(77, 1)
    assert index.connections == 1


def test_large_hidden_sets_and_repeated_connects_are_idempotent():
    edges = [(i, i + 1) for i in range(1, 60)]
    index, ref = build(edges)
    index.connect(1, 2)
    index.connect(2, 1)
    assert index.connections == 59
    hidden = frozenset(range(30, 50))
    assert index.degrees(1, [3, 4, 5]) == [2, 3, None]
    assert index.second_degree_count(28, hidden=hidden) == ref.second_degree_count(
        28, hidden=hidden
    )
    assert index.suggestions(52, hidden=hidden) == ref.suggestions(52, hidden=hidden)


def test_warm_up_leaves_the_cache_empty():
    index, _ = build([(1, 2), (2, 3)])
    index.warm_up()
    assert index.cache_nbytes() == 0
    assert index.degrees(1, [3]) == [2]


def test_built_from_chunks_like_from_edges():
    rng = np.random.default_rng(4)
    a = rng.integers(1, 500, 3000)
    b = rng.integers(1, 500, 3000)
    chunks = [(a[s : s + 700], b[s : s + 700]) for s in range(0, 3000, 700)]
    chunked = GraphIndex.from_chunks(iter(chunks), n_members=600)
    whole = GraphIndex.from_edges(a, b, n_members=600)
    assert chunked.connections == whole.connections
    assert chunked.members == whole.members == 600
    for v in (1, 17, 250):
        assert chunked.suggestions(v) == whole.suggestions(v)
        assert chunked.degrees(v, list(range(1, 600, 7))) == whole.degrees(
            v, list(range(1, 600, 7))
        )


def test_an_empty_index_grows_from_its_first_connection():
    index = GraphIndex.from_edges(np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert index.members == 0
    index.connect(5, 3)
    index.connect(3, 8)
    assert index.degrees(5, [3, 8, 5]) == [1, 2, 0]
    assert index.paths(8, 5) == [[8, 3, 5]]
    assert index.suggestions(5) == [(8, 1)]


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.sampled_from([0, 1, 5]))
def test_d1_a_first_page_over_its_pair_budget_falls_back_to_the_second_degree_set(scenario, budget):
    ids, pool, edges, deltas, hidden, _, _ = scenario
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(GraphIndex, "_pair_budget", lambda self, v: budget)
        index, ref = build(edges)
        for op, x, y in deltas:
            getattr(index, op)(x, y)
            getattr(ref, op)(x, y)
        everyone = [*pool, UNKNOWN]
        for v in everyone:
            index.clear_cache()
            assert index.degrees(v, everyone, hidden=hidden) == ref.degrees(
                v, everyone, hidden=hidden
            )


def test_prefetch_makes_the_first_page_a_cache_read():
    index, _ = build([(1, 2), (2, 3), (3, 4)])
    index.prefetch(1)
    assert index.cache_nbytes() > 0
    assert index.degrees(1, [2, 3, 4, 9]) == [1, 2, 3, None]
