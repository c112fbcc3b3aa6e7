"""Edge tests hash tokens and passwords often; a fast hasher keeps them quick."""

import pytest


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
