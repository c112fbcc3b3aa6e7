"""The shared cast (five members, tests/conftest.py), fast passwords and a fresh graph index
per test."""

from tests.network.conftest import world  # noqa: F401
