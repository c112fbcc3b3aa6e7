"""Messaging's cast: Ann, Ben, Cat, Dan, Eve; a fresh graph index per test."""

import pytest


@pytest.fixture(autouse=True)
def world(cast_world):
    """Fast password hashing and a fresh graph index (tests/conftest.py)."""
