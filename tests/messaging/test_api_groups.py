"""Groups, attachments and receipts through the API: a group is a Conversation with several
`accounts`; attachments are uploaded then sent with `media_ids[]`; IDOR probes on all."""

import pytest
from django.test import Client

from messaging import services
from network import services as network
from tests.messaging.factories import connect
from tests.messaging.test_api import Caller
from tests.messaging.test_groups import jpeg_with_exif, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    return {name: Caller(member) for name, member in cast.items()}


def _upload(caller, upload):
    return caller.client.post("/api/v1/messages/attachments", {"file": upload}, **caller.headers)


def _start(api, cast, **extra):
    connect(cast["ann"], cast["ben"])
    connect(cast["ann"], cast["cat"])
    body = {"to": ["ben", str(cast["cat"].pk)], "text": "Launch plan", "title": "Launch", **extra}
    response = api["ann"].post("/messages", body)
    assert response.status_code == 200, response.content
    return response.json()


def test_m1_several_recipients_start_a_group_shown_with_all_its_accounts(api, cast):
    message = _start(api, cast)
    listed = api["cat"].get("/conversations").json()
    assert listed[0]["id"] == message["conversation_id"]
    assert {a["username"] for a in listed[0]["accounts"]} == {"ann", "ben"}
    assert listed[0]["linkwell_group"] is True and listed[0]["linkwell_title"] == "Launch"
    mentions = {m["username"] for m in listed[0]["last_status"]["mentions"]}
    assert mentions == {"ben", "cat"}
    reply = api["ben"].post(
        "/messages", {"conversation_id": message["conversation_id"], "text": "On it"}
    )
    assert reply.status_code == 200 and reply.json()["account"]["username"] == "ben"


def test_m1_a_group_refuses_a_non_connection_with_the_rule(api, cast):
    connect(cast["ann"], cast["ben"])
    response = api["ann"].post("/messages", {"to": ["ben", "eve"], "text": "Hi"})
    assert response.status_code == 403 and response.json()["rule"] == "M1"


def test_m1_members_are_added_and_removed_and_may_leave(api, cast):
    message = _start(api, cast)
    conversation = message["conversation_id"]
    connect(cast["ben"], cast["dan"])
    added = api["ben"].post(
        f"/conversations/{conversation}/members", {"account_ids": [str(cast["dan"].pk)]}
    )
    assert added.status_code == 200, added.content
    assert "dan" in {a["username"] for a in added.json()["accounts"]}
    removed = api["ann"].delete(f"/conversations/{conversation}/members/{cast['dan'].pk}")
    assert removed.status_code == 200
    assert api["dan"].get(f"/conversations/{conversation}/messages").status_code == 404
    assert api["cat"].post(f"/conversations/{conversation}/leave").status_code == 200
    assert api["cat"].get(f"/conversations/{conversation}/messages").status_code == 404


def test_m1_an_uploaded_image_and_pdf_travel_with_a_message_to_its_participants(api, cast):
    image = _upload(api["ann"], jpeg_with_exif())
    pdf = _upload(api["ann"], pdf_upload())
    assert image.status_code == 200 and image.json()["type"] == "image"
    assert pdf.json()["type"] == "unknown" and pdf.json()["linkwell_kind"] == "pdf"
    message = _start(api, cast, media_ids=[image.json()["id"], pdf.json()["id"]])
    assert [a["id"] for a in message["attachments"]] == [image.json()["id"], pdf.json()["id"]]
    url = (
        api["cat"]
        .get(f"/conversations/{message['conversation_id']}/messages")
        .json()[0]["attachments"][1]["url"]
    )
    path = url.split("://", 1)[1].split("/", 1)[1]
    fetched = Client().get(f"/{path}")  # no cookie, no token: the signed viewer
    assert fetched.status_code == 200 and fetched["Content-Type"] == "application/pdf"
    assert b"".join(fetched.streaming_content).startswith(b"%PDF-")


def test_m1_someone_elses_upload_cant_be_sent(api, cast):
    connect(cast["ann"], cast["ben"])
    eves = _upload(api["eve"], pdf_upload()).json()
    response = api["ann"].post("/messages", {"to": "ben", "text": "x", "media_ids": [eves["id"]]})
    assert response.status_code == 422 and response.json()["rule"] == "M1"


def test_m1_an_upload_that_is_neither_image_nor_pdf_is_refused(api, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = _upload(api["ann"], fake)
    assert response.status_code == 422 and response.json()["rule"] == "M1"


def test_idor_a_stranger_gets_404_from_every_group_door(api, cast):
    message = _start(api, cast)
    conversation = message["conversation_id"]
    eve = api["eve"]
    assert eve.get(f"/conversations/{conversation}/messages").status_code == 404
    assert eve.post(f"/conversations/{conversation}/leave").status_code == 404
    assert (
        eve.post(
            f"/conversations/{conversation}/members", {"account_ids": [str(cast["eve"].pk)]}
        ).status_code
        == 404
    )
    assert eve.delete(f"/conversations/{conversation}/members/{cast['ben'].pk}").status_code == 404
    reply = eve.post("/messages", {"conversation_id": conversation, "text": "Let me in"})
    assert reply.status_code == 404


def test_b1_blocked_members_are_left_out_of_a_groups_accounts(api, cast):
    message = _start(api, cast)
    network.block(blocker=cast["ben"], blocked=cast["cat"])
    listed = api["ben"].get("/conversations").json()
    assert [a["username"] for a in listed[0]["accounts"]] == ["ann"]
    assert message["conversation_id"] == listed[0]["id"]


def test_receipts_are_shown_and_the_setting_turns_them_off_both_ways(api, cast):
    message = _start(api, cast)
    conversation = message["conversation_id"]
    api["ben"].post(f"/conversations/{conversation}/read")
    first = api["ann"].get(f"/conversations/{conversation}/messages").json()[0]
    assert first["seen_by"] == [str(cast["ben"].pk)]
    assert api["ann"].get("/conversations").json()[0]["linkwell_seen_by"] == [str(cast["ben"].pk)]
    assert api["ann"].get("/messaging/preferences").json() == {"read_receipts": True}
    turned = api["ann"].client.patch(
        "/api/v1/messaging/preferences",
        {"read_receipts": False},
        content_type="application/json",
        **api["ann"].headers,
    )
    assert turned.json() == {"read_receipts": False}
    assert api["ann"].get(f"/conversations/{conversation}/messages").json()[0]["seen_by"] == []
    services.mark_read(member=cast["ann"], conversation_id=int(conversation))
    services.reply(sender=cast["ben"], conversation_id=int(conversation), text="Seen?")
    services.mark_read(member=cast["ann"], conversation_id=int(conversation))
    newest = api["ben"].get(f"/conversations/{conversation}/messages").json()[-1]
    assert str(cast["ann"].pk) not in newest["seen_by"]
