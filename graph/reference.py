"""A plain breadth-first-search graph with GraphIndex's interface: the oracle of the property tests.

Slow on purpose and obviously correct: sets of neighbours, BFS layers, no caching.
"""

from collections.abc import Iterable, Sequence

EMPTY: frozenset[int] = frozenset()


class ReferenceGraph:
    """Undirected connection graph over member ids, answering every question by BFS."""

    def __init__(self) -> None:
        self.adj: dict[int, set[int]] = {}
        self.generation = 0

    @classmethod
    def from_edges(cls, a: Iterable[int], b: Iterable[int], **_: object) -> "ReferenceGraph":
        graph = cls()
        for x, y in zip(a, b, strict=True):
            graph.connect(int(x), int(y))
        return graph

    def connect(self, a: int, b: int) -> None:
        if a == b:
            return
        self.adj.setdefault(a, set()).add(b)
        self.adj.setdefault(b, set()).add(a)

    def disconnect(self, a: int, b: int) -> None:
        self.adj.get(a, set()).discard(b)
        self.adj.get(b, set()).discard(a)

    def connection_count(self, member: int) -> int:
        return len(self.adj.get(member, ()))

    def _neighbours(self, member: int, hidden: frozenset[int]) -> set[int]:
        if member in hidden:
            return set()
        return {x for x in self.adj.get(member, ()) if x not in hidden}

    def _distances(self, source: int, hidden: frozenset[int], depth: int) -> dict[int, int]:
        """Distances from `source` up to `depth` hops in the graph without `hidden`."""
        if source in hidden:
            return {}
        dist = {source: 0}
        frontier = [source]
        for d in range(1, depth + 1):
            nxt = []
            for x in frontier:
                for y in self._neighbours(x, hidden):
                    if y not in dist:
                        dist[y] = d
                        nxt.append(y)
            frontier = nxt
        return dist

    def degree(self, viewer: int, member: int, *, hidden: frozenset[int] = EMPTY) -> int | None:
        if member in hidden or viewer in hidden:
            return None
        if member == viewer:
            return 0
        return self._distances(viewer, hidden, 3).get(member)

    def degrees(
        self, viewer: int, members: Sequence[int], *, hidden: frozenset[int] = EMPTY
    ) -> list[int | None]:
        return [self.degree(viewer, m, hidden=hidden) for m in members]

    def mutuals_all(self, a: int, b: int, hidden: frozenset[int] = EMPTY) -> list[int]:
        if a in hidden or b in hidden:
            return []
        return sorted(self._neighbours(a, hidden) & self._neighbours(b, hidden))

    def mutual_count(self, a: int, b: int, *, hidden: frozenset[int] = EMPTY) -> int:
        return len(self.mutuals_all(a, b, hidden))

    def mutuals(
        self, a: int, b: int, *, offset: int = 0, limit: int = 20, hidden: frozenset[int] = EMPTY
    ) -> list[int]:
        return self.mutuals_all(a, b, hidden)[offset : offset + limit]

    def all_shortest_paths(
        self, a: int, b: int, *, max_hops: int = 3, hidden: frozenset[int] = EMPTY
    ) -> list[list[int]]:
        """Every shortest path within `max_hops`, in lexicographic order of member ids."""
        if a in hidden or b in hidden:
            return []
        if a == b:
            return [[a]]
        from_a = self._distances(a, hidden, max_hops)
        if b not in from_a:
            return []
        length = from_a[b]
        from_b = self._distances(b, hidden, length)
        paths: list[list[int]] = []

        def walk(path: list[int]) -> None:
            here = path[-1]
            if here == b:
                paths.append(list(path))
                return
            step = len(path)
            for nxt in sorted(self._neighbours(here, hidden)):
                if from_a.get(nxt) == step and from_b.get(nxt) == length - step:
                    path.append(nxt)
                    walk(path)
                    path.pop()

        walk([a])
        return paths

    def paths(
        self,
        a: int,
        b: int,
        *,
        limit: int = 3,
        max_hops: int = 3,
        hidden: frozenset[int] = EMPTY,
    ) -> list[list[int]]:
        """The `limit` smallest by member ids (the index may return other shortest 3-hop ones)."""
        return self.all_shortest_paths(a, b, max_hops=max_hops, hidden=hidden)[:limit]

    def second_degree(self, a: int, hidden: frozenset[int] = EMPTY) -> dict[int, int]:
        """2nd-degree members of `a` with their mutual-connection counts."""
        first = self._neighbours(a, hidden)
        counts: dict[int, int] = {}
        for x in first:
            for y in self._neighbours(x, hidden):
                if y != a and y not in first:
                    counts[y] = counts.get(y, 0) + 1
        return counts

    def second_degree_count(self, a: int, *, hidden: frozenset[int] = EMPTY) -> int:
        return len(self.second_degree(a, hidden))

    def suggestions(
        self, a: int, *, k: int = 20, hidden: frozenset[int] = EMPTY
    ) -> list[tuple[int, int]]:
        ranked = sorted(self.second_degree(a, hidden).items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:k]
