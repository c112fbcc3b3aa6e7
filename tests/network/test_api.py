"""The network through the Mastodon-compatible API and its extensions."""

import pytest
from django.test import Client

from api.network import Relationship
from api.schemas import iso
from network import services
from network.models import Connection, Follow, Invitation, Report
from network.queries import CONNECTIONS_FOR_CONNECTIONS, CONNECTIONS_HIDDEN
from tests.api.factories import bearer, member_token
from tests.factories import make_member
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db


class Caller:
    def __init__(self, member):
        self.member = member
        self.client = Client()
        self.headers = bearer(member_token(member)) if member else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, data=None):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", **self.headers
        )


@pytest.fixture
def api(cast):
    return {name: Caller(member) for name, member in cast.items()}


def test_f1_follow_and_unfollow_return_the_relationship(api, cast):
    ben = cast["ben"]
    response = api["ann"].post(f"/accounts/{ben.pk}/follow")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(ben.pk) and body["following"] is True
    assert body["connected"] is False and body["degree"] is None
    assert set(body) >= {"showing_reblogs", "notifying", "requested", "endorsed", "note"}
    assert api["ann"].post(f"/accounts/{ben.pk}/unfollow").json()["following"] is False


def test_f1_s3_follow_refused_with_the_reason(api, cast):
    set_profile(cast["ben"], followers_allowed="connections")
    response = api["ann"].post(f"/accounts/{cast['ben'].pk}/follow")
    assert response.status_code == 403
    assert response.json()["error"] == services.FOLLOW_CONNECTIONS_ONLY


@pytest.mark.parametrize("direction", ["blocked_by_them", "blocked_them"])
def test_b1_follow_across_a_block_is_the_404_of_an_unknown_member(api, cast, direction):
    ann, ben = cast["ann"], cast["ben"]
    if direction == "blocked_by_them":
        services.block(blocker=ben, blocked=ann)
    else:
        services.block(blocker=ann, blocked=ben)
    response = api["ann"].post(f"/accounts/{ben.pk}/follow")
    unknown = api["ann"].post(f"/accounts/{2**31 - 7}/follow")
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()


def test_n1_n8_connect_accept_through_the_api(api, cast):
    ann, ben = cast["ann"], cast["ben"]
    sent = api["ann"].post(f"/accounts/{ben.pk}/connect", {"note": "Hi Ben", "reason": "met"})
    assert sent.status_code == 200 and sent.json()["invitation_sent"] is True
    received = api["ben"].get("/invitations", direction="received").json()
    assert [(i["account"]["id"], i["note"], i["reason"]) for i in received] == [
        (str(ann.pk), "Hi Ben", "met")
    ]
    assert api["ann"].get("/invitations", direction="sent").json()[0]["account"]["id"] == str(
        ben.pk
    )
    accepted = api["ben"].post(f"/invitations/{received[0]['id']}/accept")
    assert accepted.status_code == 200
    again = api["ben"].post(f"/invitations/{received[0]['id']}/accept")
    assert again.status_code == 200
    rel = api["ann"].get("/accounts/relationships", **{"id[]": [ben.pk]}).json()[0]
    assert rel["connected"] and rel["following"] and rel["followed_by"] and rel["degree"] == 1
    assert rel["can_message"] is True


def test_n1_long_note_is_422(api, cast):
    response = api["ann"].post(f"/accounts/{cast['ben'].pk}/connect", {"note": "x" * 301})
    assert response.status_code == 422
    assert response.json()["error"] == services.NOTE_TOO_LONG.format(max=300)


def test_n2_connect_back_connects(api, cast):
    api["ann"].post(f"/accounts/{cast['ben'].pk}/connect")
    body = api["ben"].post(f"/accounts/{cast['ann'].pk}/connect").json()
    assert body["connected"] is True and body["invitation_received"] is False
    assert Connection.objects.count() == 1


def test_n3_ignore_and_dont_know(api, cast):
    first = services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert api["ben"].post(f"/invitations/{first.pk}/ignore").status_code == 200
    assert api["ben"].get("/invitations", direction="received").json() == []
    assert len(api["ann"].get("/invitations", direction="sent").json()) == 1
    assert api["ben"].post(f"/invitations/{first.pk}/dont_know").status_code == 200
    refused = api["ann"].post(f"/accounts/{cast['ben'].pk}/connect")
    assert refused.status_code == 403
    assert refused.json()["error"] == services.DONT_KNOW_REINVITE


def test_n4_withdraw_then_reinvite_says_until(api, cast, frozen_now):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert api["ann"].post(f"/invitations/{invitation.pk}/withdraw").status_code == 200
    assert api["ben"].post(f"/invitations/{invitation.pk}/accept").status_code == 409
    refused = api["ann"].post(f"/accounts/{cast['ben'].pk}/connect")
    assert refused.status_code == 403 and refused.json()["rule"] == "N4"
    assert refused.json()["until"]


def test_n5_quota_is_429(api, cast, settings):
    settings.LINKWELL_INVITATIONS_PER_WEEK = 1
    api["ann"].post(f"/accounts/{cast['ben'].pk}/connect")
    refused = api["ann"].post(f"/accounts/{cast['cat'].pk}/connect")
    assert refused.status_code == 429 and refused.json()["rule"] == "N5"


def test_n6_s4_connect_needs_email(api, cast):
    set_profile(cast["ben"], invitations_from="email")
    path = f"/accounts/{cast['ben'].pk}/connect"
    assert api["ann"].post(path).status_code == 403
    assert api["ann"].post(path, {"email": "ben@example.com"}).status_code == 200


def test_n6_cannot_connect_to_self(api, cast):
    assert api["ann"].post(f"/accounts/{cast['ann'].pk}/connect").status_code == 422


def test_n9_disconnect(api, cast):
    connect(cast["ann"], cast["ben"])
    body = api["ann"].post(f"/accounts/{cast['ben'].pk}/disconnect").json()
    assert body["connected"] is False and body["following"] is False
    assert not Follow.objects.exists()


def test_n10_connect_to_follow_first_member_follows(api, cast):
    set_profile(cast["ben"], primary_action="follow")
    body = api["ann"].post(f"/accounts/{cast['ben'].pk}/connect").json()
    assert body["following"] is True and body["invitation_sent"] is True


def test_b1_b2_block_unblock_and_blocks_list(api, cast, frozen_now):
    ben = cast["ben"]
    connect(cast["ann"], ben)
    body = api["ann"].post(f"/accounts/{ben.pk}/block").json()
    assert body["blocking"] is True and body["connected"] is False
    assert [a["id"] for a in api["ann"].get("/blocks").json()] == [str(ben.pk)]
    assert api["ann"].post(f"/accounts/{ben.pk}/unblock").json()["blocking"] is False
    refused = api["ann"].post(f"/accounts/{ben.pk}/block")
    assert refused.status_code == 400 and refused.json()["rule"] == "B2"


def test_b3_report_through_mastodon_api(api, cast):
    response = api["ann"].post(
        "/reports", {"account_id": str(cast["ben"].pk), "category": "spam", "comment": "bot"}
    )
    assert response.status_code == 200
    assert response.json()["target_account"]["id"] == str(cast["ben"].pk)
    assert Report.objects.get().reason == "spam"


def test_followers_paging_with_link_header(api, cast):
    ann = cast["ann"]
    fans = [make_member(handle=f"fan{i}") for i in range(5)]
    for fan in fans:
        services.follow(follower=fan, followee=ann)
    first = api["ben"].get(f"/accounts/{ann.pk}/followers", limit=2)
    assert [a["id"] for a in first.json()] == [str(fans[4].pk), str(fans[3].pk)]
    assert 'rel="next"' in first["Link"] and 'rel="prev"' in first["Link"]
    next_url = first["Link"].split(">;")[0].lstrip("<")
    second = Client().get(next_url, **api["ben"].headers)
    assert [a["id"] for a in second.json()] == [str(fans[2].pk), str(fans[1].pk)]
    assert [a["id"] for a in api["ben"].get(f"/accounts/{fans[0].pk}/following").json()] == [
        str(ann.pk)
    ]


def test_f2_a_min_id_page_of_followers_is_the_nearest_newer_ones_newest_first(api, cast):
    ann = cast["ann"]
    fans = [make_member(handle=f"fan{i}") for i in range(5)]
    for fan in fans:
        services.follow(follower=fan, followee=ann)
    # the follows' own ids are the keys Mastodon clients page by
    keys = list(Follow.objects.filter(followee=ann).order_by("pk").values_list("pk", flat=True))
    newer = api["ben"].get(f"/accounts/{ann.pk}/followers", min_id=keys[1], limit=2)
    assert [a["id"] for a in newer.json()] == [str(fans[3].pk), str(fans[2].pk)]
    assert f"min_id={keys[3]}" in newer["Link"] and f"max_id={keys[2]}" in newer["Link"]
    above = api["ben"].get(f"/accounts/{ann.pk}/followers", since_id=keys[3])
    assert [a["id"] for a in above.json()] == [str(fans[4].pk)]


def test_relationships_route_is_not_captured_by_account_lookup(api, cast):
    response = api["ann"].get("/accounts/relationships", **{"id[]": [cast["ben"].pk, 999999]})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [str(cast["ben"].pk)]


def test_relationships_cost_the_same_for_1_or_25_members(api, cast, django_assert_num_queries):
    others = [make_member(handle=f"other{i}") for i in range(25)]
    connect(cast["ann"], others[0])
    caller = api["ann"]
    caller.get("/accounts/relationships", **{"id[]": [others[0].pk]})  # warm the index
    # the token with its member and their language, the members (known ids and messaging's),
    # the facts in one statement (blocks, follows both ways, connection rows, invitations both
    # ways, A1's notes, A4's ties, issue 12's mutes, messaging's conversations), the index's
    # events; current companies (M5) and spent credits (M3) when a stranger is among them:
    # the same six for one stranger and for 25 members
    with django_assert_num_queries(6):
        one = caller.get("/accounts/relationships", **{"id[]": [others[1].pk]})
    with django_assert_num_queries(6):
        many = caller.get("/accounts/relationships", **{"id[]": [o.pk for o in others]})
    with django_assert_num_queries(4):  # a connection alone: no companies, no credits
        connected = caller.get("/accounts/relationships", **{"id[]": [others[0].pk]})
    assert len(one.json()) == 1 and len(many.json()) == 25
    assert many.json()[0]["degree"] == 1 and many.json()[1]["degree"] is None
    assert connected.json() == many.json()[:1]


def _expected_relationship(me, member, *, degree, mutuals) -> dict:
    """The Relationship as one fact at a time reads it (the readers each field comes from,
    member by member), for comparing with the batched endpoint."""
    from feed.queries import mutes_in_force
    from messaging.queries import can_message
    from network.models import Block, Invitation, InvitationStatus
    from relationships.models import PrivateNote
    from relationships.queries import strength_with

    a, b = sorted((me.pk, member.pk))
    connection = Connection.objects.filter(member_a_id=a, member_b_id=b).first()
    pending = Invitation.objects.filter(status=InvitationStatus.PENDING)
    following = Follow.objects.filter(follower=me, followee=member).exists()
    mute = mutes_in_force(me).filter(muted=member).values_list("notifications", flat=True)
    mute = mute.first()
    strength = strength_with(me, member) if member.pk != me.pk else None
    note = PrivateNote.objects.filter(owner=me, member=member).values_list("text", flat=True)
    return {
        "id": str(member.pk),
        "following": following,
        "showing_reblogs": following,
        "notifying": False,
        "languages": None,
        "followed_by": Follow.objects.filter(follower=member, followee=me).exists(),
        "blocking": Block.objects.filter(blocker=me, blocked=member).exists(),
        "blocked_by": False,  # B1: such a member is left out
        "muting": mute is not None,
        "muting_notifications": bool(mute),
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": note.first() or "",
        "connected": connection is not None,
        "degree": degree,
        "invitation_sent": pending.filter(sender=me, recipient=member).exists(),
        "invitation_received": pending.filter(
            sender=member, recipient=me, ignored_at__isnull=True
        ).exists(),
        "can_message": member.pk != me.pk and can_message(me, member).allowed,
        "mutual_connections_count": mutuals,
        "connected_at": iso(connection.created_at) if connection else None,
        "connection_reason": (connection.reason or connection.recipient_reason or None)
        if connection
        else None,
        "connection_note": (connection.note or connection.recipient_note or None)
        if connection
        else None,
        "strength": strength.strength if strength and (connection or strength.strength) else 0,
        "last_interaction_at": iso(strength.last_interaction_at) if strength else None,
    }


def test_relationships_for_many_ids_answer_what_each_fact_says_b1_d1_n3_a1_a4(cast):
    """The batched read gives, for every kind of relationship, the JSON that each fact read
    on its own gives (B1, D1, D2, N3, S5, A1, A4, M1–M6, issue 12's mutes), and so does the
    one-member Relationship the follow and block endpoints answer with."""
    from datetime import timedelta

    from api.network import relationship_entity
    from core import clock
    from feed.models import Mute
    from feed.services import mute
    from messaging import services as messaging
    from messaging.models import MessageRequest
    from relationships.services import record_interaction, set_note

    me = cast["ann"]
    people = {
        name: make_member(handle=name)
        for name in [
            "friend",
            "fan",
            "idol",
            "asked",
            "asker",
            "ignored",
            "blockee",
            "blocker",
            "hider",
            "second",
            "stranger",
            "muted",
            "quiet",  # muted, notifications not
            "lapsed",  # a mute whose duration ran out
            "written",  # an open profile me wrote to: a request pending (M4)
            "writer",  # wrote to me: I may reply (M4)
            "opened",  # wrote to me and I accepted: the conversation is open
        ]
    }
    p = people
    services.invite(sender=me, recipient=p["friend"], note="From the conference", reason="met")
    services.accept(invitation_id=Invitation.objects.get(recipient=p["friend"]).pk, by=p["friend"])
    set_note(owner=me, member=p["friend"], text="Knows everyone in Berlin")
    record_interaction(actor_id=me.pk, other_id=p["friend"].pk, kind="messages")
    services.follow(follower=p["fan"], followee=me)
    services.follow(follower=me, followee=p["idol"])
    set_note(owner=me, member=p["idol"], text="Read her book")
    services.invite(sender=me, recipient=p["asked"])
    services.invite(sender=p["asker"], recipient=me)
    ignored = services.invite(sender=p["ignored"], recipient=me)
    services.ignore(invitation_id=ignored.pk, by=me)
    services.block(blocker=me, blocked=p["blockee"])
    services.block(blocker=p["blocker"], blocked=me)
    connect(p["hider"], me)
    set_profile(p["hider"], connections_visible_to="only_me")  # S5 hides lists, not mutuals
    connect(p["hider"], p["second"])
    connect(p["friend"], p["second"])
    services.follow(follower=me, followee=p["muted"])
    mute(member=me, muted=p["muted"])
    mute(member=me, muted=p["quiet"], notifications=False)
    mute(member=me, muted=p["lapsed"], duration=60)
    Mute.objects.filter(muted=p["lapsed"]).update(expires_at=clock.now() - timedelta(seconds=1))
    set_profile(p["written"], open_profile=True)
    messaging.send(sender=me, recipient=p["written"], text="Hello")
    set_profile(me, open_profile=True)
    messaging.send(sender=p["writer"], recipient=me, text="Hello")
    messaging.send(sender=p["opened"], recipient=me, text="Hello")
    messaging.accept_request(
        member=me, request_id=MessageRequest.objects.get(sender=p["opened"]).pk
    )
    ask = [*(m.pk for m in people.values()), me.pk, 2**31 - 7, p["friend"].pk]
    response = Caller(me).get("/accounts/relationships", **{"id[]": ask})
    assert response.status_code == 200
    shown = [n for n in people if n != "blocker"] + ["me"]  # B1, unknown id and repeat left out
    graph = {
        "friend": (1, 0),
        "hider": (1, 0),
        "second": (2, 2),
        "me": (None, 0),
        "blockee": (None, 0),
    }
    expected = [
        _expected_relationship(
            me,
            me if n == "me" else people[n],
            degree=graph.get(n, (None, 0))[0],
            mutuals=graph.get(n, (None, 0))[1],
        )
        for n in shown
    ]
    assert response.json() == expected
    for entity in response.json():  # answered without ninja's validation: the schema holds
        assert Relationship.model_validate(entity).model_dump(mode="json") == entity
    got = {n: r for n, r in zip(shown, response.json(), strict=True)}
    assert got["friend"]["note"] == "Knows everyone in Berlin" and got["friend"]["strength"] > 0
    assert got["friend"]["connection_reason"] == "met" and got["friend"]["can_message"]
    assert got["fan"]["followed_by"] and got["idol"]["following"]
    assert got["asked"]["invitation_sent"] and got["asker"]["invitation_received"]
    assert not got["ignored"]["invitation_received"]  # N3
    assert got["blockee"]["blocking"] and not got["blockee"]["can_message"]
    assert got["muted"]["muting"] and not got["me"]["can_message"]
    assert got["muted"]["muting_notifications"] and not got["quiet"]["muting_notifications"]
    assert got["quiet"]["muting"] and not got["lapsed"]["muting"]
    assert not got["written"]["can_message"] and got["writer"]["can_message"]
    assert got["opened"]["can_message"]
    # each answer is the one the member gets asked about alone, and the one-member entity
    for name in ("friend", "asker", "second", "blockee", "muted", "quiet", "lapsed", "written"):
        alone = Caller(me).get("/accounts/relationships", **{"id[]": [people[name].pk]})
        assert alone.json() == [got[name]]
    for name in shown:
        assert relationship_entity(me, me if name == "me" else people[name]) == got[name], name


def test_openapi_lists_the_network_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/v1/accounts/{account_id}/follow",
        "/api/v1/accounts/relationships",
        "/api/v1/accounts/{account_id}/followers",
        "/api/v1/blocks",
        "/api/v1/reports",
        "/api/v1/accounts/{account_id}/connect",
        "/api/v1/invitations",
        "/api/v1/invitations/{invitation_id}/dont_know",
        "/api/v1/accounts/{account_id}/paths",
        "/api/v1/accounts/{account_id}/mutual_connections",
        "/api/v1/accounts/{account_id}/connections",
    ]:
        assert path in paths


# --- Authorization matrix ---------------------------------------------------------------


@pytest.fixture
def matrix(db):
    """owner; their connection; a 2nd-degree member; a stranger; a member the owner blocked."""
    people = {
        name: make_member(handle=name, display_name=name.title())
        for name in ("owner", "connection", "second", "stranger", "blocked")
    }
    connect(people["owner"], people["connection"])
    connect(people["connection"], people["second"])
    services.invite(sender=people["stranger"], recipient=people["owner"])
    services.block(blocker=people["owner"], blocked=people["blocked"])
    callers = {name: Caller(m) for name, m in people.items()}
    callers["anonymous"] = Caller(None)
    return people, callers


def names(response, people):
    by_id = {str(m.pk): n for n, m in people.items()}
    return sorted(by_id[a["id"]] for a in response.json())


@pytest.mark.parametrize(
    "viewer,status,expected",
    [
        ("owner", 200, ["connection"]),
        ("connection", 200, ["connection"]),
        ("second", 403, None),
        ("stranger", 403, None),
        ("blocked", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_s5_matrix_connections(matrix, viewer, status, expected):
    people, callers = matrix
    response = callers[viewer].get(f"/accounts/{people['owner'].pk}/connections")
    assert response.status_code == status
    if expected is not None:
        assert names(response, people) == expected
    if status == 403:
        assert response.json()["rule"] == "S5"
        assert response.json()["error"] in (CONNECTIONS_HIDDEN, CONNECTIONS_FOR_CONNECTIONS)


@pytest.mark.parametrize(
    "viewer,status,expected",
    [
        ("owner", 200, []),
        ("connection", 200, []),
        ("second", 200, ["connection"]),
        ("stranger", 200, []),
        ("blocked", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_d2_matrix_mutual_connections(matrix, viewer, status, expected):
    people, callers = matrix
    response = callers[viewer].get(f"/accounts/{people['owner'].pk}/mutual_connections")
    assert response.status_code == status
    if expected is not None:
        assert names(response, people) == expected
        assert response["X-Total-Count"] == str(len(expected))


@pytest.mark.parametrize(
    "viewer,status,expected",
    [
        ("owner", 200, []),
        ("connection", 200, [["Connection", "Owner"]]),
        ("second", 200, [["Second", "Connection", "Owner"]]),
        ("stranger", 200, []),
        ("blocked", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_d3_matrix_paths(matrix, viewer, status, expected):
    people, callers = matrix
    response = callers[viewer].get(f"/accounts/{people['owner'].pk}/paths")
    assert response.status_code == status
    if expected is not None:
        assert [[step["label"] for step in path] for path in response.json()] == expected


@pytest.mark.parametrize(
    "viewer,status,received,sent",
    [
        ("owner", 200, ["stranger"], []),
        ("connection", 200, [], []),
        ("second", 200, [], []),
        ("stranger", 200, [], ["owner"]),
        ("blocked", 200, [], []),
        ("anonymous", 401, None, None),
    ],
)
def test_n3_matrix_invitations(matrix, viewer, status, received, sent):
    people, callers = matrix
    got = callers[viewer].get("/invitations", direction="received")
    assert got.status_code == status
    if received is not None:
        by_id = {str(m.pk): n for n, m in people.items()}
        assert [by_id[i["account"]["id"]] for i in got.json()] == received
        out = callers[viewer].get("/invitations", direction="sent").json()
        assert [by_id[i["account"]["id"]] for i in out] == sent


@pytest.mark.parametrize(
    "viewer,status,expected",
    [
        ("owner", 200, {"degree": None, "connected": False}),
        ("connection", 200, {"degree": 1, "connected": True, "mutual_connections_count": 0}),
        ("second", 200, {"degree": 2, "connected": False, "mutual_connections_count": 1}),
        ("stranger", 200, {"degree": None, "invitation_sent": True}),
        ("blocked", 200, None),  # B1: left out, as an unknown id is (tested below)
        ("anonymous", 401, None),
    ],
)
def test_d1_matrix_relationships(matrix, viewer, status, expected):
    people, callers = matrix
    response = callers[viewer].get("/accounts/relationships", **{"id[]": [people["owner"].pk]})
    assert response.status_code == status
    if viewer == "blocked":
        assert response.json() == []
    if expected is not None:
        rel = response.json()[0]
        assert {key: rel[key] for key in expected} == expected


@pytest.mark.parametrize(
    "viewer,status,expected",
    [
        ("owner", 200, ["connection"]),
        ("connection", 200, ["connection"]),
        ("second", 200, ["connection"]),
        ("stranger", 200, []),  # S5: the owner's connection is no follower to show them
        ("blocked", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_f2_matrix_followers(matrix, viewer, status, expected):
    people, callers = matrix
    response = callers[viewer].get(f"/accounts/{people['owner'].pk}/followers")
    assert response.status_code == status
    if expected is not None:
        assert names(response, people) == expected
