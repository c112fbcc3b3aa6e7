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
    if hgen < 0 and cap == 0 and stop_at == 0 and na * 8 >= nb:
        # Count only: a merge without branches (the branchy one mispredicts about every other
        # step); 11 % faster on the benchmark's mutual counts at 1M members.
        i = a0
        j = b0
        while i < a1 and j < b1:
            x = nbr[i]
            y = nbr[j]
            c += x == y
            i += x <= y
            j += y <= x
        return c
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


@njit(cache=CACHE, inline="always")
def _set_bits(nbr, span, v, hmark, hgen, bits):
    """Marks v's visible neighbours in `bits` (a member bitmap, n/8 bytes: it stays in L2,
    where int32 stamps over every member would not; 3-hop scans ran ~3× faster so)."""
    for j in range(span[v, 0], span[v, 1]):
        x = nbr[j]
        if hgen < 0 or hmark[x] != hgen:
            bits[x >> 3] |= np.uint8(1 << (x & 7))


@njit(cache=CACHE, inline="always")
def _clear_bits(nbr, span, v, bits):
    """Undoes _set_bits (whole bytes: no other bit of the bitmap is set meanwhile)."""
    for j in range(span[v, 0], span[v, 1]):
        bits[nbr[j] >> 3] = 0


@njit(cache=CACHE, inline="always")
def _reaches_marked(nbr, span, y, bits):
    """Whether some neighbour of y is marked in `bits`."""
    for k in range(span[y, 0], span[y, 1]):
        x = nbr[k]
        if bits[x >> 3] & (1 << (x & 7)):
            return True
    return False


@njit(cache=CACHE)
def _has_three_hop(nbr, span, v, m, hmark, hgen, bits):
    """Whether some visible x~v and y~m are adjacent (v and m known not adjacent, no mutual)."""
    if _side_cost(nbr, span, v, hmark, hgen) < _side_cost(nbr, span, m, hmark, hgen):
        v, m = m, v
    _set_bits(nbr, span, v, hmark, hgen, bits)
    found = False
    for j in range(span[m, 0], span[m, 1]):
        y = nbr[j]
        if (hgen < 0 or hmark[y] != hgen) and _reaches_marked(nbr, span, y, bits):
            found = True
            break
    _clear_bits(nbr, span, v, bits)
    return found


@njit(cache=CACHE)
def pair_degree(nbr, span, v, m, hmark, hgen, bits):
    """Degree of m seen from v: 0..3, or -1 when out of network (or either side hidden).

    `bits` is a member bitmap, all clear on entry and left so (as in every kernel taking one).
    """
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
    if _has_three_hop(nbr, span, v, m, hmark, hgen, bits):
        return 3
    return -1


@njit(cache=CACHE)
def degrees_by_pairs(nbr, span, v, members, hmark, hgen, bits, budget, out):
    """A page of degrees pair by pair, while the 3-hop scans stay within `budget` entries.

    Returns False when the budget ran out (the caller builds the 2nd-degree bitmap instead):
    the page then never costs more than about twice that build.
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
        spent += span[m, 1] - span[m, 0]
        near, far = (m, v) if cost_v <= _side_cost(nbr, span, m, hmark, hgen) else (v, m)
        _set_bits(nbr, span, near, hmark, hgen, bits)
        out[p] = -1
        for j in range(span[far, 0], span[far, 1]):
            y = nbr[j]
            if hgen >= 0 and hmark[y] == hgen:
                continue
            if _reaches_marked(nbr, span, y, bits):
                out[p] = 3
                break
            spent += span[y, 1] - span[y, 0]
            if spent > budget:
                _clear_bits(nbr, span, near, bits)
                return False
        _clear_bits(nbr, span, near, bits)
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
def paths(nbr, span, ids, a, b, limit, max_hops, hmark, hgen, bits, best):
    """Up to `limit` shortest paths a..b within max_hops: (length, count), the paths in `best`.

    `best` is (limit, 4) of member indices, sorted by member ids; for 2 hops they are the
    smallest, for 3 the first found. Length -1 means none (a != b assumed). `bits` is a
    member bitmap, all clear on entry and left so.
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
    a0, a1, b0, b1 = span[a, 0], span[a, 1], span[b, 0], span[b, 1]
    common = np.empty(min(a1 - a0, b1 - b0), dtype=np.int32)
    row[0] = a
    row[2] = b
    for k in range(_intersect(nbr, a0, a1, b0, b1, hmark, hgen, common, 0)):
        row[1] = common[k]
        count = _insert_path(best, keys, count, limit, ids[common[k]], 0, row)
    if count > 0:
        return 2, count
    if max_hops < 3:
        return -1, 0
    # 3 hops: the first `limit` paths found, scanning the 2-hop lists of the cheaper side against
    # marks on the other side's neighbours. Stopping there instead of enumerating every path
    # (for the smallest ids) took the 1M benchmark's p99 from 0.7 ms to 0.07 ms.
    from_a = _side_cost(nbr, span, a, hmark, hgen) <= _side_cost(nbr, span, b, hmark, hgen)
    near, far = (a, b) if from_a else (b, a)
    _set_bits(nbr, span, far, hmark, hgen, bits)
    row[0] = a
    row[3] = b
    for p in range(span[near, 0], span[near, 1]):
        x = nbr[p]
        if hgen >= 0 and hmark[x] == hgen:
            continue
        for q in range(span[x, 0], span[x, 1]):
            y = nbr[q]
            if bits[y >> 3] & (1 << (y & 7)):
                row[1], row[2] = (x, y) if from_a else (y, x)
                count = _insert_path(best, keys, count, limit, ids[row[1]], ids[row[2]], row)
                if count == limit:
                    break
        if count == limit:
            break
    _clear_bits(nbr, span, far, bits)
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


@njit(cache=CACHE, inline="always")
def _popcount64(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=CACHE)
def _count_bits(bits):
    whole = bits.shape[0] // 8
    n = 0
    for w in bits[: whole * 8].view(np.uint64):
        n += _popcount64(w)
    for t in range(whole * 8, bits.shape[0]):
        b = bits[t]
        while b:
            n += b & 1
            b >>= 1
    return n


@njit(cache=CACHE)
def build_bitmap(nbr, span, v, hmark, hgen, bits):
    """Sets bit y of `bits` for every 2nd-degree member y of v; returns their number.

    Nothing hidden (the common case): every neighbour's list is OR-ed into the bitmap without a
    test (where each list lies is read first, all at once), then v and its 1st degree are
    cleared and the bits counted: 2.2× faster at 1M members than testing each bit as it goes,
    which the hidden case still does (the bitmap is its visited set).
    """
    bits[:] = 0
    if hgen >= 0 and hmark[v] == hgen:
        return 0
    v0 = span[v, 0]
    v1 = span[v, 1]
    if hgen < 0:
        lo = np.empty(v1 - v0, dtype=np.int64)
        hi = np.empty(v1 - v0, dtype=np.int64)
        for p in range(v1 - v0):
            x = nbr[v0 + p]
            lo[p] = span[x, 0]
            hi[p] = span[x, 1]
        for p in range(v1 - v0):
            for q in range(lo[p], hi[p]):
                y = nbr[q]
                bits[y >> 3] |= np.uint8(1 << (y & 7))
        _clear_first_degree(nbr, v, v0, v1, bits)
        return _count_bits(bits)
    bits[v >> 3] |= np.uint8(1 << (v & 7))
    for p in range(v0, v1):
        x = nbr[p]
        bits[x >> 3] |= np.uint8(1 << (x & 7))
    n = 0
    for p in range(v0, v1):
        x = nbr[p]
        if hmark[x] == hgen:
            continue
        for q in range(span[x, 0], span[x, 1]):
            y = nbr[q]
            w = y >> 3
            bit = np.uint8(1 << (y & 7))
            if bits[w] & bit:
                continue
            if hmark[y] == hgen:
                continue
            bits[w] |= bit
            n += 1
    # v and its 1st degree were only markers; a hidden 1st-degree member is never 2nd degree.
    _clear_first_degree(nbr, v, v0, v1, bits)
    return n


@njit(cache=CACHE, inline="always")
def _clear_first_degree(nbr, v, v0, v1, bits):
    bits[v >> 3] &= np.uint8(~(1 << (v & 7)) & 0xFF)
    for p in range(v0, v1):
        x = nbr[p]
        bits[x >> 3] &= np.uint8(~(1 << (x & 7)) & 0xFF)


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


@njit(cache=CACHE, inline="always")
def _base_index(mid, lookup, ids, dense):
    """A member id's base index, or -1 (the dense id map, else binary search in sorted ids)."""
    if dense:
        if 0 <= mid < lookup.shape[0]:
            return lookup[mid]
        return -1
    lo = _lower_bound(ids, 0, ids.shape[0], mid)
    if lo < ids.shape[0] and ids[lo] == mid:
        return lo
    return -1


@njit(cache=CACHE)
def degrees_cached(nbr, span, v, members, bits, hmark, hgen, out, unknown=-1):
    """Degrees of `members` (indices; `unknown` where -1) from v, given v's 2nd-degree bitmap.

    Staged so that each stage's memory reads are independent of one another and the CPU
    overlaps their cache misses (a page at 1M members: 11 µs one member at a time, 4 µs so).
    """
    n = members.shape[0]
    v_hidden = hgen >= 0 and hmark[v] == hgen
    todo = np.empty(n, dtype=np.int64)  # members left for the 3rd-degree scan, by position
    lo = np.empty(n, dtype=np.int64)
    hi = np.empty(n, dtype=np.int64)
    left = 0
    for p in range(n):  # the bitmap and v's own list are in cache: 2nd and 1st degree
        m = members[p]
        out[p] = -1
        if m < 0:
            out[p] = unknown
        elif v_hidden or (hgen >= 0 and hmark[m] == hgen):
            continue
        elif m == v:
            out[p] = 0
        elif bits[m >> 3] & (1 << (m & 7)):  # bits hold neither v nor its 1st degree
            out[p] = 2
        elif contains(nbr, span, v, m):
            out[p] = 1
        else:
            todo[left] = p
            left += 1
    for k in range(left):  # where each remaining list lies
        m = members[todo[k]]
        lo[k] = span[m, 0]
        hi[k] = span[m, 1]
    for k in range(left):  # the first entry of every list, then the rest of each
        if lo[k] < hi[k]:
            y = nbr[lo[k]]
            if bits[y >> 3] & (1 << (y & 7)):
                out[todo[k]] = 3  # bits never hold a hidden member
                hi[k] = lo[k]
    for k in range(left):
        for q in range(lo[k], hi[k]):
            y = nbr[q]
            if bits[y >> 3] & (1 << (y & 7)):
                out[todo[k]] = 3
                break


@njit(cache=CACHE)
def degrees_of(nbr, span, v, member_ids, lookup, ids, dense, bits, hmark, hgen, out):
    """degrees_cached on member ids; -2 where an id is not a base member (maybe added later)."""
    members = np.empty(member_ids.shape[0], dtype=np.int64)
    for p in range(member_ids.shape[0]):  # independent look-ups first, for the same reason
        members[p] = _base_index(member_ids[p], lookup, ids, dense)
    degrees_cached(nbr, span, v, members, bits, hmark, hgen, out, -2)


@njit(cache=CACHE)
def to_indices(members, lookup, ids, dense, out):
    """Member ids to base indices (-1 where not a base member)."""
    for p in range(members.shape[0]):
        out[p] = _base_index(members[p], lookup, ids, dense)


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
