"""A1–A4 through the API: Mastodon's note and lists, Linkwell's extensions, and the IDOR
matrix: notes and tags never reach anyone but their author."""

import datetime
import json

import pytest
from django.test import Client

from messaging.models import Message
from network import services as network
from relationships import services
from tests.api.factories import bearer, member_token
from tests.factories import PositionFactory
from tests.relationships.factories import connect

# transaction=True: interaction counters are written after commit, as in production
pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Ann-private-note-on-Ben-5e1d"
TAG = "Ann-private-tag-72ac"


class Caller:
    def __init__(self, member):
        self.member = member
        self.client = Client()
        self.headers = bearer(member_token(member)) if member else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def send(self, method, path, data=None):
        return self.client.generic(
            method, f"/api/v1{path}", _json(data), "application/json", **self.headers
        )

    def post(self, path, data=None):
        return self.send("POST", path, data)


def _json(data):
    return json.dumps(data or {})


@pytest.fixture
def api(cast):
    return {name: Caller(member) for name, member in cast.items()}


def test_a1_note_is_on_the_owners_relationship_only(api, cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    response = api["ann"].post(f"/accounts/{ben.pk}/note", {"comment": NOTE})
    assert response.status_code == 200 and response.json()["note"] == NOTE
    (mine,) = api["ann"].get("/accounts/relationships", **{"id[]": ben.pk}).json()
    assert mine["note"] == NOTE
    (bens,) = api["ben"].get("/accounts/relationships", **{"id[]": ann.pk}).json()
    assert bens["note"] == ""
    (cats,) = api["cat"].get("/accounts/relationships", **{"id[]": ben.pk}).json()
    assert cats["note"] == ""


def test_a1_a_note_on_a_stranger_is_refused_with_the_rule(api, cast):
    response = api["ann"].post(f"/accounts/{cast['dan'].pk}/note", {"comment": "x"})
    assert response.status_code == 422
    assert response.json()["rule"] == "A1"


def test_a1_lists_are_mastodon_lists(api, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    made = api["ann"].post("/lists", {"title": "mentor"}).json()
    assert made == {
        "id": made["id"],
        "title": "mentor",
        "replies_policy": "list",
        "exclusive": False,
    }
    list_id = made["id"]
    assert api["ann"].post(f"/lists/{list_id}/accounts", {"account_ids": [ben.pk]}).json() == {}
    accounts = api["ann"].get(f"/lists/{list_id}/accounts").json()
    assert [a["id"] for a in accounts] == [str(ben.pk)]
    assert [x["id"] for x in api["ann"].get(f"/accounts/{ben.pk}/lists").json()] == [list_id]
    renamed = api["ann"].send("PUT", f"/lists/{list_id}", {"title": "Mentors", "exclusive": True})
    assert renamed.json()["title"] == "Mentors" and renamed.json()["exclusive"] is True
    api["ann"].send("DELETE", f"/lists/{list_id}/accounts", {"account_ids": [ben.pk]})
    assert api["ann"].get(f"/lists/{list_id}/accounts").json() == []
    assert api["ann"].send("DELETE", f"/lists/{list_id}").status_code == 200
    assert api["ann"].get(f"/lists/{list_id}").status_code == 404


def test_a1_adding_a_stranger_to_a_list_is_refused(api, cast):
    list_id = api["ann"].post("/lists", {"title": "x"}).json()["id"]
    response = api["ann"].post(f"/lists/{list_id}/accounts", {"account_ids": [cast["dan"].pk]})
    assert response.status_code == 404 and response.json()["rule"] == "A1"


def test_a1_the_list_timeline_holds_its_members_posts(api, cast):
    from feed import services as feed

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    ben_post = feed.publish(author=ben, text="Ben's post")
    feed.publish(author=cat, text="Cat's post")
    list_id = api["ann"].post("/lists", {"title": "team"}).json()["id"]
    api["ann"].post(f"/lists/{list_id}/accounts", {"account_ids": [ben.pk]})
    statuses = api["ann"].get(f"/timelines/list/{list_id}").json()
    assert [s["id"] for s in statuses] == [str(ben_post.pk)]


@pytest.mark.parametrize("reader", ["ben", "cat", "dan", "anonymous"])
def test_a1_notes_and_tags_never_reach_anyone_else(api, cast, client, reader):
    """The IDOR matrix: the member the note is about (Ben), a connection of Ben's (Cat), a
    follower of Ann's (Dan) and a signed-out reader, through every surface that shows a
    member, a relationship or a list."""
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(cat, ben)
    network.follow(follower=dan, followee=ann)
    services.set_note(owner=ann, member=ben, text=NOTE)
    tag = services.create_tag(owner=ann, title=TAG)
    services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[ben.pk])
    caller = api.get(reader) or Caller(None)
    bodies = []
    for path, params in [
        ("/lists", {}),
        (f"/lists/{tag.pk}", {}),
        (f"/lists/{tag.pk}/accounts", {}),
        (f"/timelines/list/{tag.pk}", {}),
        (f"/accounts/{ben.pk}/lists", {}),
        (f"/accounts/{ann.pk}/lists", {}),
        ("/accounts/relationships", {"id[]": [ben.pk, ann.pk]}),
        (f"/accounts/{ben.pk}", {}),
        (f"/accounts/{ann.pk}", {}),
        ("/connections", {"order": "strength"}),
        ("/keep_in_touch", {}),
    ]:
        response = caller.get(path, **params)
        if "lists/" in path and str(tag.pk) in path:
            assert response.status_code in (401, 404), path  # not found, never forbidden
        bodies.append(response.content.decode())
    web = Client()
    if reader != "anonymous":
        web.force_login(cast[reader])
    for path in (
        f"/in/{ben.username}/",
        f"/in/{ann.username}/",
        f"/mynetwork/connections/{ben.username}/panel/",
        "/mynetwork/connections/",
        "/mynetwork/catch-up/",
    ):
        bodies.append(web.get(path).content.decode())
    for body in bodies:
        assert NOTE not in body and TAG not in body
    for what in ("note", "tags"):  # writing through the owner's forms as someone else
        web.post(f"/in/{ben.username}/private/{what}/", {"note": "x", "tag": [tag.pk]})
    assert services.queries.note_for(ann, ben) == NOTE
    assert services.queries.tag_member_ids(ann, tag.pk) == [ben.pk]


@pytest.mark.parametrize("searcher", ["ann", "ben", "cat"])
def test_a1_search_finds_nobody_by_a_private_note_or_tag(api, cast, searcher):
    """A1: search indexes nothing of a note or a tag, not even for their author: the words
    only Ann's note on Ben and Ann's tag hold find nobody, through the API's two searches,
    the search page and the top bar's typeahead, while Ben's own name still finds him."""
    from profiles import services as profiles

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    services.set_note(owner=ann, member=ben, text="Sails a yawl named Quillwort")
    tag = services.create_tag(owner=ann, title="Zephyrine circle")
    services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[ben.pk])
    profiles.update_profile(member=ben, headline="Engineer")  # Ben's document written again
    caller, web = api[searcher], Client()
    web.force_login(cast[searcher])

    def v2_search(q):
        found = caller.client.get("/api/v2/search", {"q": q, "type": "accounts"}, **caller.headers)
        return [a["id"] for a in found.json()["accounts"]]

    if searcher != "ben":  # the searches work: Ben's name finds him
        assert str(ben.pk) in v2_search("Ben Example")
        page = web.get("/search/", {"q": "Ben Example"}).content.decode()
        assert f'id="result-{ben.pk}"' in page
    for words in ("Quillwort", "yawl", "Zephyrine"):
        assert v2_search(words) == []
        assert caller.get("/accounts/search", q=words).json() == []
        page = web.get("/search/", {"q": words}).content.decode()
        assert 'class="person-row search-result"' not in page
        typeahead = web.get("/search/typeahead/", {"q": words}).content.decode()
        assert f"/in/{ben.username}/" not in typeahead


def test_a1_the_admin_shows_no_note_nor_tag(cast, django_user_model):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.set_note(owner=ann, member=ben, text=NOTE)
    services.create_tag(owner=ann, title=TAG)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    web = Client()
    web.force_login(admin)
    index = web.get("/admin/")
    assert index.status_code == 200
    assert "relationships" not in index.content.decode().lower()
    for path in (
        f"/admin/accounts/user/{ben.pk}/change/",
        f"/admin/accounts/user/{ann.pk}/change/",
        "/admin/network/connection/",
    ):
        body = web.get(path).content.decode()
        assert NOTE not in body and TAG not in body
    assert web.get("/admin/relationships/privatenote/").status_code == 404


def test_a1_a4_relationship_entity_extensions(api, cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben, reason="met", note="Great talk on Postgres")
    network.unfollow(follower=ann, followee=ben)  # the reason survives an unfollow
    (before,) = api["ben"].get("/accounts/relationships", **{"id[]": ann.pk}).json()
    assert before["connection_reason"] == "met"
    assert before["connection_note"] == "Great talk on Postgres"
    assert before["connected_at"] is not None
    assert before["strength"] == 0 and before["last_interaction_at"] is None
    api["ben"].post("/messages", {"to": ann.username, "text": "Hi Ann"})
    assert Message.objects.count() == 1
    (after,) = api["ann"].get("/accounts/relationships", **{"id[]": ben.pk}).json()
    assert after["strength"] > 0 and after["last_interaction_at"] is not None
    changed = api["ben"].send("PUT", f"/accounts/{ann.pk}/connection", {"reason": "colleague"})
    assert changed.status_code == 200


def test_a4_connections_order_by_strength_and_list(api, cast):
    from messaging import services as messaging

    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    for other in (ben, cat, dan):
        connect(ann, other)
    for _ in range(3):
        messaging.send(sender=cat, recipient=ann, text="hi")
    messaging.send(sender=ann, recipient=dan, text="hi")
    ids = [a["id"] for a in api["ann"].get("/connections", order="strength").json()]
    assert ids == [str(cat.pk), str(dan.pk), str(ben.pk)]
    names = [a["id"] for a in api["ann"].get("/connections", order="name").json()]
    assert names == [str(ben.pk), str(cat.pk), str(dan.pk)]
    recent = [a["id"] for a in api["ann"].get("/connections", order="recent").json()]
    assert recent == [str(dan.pk), str(cat.pk), str(ben.pk)]
    list_id = api["ann"].post("/lists", {"title": "x"}).json()["id"]
    api["ann"].post(f"/lists/{list_id}/accounts", {"account_ids": [ben.pk]})
    only = api["ann"].get("/connections", order="strength", list_id=list_id).json()
    assert [a["id"] for a in only] == [str(ben.pk)]
    page = api["ann"].get("/connections", order="strength", limit=2)
    assert "offset=2" in page["Link"]
    bad = api["ann"].get("/connections", order="loudest")
    assert bad.status_code == 422 and bad.json()["rule"] == "A4"


def test_a3_keep_in_touch_through_the_api(api, cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    services.greeted(owner=ann, other=ben)
    services.greeted(owner=ann, other=cat)
    assert (
        api["ann"].send("PUT", f"/accounts/{cat.pk}/keep_in_touch", {"every": "never"}).status_code
        == 200
    )
    frozen_now.advance(days=183)
    prompts = api["ann"].get("/keep_in_touch").json()
    assert [(p["type"], p["account"]["id"]) for p in prompts] == [("dormant", str(ben.pk))]
    (prompt,) = prompts
    assert set(prompt) >= {"id", "type", "account", "since", "suggested_message"}
    until = (frozen_now.value + datetime.timedelta(days=3)).isoformat().replace("+00:00", "Z")
    snoozed = api["ann"].post(f"/keep_in_touch/{prompt['id']}/snooze", {"until": until})
    assert snoozed.status_code == 200
    assert api["ann"].get("/keep_in_touch").json() == []
    frozen_now.advance(days=3)
    assert [p["id"] for p in api["ann"].get("/keep_in_touch").json()] == [prompt["id"]]
    assert api["ben"].post(f"/keep_in_touch/{prompt['id']}/done").status_code == 404  # IDOR
    assert api["ann"].post(f"/keep_in_touch/{prompt['id']}/done").status_code == 200
    assert api["ann"].get("/keep_in_touch").json() == []
    bad = api["ann"].post(f"/keep_in_touch/{prompt['id']}/snooze", {"until": "soon"})
    assert bad.status_code == 422
    weekly = api["ann"].send("PUT", f"/accounts/{ben.pk}/keep_in_touch", {"every": "weekly"})
    assert weekly.status_code == 422 and weekly.json()["rule"] == "A3"


def test_a2_a3_new_position_work_anniversary_and_say_hello_prompts_through_the_api(
    api, cast, frozen_now
):
    """A3's new position and work anniversary and A2's unanswered hello, as the API answers
    them: most pressing first, each with its account, moment, detail and prepared message."""
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    for other in (ben, cat, dan):
        connect(ann, other)
    services.greeted(owner=ann, other=ben)
    services.greeted(owner=ann, other=cat)  # only Dan and Ann never said hello
    frozen_now.advance(days=7)
    today = frozen_now.value.date()
    started = today - datetime.timedelta(days=10)
    PositionFactory(member=ben, title="CTO", company="Brightwave", started_on=started)
    hired = datetime.date(today.year - 3, today.month, 1)
    PositionFactory(member=cat, title="Designer", company="Inkwell", started_on=hired)
    prompts = api["ann"].get("/keep_in_touch").json()
    assert [(p["type"], p["account"]["id"]) for p in prompts] == [
        ("new_position", str(ben.pk)),
        ("work_anniversary", str(cat.pk)),
        ("say_hello", str(dan.pk)),
    ]
    position, anniversary, hello = prompts
    assert position["detail"] == "CTO at Brightwave"
    assert position["since"].startswith(started.isoformat())
    assert position["suggested_message"].startswith("Congratulations on your new role, Ben!")
    assert anniversary["detail"] == "3 years at Inkwell"
    assert anniversary["since"].startswith(hired.replace(year=today.year).isoformat())
    assert anniversary["suggested_message"].startswith("Happy work anniversary, Cat!")
    assert hello["id"] == f"say_hello-{dan.pk}"
    assert hello["suggested_message"].startswith("Hi Dan, thanks for connecting!")
    assert api["ann"].post(f"/keep_in_touch/{hello['id']}/done").status_code == 200
    assert [p["type"] for p in api["ann"].get("/keep_in_touch").json()] == [
        "new_position",
        "work_anniversary",
    ]


def test_a3_a_move_to_the_members_city_through_the_api(api, cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.greeted(owner=ann, other=ben)
    services.greeted(owner=ben, other=ann)
    assert (
        api["ann"].send("PATCH", "/accounts/update_credentials", {"location": "Porto"}).status_code
        == 200
    )
    assert (
        api["ben"].send("PATCH", "/accounts/update_credentials", {"location": "Lisbon"}).status_code
        == 200
    )
    assert api["ann"].get("/keep_in_touch").json() == []
    assert (
        api["ben"].send("PATCH", "/accounts/update_credentials", {"location": "porto"}).status_code
        == 200
    )
    (prompt,) = api["ann"].get("/keep_in_touch").json()
    assert (prompt["type"], prompt["account"]["id"], prompt["detail"]) == (
        "moved",
        str(ben.pk),
        "porto",
    )
    assert prompt["since"].startswith(frozen_now.value.date().isoformat())
    assert "Welcome to porto" in prompt["suggested_message"]
    assert api["ben"].get("/keep_in_touch").json() == []
    assert api["ann"].post(f"/keep_in_touch/{prompt['id']}/done").status_code == 200
    assert api["ann"].get("/keep_in_touch").json() == []


def test_a2_say_hello_to_a_non_connection_is_not_found_and_sends_nothing(api, cast):
    ann = cast["ann"]
    for data in ({"text": "Hello there"}, {"dismiss": True}):
        response = api["ben"].post(f"/accounts/{ann.pk}/say_hello", data)
        assert response.status_code == 404
        assert response.json()["rule"] == "A2"
    assert not Message.objects.exists()


def test_a2_say_hello_through_the_api(api, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben, reason="met")
    (offer,) = api["ben"].get("/say_hello").json()
    assert offer["account"]["id"] == str(ann.pk)
    assert "It was good to meet you." in offer["suggested_message"]
    sent = api["ben"].post(f"/accounts/{ann.pk}/say_hello", {"text": offer["suggested_message"]})
    assert sent.status_code == 200
    assert Message.objects.get().text == offer["suggested_message"]
    assert api["ben"].get("/say_hello").json() == []
    assert api["ann"].post(f"/accounts/{ben.pk}/say_hello", {"dismiss": True}).status_code == 200
    assert api["ann"].get("/say_hello").json() == []
    assert Message.objects.count() == 1
