"""The pages' cast: Ann, Ben, Cat, Dan and Eve, fresh in-memory indexes, real commits."""

import pytest

from network import loader
from pages import index
from tests.factories import make_member


@pytest.fixture(autouse=True)
def committed(transactional_db):
    """Real commits: the feed's fan-out and notices run after commit, as in production."""


@pytest.fixture(autouse=True)
def fast_passwords(fast_hasher):
    pass


@pytest.fixture(autouse=True)
def fresh_graph_index():
    """The graph index and pages' index start empty and are dropped after each test."""
    loader.reset()
    index.reset()
    yield
    loader.reset()
    index.reset()


@pytest.fixture
def cast(db):
    names = ["ann", "ben", "cat", "dan", "eve"]
    return {
        name: make_member(handle=name, display_name=name.title(), email=f"{name}@example.com")
        for name in names
    }
