"""Group conversations (M1, B1), attachments and "Seen" receipts, through the services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import Forbidden, Invalid, NotFound
from messaging import queries, services
from messaging.models import Attachment, Conversation, Participant
from network import services as network
from notifications.models import Kind, Notification
from tests.messaging.factories import connect


def jpeg_with_exif(name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    data = Image.Exif()
    data[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=data)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def pdf_upload(name="offer.pdf", body=b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"):
    return SimpleUploadedFile(name, body, "application/pdf")


def _group(cast, *, text="Kick-off on Monday"):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    message = services.start_group(creator=ann, members=[ben, cat], title="Launch", text=text)
    return message.conversation_id


def test_m1_a_group_of_connections_reads_and_writes_together(
    cast, django_capture_on_commit_callbacks
):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    with django_capture_on_commit_callbacks(execute=True):
        conversation_id = _group(cast)
    thread = queries.conversation_for(cat, conversation_id)
    assert thread.is_group and thread.title == "Launch"
    assert {m.pk for m in thread.members} == {ann.pk, ben.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(sender=ben, conversation_id=conversation_id, text="Count me in")
    page, _ = queries.messages_of(queries.conversation_for(ann, conversation_id))
    assert [m.text for m in page] == ["Kick-off on Monday", "Count me in"]
    assert Notification.objects.filter(recipient=cat, kind=Kind.MESSAGE).count() == 2
    assert Conversation.objects.get(pk=conversation_id).member_a_id is None


def test_m1_a_group_takes_only_the_creators_connections(cast):
    ann, ben, dan = cast["ann"], cast["ben"], cast["dan"]
    connect(ann, ben)
    network.follow(follower=dan, followee=ann)
    with pytest.raises(Forbidden) as refused:
        services.start_group(creator=ann, members=[ben, dan], text="Hi both")
    assert refused.value.rule == "M1" and "connect with Dan" in refused.value.message
    assert not Conversation.objects.filter(is_group=True).exists()


def test_m1_a_group_needs_two_members_and_at_most_the_limit(cast, settings):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    for other in (ben, cat, dan):
        connect(ann, other)
    with pytest.raises(Invalid) as refused:
        services.start_group(creator=ann, members=[ben], text="Just you")
    assert refused.value.rule == "M1"
    settings.LINKWELL_GROUP_MAX_MEMBERS = 2
    with pytest.raises(Invalid) as refused:
        services.start_group(creator=ann, members=[ben, cat, dan], text="Too many")
    assert refused.value.rule == "M1" and "at most 2" in refused.value.message


def test_b1_a_blocked_connection_cant_be_put_in_a_group(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    network.block(blocker=cat, blocked=ann)
    with pytest.raises(NotFound) as refused:
        services.start_group(creator=ann, members=[ben, cat], text="Hi")
    assert refused.value.rule == "B1"


def test_b1_a_block_inside_a_group_hides_each_others_messages_both_ways(
    cast, django_capture_on_commit_callbacks
):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    conversation_id = _group(cast)
    services.reply(sender=cat, conversation_id=conversation_id, text="Cat here")
    network.block(blocker=ben, blocked=cat)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(sender=ben, conversation_id=conversation_id, text="Ben here")
    assert Notification.objects.filter(recipient=ann, actor=ben).exists()
    for viewer, hidden, name in ((ben, "Cat here", "Cat"), (cat, "Ben here", "Ben")):
        thread = queries.conversation_for(viewer, conversation_id)
        page, _ = queries.messages_of(thread)
        assert hidden not in [m.text for m in page]
        assert name not in [m.name for m in thread.members]
    ann_page, _ = queries.messages_of(queries.conversation_for(ann, conversation_id))
    assert {"Cat here", "Ben here"} <= {m.text for m in ann_page}
    assert not Notification.objects.filter(recipient=cat, actor=ben).exists()


def test_m1_any_member_adds_their_connections_who_read_from_then_on(cast):
    ann, ben, dan = cast["ann"], cast["ben"], cast["dan"]
    conversation_id = _group(cast, text="Before Dan")
    connect(ben, dan)
    services.add_to_group(by=ben, conversation_id=conversation_id, members=[dan])
    services.add_to_group(by=ben, conversation_id=conversation_id, members=[dan])  # idempotent
    assert Participant.objects.filter(conversation_id=conversation_id, member=dan).count() == 1
    services.reply(sender=ann, conversation_id=conversation_id, text="Welcome Dan")
    page, _ = queries.messages_of(queries.conversation_for(dan, conversation_id))
    assert [m.text for m in page] == ["Welcome Dan"]


def test_m1_adding_someone_who_isnt_your_connection_is_refused(cast):
    ben, eve = cast["ben"], cast["eve"]
    conversation_id = _group(cast)
    with pytest.raises(Forbidden) as refused:
        services.add_to_group(by=ben, conversation_id=conversation_id, members=[eve])
    assert refused.value.rule == "M1"


def test_m1_a_removed_or_departed_member_loses_the_conversation(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    conversation_id = _group(cast)
    services.remove_from_group(by=ben, conversation_id=conversation_id, member_id=cat.pk)
    with pytest.raises(NotFound):
        queries.conversation_for(cat, conversation_id)
    with pytest.raises(NotFound):
        services.reply(sender=cat, conversation_id=conversation_id, text="Still here?")
    services.leave_group(member=ben, conversation_id=conversation_id)
    with pytest.raises(NotFound):
        services.leave_group(member=ben, conversation_id=conversation_id)
    assert [m.pk for m in queries.conversation_for(ann, conversation_id).members] == []
    with pytest.raises(Invalid):
        services.reply(sender=ann, conversation_id=conversation_id, text="Anyone?")


def test_m1_a_message_carries_images_without_exif_and_pdfs(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(
        sender=ann, recipient=ben, text="", files=[jpeg_with_exif(), pdf_upload()]
    )
    image, pdf = sorted(message.attachments.all(), key=lambda a: a.position)
    assert image.kind == "image" and pdf.kind == "pdf" and pdf.name == "offer.pdf"
    stored = Image.open(image.file.open("rb"))
    assert stored.format == "WEBP" and 0x010F not in stored.getexif()
    assert pdf.file.open("rb").read().startswith(b"%PDF-")


def test_m1_an_attachment_is_sniffed_by_its_bytes_and_counted(cast, settings):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    fake = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(Invalid) as refused:
        services.send(sender=ann, recipient=ben, text="See attached", files=[fake])
    assert refused.value.rule == "M1" and "PDF" in refused.value.message
    with pytest.raises(Invalid) as refused:
        services.send(sender=ann, recipient=ben, text="Five", files=[pdf_upload()] * 5)
    assert "at most 4" in refused.value.message
    settings.LINKWELL_MESSAGE_FILE_MAX_BYTES = 10
    with pytest.raises(Invalid) as refused:
        services.send(sender=ann, recipient=ben, text="Big", files=[pdf_upload()])
    assert refused.value.rule == "M1"
    assert not Attachment.objects.exists()


def test_m4_a_message_request_is_text_only(cast):
    ann, eve = cast["ann"], cast["eve"]
    with pytest.raises(Invalid) as refused:
        services.send(sender=eve, recipient=ann, text="Hi", files=[pdf_upload()])
    assert refused.value.rule == "M4"


def test_m1_an_attachment_is_only_its_participants(cast):
    ann, ben, cat, eve = cast["ann"], cast["ben"], cast["cat"], cast["eve"]
    conversation_id = _group(cast)
    message = services.reply(
        sender=ann, conversation_id=conversation_id, text="Deck", files=[pdf_upload()]
    )
    attachment = message.attachments.get()
    assert queries.attachment_for(cat, attachment.pk) == attachment
    for stranger in (eve, None):
        with pytest.raises(NotFound):
            queries.attachment_for(stranger, attachment.pk)
    services.remove_from_group(by=ann, conversation_id=conversation_id, member_id=cat.pk)
    with pytest.raises(NotFound):
        queries.attachment_for(cat, attachment.pk)
    assert queries.attachment_for(ben, attachment.pk) == attachment


def test_receipts_show_who_has_seen_a_message_unless_turned_off(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    conversation_id = _group(cast)
    newest = queries.conversation_for(ann, conversation_id).last_message
    services.mark_read(member=ben, conversation_id=conversation_id)
    marks = queries.read_marks(queries.conversation_for(ann, conversation_id))
    assert queries.seen_by(marks, newest) == [ben.pk]
    services.set_read_receipts(member=cat, on=False)
    services.mark_read(member=cat, conversation_id=conversation_id)
    marks = queries.read_marks(queries.conversation_for(ann, conversation_id))
    assert queries.seen_by(marks, newest) == [ben.pk]  # Cat sends none
    assert queries.read_marks(queries.conversation_for(cat, conversation_id)) == {}  # sees none
    services.set_read_receipts(member=cat, on=False)  # again: nothing more
    assert not queries.read_receipts_on(cat)
