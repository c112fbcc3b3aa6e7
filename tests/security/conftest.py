"""One cast per test module, rolled back at its end; each request in a savepoint of its own.

The cast is written once inside an outer transaction (as Django's setUpTestData does), each
test's own transaction is a savepoint inside it, and each request the matrix sends is one more
savepoint rolled back after it, so a follow or a delete sent for one reader changes nothing
for the next.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from network import loader
from pages import index as pages_index
from tests.security import cast as cast_module


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def media_root(settings, matrix_media):
    """The cast's uploads stay where the cast wrote them (the image route reads the file)."""
    settings.MEDIA_ROOT = matrix_media
    settings.LINKWELL_PORTABILITY_DIR = matrix_media / "portability"  # Olga's export (X2)
    return matrix_media


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, matrix_media):
    def session_cookie_for(member):
        client = Client()
        client.force_login(member)
        return client.cookies["sessionid"].value

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=matrix_media,
            LINKWELL_PORTABILITY_DIR=matrix_media / "portability",
        ),
    ):
        loader.reset()
        pages_index.reset()
        cache.clear()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield cast_module.build(session_cookie_for)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            loader.reset()
            pages_index.reset()
            cache.clear()
