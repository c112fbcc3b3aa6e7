"""The synthetic LinkedIn-like graph the graph benchmark and the demo seed share."""

import numpy as np

from bench.synthetic import linkedin_like_graph


def test_synthetic_graph_is_deterministic_simple_and_community_heavy():
    g = linkedin_like_graph(5000, avg_connections=20, seed=7, cap=400)
    again = linkedin_like_graph(5000, avg_connections=20, seed=7, cap=400)
    assert np.array_equal(g.a, again.a) and np.array_equal(g.b, again.b)
    assert np.array_equal(g.company, again.company)
    assert (g.a < g.b).all()
    keys = g.a.astype(np.int64) * g.n_members + g.b
    assert np.unique(keys).shape[0] == keys.shape[0]
    assert 0.9 * 5000 * 20 <= g.connections <= 5000 * 20
    assert g.degrees().max() <= 400
    assert g.degree_target.max() <= 400
    same = (
        (g.company[g.a] == g.company[g.b])
        | (g.school[g.a] == g.school[g.b])
        | (g.region[g.a] == g.region[g.b])
    )
    assert same.mean() > 0.5
    other = linkedin_like_graph(5000, avg_connections=20, seed=8, cap=400)
    assert not np.array_equal(g.a[:100], other.a[:100])


def test_n7_the_generators_cap_trims_members_above_it():
    uncapped = linkedin_like_graph(2000, avg_connections=20, seed=4)
    assert uncapped.degrees().max() > 15  # so the cap below has work to do
    g = linkedin_like_graph(2000, avg_connections=20, seed=4, cap=15)
    assert g.degrees().max() <= 15
    assert (g.a < g.b).all()
    assert g.degrees().mean() > 5  # trimmed, not emptied
