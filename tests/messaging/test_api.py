"""Messaging through the API: Mastodon's direct statuses and conversations, Linkwell's
messages, message requests and InMail credits (M1–M6, B1), and IDOR probes."""

import pytest
from django.test import Client

from api.schemas.messages import DIRECT_ID_BASE
from messaging import queries, services
from messaging.models import Message, MessageRequest
from network import services as network
from tests.api.factories import bearer, member_token
from tests.messaging.factories import connect, set_profile

pytestmark = pytest.mark.django_db


class Caller:
    def __init__(self, member):
        self.member = member
        self.client = Client()
        self.headers = bearer(member_token(member))

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, data=None, **headers):
        return self.client.post(
            f"/api/v1{path}",
            data or {},
            content_type="application/json",
            **self.headers,
            **headers,
        )

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", **self.headers)


@pytest.fixture
def api(cast):
    return {name: Caller(member) for name, member in cast.items()}


def test_m1_a_direct_status_to_a_connection_is_a_message(api, cast):
    connect(cast["ann"], cast["ben"])
    response = api["ann"].post("/statuses", {"status": "@ben Lunch?", "visibility": "direct"})
    assert response.status_code == 200, response.content
    status = response.json()
    assert status["visibility"] == "direct"
    assert int(status["id"]) > DIRECT_ID_BASE
    assert status["mentions"][0]["username"] == "ben"
    assert Message.objects.get().text == "Lunch?"
    conversations = api["ben"].get("/conversations").json()
    assert len(conversations) == 1
    entity = conversations[0]
    mastodon = {"id", "unread", "accounts", "last_status"}  # Mastodon's Conversation entity
    assert mastodon <= set(entity)
    assert all(key.startswith("linkwell_") for key in set(entity) - mastodon)  # extensions
    assert entity["unread"] is True
    assert [a["username"] for a in entity["accounts"]] == ["ann"]
    assert entity["last_status"]["id"] == status["id"]
    assert api["ben"].get(f"/statuses/{status['id']}").json()["content"] == "<p>Lunch?</p>"
    read = api["ben"].post(f"/conversations/{entity['id']}/read").json()
    assert read["unread"] is False
    reply = api["ben"].post(
        "/statuses",
        {"status": "@ann Yes!", "visibility": "direct", "in_reply_to_id": status["id"]},
    )
    assert reply.status_code == 200 and Message.objects.count() == 2
    assert api["ann"].get("/conversations").json()[0]["last_status"]["content"] == "<p>Yes!</p>"


def test_m6_a_follower_is_refused_with_403_and_the_rule(api, cast):
    network.follow(follower=cast["cat"], followee=cast["ann"])
    set_profile(cast["ann"], refuse_inmail=True)
    response = api["cat"].post("/statuses", {"status": "@ann hi", "visibility": "direct"})
    assert response.status_code == 403
    body = response.json()
    assert body["rule"] == "M6" and "Following Ann" in body["error"]
    assert "M6" not in body["error"]


def test_m3_inmail_through_the_extension_spends_and_lists_credits(api, cast):
    response = api["dan"].post(
        "/messages", {"to": "ann", "subject": "Hello", "text": "About your talk"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["subject"] == "Hello"
    inmail = api["dan"].get("/inmail").json()
    assert inmail["available"] == 4 and len(inmail["credits"]) == 4
    assert set(inmail["credits"][0]) == {"granted_at", "expires_at"}


def test_m4_message_requests_accept_and_decline_through_the_api(api, cast):
    api["dan"].post("/messages", {"to": "ann", "text": "From Dan"})
    api["eve"].post("/messages", {"to": str(cast["ann"].pk), "text": "From Eve"})
    assert api["ann"].get("/conversations").json() == []
    requests = api["ann"].get("/message_requests").json()
    assert {r["account"]["username"] for r in requests} == {"dan", "eve"}
    assert set(requests[0]) >= {"id", "account", "last_message", "created_at"}
    dan = next(r for r in requests if r["account"]["username"] == "dan")
    eve = next(r for r in requests if r["account"]["username"] == "eve")
    assert api["ann"].post(f"/message_requests/{dan['id']}/accept").status_code == 200
    assert api["ann"].post(f"/message_requests/{eve['id']}/decline").status_code == 200
    again = api["eve"].post("/messages", {"to": "ann", "text": "Please"})
    assert again.status_code == 403 and again.json()["rule"] == "M4" and "until" in again.json()
    assert [c["accounts"][0]["username"] for c in api["ann"].get("/conversations").json()] == [
        "dan"
    ]


def test_a_retried_send_with_the_same_idempotency_key_changes_nothing(api, cast):
    connect(cast["ann"], cast["ben"])
    first = api["ann"].post("/messages", {"to": "ben", "text": "Once"}, HTTP_IDEMPOTENCY_KEY="k")
    second = api["ann"].post("/messages", {"to": "ben", "text": "Once"}, HTTP_IDEMPOTENCY_KEY="k")
    assert first.json()["id"] == second.json()["id"] and Message.objects.count() == 1


def test_b1_idor_a_third_member_gets_404_from_every_endpoint(api, cast):
    connect(cast["ann"], cast["ben"])
    message = services.send(sender=cast["ann"], recipient=cast["ben"], text="Private")
    services.send(sender=cast["dan"], recipient=cast["ben"], text="Request")
    request = MessageRequest.objects.get()
    c = message.conversation_id
    status_id = DIRECT_ID_BASE + message.pk
    cat = api["cat"]
    probes = [
        cat.get(f"/statuses/{status_id}"),
        cat.get(f"/conversations/{c}/messages"),
        cat.post(f"/conversations/{c}/read"),
        cat.delete(f"/conversations/{c}"),
        cat.post(f"/message_requests/{request.pk}/accept"),
        cat.post(f"/message_requests/{request.pk}/decline"),
        cat.post(
            "/statuses",
            {"status": "@ben x", "visibility": "direct", "in_reply_to_id": str(status_id)},
        ),
    ]
    assert [p.status_code for p in probes] == [404] * len(probes)
    assert all(p.json() == {"error": "Record not found"} for p in probes)
    assert cat.get("/conversations").json() == []
    assert Client().get(f"/api/v1/statuses/{status_id}").status_code == 404


def test_b1_a_block_mid_conversation_answers_404_like_an_unknown_member(api, cast):
    connect(cast["ann"], cast["ben"])
    message = services.send(sender=cast["ann"], recipient=cast["ben"], text="Hello")
    network.block(blocker=cast["ben"], blocked=cast["ann"])
    ann = api["ann"]
    assert ann.get("/conversations").json() == []
    assert ann.get(f"/conversations/{message.conversation_id}/messages").status_code == 404
    sent = ann.post("/messages", {"to": "ben", "text": "Hello?"})
    unknown = ann.post("/messages", {"to": "nobody", "text": "Hello?"})
    assert sent.status_code == unknown.status_code == 404
    assert sent.json()["error"] == unknown.json()["error"]


def test_delete_conversation_is_for_me_only(api, cast):
    connect(cast["ann"], cast["ben"])
    message = services.send(sender=cast["ann"], recipient=cast["ben"], text="Hello")
    assert api["ben"].delete(f"/conversations/{message.conversation_id}").json() == {}
    assert api["ben"].get("/conversations").json() == []
    assert len(api["ann"].get("/conversations").json()) == 1


def test_conversation_messages_page_back_with_a_link(api, cast):
    connect(cast["ann"], cast["ben"])
    for i in range(5):
        message = services.send(sender=cast["ann"], recipient=cast["ben"], text=f"M{i}")
    response = api["ben"].get(f"/conversations/{message.conversation_id}/messages", limit=2)
    assert [m["text"] for m in response.json()] == ["M3", "M4"]
    assert 'rel="next"' in response["Link"]


def test_a_direct_status_names_exactly_one_member(api, cast):
    response = api["ann"].post("/statuses", {"status": "Hi all", "visibility": "direct"})
    assert response.status_code == 422
    assert queries.conversations(cast["ann"])[0] == []


def test_m3_refuse_inmail_through_update_credentials(api, cast):
    response = api["ann"].client.patch(
        "/api/v1/accounts/update_credentials",
        {"refuse_inmail": True},
        content_type="application/json",
        **api["ann"].headers,
    )
    assert response.status_code == 200, response.content
    cast["ann"].profile.refresh_from_db()
    assert cast["ann"].profile.refuse_inmail is True
    refused = api["dan"].post("/messages", {"to": "ann", "text": "Hi"})
    assert refused.status_code == 403 and refused.json()["rule"] == "M3"
