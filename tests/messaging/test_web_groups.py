"""Groups, attachments and receipts on the messaging pages (M1, B1), and the doors of an
attachment: a stranger, a removed participant and a signed-out reader get 404."""

from django.test import Client

from messaging import queries, services
from tests.html import one, text
from tests.messaging.factories import connect
from tests.messaging.test_groups import jpeg_with_exif, pdf_upload


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _connect_all(cast):
    for other in ("ben", "cat", "dan"):
        connect(cast["ann"], cast[other])


def test_m1_the_new_group_page_starts_a_group_with_names_and_attachments(cast):
    _connect_all(cast)
    client = signed_in(cast["ann"])
    assert client.get("/messaging/new-group/").status_code == 200
    answer = client.post(
        "/messaging/new-group/",
        {
            "title": "",
            "to": "@ben, cat",
            "text": "Slides attached",
            "files": [jpeg_with_exif(), pdf_upload()],
        },
    )
    assert answer.status_code == 302
    thread = signed_in(cast["cat"]).get(answer["Location"]).content.decode()
    assert "Ann, Ben" in text(one(thread, "h1#group-title"))
    members = text(one(thread, "details#group-members"))
    assert "Ann" in members and "Ben" in members and "3 members" in members
    assert "offer.pdf" in thread and "message-image" in thread


def test_m1_the_new_group_page_refuses_a_non_connection_and_keeps_what_was_typed(cast):
    connect(cast["ann"], cast["ben"])
    page = signed_in(cast["ann"]).post(
        "/messaging/new-group/", {"to": "ben eve", "text": "Hello both", "title": "Team"}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "connect with Eve to add them" in text(one(body, "#group-error"))
    assert "Hello both" in body


def test_m1_members_are_added_removed_and_leave_from_the_thread(cast):
    _connect_all(cast)
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    conversation_id = services.start_group(
        creator=ann, members=[ben, cat], text="Hi"
    ).conversation_id
    client = signed_in(ann)
    assert client.post(f"/messaging/{conversation_id}/members/", {"to": "@dan"}).status_code == 302
    assert dan.pk in {m.pk for m in queries.conversation_for(ann, conversation_id).members}
    removed = client.post(f"/messaging/{conversation_id}/members/{dan.pk}/remove/")
    assert removed.status_code == 302
    assert signed_in(dan).get(f"/messaging/{conversation_id}/").status_code == 404
    left = signed_in(cat).post(f"/messaging/{conversation_id}/leave/")
    assert left.status_code == 302 and left["Location"] == "/messaging/"
    assert signed_in(cat).get(f"/messaging/{conversation_id}/").status_code == 404


def test_m1_an_attachment_is_served_to_participants_only(cast):
    _connect_all(cast)
    ann, ben, cat, eve = cast["ann"], cast["ben"], cast["cat"], cast["eve"]
    message = services.start_group(
        creator=ann, members=[ben, cat], text="Offer", files=[pdf_upload(), jpeg_with_exif()]
    )
    pdf, image = sorted(message.attachments.all(), key=lambda a: a.position)
    url = f"/messaging/attachments/{pdf.pk}/full/"
    served = signed_in(cat).get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    preview = signed_in(ben).get(f"/messaging/attachments/{image.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/webp"
    assert signed_in(eve).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    services.remove_from_group(by=ann, conversation_id=message.conversation_id, member_id=cat.pk)
    assert signed_in(cat).get(url).status_code == 404


def test_receipts_show_seen_in_the_thread_and_the_setting_hides_them(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Read me")
    page = signed_in(ann).get(f"/messaging/{message.conversation_id}/").content.decode()
    assert text(one(page, "p#seen")).strip() == ""
    signed_in(ben).get(f"/messaging/{message.conversation_id}/")  # opening it reads it
    page = signed_in(ann).get(f"/messaging/{message.conversation_id}/").content.decode()
    assert text(one(page, "p#seen")).strip() == "Seen"
    client = signed_in(ann)
    assert client.post("/messaging/settings/", {}).status_code == 302  # unchecked: off
    assert not queries.read_receipts_on(ann)
    page = client.get(f"/messaging/{message.conversation_id}/").content.decode()
    assert text(one(page, "p#seen")).strip() == ""
    settings_page = client.get("/messaging/settings/").content.decode()
    assert "checked" not in dict(one(settings_page, "#read-receipts").attributes)
