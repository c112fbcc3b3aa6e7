"""A LinkedIn-like connection graph, generated in numpy (vectorised, deterministic by seed).

Members get a log-normal target degree (capped), a company, a school and a region; most
connections join members of one company, school or region, some close triangles (a friend of a
friend), the rest are random, and a few members are very highly connected. Endpoints are drawn in
proportion to target degree, so realised degrees follow the targets. `avg_connections` is
connections / members (as in "1M members, 50M connections"); a member's list averages twice that.
"""

from dataclasses import dataclass

import numpy as np

# Share of connections by how the two members know each other.
_SHARES = {"company": 0.30, "school": 0.15, "region": 0.25, "random": 0.12, "triangle": 0.18}


@dataclass(frozen=True)
class SyntheticGraph:
    """Connections a[i]-b[i] over members 0..n_members-1 (a < b, each pair once)."""

    n_members: int
    a: np.ndarray  # int32
    b: np.ndarray  # int32
    company: np.ndarray  # int32 community id per member
    school: np.ndarray  # int32
    region: np.ndarray  # int32
    degree_target: np.ndarray  # int32

    @property
    def connections(self) -> int:
        return int(self.a.shape[0])

    def degrees(self) -> np.ndarray:
        return np.bincount(self.a, minlength=self.n_members) + np.bincount(
            self.b, minlength=self.n_members
        )


def _zipf_groups(rng: np.random.Generator, n: int, groups: int, exponent: float) -> np.ndarray:
    """Group id per member, group sizes falling off like a power law (few big, many small)."""
    weights = 1.0 / np.arange(1, groups + 1, dtype=np.float64) ** exponent
    cum = np.cumsum(weights)
    cum /= cum[-1]
    return np.minimum(np.searchsorted(cum, rng.random(n)), groups - 1).astype(np.int32)


def _weighted_pick(rng: np.random.Generator, cum: np.ndarray, size: int) -> np.ndarray:
    return np.searchsorted(cum, rng.random(size) * cum[-1], side="right").astype(np.int32)


def _within_group(
    rng: np.random.Generator, src: np.ndarray, group: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """For each source, a member of the same group drawn in proportion to weight."""
    order = np.argsort(group, kind="stable").astype(np.int32)
    cum = np.concatenate([[0.0], np.cumsum(weight[order])])
    sorted_groups = group[order]
    n_groups = int(group.max()) + 1
    start = np.searchsorted(sorted_groups, np.arange(n_groups), side="left")
    end = np.searchsorted(sorted_groups, np.arange(n_groups), side="right")
    g = group[src]
    lo = cum[start[g]]
    hi = cum[end[g]]
    u = lo + rng.random(src.shape[0]) * (hi - lo)
    pos = np.searchsorted(cum, u, side="right") - 1
    pos = np.clip(pos, start[g], end[g] - 1)
    return order[pos]


def _close_triangles(
    rng: np.random.Generator, a: np.ndarray, b: np.ndarray, n: int, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """`count` new pairs y-z where y and z share a connection x (friends of friends)."""
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    order = np.argsort(src, kind="stable")
    dst = dst[order]
    deg = np.bincount(src, minlength=n)
    del src, order
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(deg, out=indptr[1:])
    # x drawn per connection end (degree-proportional), then two of its connections at random.
    x = dst[rng.integers(0, dst.shape[0], size=count)]
    dx = deg[x]
    y = dst[indptr[x] + (rng.random(count) * dx).astype(np.int64)]
    z = dst[indptr[x] + (rng.random(count) * dx).astype(np.int64)]
    return y, z


def linkedin_like_graph(
    n_members: int, *, avg_connections: float = 50, seed: int = 0, cap: int = 30_000
) -> SyntheticGraph:
    """About n_members * avg_connections connections; 1M members take a few minutes, a few GB."""
    if n_members < 2:
        raise ValueError("need at least two members")
    rng = np.random.default_rng(seed)
    n = n_members
    target_edges = int(round(n * avg_connections))
    mean_degree = min(2.0 * avg_connections, n - 1)
    sigma = 1.1
    mu = np.log(mean_degree) - sigma**2 / 2
    degree_target = np.clip(rng.lognormal(mu, sigma, n), 1, min(cap, n - 1))
    hubs = rng.choice(n, size=max(1, n // 50_000), replace=False)
    degree_target[hubs] = rng.uniform(0.3, 1.0, hubs.shape[0]) * min(cap, n - 1)
    degree_target = np.rint(degree_target).astype(np.int32)

    n_regions = max(1, int(round(n**0.4)))
    n_companies = max(1, n // 40)
    n_schools = max(1, n // 150)
    company = _zipf_groups(rng, n, n_companies, 1.0)
    school = _zipf_groups(rng, n, n_schools, 0.8)
    # Companies and schools sit in a region; most members live where they work.
    company_region = rng.integers(0, n_regions, n_companies).astype(np.int32)
    region = np.where(
        rng.random(n) < 0.8, company_region[company], rng.integers(0, n_regions, n)
    ).astype(np.int32)

    weight = degree_target.astype(np.float64)
    key = np.empty(0, dtype=np.int64)
    want = int(target_edges * 1.25) + 16
    for _ in range(4):  # top up what repeated pairs took away
        key = _sorted_unique(
            np.concatenate([key, _candidates(rng, n, want, weight, company, school, region)])
        )
        if key.shape[0] >= target_edges:
            break
        want = int((target_edges - key.shape[0]) * 1.5) + 16
    a, b = _pairs_from_keys(rng, key, n, target_edges, cap)
    del key
    return SyntheticGraph(
        n_members=n,
        a=a,
        b=b,
        company=company,
        school=school,
        region=region,
        degree_target=degree_target,
    )


def _pairs_from_keys(
    rng: np.random.Generator, key: np.ndarray, n: int, target_edges: int, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys lo * n + hi, thinned at random to `target_edges`, as capped pairs."""
    if key.shape[0] > target_edges:
        key = key[np.sort(rng.choice(key.shape[0], size=target_edges, replace=False))]
    a = (key // n).astype(np.int32)
    b = (key % n).astype(np.int32)
    return _enforce_cap(rng, a, b, n, cap)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is several times slower here)."""
    keys.sort()
    if keys.shape[0] == 0:
        return keys
    first = np.empty(keys.shape[0], dtype=np.bool_)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return keys[first]


def _candidates(
    rng: np.random.Generator,
    n: int,
    want: int,
    weight: np.ndarray,
    company: np.ndarray,
    school: np.ndarray,
    region: np.ndarray,
) -> np.ndarray:
    """About `want` candidate pairs as sorted unique keys lo * n + hi (lo < hi)."""
    cum = np.cumsum(weight)
    parts_a, parts_b = [], []
    for kind, group in (("company", company), ("school", school), ("region", region)):
        m = int(want * _SHARES[kind])
        src = _weighted_pick(rng, cum, m)
        parts_a.append(src)
        parts_b.append(_within_group(rng, src, group, weight))
    m = int(want * _SHARES["random"])
    parts_a.append(_weighted_pick(rng, cum, m))
    parts_b.append(_weighted_pick(rng, cum, m))
    a = np.concatenate(parts_a)
    b = np.concatenate(parts_b)
    del parts_a, parts_b
    y, z = _close_triangles(rng, a, b, n, int(want * _SHARES["triangle"]))
    a = np.concatenate([a, y.astype(np.int32)])
    b = np.concatenate([b, z.astype(np.int32)])
    del y, z
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    del a, b
    keep = lo != hi
    return _sorted_unique(lo[keep] * n + hi[keep])


def _enforce_cap(
    rng: np.random.Generator, a: np.ndarray, b: np.ndarray, n: int, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drops random connections of members above `cap` until none is (rarely needed)."""
    deg = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    if deg.max(initial=0) <= cap:
        return a, b
    order = rng.permutation(a.shape[0])
    a, b = a[order], b[order]
    keep = np.ones(a.shape[0], dtype=np.bool_)
    for ends in (a, b):
        # Rank of each connection among its end's connections (in the shuffled order).
        idx = np.argsort(ends, kind="stable")
        sorted_ends = ends[idx]
        first = np.searchsorted(sorted_ends, sorted_ends, side="left")
        rank = np.empty_like(idx)
        rank[idx] = np.arange(idx.shape[0]) - first
        keep &= rank < cap // 2
    over = (deg[a] > cap) | (deg[b] > cap)
    keep |= ~over
    a, b = a[keep], b[keep]
    order = np.lexsort((b, a))
    return a[order], b[order]


def community_graph(
    n_members: int,
    *,
    avg_connections: float = 50,
    seed: int = 0,
    cap: int = 30_000,
    exponent: float = 2.5,
    mixing: float = 0.25,
) -> SyntheticGraph:
    """A second, differently made family (LFR-like), so figures don't rest on one generator:
    power-law degrees (P(k) ~ k^-exponent, a heavier tail than the log-normal above), one
    level of planted communities with power-law sizes (no company/school/region nesting),
    a share `mixing` of connections between communities, and no triangle closing."""
    if n_members < 2:
        raise ValueError("need at least two members")
    rng = np.random.default_rng(seed + 7_919)
    n = n_members
    target_edges = int(round(n * avg_connections))
    mean_degree = min(2.0 * avg_connections, n - 1)
    # Pareto with minimum k_min has mean k_min (exponent - 1) / (exponent - 2).
    k_min = mean_degree * (exponent - 2) / (exponent - 1)
    degree_target = k_min * (1.0 - rng.random(n)) ** (-1.0 / (exponent - 1))
    degree_target = np.rint(np.clip(degree_target, 1, min(cap, n - 1))).astype(np.int32)
    community = _zipf_groups(rng, n, max(1, n // 100), 1.5)
    weight = degree_target.astype(np.float64)
    cum = np.cumsum(weight)
    key = np.empty(0, dtype=np.int64)
    want = int(target_edges * 1.3) + 16
    for _ in range(4):
        inside = int(want * (1.0 - mixing))
        src = _weighted_pick(rng, cum, inside)
        a = np.concatenate([src, _weighted_pick(rng, cum, want - inside)])
        b = np.concatenate(
            [_within_group(rng, src, community, weight), _weighted_pick(rng, cum, want - inside)]
        )
        del src
        lo = np.minimum(a, b).astype(np.int64)
        hi = np.maximum(a, b).astype(np.int64)
        del a, b
        keep = lo != hi
        key = _sorted_unique(np.concatenate([key, lo[keep] * n + hi[keep]]))
        del lo, hi, keep
        if key.shape[0] >= target_edges:
            break
        want = int((target_edges - key.shape[0]) * 1.6) + 16
    a, b = _pairs_from_keys(rng, key, n, target_edges, cap)
    del key
    return SyntheticGraph(
        n_members=n,
        a=a,
        b=b,
        company=community,
        school=community,
        region=np.zeros(n, dtype=np.int32),
        degree_target=degree_target,
    )


FAMILIES = {"linkedin": linkedin_like_graph, "communities": community_graph}
