"""Every list on the web pages by keyset as the API does (issue 10): My Network's connections
(by date and by name), mutual connections, invitations received and sent, and blocks each
show "Show more"/"Load more" for the next page; pages never skip or repeat a member while the
list changes under them (a property, over random changes between pages); S5 and B1 hold on
every list and count; a page's query count does not grow with the list."""

import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schemas.accounts import Account, account_entities
from core.paging import keyset_page
from network import queries, services
from network.models import Invitation
from tests.factories import make_member
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db

_handles = itertools.count()


def _fresh(prefix: str):
    return make_member(handle=f"{prefix}{next(_handles)}")


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _handles_on(html: str) -> list[str]:
    return re.findall(r'<a href="/in/([^/"]+)/">', html)


def _more_link(html: str) -> str | None:
    found = re.search(r'<li class="load-more"><a href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client, path: str, changes=()) -> list[str]:
    """Every page through its "Show more" link, one change applied between pages."""
    changes, seen, url = list(changes), [], path
    while url:
        html = client.get(url).content.decode()
        seen += _handles_on(html)
        if changes:
            changes.pop(0)()
        url = _more_link(html)
        if url and url.startswith("?"):
            url = path.split("?")[0] + url
    return seen


@pytest.fixture
def small_pages(monkeypatch):
    from web.network import views

    monkeypatch.setattr(views, "LIST_PAGE", 2)
    monkeypatch.setattr(views, "INVITATIONS_PAGE", 2)


# --- Keyset pages on the web never skip or repeat while the list changes -------------------


@pytest.mark.parametrize("sort", ["recent", "name"])
def test_my_connections_show_more_never_skips_or_repeats_while_connections_change(
    cast, small_pages, sort
):
    ann = cast["ann"]
    pals = [make_member(handle=f"pal{i}", display_name=f"Pal {i}") for i in range(7)]
    for pal in pals:
        connect(ann, pal)
    late = make_member(handle="late", display_name="Pal 9")  # newest, and last by name
    changes = [
        lambda: connect(ann, late),
        lambda: services.disconnect(by=ann, member=pals[0]),  # oldest, first by name
    ]
    seen = _walk(signed_in(ann), f"/mynetwork/connections/?sort={sort}", changes)
    people = [h for h in seen if h.startswith(("pal", "late"))]
    assert len(people) == len(set(people))  # nobody twice
    assert {p.username for p in pals[1:]} <= set(people)  # nobody who stayed is skipped
    if sort == "recent":
        assert "late" not in people  # newer than the first page: above it, not below
        assert people[:2] == ["pal6", "pal5"]
    else:
        assert people[:2] in (["pal0", "pal1"], ["pal1", "pal2"])


def test_my_connections_show_more_keeps_the_search(cast, small_pages):
    ann = cast["ann"]
    for i in range(5):
        connect(ann, make_member(handle=f"kim{i}", display_name=f"Kim {i}"))
    connect(ann, make_member(handle="other", display_name="Other"))
    seen = _walk(signed_in(ann), "/mynetwork/connections/?q=kim")
    people = [h for h in seen if h.startswith(("kim", "other"))]
    assert sorted(people) == [f"kim{i}" for i in range(5)]


def test_my_connections_show_more_under_htmx_answers_the_rows(cast, small_pages):
    ann = cast["ann"]
    for name in ("ben", "cat", "dan"):
        connect(ann, cast[name])
    client = signed_in(ann)
    first = client.get("/mynetwork/connections/").content.decode()
    more = _more_link(first)
    assert more and "Show more" in first
    assert 'hx-select="#connection-list .people > li"' in first
    rows = client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert _handles_on(rows) == ["ben"] and "<html" not in rows


def test_d2_mutual_connections_load_more_pages_by_keyset(cast, small_pages):
    ann, ben = cast["ann"], cast["ben"]
    shared = [make_member(handle=f"both{i}") for i in range(5)]
    for person in shared:
        connect(ann, person)
        connect(ben, person)
    seen = _walk(signed_in(ann), "/in/ben/mutual/")
    people = [h for h in seen if h.startswith("both")]
    assert people == [p.username for p in sorted(shared, key=lambda m: -m.pk)]


@pytest.mark.parametrize("direction", ["received", "sent"])
def test_n3_invitations_show_more_pages_by_keyset_and_leaves_ignored_ones_out(
    cast, small_pages, direction
):
    ann = cast["ann"]
    others = [make_member(handle=f"inv{i}") for i in range(5)]
    for other in others:
        if direction == "received":
            services.invite(sender=other, recipient=ann)
        else:
            services.invite(sender=ann, recipient=other)
    ignored = Invitation.objects.filter(sender=others[2], recipient=ann).first()
    if ignored:
        services.ignore(invitation_id=ignored.pk, by=ann)
    client = signed_in(ann)
    home = client.get("/mynetwork/").content.decode()
    section = home.split(f'id="{direction}-list"')[1].split("</ul>")[0]
    assert len(_handles_on(section)) == 2 and "Show more" in section
    more = _more_link(section)
    assert more.startswith(f"/mynetwork/invitations/{direction}/?max_id=")
    seen = _handles_on(section) + [h for h in _walk(client, more) if h.startswith("inv")]
    expected = [o.username for o in reversed(others)]
    if direction == "received":
        expected.remove("inv2")  # N3: ignored, gone from the recipient's list
    assert seen == expected


def test_b2_blocks_load_more_pages_by_keyset(cast, small_pages):
    ann = cast["ann"]
    for name in ("ben", "cat", "dan"):
        services.block(blocker=ann, blocked=cast[name])
    client = signed_in(ann)
    first = client.get("/settings/blocks/").content.decode()
    assert "@dan" in first and "@cat" in first and "@ben" not in first
    more = _more_link(first)
    second = client.get(f"/settings/blocks/{more}").content.decode()
    assert "@ben" in second and "@cat" not in second and "Load more" not in second


# --- The property: any changes between pages, no skip, no repeat ---------------------------


CHANGES = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 30)), max_size=6)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(size=st.integers(0, 9), limit=st.integers(1, 4), changes=CHANGES)
def test_keyset_pages_never_skip_or_repeat_whatever_changes_between_them(db, size, limit, changes):
    """Followers and connections of one member, paged by `max_id` as the API and the web do,
    while follows and connections come and go between pages: nobody is shown twice, and
    everybody on the list from the first page to the last is shown."""
    hub = _fresh("hub")
    fans = [_fresh("fan") for _ in range(size)]
    pals = [_fresh("pal") for _ in range(size)]
    for fan in fans:
        services.follow(follower=fan, followee=hub)
    for i, pal in enumerate(pals):  # both sides of the stored pair
        connect(pal, hub) if i % 2 else connect(hub, pal)
    removed: set[int] = set()

    def change(kind: str, which: int) -> None:
        if kind == "add":  # newer than every page shown: above them, never on a later one
            services.follow(follower=_fresh("late"), followee=hub)
            connect(hub, _fresh("latepal"))
            return
        if fans:
            fan = fans[which % len(fans)]
            services.unfollow(follower=fan, followee=hub)
            removed.add(fan.pk)
        if pals:
            pal = pals[which % len(pals)]
            services.disconnect(by=hub, member=pal)  # the connection and both follows
            removed.add(pal.pk)

    def follower_page(max_id):
        rows = queries.follow_list(hub, hub, direction="followers").values_list("follow_id", "pk")
        return keyset_page(rows, "follow_id", limit=limit, max_id=max_id)

    def connection_page(max_id):
        page, _ = queries.connection_page(hub, hub, limit=limit, max_id=max_id)
        return [(key, member) for key, member, _ in page]

    # A connection is a follow both ways (N8): pals are followers too.
    for read, stayed in ((follower_page, fans + pals), (connection_page, pals)):
        pending, seen, max_id = list(changes), [], None
        while True:
            page = read(max_id)
            seen += [member for _, member in page]
            if len(page) < limit:
                break
            max_id = page[-1][0]
            if pending:
                change(*pending.pop(0))
        assert len(seen) == len(set(seen))
        assert {m.pk for m in stayed} - removed <= set(seen)


# --- S5 and B1 on the web's lists and counts ---------------------------------------------


def test_s5_b1_member_connections_and_mutuals_never_show_a_member_who_blocked_the_viewer(
    cast, small_pages
):
    ann, ben, eve = cast["ann"], cast["ben"], cast["eve"]
    connect(ann, ben)
    shared = [make_member(handle=f"both{i}") for i in range(3)]
    for person in shared:
        connect(ann, person)
        connect(ben, person)
    connect(ben, eve)
    connect(ann, eve)
    services.block(blocker=eve, blocked=ann)  # ends eve's connection with ann only
    client = signed_in(ann)
    listed = _walk(client, "/in/ben/connections/")
    mutual = _walk(client, "/in/ben/mutual/")
    assert "eve" not in listed and "eve" not in mutual  # B1, across every page
    assert {p.username for p in shared} <= set(listed) & set(mutual)
    page = client.get("/in/ben/mutual/").content.decode()
    assert "3 mutual connections" in page  # D4: the count leaves eve out too


def test_s5_only_me_list_shows_others_only_shared_connections_on_every_page(cast, small_pages):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    shared = [make_member(handle=f"both{i}") for i in range(3)]
    for person in shared:
        connect(ann, person)
        connect(ben, person)
    connect(ben, cat)  # not ann's: hidden from her under only_me
    set_profile(ben, connections_visible_to="only_me")
    page = signed_in(ann).get("/in/ben/connections/").content.decode()
    assert "Connections you share with Ben" in page
    listed = _walk(signed_in(ann), "/in/ben/connections/")
    assert set(listed) >= {p.username for p in shared} and "cat" not in listed
    # The counts never tell what the list hides: 0 to others, the real ones to ben.
    (seen_by_ann,) = account_entities([ben], viewer=ann)
    (own,) = account_entities([ben], viewer=ben)
    assert seen_by_ann["connections_count"] == seen_by_ann["followers_count"] == 0
    assert own["connections_count"] == 5


# --- Query counts that don't grow with the list -----------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/mynetwork/connections/",
        "/mynetwork/connections/?sort=name",
        "/in/ben/mutual/",
        "/mynetwork/invitations/received/",
        "/settings/blocks/",
    ],
)
def test_web_list_pages_cost_the_same_queries_for_3_or_30_rows(cast, path):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    client = signed_in(ann)

    def grow(n):
        for _ in range(n):
            other = _fresh("row")
            connect(other, ben)
            connect(other, ann)
            services.invite(sender=_fresh("asker"), recipient=ann)
            services.block(blocker=ann, blocked=_fresh("blocked"))

    grow(3)
    client.get(path)  # warm the graph index
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    grow(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# --- The entity is the declared schema (the lists send it without ninja's validation) -----


def test_account_entities_match_the_declared_account_schema(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    services.block(blocker=ann, blocked=cat)
    for viewer, blocked_as_card in ((ann, True), (None, False), (ben, False)):
        for entity in account_entities(
            [ann, ben, cat], viewer=viewer, blocked_as_card=blocked_as_card
        ):
            assert Account.model_validate(entity).model_dump(mode="json") == entity
