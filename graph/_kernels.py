"""Compiled loops over neighbour lists (numba), the part of the index numpy cannot vectorise.

Every kernel reads the adjacency as `nbr[span[i, 0]:span[i, 1]]` (sorted int32 member indices),
so the CSR base and the delta overlay (lists re-written into the tail of `nbr`) look the same.
Hidden members carry `hmark[i] == hgen`; hgen = -1 when nothing is hidden, and then hmark is
never read (a random read of a member-sized array costs a cache miss). Scratch marks use a
generation stamp so no member-sized array is cleared or allocated per call.
"""

import numpy as np
from numba import njit

CACHE = True


@njit(cache=CACHE, inline="always")
def _lower_bound(nbr, lo, hi, x):
    while lo < hi:
        mid = (lo + hi) >> 1
        if nbr[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=CACHE)
def contains(nbr, span, i, x):
    """Whether x is a neighbour of i (binary search in i's sorted list)."""
    lo = span[i, 0]
    hi = span[i, 1]
    p = _lower_bound(nbr, lo, hi, x)
    return p < hi and nbr[p] == x


@njit(cache=CACHE)
def _intersect(nbr, a0, a1, b0, b1, hmark, hgen, out, stop_at):
    """Common non-hidden entries of two sorted ranges, written to `out` (if sized); the count.

    Stops after `stop_at` hits (when stop_at > 0). Gallops when one side is much shorter.
    """
    if a1 - a0 > b1 - b0:
        a0, a1, b0, b1 = b0, b1, a0, a1
    na = a1 - a0
    nb = b1 - b0
    c = 0
    cap = out.shape[0]
    if na == 0 or nb == 0:
        return 0
    if na * 8 < nb:
        lo = b0
        for j in range(a0, a1):
            x = nbr[j]
            lo = _lower_bound(nbr, lo, b1, x)
            if lo >= b1:
                break
            if nbr[lo] == x and (hgen < 0 or hmark[x] != hgen):
                if c < cap:
                    out[c] = x
                c += 1
                if c == stop_at:
                    return c
    else:
        i = a0
        j = b0
        while i < a1 and j < b1:
            x = nbr[i]
            y = nbr[j]
            if x < y:
                i += 1
            elif x > y:
                j += 1
            else:
                if hgen < 0 or hmark[x] != hgen:
                    if c < cap:
                        out[c] = x
                    c += 1
                    if c == stop_at:
                        return c
                i += 1
                j += 1
    return c


@njit(cache=CACHE)
def mutual_count(nbr, span, a, b, hmark, hgen, out):
    return _intersect(nbr, span[a, 0], span[a, 1], span[b, 0], span[b, 1], hmark, hgen, out, 0)


@njit(cache=CACHE)
def mutual_count_ids(nbr, span, lookup, a, b):
    """Mutual count of member ids a and b (dense lookup, nothing hidden); -1 if either unknown."""
    if a < 0 or b < 0 or a >= lookup.shape[0] or b >= lookup.shape[0]:
        return -1
    ia = lookup[a]
    ib = lookup[b]
    if ia < 0 or ib < 0:
        return -1
    none = np.empty(0, dtype=np.int32)
    return _intersect(nbr, span[ia, 0], span[ia, 1], span[ib, 0], span[ib, 1], lookup, -1, none, 0)


@njit(cache=CACHE)
def _side_cost(nbr, span, v, hmark, hgen):
    """Neighbour-list length summed over v's visible neighbours: the cost of expanding v's side."""
    s = 0
    for j in range(span[v, 0], span[v, 1]):
        x = nbr[j]
        if hgen < 0 or hmark[x] != hgen:
            s += span[x, 1] - span[x, 0]
    return s


@njit(cache=CACHE)
def _mark_neighbours(nbr, span, v, hmark, hgen, mark, gen):
    for j in range(span[v, 0], span[v, 1]):
        x = nbr[j]
        if hgen < 0 or hmark[x] != hgen:
            mark[x] = gen


@njit(cache=CACHE)
def _has_three_hop(nbr, span, v, m, hmark, hgen, mark, gen):
    """Whether some visible x~v and y~m are adjacent (v and m known not adjacent, no mutual)."""
    if _side_cost(nbr, span, v, hmark, hgen) < _side_cost(nbr, span, m, hmark, hgen):
        v, m = m, v
    _mark_neighbours(nbr, span, v, hmark, hgen, mark, gen)
    for j in range(span[m, 0], span[m, 1]):
        y = nbr[j]
        if hgen >= 0 and hmark[y] == hgen:
            continue
        for k in range(span[y, 0], span[y, 1]):
            if mark[nbr[k]] == gen:
                return True
    return False


@njit(cache=CACHE)
def pair_degree(nbr, span, v, m, hmark, hgen, mark, gen):
    """Degree of m seen from v: 0..3, or -1 when out of network (or either side hidden)."""
    if (hgen >= 0 and hmark[v] == hgen) or (hgen >= 0 and hmark[m] == hgen):
        return -1
    if v == m:
        return 0
    if span[v, 1] - span[v, 0] <= span[m, 1] - span[m, 0]:
        if contains(nbr, span, v, m):
            return 1
    elif contains(nbr, span, m, v):
        return 1
    none = np.empty(0, dtype=np.int32)
    if _intersect(nbr, span[v, 0], span[v, 1], span[m, 0], span[m, 1], hmark, hgen, none, 1):
        return 2
    if _has_three_hop(nbr, span, v, m, hmark, hgen, mark, gen):
        return 3
    return -1


@njit(cache=CACHE)
def degrees_by_pairs(nbr, span, v, members, hmark, hgen, mark, gen, budget, out):
    """A page of degrees pair by pair, while the 3-hop scans stay within `budget` entries.

    Returns False when the budget ran out (the caller builds the 2nd-degree bitmap instead):
    the page then never costs more than about twice that build. Uses stamps gen..gen+len-1.
    """
    none = np.empty(0, dtype=np.int32)
    cost_v = _side_cost(nbr, span, v, hmark, hgen)
    spent = 0
    v_hidden = hgen >= 0 and hmark[v] == hgen
    for p in range(members.shape[0]):
        m = members[p]
        if m < 0 or v_hidden or (hgen >= 0 and hmark[m] == hgen):
            out[p] = -1
            continue
        if m == v:
            out[p] = 0
            continue
        if contains(nbr, span, v, m):
            out[p] = 1
            continue
        if _intersect(nbr, span[v, 0], span[v, 1], span[m, 0], span[m, 1], hmark, hgen, none, 1):
            out[p] = 2
            continue
        cost_m = _side_cost(nbr, span, m, hmark, hgen)
        spent += span[m, 1] - span[m, 0]
        g = gen + p
        found = False
        if cost_v <= cost_m:
            _mark_neighbours(nbr, span, m, hmark, hgen, mark, g)
            far = v
        else:
            _mark_neighbours(nbr, span, v, hmark, hgen, mark, g)
            far = m
        for j in range(span[far, 0], span[far, 1]):
            y = nbr[j]
            if hgen >= 0 and hmark[y] == hgen:
                continue
            for q in range(span[y, 0], span[y, 1]):
                if mark[nbr[q]] == g:
                    found = True
                    break
            if found:
                break
            spent += span[y, 1] - span[y, 0]
            if spent > budget:
                return False
        out[p] = 3 if found else -1
    return True


@njit(cache=CACHE)
def _insert_path(best, keys, count, limit, k0, k1, row):
    """Keep the `limit` lexicographically smallest (k0, k1) keys; rows copied alongside."""
    pos = count
    while pos > 0 and (keys[pos - 1, 0] > k0 or (keys[pos - 1, 0] == k0 and keys[pos - 1, 1] > k1)):
        pos -= 1
    if pos >= limit:
        return count
    last = min(count, limit - 1)
    for q in range(last, pos, -1):
        keys[q, 0] = keys[q - 1, 0]
        keys[q, 1] = keys[q - 1, 1]
        for c in range(4):
            best[q, c] = best[q - 1, c]
    keys[pos, 0] = k0
    keys[pos, 1] = k1
    for c in range(4):
        best[pos, c] = row[c]
    return min(count + 1, limit)


@njit(cache=CACHE)
def paths(nbr, span, ids, ordered, a, b, limit, max_hops, hmark, hgen, mark, gen, best):
    """Shortest paths a..b within max_hops, smallest member ids first: (length, count) + `best`.

    `best` is (limit, 4) of member indices. Length -1 means none (a != b assumed).
    """
    if (hgen >= 0 and hmark[a] == hgen) or (hgen >= 0 and hmark[b] == hgen) or limit <= 0:
        return -1, 0
    keys = np.empty((limit, 2), dtype=np.int64)
    row = np.zeros(4, dtype=np.int64)
    if max_hops >= 1 and contains(nbr, span, a, b):
        best[0, 0] = a
        best[0, 1] = b
        return 1, 1
    if max_hops < 2:
        return -1, 0
    count = 0
    i = span[a, 0]
    j = span[b, 0]
    a1 = span[a, 1]
    b1 = span[b, 1]
    while i < a1 and j < b1:
        x = nbr[i]
        y = nbr[j]
        if x < y:
            i += 1
        elif x > y:
            j += 1
        else:
            if hgen < 0 or hmark[x] != hgen:
                row[0] = a
                row[1] = x
                row[2] = b
                count = _insert_path(best, keys, count, limit, ids[x], 0, row)
            i += 1
            j += 1
    if count > 0:
        return 2, count
    if max_hops < 3:
        return -1, 0
    from_a = _side_cost(nbr, span, a, hmark, hgen) <= _side_cost(nbr, span, b, hmark, hgen)
    if from_a:
        _mark_neighbours(nbr, span, b, hmark, hgen, mark, gen)
        for p in range(span[a, 0], span[a, 1]):
            x = nbr[p]
            if ordered and count == limit and ids[x] > keys[limit - 1, 0]:
                break  # x ascends in id order: every later path sorts after the kept ones
            if hgen >= 0 and hmark[x] == hgen:
                continue
            for q in range(span[x, 0], span[x, 1]):
                y = nbr[q]
                if mark[y] == gen:
                    row[0] = a
                    row[1] = x
                    row[2] = y
                    row[3] = b
                    count = _insert_path(best, keys, count, limit, ids[x], ids[y], row)
    else:
        _mark_neighbours(nbr, span, a, hmark, hgen, mark, gen)
        for p in range(span[b, 0], span[b, 1]):
            y = nbr[p]
            if hgen >= 0 and hmark[y] == hgen:
                continue
            for q in range(span[y, 0], span[y, 1]):
                x = nbr[q]
                if mark[x] == gen:
                    row[0] = a
                    row[1] = x
                    row[2] = y
                    row[3] = b
                    count = _insert_path(best, keys, count, limit, ids[x], ids[y], row)
    if count > 0:
        return 3, count
    return -1, 0


@njit(cache=CACHE)
def top_suggestions(touched, n, cnt, ids, k, out_idx, out_cnt):
    """The k candidates with most mutuals, ties by smaller member id; returns how many."""
    m = 0
    for p in range(n):
        y = touched[p]
        c = cnt[y]
        if m == k and c < out_cnt[m - 1]:
            continue  # the common case once the list is full: no read of the id (a cache miss)
        yid = ids[y]
        if m == k and c == out_cnt[m - 1] and yid > ids[out_idx[m - 1]]:
            continue
        pos = m if m < k else k - 1
        while pos > 0 and (
            out_cnt[pos - 1] < c or (out_cnt[pos - 1] == c and ids[out_idx[pos - 1]] > yid)
        ):
            if pos < k:
                out_idx[pos] = out_idx[pos - 1]
                out_cnt[pos] = out_cnt[pos - 1]
            pos -= 1
        out_idx[pos] = y
        out_cnt[pos] = c
        if m < k:
            m += 1
    return m


@njit(cache=CACHE)
def build_bitmap(nbr, span, v, hmark, hgen, bits):
    """Sets bit y of `bits` for every 2nd-degree member y of v; returns their number.

    The bitmap is the only visited set (n/8 bytes, cache-resident): v and its 1st degree are set
    first, so the scan skips them, then cleared.
    """
    bits[:] = 0
    if hgen >= 0 and hmark[v] == hgen:
        return 0
    v0 = span[v, 0]
    v1 = span[v, 1]
    bits[v >> 3] |= np.uint8(1 << (v & 7))
    for p in range(v0, v1):
        x = nbr[p]
        bits[x >> 3] |= np.uint8(1 << (x & 7))
    n = 0
    for p in range(v0, v1):
        x = nbr[p]
        if hgen >= 0 and hmark[x] == hgen:
            continue
        for q in range(span[x, 0], span[x, 1]):
            y = nbr[q]
            w = y >> 3
            bit = np.uint8(1 << (y & 7))
            if bits[w] & bit:
                continue
            if hgen >= 0 and hmark[y] == hgen:
                continue
            bits[w] |= bit
            n += 1
    # v and its 1st degree were only markers; a hidden 1st-degree member is never 2nd degree.
    bits[v >> 3] &= np.uint8(~(1 << (v & 7)) & 0xFF)
    for p in range(v0, v1):
        x = nbr[p]
        bits[x >> 3] &= np.uint8(~(1 << (x & 7)) & 0xFF)
    return n


@njit(cache=CACHE)
def count_second_degree(nbr, span, v, hmark, hgen, bits, cnt, touched):
    """Mutual counts of v's 2nd-degree members into cnt; their indices into touched[:n].

    `bits` is scratch (cleared here): the visited set, as in build_bitmap.
    """
    bits[:] = 0
    if hgen >= 0 and hmark[v] == hgen:
        return 0
    v0 = span[v, 0]
    v1 = span[v, 1]
    bits[v >> 3] |= np.uint8(1 << (v & 7))
    for p in range(v0, v1):
        x = nbr[p]
        bits[x >> 3] |= np.uint8(1 << (x & 7))
        cnt[x] = -1  # 1st degree: never counted
    cnt[v] = -1
    t = 0
    for p in range(v0, v1):
        x = nbr[p]
        if hgen >= 0 and hmark[x] == hgen:
            continue
        for q in range(span[x, 0], span[x, 1]):
            y = nbr[q]
            w = y >> 3
            bit = np.uint8(1 << (y & 7))
            if bits[w] & bit:
                if cnt[y] > 0:
                    cnt[y] += 1
                continue
            if hgen >= 0 and hmark[y] == hgen:
                continue
            bits[w] |= bit
            cnt[y] = 1
            touched[t] = y
            t += 1
    return t


@njit(cache=CACHE)
def _degree_cached(nbr, span, v, m, bits, hmark, hgen):
    if hgen >= 0 and (hmark[v] == hgen or hmark[m] == hgen):
        return -1
    if m == v:
        return 0
    if contains(nbr, span, v, m):
        return 1
    if bits[m >> 3] & (1 << (m & 7)):
        return 2
    for q in range(span[m, 0], span[m, 1]):
        y = nbr[q]
        if bits[y >> 3] & (1 << (y & 7)):
            return 3  # bits never hold a hidden member
    return -1


@njit(cache=CACHE)
def degrees_cached(nbr, span, v, members, bits, hmark, hgen, out):
    """Degrees of `members` (indices, -1 unknown) from v, given v's 2nd-degree bitmap."""
    for p in range(members.shape[0]):
        m = members[p]
        out[p] = -1 if m < 0 else _degree_cached(nbr, span, v, m, bits, hmark, hgen)


@njit(cache=CACHE)
def degrees_of(nbr, span, v, member_ids, lookup, ids, dense, bits, hmark, hgen, out):
    """degrees_cached on member ids; -2 where an id is not a base member (maybe added later)."""
    n_base = ids.shape[0]
    for p in range(member_ids.shape[0]):
        mid = member_ids[p]
        m = -1
        if dense:
            if 0 <= mid < lookup.shape[0]:
                m = lookup[mid]
        else:
            lo = 0
            hi = n_base
            while lo < hi:
                half = (lo + hi) >> 1
                if ids[half] < mid:
                    lo = half + 1
                else:
                    hi = half
            if lo < n_base and ids[lo] == mid:
                m = lo
        if m < 0:
            out[p] = -2
        else:
            out[p] = _degree_cached(nbr, span, v, m, bits, hmark, hgen)


@njit(cache=CACHE)
def to_indices(members, lookup, ids, n_base, dense, out):
    """Member ids to base indices (-1 where not a base member)."""
    for p in range(members.shape[0]):
        m = members[p]
        r = -1
        if dense:
            if 0 <= m < lookup.shape[0]:
                r = lookup[m]
        else:
            lo = 0
            hi = n_base
            while lo < hi:
                mid = (lo + hi) >> 1
                if ids[mid] < m:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < n_base and ids[lo] == m:
                r = lo
        out[p] = r


@njit(cache=CACHE)
def affected(nbr, span, a, b, viewers, out):
    """Which cached viewers' 2nd-degree sets a change of the a-b connection may alter."""
    for p in range(viewers.shape[0]):
        v = viewers[p]
        if v == a or v == b:  # noqa: SIM109 (numba: no tuple membership on scalars here)
            out[p] = True
        else:
            out[p] = contains(nbr, span, a, v) or contains(nbr, span, b, v)


@njit(cache=CACHE)
def fill_csr(ai, bi, indptr, out, span):
    """Scatters both directions of every edge into CSR order, sorts each run, drops repeats."""
    n = indptr.shape[0] - 1
    pos = indptr[:-1].copy()
    for q in range(ai.shape[0]):
        x = ai[q]
        y = bi[q]
        out[pos[x]] = y
        pos[x] += 1
        out[pos[y]] = x
        pos[y] += 1
    for i in range(n):
        s = indptr[i]
        e = indptr[i + 1]
        out[s:e].sort()
        w = s
        for q in range(s, e):
            if q == s or out[q] != out[q - 1]:
                out[w] = out[q]
                w += 1
        span[i, 0] = s
        span[i, 1] = w


@njit(cache=CACHE)
def upper_edges(nbr, span, n, out_a, out_b):
    """Each connection once (i < j) as index pairs; returns how many."""
    c = 0
    for i in range(n):
        for q in range(span[i, 0], span[i, 1]):
            j = nbr[q]
            if i < j:
                out_a[c] = i
                out_b[c] = j
                c += 1
    return c
