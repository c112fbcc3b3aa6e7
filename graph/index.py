"""The in-memory connection graph: degrees (D1), mutual connections (D2), paths (D3), blocks (D4).

Layout (see docs/architecture.md, "Graph index"): member ids map to dense int32 indices (a
dense lookup array when ids are compact, else a sorted id array + binary search); each member's
neighbours are a sorted int32 run `nbr[span[i, 0]:span[i, 1]]`, both directions stored, so a
connection costs 8 bytes. Connects and disconnects rewrite the touched runs in place or into the
free tail of `nbr` (the delta overlay); `compact()` rebuilds when the tail runs out.
"""

import json
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from graph import _kernels as kern

EMPTY: frozenset[int] = frozenset()
_MAX_GEN = 2**31 - 16
_NO_OUT = np.empty(0, dtype=np.int32)
_SNAPSHOT_ARRAYS = ("ids", "lookup", "span", "nbr")
_SNAPSHOT_FORMAT = 1
_mutual_count_ids = kern.mutual_count_ids
_BADGE = (0, 1, 2, 3, None, None)  # kernel degree -> answer; -1 and -2 index the Nones


def _bitmap(members: int) -> np.ndarray:
    """A bit per member, in whole 64-bit words (the kernels count set bits a word at a time)."""
    return np.zeros((members + 63) // 64 * 8, dtype=np.uint8)


def _tail_room(directed: int) -> int:
    """Free overlay room left after the CSR runs: ~1.5% of the entries, at least 64k."""
    return max(1 << 16, directed // 64)


class GraphIndex:
    """Undirected connection graph over member ids (database primary keys, 0 < id < 2**31)."""

    generation: int

    def __init__(
        self,
        *,
        ids: np.ndarray,
        lookup: np.ndarray,
        span: np.ndarray,
        nbr: np.ndarray,
        tail: int,
        connections: int,
        cache_size: int = 256,
    ) -> None:
        n = int(ids.shape[0])
        self.generation = 0
        self._n_base = n
        self._n = n
        self._cap = n
        self._base_ids = ids  # sorted int32: the base members, index = position
        self._idmap = ids  # index -> member id, grows past the base for members added later
        self._lookup = lookup  # dense id -> index (int32, -1 absent); empty when ids are sparse
        self._dense = lookup.shape[0] > 0
        self._extra: dict[int, int] = {}
        self._ordered = True  # whether index order is member-id order
        self._max_id = int(ids[-1]) if n else 0
        self._span = span
        self._nbr = nbr
        self._tail = tail  # first free entry of nbr's overlay tail
        self._room: dict[int, int] = {}  # index -> end of the room owned by its run in the tail
        self._connections = connections
        self._hmark = np.zeros(n, dtype=np.int32)
        self._hgen = 0
        self._cnt = np.zeros(n, dtype=np.int32)
        self._touched = np.zeros(n, dtype=np.int32)
        self._scratch_bits = _bitmap(n)
        self._mark_bits = _bitmap(n)  # 3-hop marks: all clear between calls (kernels clear theirs)
        self._cache_size = cache_size
        self._cache: OrderedDict[tuple[int, frozenset[int]], tuple[np.ndarray, int]] = OrderedDict()
        self._spare_bits: list[np.ndarray] = []
        self._seen: OrderedDict[tuple[int, frozenset[int]], None] = OrderedDict()
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- building

    @classmethod
    def from_edges(
        cls,
        a: np.ndarray,
        b: np.ndarray,
        *,
        n_members: int | None = None,
        cache_size: int = 256,
    ) -> "GraphIndex":
        """Builds the CSR with numpy and one compiled scatter: no Python object per connection.

        `n_members`, when given, makes ids 1..n_members members even without connections.
        """
        extra_ids = np.arange(1, (n_members or 0) + 1, dtype=np.int64)
        return cls._build(a, b, extra_ids, cache_size)

    @classmethod
    def from_chunks(
        cls,
        chunks: Iterable[tuple[np.ndarray, np.ndarray]],
        *,
        n_members: int | None = None,
        cache_size: int = 256,
    ) -> "GraphIndex":
        """from_edges over (a, b) array chunks, e.g. a database cursor read in batches.

        Chunks are copied into growing int32 arrays, so memory stays ~8 bytes per connection.
        """
        a = np.empty(1 << 16, dtype=np.int32)
        b = np.empty(1 << 16, dtype=np.int32)
        used = 0
        for ca, cb in chunks:
            ca = np.asarray(ca, dtype=np.int32)
            cb = np.asarray(cb, dtype=np.int32)
            if used + ca.shape[0] > a.shape[0]:
                size = max(2 * a.shape[0], used + ca.shape[0])
                a = np.resize(a, size)
                b = np.resize(b, size)
            a[used : used + ca.shape[0]] = ca
            b[used : used + cb.shape[0]] = cb
            used += ca.shape[0]
        return cls.from_edges(a[:used], b[:used], n_members=n_members, cache_size=cache_size)

    @classmethod
    def _build(cls, a, b, extra_ids: np.ndarray, cache_size: int) -> "GraphIndex":
        """The CSR of connections a[i]-b[i]; every id in `extra_ids` is a member too."""
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        if a.shape != b.shape:
            raise ValueError("a and b must have the same length")
        loops = a == b
        if loops.any():
            a, b = a[~loops], b[~loops]
        max_id = max(int(a.max(initial=0)), int(b.max(initial=0)), int(extra_ids.max(initial=0)))
        if (a.size and min(int(a.min()), int(b.min())) <= 0) or (
            extra_ids.size and int(extra_ids.min()) <= 0
        ):
            raise ValueError("member ids must be positive")
        if max_id >= 2**31:
            raise ValueError("member ids must be below 2**31")
        if max_id < 1 << 27:
            present = np.zeros(max_id + 1, dtype=np.bool_)
            present[a] = True
            present[b] = True
            present[extra_ids] = True
            ids = np.flatnonzero(present).astype(np.int32)
            del present
        else:
            ids = np.unique(np.concatenate([a, b, extra_ids])).astype(np.int32)
        n = int(ids.shape[0])
        if max_id + 1 <= 4 * n + (1 << 20):
            lookup = np.full(max_id + 1, -1, dtype=np.int32)
            lookup[ids] = np.arange(n, dtype=np.int32)
            ai = lookup[a]
            bi = lookup[b]
        else:
            lookup = np.empty(0, dtype=np.int32)
            ai = np.searchsorted(ids, a).astype(np.int32)
            bi = np.searchsorted(ids, b).astype(np.int32)
        del a, b
        deg = np.bincount(ai, minlength=n) + np.bincount(bi, minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(deg, out=indptr[1:])
        del deg
        directed = int(indptr[-1])
        nbr = np.zeros(directed + _tail_room(directed), dtype=np.int32)
        # Run offsets fit int32 up to ~1 billion connections; then int64 (a second compile).
        span = np.empty((n, 2), dtype=np.int32 if nbr.shape[0] < 2**31 else np.int64)
        kern.fill_csr(ai, bi, indptr, nbr, span)
        return cls(
            ids=ids,
            lookup=lookup,
            span=span,
            nbr=nbr,
            tail=directed,
            connections=int((span[:, 1] - span[:, 0]).sum()) // 2,
            cache_size=cache_size,
        )

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Every connection once, as member-id arrays (a < b in index order)."""
        with self._lock:
            out_a = np.empty(self._connections, dtype=np.int32)
            out_b = np.empty(self._connections, dtype=np.int32)
            c = kern.upper_edges(self._nbr, self._span, self._n, out_a, out_b)
            return self._idmap[out_a[:c]], self._idmap[out_b[:c]]

    def compact(self) -> None:
        """Rebuilds the CSR from the current graph, folding the overlay and added members in."""
        with self._lock:
            a, b = self.edges()
            fresh = GraphIndex._build(a, b, self._idmap[: self._n].copy(), self._cache_size)
            lock, generation = self._lock, self.generation
            self.__dict__.update(fresh.__dict__)
            self._lock, self.generation = lock, generation

    # ------------------------------------------------------------- id handling

    def _index_of(self, member: int) -> int:
        if self._dense:
            if 0 <= member < self._lookup.shape[0]:
                i = int(self._lookup[member])
                if i >= 0:
                    return i
        elif self._n_base:
            p = int(np.searchsorted(self._base_ids, member))
            if p < self._n_base and int(self._base_ids[p]) == member:
                return p
        return self._extra.get(member, -1)

    def _indices_of(self, members: Sequence[int] | np.ndarray) -> np.ndarray:
        arr = np.fromiter(members, dtype=np.int64, count=len(members))
        out = np.empty(arr.shape[0], dtype=np.int64)
        kern.to_indices(arr, self._lookup, self._base_ids, self._dense, out)
        if self._extra:
            for p in np.flatnonzero(out < 0):
                out[p] = self._extra.get(int(arr[p]), -1)
        return out

    def _add_member(self, member: int) -> int:
        if not 0 < member < 2**31:
            raise ValueError(f"member id out of range: {member}")
        i = self._n
        if i >= self._cap:
            self._grow(max(16, 2 * self._cap))
        self._idmap[i] = member
        self._span[i] = (0, 0)
        self._extra[member] = i
        self._n += 1
        if member < self._max_id:
            self._ordered = False
        self._max_id = max(self._max_id, member)
        return i

    def _grow(self, cap: int) -> None:
        n = self._n

        def grown(arr: np.ndarray) -> np.ndarray:
            new = np.zeros((cap, *arr.shape[1:]), dtype=arr.dtype)
            new[:n] = arr[:n]
            return new

        self._idmap = grown(self._idmap)
        self._span = grown(self._span)
        self._hmark = grown(self._hmark)
        self._cnt = np.zeros(cap, dtype=np.int32)
        self._touched = np.zeros(cap, dtype=np.int32)
        self._scratch_bits = _bitmap(cap)
        self._mark_bits = _bitmap(cap)
        self._cap = cap
        self._cache.clear()
        self._spare_bits.clear()

    def _hidden_gen(self, hidden: frozenset[int]) -> int:
        """Stamps the hidden members for this call; -1 when none (no member carries -1)."""
        if not hidden:
            return -1
        self._hgen += 1
        if self._hgen >= _MAX_GEN:
            self._hmark.fill(0)
            self._hgen = 1
        g = self._hgen
        if len(hidden) > 16:
            idx = self._indices_of(list(hidden))
            self._hmark[idx[idx >= 0]] = g
        else:
            for h in hidden:
                i = self._index_of(h)
                if i >= 0:
                    self._hmark[i] = g
        return g

    # ------------------------------------------------------------------ deltas

    def connect(self, a: int, b: int) -> None:
        if a == b:
            return
        with self._lock:
            ia = self._index_of(a)
            if ia < 0:
                ia = self._add_member(a)
            ib = self._index_of(b)
            if ib < 0:
                ib = self._add_member(b)
            if kern.contains(self._nbr, self._span, ia, ib):
                return
            for attempt in range(3):
                if self._insert(ia, ib):
                    if self._insert(ib, ia):
                        break
                    self._remove(ia, ib)
                if attempt == 0:
                    self.compact()
                else:
                    self._widen_tail()
                ia, ib = self._index_of(a), self._index_of(b)
            self._connections += 1
            self._invalidate(ia, ib)

    def _widen_tail(self) -> None:
        """More overlay room, for a run longer than the whole free tail."""
        longest = int((self._span[: self._n, 1] - self._span[: self._n, 0]).max(initial=0))
        extra = max(2 * longest + 16, self._nbr.shape[0] // 8)
        self._nbr = np.concatenate([self._nbr, np.zeros(extra, dtype=np.int32)])

    def disconnect(self, a: int, b: int) -> None:
        with self._lock:
            ia = self._index_of(a)
            ib = self._index_of(b)
            if ia < 0 or ib < 0 or not kern.contains(self._nbr, self._span, ia, ib):
                return
            self._invalidate(ia, ib)
            self._remove(ia, ib)
            self._remove(ib, ia)
            self._connections -= 1

    def _insert(self, i: int, x: int) -> bool:
        """Adds x to i's run, in place when its tail room allows, else in a new tail run."""
        nbr = self._nbr
        s, e = (int(v) for v in self._span[i])
        pos = s + int(np.searchsorted(nbr[s:e], x))
        if e < self._room.get(i, -1):
            nbr[pos + 1 : e + 1] = nbr[pos:e].copy()
            nbr[pos] = x
            self._span[i, 1] = e + 1
            return True
        length = e - s + 1
        room = length + length // 4 + 4
        t = self._tail
        if t + room > nbr.shape[0]:
            return False
        head = pos - s
        nbr[t : t + head] = nbr[s:pos]
        nbr[t + head] = x
        nbr[t + head + 1 : t + length] = nbr[pos:e]
        self._span[i] = (t, t + length)
        self._room[i] = t + room
        self._tail = t + room
        return True

    def _remove(self, i: int, x: int) -> None:
        nbr = self._nbr
        s, e = (int(v) for v in self._span[i])
        pos = s + int(np.searchsorted(nbr[s:e], x))
        if pos < e and nbr[pos] == x:
            nbr[pos : e - 1] = nbr[pos + 1 : e].copy()
            self._span[i, 1] = e - 1

    def _invalidate(self, ia: int, ib: int) -> None:
        """Drops cached 2nd-degree sets of viewers within one hop of either end of a change."""
        if not self._cache:
            return
        keys = list(self._cache)
        viewers = np.fromiter((key[0] for key in keys), dtype=np.int64, count=len(keys))
        hit = np.empty(len(keys), dtype=np.bool_)
        kern.affected(self._nbr, self._span, ia, ib, viewers, hit)
        for key, h in zip(keys, hit, strict=True):
            if h:
                self._spare_bits.append(self._cache.pop(key)[0])

    # ------------------------------------------------------------------- cache

    def _second_degree_bits(self, v: int, hidden: frozenset[int], hgen: int):
        """v's 2nd-degree set as a bitmap over indices, from the LRU cache or built now."""
        key = (v, hidden)
        entry = self._cache.get(key)
        if entry is not None:
            self._cache.move_to_end(key)
            return entry
        if len(self._cache) >= self._cache_size:
            self._spare_bits.append(self._cache.popitem(last=False)[1][0])
        bits = self._spare_bits.pop() if self._spare_bits else None
        if bits is None:
            bits = _bitmap(self._cap)
        count = kern.build_bitmap(self._nbr, self._span, v, self._hmark, hgen, bits)
        entry = (bits, int(count))
        self._cache[key] = entry
        return entry

    def _pair_budget(self, v: int) -> int:
        """What building v's 2nd-degree set would scan: the cap on a pair-by-pair page."""
        s, e = self._span[v]
        runs = self._span[self._nbr[s:e]]
        return int((runs[:, 1] - runs[:, 0]).sum())

    def prefetch(self, viewer: int, *, hidden: frozenset[int] = EMPTY) -> None:
        """Builds and caches viewer's 2nd-degree set now (say at sign-in), so pages are warm."""
        if type(hidden) is not frozenset:
            hidden = frozenset(hidden)
        with self._lock:
            v = self._index_of(viewer)
            if v >= 0 and viewer not in hidden:
                self._second_degree_bits(v, hidden, self._hidden_gen(hidden))

    def clear_cache(self) -> None:
        """Forgets cached 2nd-degree sets and which viewers were seen."""
        with self._lock:
            self._cache.clear()
            self._spare_bits.clear()
            self._seen.clear()

    # ----------------------------------------------------------------- queries

    def connection_count(self, member: int) -> int:
        with self._lock:
            i = self._index_of(member)
            if i < 0:
                return 0
            return int(self._span[i, 1] - self._span[i, 0])

    def connections_of(self, member: int) -> np.ndarray:
        """Member ids of `member`'s connections (a copy)."""
        with self._lock:
            i = self._index_of(member)
            if i < 0:
                return np.empty(0, dtype=np.int64)
            s, e = self._span[i]
            found = self._idmap[self._nbr[s:e]].astype(np.int64)
            if not self._ordered:
                found.sort()
            return found

    def degree(self, viewer: int, member: int, *, hidden: frozenset[int] = EMPTY) -> int | None:
        if hidden and (viewer in hidden or member in hidden):
            return None
        if viewer == member:
            return 0
        hidden = frozenset(hidden)
        with self._lock:
            v = self._index_of(viewer)
            m = self._index_of(member)
            if v < 0 or m < 0:
                return None
            hgen = self._hidden_gen(hidden)
            entry = self._cache.get((v, hidden))
            if entry is not None:
                out = np.empty(1, dtype=np.int8)
                kern.degrees_cached(
                    self._nbr, self._span, v, np.array([m]), entry[0], self._hmark, hgen, out
                )
                d = int(out[0])
            else:
                d = kern.pair_degree(
                    self._nbr, self._span, v, m, self._hmark, hgen, self._mark_bits
                )
            return None if d < 0 else d

    def degrees(
        self, viewer: int, members: Sequence[int], *, hidden: frozenset[int] = EMPTY
    ) -> list[int | None]:
        """A page of badges: one 2nd-degree set (cached per viewer), then a look-up per member."""
        if type(hidden) is not frozenset:
            hidden = frozenset(hidden)
        if not len(members):
            return []
        with self._lock:
            v = self._index_of(viewer)
            if v < 0 or viewer in hidden:
                return [0 if m == viewer and viewer not in hidden else None for m in members]
            hgen = self._hidden_gen(hidden)
            key = (v, hidden)
            entry = self._cache.get(key)
            arr = np.fromiter(members, dtype=np.int64, count=len(members))
            out = np.empty(arr.shape[0], dtype=np.int8)
            if entry is None and key not in self._seen:
                # A first page: pair by pair, unless that would cost more than the 2nd-degree
                # set; the set is built (and cached) if the viewer asks again.
                self._seen[key] = None
                if len(self._seen) > 4 * self._cache_size:
                    self._seen.popitem(last=False)
                idx = self._indices_of(arr)
                done = kern.degrees_by_pairs(
                    self._nbr,
                    self._span,
                    v,
                    idx,
                    self._hmark,
                    hgen,
                    self._mark_bits,
                    self._pair_budget(v),
                    out,
                )
                if done:
                    return list(map(_BADGE.__getitem__, out.tolist()))
            if entry is None:
                entry = self._second_degree_bits(v, hidden, hgen)
            else:
                self._cache.move_to_end(key)
            kern.degrees_of(
                self._nbr,
                self._span,
                v,
                arr,
                self._lookup,
                self._base_ids,
                self._dense,
                entry[0],
                self._hmark,
                hgen,
                out,
            )
            result = list(map(_BADGE.__getitem__, out.tolist()))
            if self._extra:  # members added since the build: look them up one by one
                for p, d in enumerate(out.tolist()):
                    if d == -2:
                        result[p] = self.degree(viewer, int(arr[p]), hidden=hidden)
            return result

    def mutual_count(self, a: int, b: int, *, hidden: frozenset[int] = EMPTY) -> int:
        if not hidden and self._dense:
            # The common call: one compiled call that also maps the ids (the Python around a
            # microsecond kernel is most of its cost).
            with self._lock:
                try:
                    c = _mutual_count_ids(self._nbr, self._span, self._lookup, a, b)
                except OverflowError:
                    c = -1
                if c >= 0 or not self._extra:
                    return max(c, 0)
        elif hidden and (a in hidden or b in hidden):
            return 0
        with self._lock:
            ia = self._index_of(a)
            ib = self._index_of(b)
            if ia < 0 or ib < 0:
                return 0
            hgen = self._hidden_gen(hidden)
            return int(kern.mutual_count(self._nbr, self._span, ia, ib, self._hmark, hgen, _NO_OUT))

    def mutuals(
        self,
        a: int,
        b: int,
        *,
        offset: int = 0,
        limit: int = 20,
        hidden: frozenset[int] = EMPTY,
    ) -> list[int]:
        if hidden and (a in hidden or b in hidden):
            return []
        with self._lock:
            ia = self._index_of(a)
            ib = self._index_of(b)
            if ia < 0 or ib < 0:
                return []
            hgen = self._hidden_gen(hidden)
            span = self._span
            size = int(min(span[ia, 1] - span[ia, 0], span[ib, 1] - span[ib, 0]))
            out = np.empty(size, dtype=np.int32)
            c = kern.mutual_count(self._nbr, span, ia, ib, self._hmark, hgen, out)
            found = self._idmap[out[:c]]
            if not self._ordered:
                found.sort()
            return found[offset : offset + limit].tolist()

    def paths(
        self,
        a: int,
        b: int,
        *,
        limit: int = 3,
        max_hops: int = 3,
        hidden: frozenset[int] = EMPTY,
    ) -> list[list[int]]:
        if hidden and (a in hidden or b in hidden):
            return []
        if a == b:
            return [[a]]
        if limit <= 0 or max_hops <= 0:
            return []
        if max_hops > 3:
            raise ValueError("paths are searched within 3 hops")
        with self._lock:
            ia = self._index_of(a)
            ib = self._index_of(b)
            if ia < 0 or ib < 0:
                return []
            hgen = self._hidden_gen(hidden)
            best = np.empty((limit, 4), dtype=np.int64)
            length, count = kern.paths(
                self._nbr,
                self._span,
                self._idmap,
                ia,
                ib,
                limit,
                max_hops,
                self._hmark,
                hgen,
                self._mark_bits,
                best,
            )
            if length < 0:
                return []
            return self._idmap[best[:count, : length + 1]].tolist()

    def second_degree_count(self, a: int, *, hidden: frozenset[int] = EMPTY) -> int:
        """The size of a's 2nd-degree network; builds (or reads) a's cached 2nd-degree set."""
        if hidden and a in hidden:
            return 0
        if type(hidden) is not frozenset:
            hidden = frozenset(hidden)
        with self._lock:
            ia = self._index_of(a)
            if ia < 0:
                return 0
            hgen = self._hidden_gen(hidden)
            return self._second_degree_bits(ia, hidden, hgen)[1]

    def suggestions(
        self, a: int, *, k: int = 20, hidden: frozenset[int] = EMPTY
    ) -> list[tuple[int, int]]:
        """2nd-degree members with their mutual count, most mutuals first, then smaller id."""
        if hidden and a in hidden:
            return []
        with self._lock:
            ia = self._index_of(a)
            if ia < 0 or k <= 0:
                return []
            hgen = self._hidden_gen(hidden)
            n = kern.count_second_degree(
                self._nbr,
                self._span,
                ia,
                self._hmark,
                hgen,
                self._scratch_bits,
                self._cnt,
                self._touched,
            )
            out_idx = np.empty(k, dtype=np.int32)
            out_cnt = np.empty(k, dtype=np.int32)
            m = kern.top_suggestions(self._touched, n, self._cnt, self._idmap, k, out_idx, out_cnt)
            return list(zip(self._idmap[out_idx[:m]].tolist(), out_cnt[:m].tolist(), strict=True))

    # ---------------------------------------------------------------- figures

    @property
    def connections(self) -> int:
        return self._connections

    @property
    def members(self) -> int:
        return self._n

    def nbytes(self) -> int:
        """Bytes held by the index and its per-member scratch, the 2nd-degree cache excluded."""
        arrays = (
            self._idmap,
            self._lookup,
            self._span,
            self._nbr,
            self._hmark,
            self._cnt,
            self._touched,
            self._scratch_bits,
            self._mark_bits,
        )
        return int(sum(arr.nbytes for arr in arrays))

    def cache_nbytes(self) -> int:
        return int(sum(bits.nbytes for bits, _ in self._cache.values()))

    def warm_up(self) -> None:
        """Runs every kernel once: numba compiles (or loads its cache) now, not in a request."""
        tiny = GraphIndex.from_edges(np.array([1, 2, 3]), np.array([2, 3, 4]))
        for index in (tiny, self):
            if not index._n:
                continue
            first = int(index._idmap[0])
            last = int(index._idmap[index._n - 1])
            index.degree(first, last)
            index.degrees(first, [first, last])
            index.mutual_count(first, last)
            index.mutuals(first, last)
            index.paths(first, last)
            index.second_degree_count(first, hidden=frozenset({last}))
            index.suggestions(first)
            index.connection_count(first)
            index.clear_cache()

    # --------------------------------------------------------------- snapshots

    def save(self, path: str | os.PathLike) -> None:
        """Writes a compacted snapshot directory (one .npy per array), replacing `path` at once."""
        with self._lock:
            if self._extra or self._room or not self._ordered:
                self.compact()
            target = Path(path)
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            if tmp.exists():
                shutil.rmtree(tmp)
            tmp.mkdir(parents=True)
            arrays = {
                "ids": self._idmap[: self._n],
                "lookup": self._lookup,
                "span": self._span[: self._n],
                "nbr": self._nbr,
            }
            for name, arr in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr))
            meta = {
                "format": _SNAPSHOT_FORMAT,
                "generation": self.generation,
                "tail": self._tail,
                "connections": self._connections,
            }
            (tmp / "meta.json").write_text(json.dumps(meta))
            old = None
            if target.exists():
                old = target.with_name(f".{target.name}.old-{os.getpid()}")
                target.rename(old)
            tmp.rename(target)
            if old is not None:
                shutil.rmtree(old)

    @classmethod
    def load(
        cls, path: str | os.PathLike, *, mmap: bool = True, cache_size: int = 256
    ) -> "GraphIndex":
        """Opens a snapshot; with mmap the arrays stay in the page cache, shared by processes.

        Copy-on-write mapping: a later connect or disconnect copies only the pages it touches.
        """
        source = Path(path)
        meta = json.loads((source / "meta.json").read_text())
        if meta.get("format") != _SNAPSHOT_FORMAT:
            raise ValueError(f"unknown graph snapshot format in {source}")
        mode = "c" if mmap else None
        arrays = {}
        for name in _SNAPSHOT_ARRAYS:
            try:
                arr = np.load(source / f"{name}.npy", mmap_mode=mode)
            except ValueError:  # an empty array cannot be mapped
                arr = np.load(source / f"{name}.npy")
            # A plain ndarray view over the mapping: numba takes it like any other array.
            arrays[name] = np.asarray(arr)
        index = cls(
            ids=arrays["ids"],
            lookup=arrays["lookup"],
            span=arrays["span"],
            nbr=arrays["nbr"],
            tail=int(meta["tail"]),
            connections=int(meta["connections"]),
            cache_size=cache_size,
        )
        index.generation = int(meta["generation"])
        return index
