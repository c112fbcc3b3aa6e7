"""The network's pages: profile actions, invite dialog, My Network, blocks and reports."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from core.i18n import moment
from membership.services import recount
from network import services
from network.models import Connection, Follow, Invitation, Report
from tests.factories import make_member
from tests.html import attribute, one, select, text
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def action(client, member, name, **data):
    return client.post(f"/in/{member.username}/network/{name}/", data)


def test_s2_connect_is_primary_by_default(cast):
    page = signed_in(cast["ann"]).get("/in/ben/").content.decode()
    actions = one(page, "div#network-actions")
    assert text(one(actions, "details.invite-dialog")).startswith("Connect")
    assert 'maxlength="300"' in page and "0 / 300" in page
    more = one(actions, "details.more-menu")
    assert text(one(more, "summary")) == "More"
    assert [text(b) for b in select(more, "button")] == ["Follow", "Block"]
    (report,) = [a for a in select(more, "a") if text(a) == "Report"]
    assert attribute(report, "href") == "/in/ben/report/"


def test_s2_follow_first_member_shows_follow_primary(cast):
    set_profile(cast["ben"], primary_action="follow")
    page = signed_in(cast["ann"]).get("/in/ben/").content.decode()
    assert '<button type="submit" class="button">Follow</button>' in page
    assert 'href="/in/ben/connect/"' in page  # Connect under More


def test_n1_invite_from_the_profile_with_note_and_reason(cast):
    client = signed_in(cast["ann"])
    response = action(client, cast["ben"], "connect", note="Hello Ben", reason="met")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.note, invitation.reason) == ("Hello Ben", "met")
    page = client.get("/in/ben/").content.decode()
    assert "Pending · Withdraw" in page


def test_n1_refusal_is_shown_in_the_htmx_fragment(cast):
    client = signed_in(cast["ann"])
    response = client.post("/in/ben/network/connect/", {"note": "x" * 301}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert services.NOTE_TOO_LONG.format(max=300) in response.content.decode()
    assert not Invitation.objects.exists()


def test_n1_a_refused_invitation_keeps_the_typed_note_reason_and_email(cast):
    """S4 refuses a wrong address; the member corrects it without typing the note again."""
    set_profile(cast["ben"], invitations_from="email")
    client = signed_in(cast["ann"])
    typed = {"note": "Hello Ben, we met at PyCon", "reason": "met", "email": "ben@example.org"}
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):  # the dialog (htmx), the page without JS
        response = client.post("/in/ben/network/connect/", typed, **headers)
        page = response.content.decode()
        assert response.status_code == (200 if headers else 400)
        assert escape(str(services.INVITE_NEEDS_EMAIL)) in page
        assert ">Hello Ben, we met at PyCon</textarea>" in page
        assert f"{len(typed['note'])} / 300" in page
        assert '<option value="met" selected>' in page
        assert 'value="ben@example.org"' in page
    assert not Invitation.objects.exists()


def test_s4_email_field_shown_when_required(cast):
    set_profile(cast["ben"], invitations_from="email")
    page = signed_in(cast["ann"]).get("/in/ben/").content.decode()
    assert 'name="email"' in page
    assert 'name="email"' not in signed_in(cast["ann"]).get("/in/cat/").content.decode()


def test_n3_my_network_received_invitation_actions(cast):
    first = services.invite(sender=cast["ann"], recipient=cast["ben"], note="Hi there")
    services.invite(sender=cast["cat"], recipient=cast["ben"])
    client = signed_in(cast["ben"])
    page = client.get("/mynetwork/").content.decode()
    assert "Hi there" in page and "know this person" in page
    client.post(f"/mynetwork/invitations/{first.pk}/accept/")
    assert Connection.objects.count() == 1
    page = client.get("/mynetwork/").content.decode()
    assert "Hi there" not in page and "Connections (1)" in page


def test_n8_accepting_under_htmx_updates_the_tab_and_heading_counts_out_of_band(cast):
    first = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.invite(sender=cast["cat"], recipient=cast["ben"])
    services.invite(sender=cast["ben"], recipient=cast["dan"])
    client = signed_in(cast["ben"])
    page = client.get("/mynetwork/").content.decode()
    assert "Invitations (2)" in page and "Connections (0)" in page
    response = client.post(f"/mynetwork/invitations/{first.pk}/accept/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "You are now connected with" in fragment
    tabs = re.search(r'<nav [^>]*id="network-tabs"[^>]*>.*?</nav>', fragment, re.S).group(0)
    assert 'hx-swap-oob="true"' in tabs
    assert "Invitations (1)" in tabs and "Connections (1)" in tabs
    assert "Followers (1)" in tabs and "Following (1)" in tabs  # N8: each follows the other
    assert '<span id="received-count" hx-swap-oob="true">1</span>' in fragment
    assert '<span id="sent-count" hx-swap-oob="true">1</span>' in fragment
    page = client.get("/mynetwork/").content.decode()  # the ids the swap aims at are there
    assert '<nav class="network-tabs" id="network-tabs"' in page
    assert '<span id="received-count">1</span>' in page
    assert '<span id="sent-count">1</span>' in page


def test_n3_ignored_invitations_leave_my_network(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    client = signed_in(cast["ben"])
    response = client.post(
        f"/mynetwork/invitations/{invitation.pk}/ignore/", HTTP_HX_REQUEST="true"
    )
    assert "Invitation ignored." in response.content.decode()
    assert "/in/ann/" not in client.get("/mynetwork/").content.decode()
    assert "/in/ben/" in signed_in(cast["ann"]).get("/mynetwork/").content.decode()


def test_n4_withdraw_from_sent(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    client = signed_in(cast["ann"])
    client.post(f"/mynetwork/invitations/{invitation.pk}/withdraw/")
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    response = action(client, cast["ben"], "connect")
    assert response.status_code == 400  # the invite form again, saying why
    until = invitation.answered_at + timedelta(days=21)
    assert (
        escape(services.WITHDRAWN_REINVITE.format(until=moment(until))) in response.content.decode()
    )


def test_d1_d2_d3_profile_shows_badge_mutuals_and_paths(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    page = signed_in(ann).get("/in/cat/").content.decode()
    assert "· 2nd" in page
    assert "1 mutual connection" in page and "/in/cat/mutual/" in page
    assert "How you're connected" in page and "Ben" in page
    mutual_page = signed_in(ann).get("/in/cat/mutual/").content.decode()
    assert "/in/ben/" in mutual_page and "· 1st" in mutual_page


def test_d3_hidden_step_reads_a_connection_of(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    set_profile(ben, connections_visible_to="only_me")
    page = signed_in(ann).get("/in/dan/").content.decode()
    assert "a connection of Ben" in page
    assert "/in/cat/" not in page


def test_n9_remove_connection_from_my_network(cast):
    connect(cast["ann"], cast["ben"])
    client = signed_in(cast["ann"])
    page = client.get("/mynetwork/connections/").content.decode()
    assert "/in/ben/" in page and "· 1st" in page
    action(client, cast["ben"], "disconnect")
    assert not Connection.objects.exists() and not Follow.objects.exists()


def test_my_network_search_and_sort(cast):
    for name in ("ben", "cat", "dan"):
        connect(cast["ann"], cast[name])
    client = signed_in(cast["ann"])
    recent = client.get("/mynetwork/connections/").content.decode()
    assert recent.index("/in/dan/") < recent.index("/in/ben/")
    by_name = client.get("/mynetwork/connections/", {"sort": "name"}).content.decode()
    assert by_name.index("/in/ben/") < by_name.index("/in/dan/")
    found = client.get("/mynetwork/connections/", {"q": "ca"}).content.decode()
    assert "/in/cat/" in found and "/in/ben/" not in found


def test_my_network_sorted_by_name_orders_by_display_name_then_handle(cast):
    """Sort by "Name": display name first, the handle between equal names; neither the
    order of joining, of connecting, nor of handles."""
    ann = cast["ann"]
    people = [
        make_member(handle="mia", display_name="Mia Lund"),
        make_member(handle="abe", display_name="Zoe Abe"),
        make_member(handle="zed", display_name="Aaron Zed"),
        make_member(handle="kai", display_name="Mia Lund"),
    ]
    for person in people:
        connect(ann, person)
    page = signed_in(ann).get("/mynetwork/connections/", {"sort": "name"}).content.decode()
    handles = [
        h for h in re.findall(r'href="/in/([^/"]+)/"', page) if h in {"mia", "abe", "zed", "kai"}
    ]
    assert list(dict.fromkeys(handles)) == ["zed", "kai", "mia", "abe"]
    assert '<option value="name" selected>' in page


def test_f1_follow_button_turns_to_following(cast):
    set_profile(cast["ben"], primary_action="follow")
    client = signed_in(cast["ann"])
    response = client.post("/in/ben/network/follow/", HTTP_HX_REQUEST="true")
    fragment = one(response.content.decode(), "div#network-actions")
    primary = [b for b in select(fragment, "button") if attribute(b, "aria-pressed") == "true"]
    assert [text(b) for b in primary] == ["Following"]
    assert Follow.objects.filter(follower=cast["ann"], followee=cast["ben"]).exists()
    page = client.get("/mynetwork/following/").content.decode()
    assert "/in/ben/" in page
    assert "/in/ann/" in signed_in(cast["ben"]).get("/mynetwork/followers/").content.decode()


def test_b1_blocked_profile_is_404_both_ways(cast):
    client = signed_in(cast["ann"])
    response = action(client, cast["ben"], "block")
    assert response.status_code == 302 and response["Location"] == "/settings/blocks/"
    assert client.get("/in/ben/").status_code == 404
    assert signed_in(cast["ben"]).get("/in/ann/").status_code == 404
    assert "Ben" in client.get("/settings/blocks/").content.decode()


@pytest.mark.parametrize("blocker", ["ann", "ben"])
def test_b1_every_page_and_action_about_a_member_across_a_block_is_404(cast, blocker):
    """One read (network.queries.visible_member) and one handler (web.errors) for all of them:
    the profile panels are never built for a member blocked either way."""
    other = "ben" if blocker == "ann" else "ann"
    services.block(blocker=cast[blocker], blocked=cast[other])
    client = signed_in(cast["ann"])
    pages = ("/in/ben/", "/in/ben/connect/", "/in/ben/connections/", "/in/ben/mutual/")
    for path in (*pages, "/in/ben/activity/"):
        assert client.get(path).status_code == 404, path
    for name in ("connect", "follow", "withdraw", "disconnect", "remove_follower"):
        assert action(client, cast["ben"], name).status_code == 404, name
    assert not Invitation.objects.exists() and not Follow.objects.exists()


def test_b2_unblock_page_and_48_hour_message(cast, frozen_now):
    services.block(blocker=cast["ann"], blocked=cast["ben"])
    client = signed_in(cast["ann"])
    assert "48 hours" in client.get("/settings/blocks/").content.decode()
    client.post("/in/ben/network/unblock/", {"next": "/settings/blocks/"})
    response = action(client, cast["ben"], "block")
    messages = [m.message for m in response.wsgi_request._messages]
    assert any(m.startswith(services.REBLOCK_TOO_SOON.split("{")[0]) for m in messages)


def test_b3_report_form_lands_in_moderation_queue(cast, admin_client):
    client = signed_in(cast["ann"])
    assert client.get("/in/ben/report/").status_code == 200
    client.post("/in/ben/report/", {"reason": "fake", "comment": "not a real person"})
    report = Report.objects.get()
    assert report.member == cast["ben"] and report.reason == "fake"
    queue = admin_client.get("/admin/network/report/?state=open").content.decode()
    (row,) = select(one(queue, "table#result_list"), "tbody")[0].children
    cells = [text(cell) for cell in row.children]
    assert cells[2:6] == ["@ann", "@ben", "Member", "Fake profile"]  # reporter, member, kind
    detail = admin_client.get(f"/admin/network/report/{report.pk}/change/").content.decode()
    assert "not a real person" in text(one(detail, "div.field-comment"))  # the comment, read
    admin_client.post(
        "/admin/network/report/",
        {"action": "mark_resolved", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.resolved_at is not None
    queue = admin_client.get("/admin/network/report/?state=open").content.decode()
    assert not select(queue, "table#result_list")  # the open queue is empty again


def test_profile_shows_the_follower_count_beside_the_connection_count(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)  # N8: ann follows ben
    services.follow(follower=cast["cat"], followee=ben)
    page = signed_in(ann).get("/in/ben/").content.decode()
    assert ">1 connection</a> · 2 followers</p>" in page
    assert "0 connections</a> · 0 followers</p>" in signed_in(ben).get("/in/cat/").content.decode()


def test_s5_a_hidden_list_shows_no_count_to_others_and_the_owner_sees_their_own(cast):
    """S5 `only_me`: followers and following are empty for others and connections cut to
    the shared ones, so no number says how many there are; the owner sees theirs."""
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    set_profile(ben, connections_visible_to="only_me")
    page = signed_in(cast["cat"]).get("/in/ben/").content.decode()
    assert "Followers and connections are hidden" in page
    assert "1 connection" not in page and "1 follower" not in page
    own = signed_in(ben).get("/in/ben/").content.decode()
    assert '<a href="/mynetwork/connections/">1 connection</a>' in own
    assert '<a href="/mynetwork/followers/">1 follower</a>' in own


def test_s5_member_connections_page_shows_only_shared(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ben, cat)
    connect(ben, dan)
    connect(ann, cat)
    page = signed_in(ann).get("/in/ben/connections/").content.decode()
    assert "Connections you share" in page
    assert "/in/cat/" in page and "/in/dan/" not in page


# --- Query counts -----------------------------------------------------------------------


def _panel_queries(viewer, member, rf, django_assert_num_queries, expected):
    from django.template.loader import render_to_string

    from network.loader import current_index
    from web.network.panels import profile_panels

    current_index()  # loaded once per process; every later request replays events only
    member = type(member).objects.select_related("profile").get(pk=member.pk)  # as a request
    request = rf.get(f"/in/{member.username}/")
    request.user = viewer
    with django_assert_num_queries(expected):
        context = {"member": member, **profile_panels(request, member)}
        html = render_to_string("web/network/_profile_actions.html", context, request=request)
        html += render_to_string("web/network/_profile_network.html", context, request=request)
    return html


def test_profile_panels_query_count_is_pinned(cast, rf, django_assert_num_queries):
    """Blocks and the index's event replay once per request (Viewpoint), then one query
    for follows, connections and invitations together, one for the members the mutual faces
    and the paths name (one read), the kept counts, and the Message button's route
    (messaging.queries.can_message: conversations, current companies and, for a stranger,
    spent InMail credits)."""
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, cast["cat"])
    connect(cast["cat"], ben)
    few = _panel_queries(ann, ben, rf, django_assert_num_queries, 8)
    assert "1 mutual connection" in few
    for i in range(30):
        friend = make_member(handle=f"friend{i}")
        connect(ann, friend)
        connect(friend, ben)
    many = _panel_queries(ann, ben, rf, django_assert_num_queries, 8)
    assert "31 mutual connections" in many


def test_d1_d2_d3_profile_page_costs_the_same_queries_for_1_or_31_mutuals(
    cast, django_assert_num_queries
):
    """The whole profile page, pinned: 31 mutual connections cost what 1 does."""
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, cast["cat"])
    connect(cast["cat"], ben)
    client = signed_in(ann)
    client.get("/in/ben/")  # warm the graph index and the session
    with django_assert_num_queries(PROFILE_PAGE_QUERIES):
        assert "1 mutual connection" in client.get("/in/ben/").content.decode()
    for i in range(30):
        friend = make_member(handle=f"friend{i}")
        connect(ann, friend)
        connect(friend, ben)
    with django_assert_num_queries(PROFILE_PAGE_QUERIES):
        assert "31 mutual connections" in client.get("/in/ben/").content.decode()


# 14 before the follower count (one COUNT on the follow table); 16 with the member's
# language; 18 with the Message button's route (messaging.queries.can_message, +2); 21 with
# A1–A4's private panel (issue 15: connected or followed, the note, the tags, the tie, the
# 90 days' counts, the connection's words, the cadence; the rest shared with the page).
# Issue 18, one read per fact (by degree, before → after: own 10 → 9, 1st 27 → 15, 2nd
# 21 → 16, 3rd 20 → 16): the kept counts with the member; the private panel from the page's
# Relationship (connected, following, blocks, the Connection row read with it) and one tie
# row for strength and cadence, the tags in one statement, the 90 days' counts only after a
# recent interaction; mutual faces and path names in one read; M5's current pages only when
# a route gets that far, and the Message button's route only when the template shows it
# (never for a connection, whose button needs none). Issue 18, per-request CPU: the
# member's language is read with the session's member (accounts.queries.signed_in_member),
# -1 on every signed-in page. Issue 10: the Relationship's follows, connection row and
# invitations in one statement (-2 on another member's profile). Own 9 → 8, 1st 15 → 12,
# 2nd 16 → 13, 3rd 16 → 13.
PROFILE_PAGE_QUERIES = 13
PROFILE_PAGE_QUERIES_OWN = 8


def test_my_network_with_200_connections_query_count_is_pinned(cast, django_assert_num_queries):
    from accounts.models import User
    from network.models import Follow as FollowModel

    ann = cast["ann"]
    people = [make_member(handle=f"pal{i}") for i in range(200)]
    now = ann.date_joined
    # Bulk rows instead of 200 invitations and acceptances (400 service calls): what is
    # measured is the pages' queries, and the graph index reads the connection table itself.
    # Followers only one way, as the follower list needs; a state the services never make.
    Connection.objects.bulk_create(
        Connection(member_a_id=min(ann.pk, p.pk), member_b_id=max(ann.pk, p.pk), created_at=now)
        for p in people
    )
    FollowModel.objects.bulk_create(
        FollowModel(follower=p, followee=ann, created_at=now) for p in people
    )
    recount()  # after a bulk load, as the seeders do
    client = signed_in(ann)
    client.get("/mynetwork/connections/")
    counts = {}
    # Issue 18: the language read with the session's member (-1 on every tab).
    # session + member + language, then each page's own: the kept counts (1) and the two
    # invitation counts, the Viewpoint (2), the list; My Network adds People you may know (6:
    # dismissals, invitations, S5's list settings of the connections, the member's facets,
    # the suggested members, the mutuals' names). The followers page pages by keyset, so
    # it has no COUNT for a paginator; so does the connections page, whose list is two index
    # ranges of the connection table and the members shown (issue 10: keyset, "Show more").
    # Issue 15: the Catch up tab's count (A3's prompts counted in one statement, and the
    # member's location for "moved": +2 on every tab, whatever the number of connections:
    # tests/relationships/test_web.py), People you may know's closest ties (+1) and, on the
    # connection list, the member's tags (+1). Issue 14's speed work: pending invitations and
    # follows are one statement, and S5's list settings come with the blocks.
    # Issue 18: My Network's two invitation counts are its lists' lengths when the first
    # page holds the whole list (-2); the language read with the session's member (-1).
    pinned = {"/mynetwork/": 12, "/mynetwork/connections/": 13, "/mynetwork/followers/": 10}
    for path, expected in pinned.items():
        with django_assert_num_queries(expected) as counted:
            response = client.get(path)
        assert response.status_code == 200
        counts[path] = len(counted)
    page = client.get("/mynetwork/connections/").content.decode()
    assert page.count("· 1st") == 100 and "Show more" in page  # a page, then the next
    assert "200 connections" in page
    assert User.objects.count() == 205
    print(f"My Network with 200 connections: {counts}")


# --- Issue 8: D3 naming and B1 side doors on the web -------------------------------------


@pytest.mark.parametrize("ben_setting", ["connections", "only_me"])
@pytest.mark.parametrize("cat_setting", ["connections", "only_me"])
def test_d3_profile_page_never_names_the_step_next_to_the_target(cast, ben_setting, cat_setting):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    set_profile(ben, connections_visible_to=ben_setting)
    set_profile(cat, connections_visible_to=cat_setting)
    page = signed_in(ann).get("/in/dan/").content.decode()
    assert "How you're connected" in page
    assert '<a href="/in/ben/">Ben</a>' in page and "a connection of Ben" in page
    assert "/in/cat/" not in page and "Cat" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_b1_reaccepting_after_a_block_names_nobody(cast, htmx):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.accept(invitation_id=invitation.pk, by=cast["ben"])
    services.block(blocker=cast["ann"], blocked=cast["ben"])
    client = signed_in(cast["ben"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(f"/mynetwork/invitations/{invitation.pk}/accept/", **headers)
    shown = response.content.decode() + " ".join(m.message for m in response.wsgi_request._messages)
    assert "Ann" not in shown and "/in/ann/" not in shown
    assert str(services.INVITATION_NOT_FOUND) in shown


def test_b1_b3_report_page_of_a_member_who_blocked_you_is_404(cast):
    services.block(blocker=cast["ben"], blocked=cast["ann"])
    client = signed_in(cast["ann"])
    assert client.get("/in/ben/report/").status_code == 404
    assert client.post("/in/ben/report/", {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()
    services.block(blocker=cast["ann"], blocked=cast["cat"])
    assert client.get("/in/cat/report/").status_code == 200


@pytest.mark.parametrize(
    ("degree", "expected"),
    [("own", PROFILE_PAGE_QUERIES_OWN), (1, 12), (2, PROFILE_PAGE_QUERIES), (3, 13)],
)
def test_d1_b1_a1_profile_page_query_count_is_pinned_for_each_degree(
    cast, degree, expected, django_assert_num_queries
):
    """One read per fact: blocks, the connection row and the tie once per request, the
    private panel's tags in one statement with which the member carries (A1), the mutual
    faces and the path names in one. The owner's page has no panels."""
    from relationships import services as relationships

    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    if degree == 1:
        connect(ann, ben)
        tag = relationships.create_tag(owner=ann, title="mentor")
        relationships.create_tag(owner=ann, title="client")
        relationships.tag_members(owner=ann, tag_id=tag.pk, member_ids=[ben.pk])
        relationships.set_note(owner=ann, member=ben, text="Met in Lisbon")
    elif degree == 2:
        connect(ann, cat)
        connect(cat, ben)
    elif degree == 3:
        connect(ann, cat)
        connect(cat, dan)
        connect(dan, ben)
    handle = "ann" if degree == "own" else "ben"
    client = signed_in(ann)
    client.get(f"/in/{handle}/")  # warm the graph index and the session
    with django_assert_num_queries(expected):
        page = client.get(f"/in/{handle}/").content.decode()
    if degree == 1:
        assert "Only you see this" in page and "Met in Lisbon" in page
        assert " checked> mentor</label>" in page  # the tag Ben carries, and only that one
        assert re.search(r'value="\d+"> client</label>', page)
    elif degree in (2, 3):
        assert "How you're connected" in page and "Only you see this" not in page
    else:
        assert "Edit profile" in page


@pytest.mark.parametrize("received", [2, 21])
def test_n3_my_network_counts_every_pending_invitation_whether_one_page_holds_them_or_not(
    cast, received
):
    """Issue 18: a first page shorter than a page is the whole list, so its length is the
    count; a full page (20) is counted in SQL. Ignored invitations count for neither (N3)."""
    ann = cast["ann"]
    senders = [make_member(handle=f"asker{i}") for i in range(received + 1)]
    for sender in senders:
        services.invite(sender=sender, recipient=ann)
    services.ignore(invitation_id=Invitation.objects.get(sender=senders[-1]).pk, by=ann)
    services.invite(sender=ann, recipient=cast["ben"])
    page = signed_in(ann).get("/mynetwork/").content.decode()
    assert f'<span id="received-count">{received}</span>' in page
    assert '<span id="sent-count">1</span>' in page
