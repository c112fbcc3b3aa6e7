"""`linkwell bench graph` on a small graph: every engine gives linkwell's answers (no timing).

The peers are the `bench` extra (`make bench` installs it); without them their tests skip.
"""

import importlib.util
import json
import os

import numpy as np
import pytest

from bench import graph as bench

PEERS = ["networkx", "rustworkx"] + [
    name for name in ("igraph", "networkit") if importlib.util.find_spec(name) is not None
]


@pytest.fixture
def peers():
    """The bench extra's peers, or a skip naming what is missing."""
    for name in ("networkx", "rustworkx"):
        pytest.importorskip(name, reason=f"{name} is in the bench extra (make bench)")
    return PEERS


def run_json(capsys, *argv: str) -> dict:
    code = bench.main([*argv, "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    out["stderr"] = captured.err
    assert code == (0 if out["disagreements"] == 0 else 1)
    return out


def test_every_peer_agrees_with_the_index_on_a_small_network(capsys, peers):
    engines = ",".join(["linkwell", *peers])
    out = run_json(
        capsys,
        "--members",
        "2000",
        "--queries",
        "60",
        "--peer-queries",
        "60",
        "--engines",
        engines,
        "--seed",
        "3",
    )
    assert out["disagreements"] == 0
    assert out["members"] == 2000
    assert 0.9 * 2000 * 50 <= out["connections"] <= 2000 * 50
    assert set(out["workloads"]) == set(bench.WORKLOADS)
    for workload in bench.WORKLOADS:
        assert set(out["workloads"][workload]) == {"linkwell", *peers}
        for figures in out["workloads"][workload].values():
            assert set(figures) == {"p50_ms", "p99_ms"}


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQL engine needs PostgreSQL (DATABASE_URL)",
)
def test_sql_engine_agrees_with_the_index(capsys):
    out = run_json(
        capsys,
        "--members",
        "1500",
        "--queries",
        "30",
        "--sql-queries",
        "30",
        "--engines",
        "linkwell,postgres",
        "--seed",
        "5",
    )
    assert out["disagreements"] == 0
    assert "postgres" in out["workloads"]["paths"]


def test_networkx_is_skipped_with_a_reason_above_its_size(capsys, monkeypatch):
    monkeypatch.setattr(bench, "NETWORKX_MAX_MEMBERS", 100)
    out = run_json(capsys, "--members", "300", "--queries", "5", "--engines", "networkx")
    assert "networkx skipped" in out["stderr"]
    assert "networkx" not in out["workloads"]["pair_degree"]


def test_disagreeing_engine_is_counted(capsys, monkeypatch, peers):
    monkeypatch.setattr(bench.Networkx, "mutual_count", lambda self, a, b: -1)
    out = run_json(
        capsys,
        "--members",
        "300",
        "--queries",
        "7",
        "--peer-queries",
        "7",
        "--engines",
        "networkx",
    )
    assert out["disagreements"] == 7


def test_linkwell_bench_graph_help_lists_the_graph_options(capsys):
    from config.cli import main as linkwell

    with pytest.raises(SystemExit) as stop:
        linkwell(["bench", "graph", "--help"])
    assert stop.value.code == 0
    assert "--avg-connections" in capsys.readouterr().out


def test_linkwell_bench_refuses_an_unknown_benchmark(capsys):
    from config.cli import main as linkwell

    with pytest.raises(SystemExit) as stop:
        linkwell(["bench", "nothing"])
    assert stop.value.code == 2
    assert "invalid choice: 'nothing'" in capsys.readouterr().err


def test_the_communities_family_is_made_differently_from_the_linkedin_one():
    from bench.synthetic import community_graph, linkedin_like_graph

    linkedin = linkedin_like_graph(3000, seed=1)
    communities = community_graph(3000, seed=1)
    assert 0.95 * 3000 * 50 <= communities.connections <= 3000 * 50
    assert np.all(communities.a < communities.b)
    keys = communities.a.astype(np.int64) * 3000 + communities.b
    assert np.unique(keys).shape[0] == keys.shape[0]  # each pair once
    # A heavier tail (power law, not log-normal) and most connections inside one community.
    assert communities.degrees().max() > linkedin.degrees().max()
    inside = (communities.company[communities.a] == communities.company[communities.b]).mean()
    assert inside > 0.6
    again = community_graph(3000, seed=1)
    assert np.array_equal(again.a, communities.a)  # deterministic by seed


def test_every_peer_agrees_on_the_communities_family(capsys, peers):
    out = run_json(
        capsys,
        "--members",
        "2000",
        "--family",
        "communities",
        "--queries",
        "40",
        "--peer-queries",
        "40",
        "--engines",
        ",".join(["linkwell", *peers]),
        "--seed",
        "2",
    )
    assert out["family"] == "communities"
    assert out["disagreements"] == 0
    assert set(out["workloads"]["pair_degree"]) == {"linkwell", *peers}
