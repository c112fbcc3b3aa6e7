"""`linkwell bench graph` on a small graph: every engine gives linkwell's answers (no timing)."""

import importlib.util
import json
import os

import numpy as np
import pytest

from graph import bench
from graph.synthetic import linkedin_like_graph

PEERS = ["networkx", "rustworkx"] + [
    name for name in ("igraph", "networkit") if importlib.util.find_spec(name) is not None
]


def run_json(capsys, *argv: str) -> dict:
    code = bench.main([*argv, "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    out["stderr"] = captured.err
    assert code == (0 if out["disagreements"] == 0 else 1)
    return out


def test_every_peer_agrees_with_the_index_on_a_small_network(capsys):
    engines = ",".join(["linkwell", *PEERS])
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
        assert set(out["workloads"][workload]) == {"linkwell", *PEERS}
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


def test_disagreeing_engine_is_counted(capsys, monkeypatch):
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


def test_linkwell_bench_graph_help_lists_the_graph_options(capsys):
    from config.bench import main as linkwell_bench

    with pytest.raises(SystemExit) as stop:
        linkwell_bench(["graph", "--help"])
    assert stop.value.code == 0
    assert "--avg-connections" in capsys.readouterr().out
