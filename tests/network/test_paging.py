"""Keyset pages of every list (issue 10): each page query is a range scan of an index that
matches its filter and its order, on both databases (no sort of the whole list, so page 1,000
costs what page 1 costs); pages never skip or repeat a member while the list changes under
them; a page's query count does not grow with the list."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.paging import keyset_page
from network import queries, services
from tests.factories import make_member
from tests.network.factories import connect
from tests.network.test_api import Caller

pytestmark = pytest.mark.django_db


def _page_sql(table: str, call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def plan(sql: str) -> str:
    """The plan for `sql`. PostgreSQL is told to avoid scans, bitmaps and sorts, so on a tiny
    test table it still shows whether a plan exists that reads the index in order (with a
    sort left in, none does)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {knob} = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


def _assert_ranged_by(index: str, sql: str) -> None:
    found = plan(sql)
    assert index in found, found
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in found, found  # read in index order, never sorted
    else:
        assert not re.search(r"\bSort\b", found), found


@pytest.fixture
def lists(cast):
    ann, ben, cat, dan = (cast[n] for n in ("ann", "ben", "cat", "dan"))
    connect(ann, ben)
    connect(cat, ann)
    services.follow(follower=dan, followee=ann)
    services.block(blocker=ann, blocked=cast["eve"])
    services.invite(sender=ann, recipient=dan)
    return cast


@pytest.mark.parametrize(
    ("direction", "index"),
    [("followers", "follow_followers_page"), ("following", "follow_following_page")],
)
def test_follow_list_pages_are_a_range_of_their_index(lists, direction, index):
    ann = lists["ann"]
    rows = queries.follow_list(ann, lists["cat"], direction=direction)
    (sql,) = _page_sql(
        "accounts_user", lambda: keyset_page(rows, "follow_id", limit=40, max_id=10**6)
    )
    _assert_ranged_by(index, sql)


@pytest.mark.parametrize(
    ("direction", "index"),
    [("followers", "follow_followers_page"), ("following", "follow_following_page")],
)
def test_s5_follow_page_another_member_reads_is_a_range_of_their_index(lists, direction, index):
    (sql,) = _page_sql(
        "network_follow",
        lambda: queries.follow_page(
            lists["ann"], lists["cat"], direction=direction, limit=40, max_id=10**6
        ),
    )
    _assert_ranged_by(index, sql)


def test_connection_pages_are_two_ranges_of_their_indexes(lists):
    ann = lists["ann"]
    sql = _page_sql(
        "network_connection",
        lambda: queries.connection_page(ann, ann, limit=40, max_id=10**6),
    )
    assert len(sql) == 2
    _assert_ranged_by("connection_a_page", sql[0])
    _assert_ranged_by("connection_b_page", sql[1])


@pytest.mark.parametrize(
    ("rows", "index"),
    [
        (lambda m: queries.received_invitations(m), "invitation_received_page"),
        (lambda m: queries.sent_invitations(m), "invitation_sent_page"),
        (lambda m: queries.blocked_members(m), "block_list_page"),
    ],
)
def test_invitation_and_block_pages_are_a_range_of_their_index(lists, rows, index):
    member = lists["ann"]
    table = "network_block" if "block" in index else "network_invitation"
    (sql,) = _page_sql(table, lambda: keyset_page(rows(member), "id", limit=40, max_id=10**6))
    _assert_ranged_by(index, sql)


# --- Never skip or repeat while the list changes ------------------------------------------


def _walk(caller, path, changes):
    """Pages of 3 through the Link header's `next`, applying one change between pages."""
    seen, url = [], f"{path}?limit=3"
    while url:
        response = caller.get(url.removeprefix("http://testserver/api/v1"))
        assert response.status_code == 200, response.content
        seen += [int(a["id"]) for a in response.json()]
        if changes:
            changes.pop(0)()
        found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
        url = found.group(1) if found else None
    return seen


def test_follower_pages_never_skip_or_repeat_while_follows_come_and_go(cast):
    leader = make_member(handle="leader")
    fans = [make_member(handle=f"fan{i}") for i in range(10)]
    for fan in fans:
        services.follow(follower=fan, followee=leader)
    late = [make_member(handle=f"late{i}") for i in range(3)]
    gone = {fans[1].pk, fans[8].pk}
    changes = [
        lambda: services.follow(follower=late[0], followee=leader),  # newer: on no later page
        lambda: services.unfollow(follower=fans[1], followee=leader),  # not shown yet: goes
        lambda: services.follow(follower=late[1], followee=leader),
        lambda: services.unfollow(follower=fans[8], followee=leader),  # shown already
    ]
    seen = _walk(Caller(cast["ann"]), f"/accounts/{leader.pk}/followers", changes)
    assert len(seen) == len(set(seen))  # nobody twice
    assert {f.pk for f in fans} - gone <= set(seen)  # nobody who stayed is skipped
    assert not set(seen) & {m.pk for m in late}  # newer follows are above the first page
    assert fans[1].pk not in seen


def test_connection_pages_never_skip_or_repeat_while_connections_come_and_go(cast):
    hub = cast["ann"]
    spokes = [make_member(handle=f"spoke{i}") for i in range(9)]
    for i, spoke in enumerate(spokes):  # both sides of the stored pair (member_a < member_b)
        connect(spoke, hub) if i % 2 else connect(hub, spoke)
    late = make_member(handle="late")
    changes = [
        lambda: connect(hub, late),
        lambda: services.disconnect(by=hub, member=spokes[0]),  # the oldest: not shown yet
    ]
    seen = _walk(Caller(hub), f"/accounts/{hub.pk}/connections", changes)
    assert len(seen) == len(set(seen))
    assert {s.pk for s in spokes[1:]} <= set(seen)
    assert late.pk not in seen and spokes[0].pk not in seen
    newer = Caller(hub).get(f"/accounts/{hub.pk}/connections?min_id=0&limit=80").json()
    assert {int(a["id"]) for a in newer} == {s.pk for s in spokes[1:]} | {late.pk}


# --- Query counts don't grow with the list ------------------------------------------------


@pytest.mark.parametrize("path", ["followers", "following", "connections", "mutual_connections"])
def test_list_endpoints_cost_the_same_queries_for_3_or_30_members(
    cast, path, django_assert_max_num_queries
):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)  # so ben's whole connection list is ann's to see (S5)
    caller = Caller(ann)

    def grow(n):
        for i in range(n):
            friend = make_member(handle=f"{path}{n}_{i}")
            connect(friend, ben)
            connect(friend, ann)

    grow(3)
    caller.get(f"/accounts/{ben.pk}/{path}")  # warm the token and the graph index
    with CaptureQueriesContext(connection) as few:
        assert len(caller.get(f"/accounts/{ben.pk}/{path}").json()) >= 3
    grow(27)
    with django_assert_max_num_queries(len(few)):
        assert len(caller.get(f"/accounts/{ben.pk}/{path}").json()) >= 30


# --- The web: "Load more" by keyset ------------------------------------------------------


def test_my_followers_load_more_pages_by_keyset(cast, monkeypatch):
    from web.network import views

    monkeypatch.setattr(views, "LIST_PAGE", 2)
    ann = cast["ann"]
    for name in ("ben", "cat", "dan"):
        services.follow(follower=cast[name], followee=ann)
    client = Client()
    client.force_login(ann)
    first = client.get("/mynetwork/followers/").content.decode()
    assert "/in/dan/" in first and "/in/cat/" in first and "/in/ben/" not in first
    more = re.search(r'href="\?max_id=(\d+)"', first)
    assert more and "Load more" in first
    second = client.get(f"/mynetwork/followers/?max_id={more.group(1)}").content.decode()
    assert "/in/ben/" in second and "/in/cat/" not in second and "Load more" not in second


def test_member_connections_load_more_pages_by_keyset(cast, monkeypatch):
    from web.network import views

    monkeypatch.setattr(views, "LIST_PAGE", 2)
    ann = cast["ann"]
    for name in ("ben", "cat", "dan"):
        connect(ann, cast[name])
    client = Client()
    client.force_login(ann)
    first = client.get("/in/ann/connections/").content.decode()
    more = re.search(r'href="\?max_id=(\d+)"', first)
    assert more and "/in/dan/" in first and "/in/ben/" not in first
    second = client.get(f"/in/ann/connections/?max_id={more.group(1)}").content.decode()
    assert "/in/ben/" in second and "/in/dan/" not in second
