"""The network's cast and a fresh graph index per test (the database rolls back under it)."""

import pytest


@pytest.fixture(autouse=True)
def world(cast_world):
    """Fast password hashing and a fresh graph index (tests/conftest.py)."""
