"""Messaging's pages: inbox, conversation with htmx send and load-more, the profile's Message
button by relationship, requests with Accept and Decline, the unread badge (M1–M6, B1)."""

from html import unescape

from django.test import Client

from messaging import queries, services
from messaging.models import Message, MessageRequest, RequestStatus
from network import services as network
from tests.html import one, select
from tests.messaging.factories import connect, set_profile


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_m1_the_top_bar_messaging_page_lists_conversations_with_unread_state(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello Ben")
    page = signed_in(ben).get("/messaging/")
    assert page.status_code == 200
    row = one(page.content.decode(), f"li#thread-{message.conversation_id}")
    assert "unread" in dict(row.attributes)["class"] and "Hello Ben" in str(row)
    badge = signed_in(ben).get("/messaging/badge/").content.decode()
    assert ">1<" in badge


def test_m1_the_message_button_on_a_connections_profile_opens_the_composer(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    client = signed_in(ann)
    profile = client.get("/in/ben/").content.decode()
    actions = one(profile, "div#network-actions")
    links = [dict(a.attributes).get("href") for a in select(str(actions), "a")]
    assert "/messaging/new/ben/" in links
    response = client.post("/messaging/new/ben/", {"text": "Hi Ben", "key": "k-1"})
    thread = Message.objects.get().conversation_id
    assert response.status_code == 302 and response["Location"] == f"/messaging/{thread}/"
    again = client.post("/messaging/new/ben/", {"text": "Hi Ben", "key": "k-1"})  # double click
    assert again.status_code == 302 and Message.objects.count() == 1
    assert client.get("/messaging/new/ben/")["Location"] == f"/messaging/{thread}/"


def test_htmx_send_appends_the_message_and_load_more_pages_back(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    for i in range(35):
        message = services.send(sender=ann, recipient=ben, text=f"Message {i}")
    client = signed_in(ben)
    page = client.get(f"/messaging/{message.conversation_id}/").content.decode()
    assert "Message 34" in page and "Message 4<" not in page and "Load earlier messages" in page
    assert queries.unread_count(ben) == 0  # opening the thread read it
    older = client.get(
        f"/messaging/{message.conversation_id}/",
        {"max_id": Message.objects.order_by("pk")[5].pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Message 4<" in older and "Message 0<" in older and "<html" not in older
    sent = client.post(
        f"/messaging/{message.conversation_id}/send/",
        {"text": "Got them all", "key": "abc"},
        HTTP_HX_REQUEST="true",
    )
    assert sent.status_code == 200 and "Got them all" in sent.content.decode()
    assert "<html" not in sent.content.decode()


def test_m3_the_composer_for_a_stranger_shows_the_inmail_credits_left(cast):
    dan = cast["dan"]
    page = signed_in(dan).get("/messaging/new/ann/").content.decode()
    hint = one(page, "p#inmail-hint")
    assert "or use one of your 5 InMail credits" in str(hint)
    assert 'name="subject"' in page
    response = signed_in(dan).post(
        "/messaging/new/ann/", {"subject": "Hello", "text": "We haven't met", "key": "x"}
    )
    assert response.status_code == 302
    assert len(queries.credits(dan)) == 4


def test_m6_a_follower_is_refused_with_the_rule_sentence_on_the_profile_and_composer(cast):
    ann, cat = cast["ann"], cast["cat"]
    network.follow(follower=cat, followee=ann)
    set_profile(ann, refuse_inmail=True)
    client = signed_in(cat)
    sentence = "Following Ann doesn't let you message them; connect with them to message them."
    profile = client.get("/in/ann/").content.decode()
    assert sentence in unescape(str(one(profile, "details.message-why")))
    page = client.get("/messaging/new/ann/").content.decode()
    assert sentence in unescape(str(one(page, "p#cannot-message")))
    refused = client.post("/messaging/new/ann/", {"text": "Please"})
    assert refused.status_code == 400 and not Message.objects.exists()


def test_m4_requests_tab_accept_and_decline(cast):
    ann, dan, eve = cast["ann"], cast["dan"], cast["eve"]
    services.send(sender=dan, recipient=ann, text="From Dan")
    services.send(sender=eve, recipient=ann, text="From Eve")
    client = signed_in(ann)
    assert "From Dan" not in client.get("/messaging/").content.decode()
    requests = client.get("/messaging/requests/").content.decode()
    assert "From Dan" in requests and "From Eve" in requests
    dan_request = MessageRequest.objects.get(sender=dan)
    eve_request = MessageRequest.objects.get(sender=eve)
    accepted = client.post(f"/messaging/requests/{dan_request.pk}/accept/")
    assert accepted["Location"] == f"/messaging/{dan_request.conversation_id}/"
    client.post(f"/messaging/requests/{eve_request.pk}/decline/")
    eve_request.refresh_from_db()
    assert eve_request.status == RequestStatus.DECLINED
    inbox = client.get("/messaging/").content.decode()
    assert "From Dan" in inbox and "From Eve" not in inbox


def test_b1_idor_a_third_member_gets_404_from_every_messaging_page(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Private")
    request_message = services.send(sender=cast["dan"], recipient=ben, text="Req")
    request = MessageRequest.objects.get(first_message_id=request_message.pk)
    client = signed_in(cat)
    c = message.conversation_id
    assert client.get(f"/messaging/{c}/").status_code == 404
    assert client.get(f"/messaging/{c}/", {"max_id": 99}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(f"/messaging/{c}/send/", {"text": "x"}).status_code == 404
    assert client.post(f"/messaging/{c}/delete/").status_code == 404
    assert client.post(f"/messaging/requests/{request.pk}/accept/").status_code == 404
    assert client.post(f"/messaging/requests/{request.pk}/decline/").status_code == 404
    assert client.get("/messaging/999999999/").status_code == 404
    assert "Private" not in client.get("/messaging/").content.decode()


def test_b1_a_block_mid_conversation_hides_the_thread_and_the_composer_404s(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello")
    network.block(blocker=ann, blocked=ben)
    client = signed_in(ben)
    assert client.get(f"/messaging/{message.conversation_id}/").status_code == 404
    assert (
        client.post(f"/messaging/{message.conversation_id}/send/", {"text": "?"}).status_code == 404
    )
    assert client.get("/messaging/new/ann/").status_code == 404
    assert "Hello" not in client.get("/messaging/").content.decode()


def test_messaging_pages_need_a_signed_in_member(cast):
    response = Client().get("/messaging/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_live_fetch_since_id_answers_only_the_new_messages_and_reads_them(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    first = services.send(sender=ann, recipient=ben, text="First")
    client = signed_in(ben)
    client.get(f"/messaging/{first.conversation_id}/")
    services.send(sender=ann, recipient=ben, text="Second")
    fresh = client.get(
        f"/messaging/{first.conversation_id}/",
        {"since_id": first.pk},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Second" in fresh and "First" not in fresh and "Load earlier" not in fresh
    assert queries.unread_count(ben) == 0


def test_m3_a_member_refuses_inmail_from_the_settings_page(cast):
    ann, dan = cast["ann"], cast["dan"]
    client = signed_in(ann)
    assert 'name="refuse_inmail"' in client.get("/settings/").content.decode()
    settings_now = {
        "primary_action": "connect",
        "followers_allowed": "everyone",
        "invitations_from": "everyone",
        "connections_visible_to": "connections",
        "refuse_inmail": "on",
    }
    assert client.post("/settings/", settings_now).status_code == 302
    ann.refresh_from_db()
    assert queries.can_message(dan, ann).refusal.rule == "M3"


def test_p5_the_notifications_page_tells_of_a_message_and_a_request(cast):
    from django.test import TestCase

    ann, ben, dan = cast["ann"], cast["ben"], cast["dan"]
    connect(ann, ben)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send(sender=ann, recipient=ben, text="Hello")
        services.send(sender=dan, recipient=ben, text="We haven't met")
    page = signed_in(ben).get("/notifications/").content.decode()
    assert "sent you a message." in page and "sent you a message request." in page
    assert "We haven't met" not in page  # the text stays in Messaging


def test_the_new_message_page_takes_a_handle_and_refuses_anything_else(cast):
    client = signed_in(cast["ann"])
    assert client.get("/messaging/new/", {"to": "@ben"})["Location"] == "/messaging/new/ben/"
    odd = client.get("/messaging/new/", {"to": "a/b c"})
    assert odd.status_code == 200 and "letters, digits and underscores" in odd.content.decode()
