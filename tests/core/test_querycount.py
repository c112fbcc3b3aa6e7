"""The bench-only query count header (core.querycount): present only under the bench's
settings, and then exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.settings import MIDDLEWARE
from core.querycount import HEADER
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_answers_never_name_their_query_count_outside_the_bench(client):
    member = make_member()
    client.force_login(member)
    assert "core.querycount.QueryCountHeader" not in MIDDLEWARE
    assert HEADER not in client.get("/mynetwork/").headers


def test_under_the_bench_the_header_counts_every_statement_of_the_request(client, settings):
    settings.MIDDLEWARE = ["core.querycount.QueryCountHeader", *settings.MIDDLEWARE]
    member = make_member()
    client.force_login(member)
    client.get("/mynetwork/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/mynetwork/")
    assert int(response.headers[HEADER]) == len(captured) > 3
