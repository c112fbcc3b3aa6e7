"""Live delivery end to end against the live server: Mastodon's streaming API over
server-sent events (health, user, user/notification, direct), read by a raw HTTP client and
by Mastodon.py; the web page's own stream; a block since the event sends nothing."""

import json
import queue
import threading

import pytest
import requests
from mastodon import Mastodon, StreamListener

from messaging import services
from network import services as network
from tests.api.factories import member_token
from tests.messaging.factories import connect

# Committed for real: events go after commit, and the live server reads what was committed.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture(autouse=True)
def short_heartbeat(settings):
    settings.LINKWELL_STREAM_HEARTBEAT_SECONDS = 1


def _events(response, into: queue.Queue) -> None:
    """Parse server-sent events off an open response into (event, data) pairs."""
    name, data = None, []
    try:
        for raw in response.iter_lines(chunk_size=1, decode_unicode=True):
            if raw is None:
                continue
            if raw == "":
                if name:
                    into.put((name, "\n".join(data)))
                name, data = None, []
            elif raw.startswith(":"):
                into.put(("comment", raw))
            elif raw.startswith("event:"):
                name = raw[6:].strip()
            elif raw.startswith("data:"):
                data.append(raw[5:].lstrip())
    except requests.RequestException:
        return


def _open(url, token) -> tuple[requests.Response, queue.Queue]:
    response = requests.get(
        url, headers={"Authorization": f"Bearer {token}"}, stream=True, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    found: queue.Queue = queue.Queue()
    threading.Thread(target=_events, args=(response, found), daemon=True).start()
    assert found.get(timeout=5)[0] == "comment"  # the stream is open and subscribed
    return response, found


def _next_event(found: queue.Queue, timeout=10.0):
    while True:
        name, data = found.get(timeout=timeout)
        if name != "comment":
            return name, data


def test_streaming_health_answers_ok(live_server):
    response = requests.get(f"{live_server.url}/api/v1/streaming/health", timeout=5)
    assert response.status_code == 200 and response.text == "OK"


def test_m1_a_message_reaches_the_recipients_direct_stream_as_a_conversation(live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    response, found = _open(f"{live_server.url}/api/v1/streaming/direct", member_token(ben))
    try:
        message = services.send(sender=ann, recipient=ben, text="Live hello")
        name, data = _next_event(found)
        entity = json.loads(data)
        assert name == "conversation"
        assert entity["id"] == str(message.conversation_id) and entity["unread"] is True
        assert entity["last_status"]["content"] == "<p>Live hello</p>"
        assert entity["accounts"][0]["username"] == "ann"
    finally:
        response.close()


def test_p5_a_notification_reaches_the_user_stream(live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    response, found = _open(
        f"{live_server.url}/api/v1/streaming/user/notification", member_token(ben)
    )
    try:
        network.follow(follower=ann, followee=ben)
        name, data = _next_event(found)
        assert name == "notification" and json.loads(data)["type"] == "follow"
    finally:
        response.close()


def test_b1_a_stream_tells_nothing_of_a_member_blocked_since(live_server, cast):
    """Every write comes before the stream opens: on SQLite a write from the test thread
    while the live server reads fails with "database table is locked"."""
    from core import live

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    from_ann = services.send(sender=ann, recipient=ben, text="Before")
    from_cat = services.send(sender=cat, recipient=ben, text="From Cat")
    network.block(blocker=ben, blocked=ann)
    response, found = _open(f"{live_server.url}/api/v1/streaming/direct", member_token(ben))
    try:
        live.publish(ben.pk, "conversation", {"conversation_id": from_ann.conversation_id})
        live.publish(ben.pk, "conversation", {"conversation_id": from_cat.conversation_id})
        name, data = _next_event(found)
        assert json.loads(data)["accounts"][0]["username"] == "cat"  # Ann's event was dropped
    finally:
        response.close()


def test_streams_need_a_token(live_server):
    response = requests.get(f"{live_server.url}/api/v1/streaming/user", timeout=5)
    assert response.status_code == 401 and "error" in response.json()


class Collect(StreamListener):
    def __init__(self):
        self.conversations: queue.Queue = queue.Queue()

    def on_conversation(self, conversation):
        self.conversations.put(conversation)


def _client(live_server, member) -> Mastodon:
    return Mastodon(access_token=member_token(member), api_base_url=live_server.url)


def test_m1_mastodon_py_sends_a_direct_status_and_another_client_streams_it(live_server, cast):
    """Mastodon.py sends a direct status to a connection; the recipient reads it through
    /api/v1/conversations, and a second Mastodon.py client receives it on stream_direct."""
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    ann_api, ben_api = _client(live_server, ann), _client(live_server, ben)
    assert ben_api.stream_healthy()
    listener = Collect()
    handle = ben_api.stream_direct(listener, run_async=True, reconnect_async=False)
    try:
        for _ in range(50):
            if handle.is_receiving():
                break
            threading.Event().wait(0.1)
        status = ann_api.status_post("@ben Hello from Mastodon.py", visibility="direct")
        assert status["visibility"] == "direct"
        conversation = listener.conversations.get(timeout=10)
        assert conversation["last_status"]["id"] == status["id"]
        listed = ben_api.conversations()
        assert listed[0]["id"] == conversation["id"] and listed[0]["unread"] is True
        assert "Hello from Mastodon.py" in listed[0]["last_status"]["content"]
        ben_api.conversations_read(listed[0]["id"])
        assert ben_api.conversations()[0]["unread"] is False
        reply = ben_api.status_reply(listed[0]["last_status"], "Hi Ann", visibility="direct")
        assert reply["visibility"] == "direct"
        assert "Hi Ann" in ann_api.conversations()[0]["last_status"]["content"]
    finally:
        handle.close()


class PostEvents(StreamListener):
    def __init__(self):
        self.events: queue.Queue = queue.Queue()

    def on_update(self, status):
        self.events.put(("update", status))

    def on_status_update(self, status):
        self.events.put(("status.update", status))

    def on_delete(self, status_id):
        self.events.put(("delete", status_id))


def test_p1_a_followers_user_stream_hears_a_post_its_edit_and_its_delete(live_server, cast):
    """Mastodon.py on stream_user: `update`, `status.update` and `delete` for a post of
    someone the member follows, each after its commit."""
    ann, ben = cast["ann"], cast["ben"]
    network.follow(follower=ben, followee=ann)
    ann_api, ben_api = _client(live_server, ann), _client(live_server, ben)
    listener = PostEvents()
    handle = ben_api.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        for _ in range(50):
            if handle.is_receiving():
                break
            threading.Event().wait(0.1)
        status = ann_api.status_post("Hiring a data engineer", visibility="public")
        name, streamed = listener.events.get(timeout=10)
        assert name == "update" and streamed["id"] == status["id"]
        assert streamed["account"]["username"] == "ann"
        ann_api.status_update(status["id"], "Hiring two data engineers")
        name, streamed = listener.events.get(timeout=10)
        assert name == "status.update" and "two data engineers" in streamed["content"]
        ann_api.status_delete(status["id"])
        name, gone = listener.events.get(timeout=10)
        assert name == "delete" and str(gone) == str(status["id"])
    finally:
        handle.close()


def test_p1_a_connections_post_never_reaches_a_mere_followers_stream(live_server, cast):
    """Cat follows Ann without being her connection: of a connections-only post and a public
    one, only the public one arrives (P1: followers never see connections' posts)."""
    ann, cat = cast["ann"], cast["cat"]
    network.follow(follower=cat, followee=ann)
    ann_api = _client(live_server, ann)
    response, found = _open(f"{live_server.url}/api/v1/streaming/user", member_token(cat))
    try:
        ann_api.status_post("For my connections", visibility="private")
        public = ann_api.status_post("For everyone", visibility="public")
        name, data = _next_event(found)
        assert name == "update" and json.loads(data)["id"] == str(public["id"])
    finally:
        response.close()
