"""Edge tests hash tokens and passwords often: a fast hasher keeps them quick."""

import pytest


@pytest.fixture(autouse=True)
def _fast_hasher(fast_hasher):
    pass
