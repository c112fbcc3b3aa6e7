"""U1's case-insensitive handle look-up is an index search on both databases (issue 9: the
scan cost 12 ms of a 26 ms profile page at 100,000 members on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import queries
from network.queries import visible_member
from tests.factories import make_member

pytestmark = pytest.mark.django_db

INDEX = "user_handle_ci_unique"


def plan(sql: str, params=()) -> str:
    """The database's plan for `sql`. PostgreSQL is told not to scan, so a plan that can use
    the index does (a tiny test table would otherwise be read whole, index or not)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


def test_u1_the_profile_look_up_by_handle_uses_the_case_insensitive_index(member):
    with CaptureQueriesContext(connection) as captured:
        assert visible_member(None, handle="ALICE").member == member
    (looked_up,) = [q["sql"] for q in captured.captured_queries if "accounts_user" in q["sql"]]
    found = plan(looked_up)
    assert INDEX in found, found
    if connection.vendor == "sqlite":
        assert "SEARCH" in found and "SCAN accounts_user" not in found
    else:
        assert "Index Scan" in found or "Index Only Scan" in found


@pytest.mark.parametrize("handle", ["alice", "ALICE", "Alice"])
def test_u1_every_handle_look_up_shares_the_indexed_expression(member, handle):
    found = plan(*queries.with_handle(handle).query.sql_with_params())
    assert INDEX in found, found
    assert queries.id_with_handle(handle) == member.pk
    assert queries.by_identifier(handle.upper()) == member


def test_u1_email_look_up_ignores_case_by_its_index(member):
    assert queries.by_identifier("ALICE@EXAMPLE.COM") == member
    assert queries.with_email("nobody@example.com").first() is None
    make_member(handle="other", email="Other@Example.com")
    assert queries.by_identifier("other@example.COM").username == "other"
