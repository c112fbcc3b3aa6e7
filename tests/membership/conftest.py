"""The network's cast (five members), its fast passwords and a fresh graph index per test."""

from tests.network.conftest import cast, fast_passwords, fresh_graph_index  # noqa: F401
