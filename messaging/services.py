"""Writes of messaging: M1–M6, one transaction each, idempotent.

Who may write is `queries.can_message`, asked inside the send's transaction with both member
rows locked (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers already). A
client's idempotency key makes a retried send return the first message, and the constraints
(one conversation per pair, one pending request, one spend per credit slot) turn a race into
a retry that finds the state already reached. Notifications and live events go after commit.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from accounts.services import lock_members
from core import clock, live
from core.errors import Invalid, NotFound
from feed import images
from feed import text as texts
from messaging import queries
from messaging.models import (
    Attachment,
    AttachmentKind,
    Conversation,
    CreditSpend,
    Message,
    MessageRequest,
    MessagingSettings,
    Participant,
    RequestStatus,
    Route,
)
from notifications import services as notices
from notifications.models import Kind
from relationships import services as relationships

EMPTY_MESSAGE = _("A message needs some text.")
MESSAGE_TOO_LONG = _("A message is at most %(max)s characters.")
INMAIL_TOO_LONG = _("An InMail is at most %(max)s characters.")
SUBJECT_TOO_LONG = _("A subject is at most %(max)s characters.")
NO_CREDIT_LEFT = _("You have no InMail credits left.")
TOO_MANY_ATTACHMENTS = _("A message can carry at most %(max)s attachments.")
ATTACHMENT_BAD_TYPE = _("An attachment must be an image (JPEG, PNG, WebP or GIF) or a PDF file.")
FILE_TOO_BIG = _("A PDF file can be at most %(limit)s MB.")
ATTACHMENT_NOT_FOUND = _("That attachment isn't yours to send, or was sent already.")
INMAIL_NO_ATTACHMENTS = _("A first message to someone outside your connections is text only.")
GROUP_NEEDS_MEMBERS = _("Choose at least two connections for a group conversation.")
GROUP_TITLE_TOO_LONG = _("A group's name is at most %(max)s characters.")
NOT_A_GROUP = _("Only a group conversation has members to add or remove.")
ALONE_IN_GROUP = _("Everyone else has left this conversation; start a new one to write.")


def _clean(
    text_in: str, subject_in: str, *, inmail: bool, with_files: bool = False
) -> tuple[str, str]:
    text = texts.clean_text(text_in)
    subject = " ".join(texts.clean_text(subject_in).split())
    if not text and not with_files:
        raise Invalid(EMPTY_MESSAGE, rule="M1")
    maximum = settings.LINKWELL_MESSAGE_MAX_CHARACTERS
    if inmail:
        maximum = min(maximum, settings.LINKWELL_INMAIL_MAX_CHARACTERS)
        if len(text) > maximum:
            raise Invalid(INMAIL_TOO_LONG % {"max": maximum}, rule="M3")
    if len(text) > maximum:
        raise Invalid(MESSAGE_TOO_LONG % {"max": maximum}, rule="M1")
    if len(subject) > settings.LINKWELL_INMAIL_SUBJECT_MAX:
        raise Invalid(SUBJECT_TOO_LONG % {"max": settings.LINKWELL_INMAIL_SUBJECT_MAX}, rule="M3")
    return text, subject


def _already_sent(sender: User, key: str) -> Message | None:
    if not key:
        return None
    return Message.objects.filter(sender=sender, idempotency_key=key).first()


def send(
    *,
    sender: User,
    recipient: User,
    text: str,
    subject: str = "",
    idempotency_key: str = "",
    files=(),
    attachment_ids=(),
) -> Message:
    """M1–M6: a message to `recipient` by the route `can_message` allows, a message request
    for a first message from a non-connection (M4), an InMail credit spent where it costs
    one (M3). `files` (uploads) and `attachment_ids` (uploaded before, the API's) attach up
    to four images or PDFs. The same `idempotency_key` again returns the first message."""
    key = (idempotency_key or "")[:100]
    found = _already_sent(sender, key)
    if found is not None:
        return found
    prepared = prepare_files(files, already=len(attachment_ids or ()))
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _send_locked(
                    sender, recipient, text, subject, key, prepared, list(attachment_ids or ())
                )
        except IntegrityError:  # a concurrent writer got there first: look again
            found = _already_sent(sender, key)
            if found is not None:
                return found
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def reply(
    *,
    sender: User,
    conversation_id: int,
    text: str,
    idempotency_key: str = "",
    files=(),
    attachment_ids=(),
) -> Message:
    """A message in a conversation the sender reads (`conversation_for`), under the same
    rules as `send`: removing a connection leaves the history but needs the rules again.
    In a group, its members write freely (they were connections of whoever added them)."""
    thread = queries.conversation_for(sender, conversation_id)
    if thread.is_group:
        key = (idempotency_key or "")[:100]
        found = _already_sent(sender, key)
        if found is not None:
            return found
        prepared = prepare_files(files, already=len(attachment_ids or ()))
        try:
            with transaction.atomic():
                return _send_to_group(
                    sender, thread, text, key, prepared, list(attachment_ids or ())
                )
        except IntegrityError:  # the same key, sent concurrently: that message
            found = _already_sent(sender, key)
            if found is None:
                raise
            return found
    return send(
        sender=sender,
        recipient=thread.other,
        text=text,
        idempotency_key=idempotency_key,
        files=files,
        attachment_ids=attachment_ids,
    )


# --- Attachments (up to 4 images or PDFs a message) ---------------------------------------

PDF_MAGIC = b"%PDF-"


def _pdf_name(name: str) -> str:
    base = os.path.basename(name or "").strip() or "document.pdf"
    base = "".join(c for c in base if c.isprintable() and c not in '"\\/')[:150]
    return base if base.lower().endswith(".pdf") else f"{base}.pdf"


def prepare_files(files, *, already: int = 0) -> list[dict]:
    """Uploads checked and made safe before any write: the bytes decide the type (a PDF by
    its magic bytes and size; anything else must be an image Pillow reads, re-encoded by
    feed.images so EXIF goes, as for a post's image)."""
    files = [f for f in files or () if f is not None]
    maximum = settings.LINKWELL_MESSAGE_MAX_ATTACHMENTS
    if len(files) + already > maximum:
        raise Invalid(TOO_MANY_ATTACHMENTS % {"max": maximum}, rule="M1")
    prepared = []
    for upload in files:
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head == PDF_MAGIC:
            limit = settings.LINKWELL_MESSAGE_FILE_MAX_BYTES
            if upload.size > limit:
                raise Invalid(FILE_TOO_BIG % {"limit": f"{limit / (1024 * 1024):g}"}, rule="M1")
            data = upload.read()
            prepared.append(
                {"kind": AttachmentKind.PDF, "full": data, "name": _pdf_name(upload.name)}
            )
            continue
        try:
            image = images.prepare(upload)
        except Invalid as exc:
            sentence = ATTACHMENT_BAD_TYPE if exc.message == images.IMAGE_BAD_TYPE else exc.message
            raise Invalid(sentence, rule="M1") from exc
        prepared.append({"kind": AttachmentKind.IMAGE, **image})
    return prepared


def _store(uploader: User, item: dict, *, message: Message | None, position: int, now):
    extension = "pdf" if item["kind"] == AttachmentKind.PDF else "webp"
    attachment = Attachment(
        uploader=uploader,
        message=message,
        kind=item["kind"],
        name=item.get("name", ""),
        size=len(item["full"]),
        width=item.get("width"),
        height=item.get("height"),
        position=position,
        created_at=now,
    )
    attachment.file.save(f"m.{extension}", ContentFile(item["full"]), save=False)
    if item.get("preview"):
        attachment.preview.save("p.webp", ContentFile(item["preview"]), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def upload_attachment(*, uploader: User, upload) -> Attachment:
    """The API's first step (`POST /api/v1/messages/attachments`): an attachment that only
    its uploader sees until a message carries it (`media_ids[]`)."""
    item = prepare_files([upload])[0]
    return _store(uploader, item, message=None, position=0, now=clock.now())


def _attach(sender: User, message: Message, prepared: list[dict], attachment_ids: list, now):
    ids = list(dict.fromkeys(int(i) for i in attachment_ids))
    if len(ids) + len(prepared) > settings.LINKWELL_MESSAGE_MAX_ATTACHMENTS:
        maximum = settings.LINKWELL_MESSAGE_MAX_ATTACHMENTS
        raise Invalid(TOO_MANY_ATTACHMENTS % {"max": maximum}, rule="M1")
    found = queries.unsent_attachments(sender, ids)
    if len(found) != len(ids):
        raise Invalid(ATTACHMENT_NOT_FOUND, rule="M1")
    position = 0
    for attachment in found:
        Attachment.objects.filter(pk=attachment.pk, message__isnull=True).update(
            message=message, position=position
        )
        position += 1
    for item in prepared:
        _store(sender, item, message=message, position=position, now=now)
        position += 1


def _send_locked(sender, recipient, text_in, subject_in, key, prepared, attachment_ids) -> Message:
    lock_members(sender.pk, recipient.pk)
    route = queries.can_message(sender, recipient).check()
    with_files = bool(prepared or attachment_ids)
    if with_files and route.request:
        raise Invalid(INMAIL_NO_ATTACHMENTS, rule="M4")
    text, subject = _clean(
        text_in, subject_in, inmail=route.route == Route.INMAIL, with_files=with_files
    )
    now = clock.now()
    conversation = _conversation(sender.pk, recipient.pk, now)
    request = None
    if route.request:
        request = MessageRequest.objects.create(
            conversation=conversation,
            sender=sender,
            recipient=recipient,
            route=route.route,
            created_at=now,
        )
        if route.costs_credit:
            _spend_credit(sender, request, now)
    elif route.route == queries.REPLY:
        _accept(conversation, by=sender, now=now)
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        subject=subject if request is not None else "",
        text=text,
        html=texts.render(text).html,
        idempotency_key=key,
        created_at=now,
    )
    if request is not None:
        request.first_message_id = message.pk
        request.save(update_fields=["first_message_id"])
    if with_files:
        _attach(sender, message, prepared, attachment_ids, now)
    _refund_on_reply(conversation, sender, now)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_id=message.pk, last_message_at=now
    )
    Participant.objects.filter(conversation=conversation, member=sender).update(
        last_read_id=message.pk
    )
    kind = Kind.MESSAGE_REQUEST if request is not None else Kind.MESSAGE
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=recipient.pk, actor_id=sender.pk, kind=kind, subject_id=message.pk
        )
    )
    _publish(conversation, message)
    transaction.on_commit(  # A4: relationships sits below messaging
        lambda: relationships.record_interaction(
            actor_id=sender.pk, other_id=recipient.pk, kind="messages"
        )
    )
    return message


def _conversation(x: int, y: int, now) -> Conversation:
    a, b = queries.pair(x, y)
    conversation, _ = Conversation.objects.get_or_create(
        member_a_id=a, member_b_id=b, defaults={"created_at": now}
    )
    for member_id in (a, b):
        Participant.objects.get_or_create(conversation=conversation, member_id=member_id)
    return conversation


def _spend_credit(sender: User, request: MessageRequest, now) -> None:
    slots = queries.credit_slots(sender, now)
    if not slots:  # can_message saw one a moment ago; a concurrent spend took it
        raise Invalid(NO_CREDIT_LEFT, rule="M3")
    granted_at, slot = slots[0]
    CreditSpend.objects.create(
        member=sender,
        granted_on=granted_at.date().replace(day=1),
        slot=slot,
        request=request,
        spent_at=now,
    )


def _refund_on_reply(conversation: Conversation, sender: User, now) -> None:
    """M3: the recipient of an InMail answered, so its credit comes back."""
    CreditSpend.objects.filter(
        request__conversation=conversation,
        request__recipient=sender,
        refunded_at__isnull=True,
    ).update(refunded_at=now)


def _accept(conversation: Conversation, *, by: User, now) -> None:
    MessageRequest.objects.filter(
        conversation=conversation, recipient=by, status=RequestStatus.PENDING
    ).update(status=RequestStatus.ACCEPTED, answered_at=now)
    if conversation.opened_at is None:
        conversation.opened_at = now
        Conversation.objects.filter(pk=conversation.pk).update(opened_at=now)


@transaction.atomic
def accept_request(*, member: User, request_id: int) -> MessageRequest:
    """M4: the conversation opens both ways. Accepting twice changes nothing more."""
    found = MessageRequest.objects.filter(pk=request_id, recipient=member).first()
    if found is not None and found.status == RequestStatus.ACCEPTED:
        queries.conversation_for(member, found.conversation_id)
        return found
    request = queries.pending_request(member, request_id)
    _accept(request.conversation, by=member, now=clock.now())
    request.refresh_from_db()
    return request


@transaction.atomic
def decline_request(*, member: User, request_id: int) -> MessageRequest:
    """M4: the request leaves the recipient's inbox, and its sender can't send another for
    `LINKWELL_MESSAGE_REQUEST_COOLDOWN_DAYS`. The sender is not told. Declining twice
    changes nothing more."""
    found = MessageRequest.objects.filter(pk=request_id, recipient=member).first()
    if found is not None and found.status == RequestStatus.DECLINED:
        return found
    request = queries.pending_request(member, request_id)
    now = clock.now()
    request.status = RequestStatus.DECLINED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at"])
    conversation = request.conversation
    Participant.objects.filter(conversation=conversation, member=member).update(
        cleared_up_to=conversation.last_message_id, last_read_id=conversation.last_message_id
    )
    return request


@transaction.atomic
def mark_read(*, member: User, conversation_id: int) -> queries.Thread:
    """Everything in the conversation is read, up to its newest message."""
    thread = queries.conversation_for(member, conversation_id)
    newest = thread.conversation.last_message_id
    if thread.me.last_read_id < newest:
        Participant.objects.filter(pk=thread.me.pk).update(last_read_id=newest)
        thread.me.last_read_id = newest
        thread.unread = False
        if queries.read_receipts_on(member):  # a receipt: the others' pages show "Seen"
            live.publish_many_after_commit(
                [m.pk for m in thread.members],
                "conversation",
                {"conversation_id": thread.pk, "read_by": member.pk},
            )
    return thread


@transaction.atomic
def delete_for_me(*, member: User, conversation_id: int) -> None:
    """Delete-for-me (Mastodon's DELETE /conversations/:id): the thread leaves the member's
    inbox with its messages; the other member keeps theirs; a new message starts afresh."""
    thread = queries.conversation_for(member, conversation_id)
    newest = thread.conversation.last_message_id
    Participant.objects.filter(pk=thread.me.pk).update(cleared_up_to=newest, last_read_id=newest)


def forget_member(*, member: User) -> None:
    """U4, messaging's part: the messages the member sent go, and with them their 1:1
    conversations (the other member's side of a thread with no one left in it)."""
    gone = [
        name
        for row in Attachment.objects.filter(Q(uploader=member) | Q(message__sender=member))
        for name in (row.file.name, row.preview.name)
        if name
    ]
    Attachment.objects.filter(Q(uploader=member) | Q(message__sender=member)).delete()
    Message.objects.filter(sender=member).delete()
    Conversation.objects.filter(Q(member_a=member) | Q(member_b=member)).delete()
    Participant.objects.filter(member=member).delete()
    CreditSpend.objects.filter(member=member).delete()
    MessagingSettings.objects.filter(member=member).delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in gone])


def _publish(conversation: Conversation, message: Message, member_ids=None) -> None:
    """After commit: the participants' open streams (a group's: `member_ids`, those who see
    the sender) hear of the conversation (`conversation`); each stream asks the door again,
    so a member blocked since sees nothing."""
    if member_ids is None:
        member_ids = [conversation.member_a_id, conversation.member_b_id]
    data = {"conversation_id": conversation.pk, "message": message.pk, "sender": message.sender_id}
    live.publish_many_after_commit(member_ids, "conversation", data)


# --- Group conversations (M1, B1) -----------------------------------------------------------


def _group_title(title: str) -> str:
    title = " ".join(texts.clean_text(title or "").split())
    if len(title) > 100:
        raise Invalid(GROUP_TITLE_TOO_LONG % {"max": 100}, rule="M1")
    return title


def _check_size(count: int) -> None:
    maximum = settings.LINKWELL_GROUP_MAX_MEMBERS
    if count > maximum:
        raise Invalid(queries.GROUP_TOO_LARGE % {"max": maximum}, rule="M1")


def start_group(
    *,
    creator: User,
    members: list[User],
    text: str,
    title: str = "",
    idempotency_key: str = "",
    files=(),
    attachment_ids=(),
) -> Message:
    """A group conversation of the creator's connections (at most 50 besides the creator),
    opened by its first message. Every member passes `can_message` as a connection (M1; a
    block either way is the NotFound of an unknown member, B1). The same key again returns
    the first message."""
    key = (idempotency_key or "")[:100]
    found = _already_sent(creator, key)
    if found is not None:
        return found
    people = list({m.pk: m for m in members if m.pk != creator.pk}.values())
    if len(people) < 2:
        raise Invalid(GROUP_NEEDS_MEMBERS, rule="M1")
    _check_size(len(people))
    title = _group_title(title)
    prepared = prepare_files(files, already=len(attachment_ids or ()))
    try:
        return _start_group(creator, people, title, text, key, prepared, attachment_ids)
    except IntegrityError:  # the same key, sent concurrently: that message
        found = _already_sent(creator, key)
        if found is None:
            raise
        return found


@transaction.atomic
def _start_group(creator, people, title, text, key, prepared, attachment_ids) -> Message:
    queries.check_group_members(creator, people)
    now = clock.now()
    conversation = Conversation.objects.create(
        is_group=True, creator=creator, title=title, created_at=now, opened_at=now
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, member=m) for m in [creator, *people]]
    )
    thread = queries.conversation_for(creator, conversation.pk)
    return _send_to_group(creator, thread, text, key, prepared, list(attachment_ids or ()))


def _send_to_group(sender, thread, text_in, key, prepared, attachment_ids) -> Message:
    """A message to a group's participants; members blocked either way with the sender
    don't see it (B1) and aren't told of it."""
    if not thread.members and not thread.hidden:
        raise Invalid(ALONE_IN_GROUP, rule="M1")
    with_files = bool(prepared or attachment_ids)
    text, _subject = _clean(text_in, "", inmail=False, with_files=with_files)
    now = clock.now()
    conversation = thread.conversation
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        text=text,
        html=texts.render(text).html,
        idempotency_key=key,
        created_at=now,
    )
    if with_files:
        _attach(sender, message, prepared, attachment_ids, now)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_id=message.pk, last_message_at=now
    )
    Participant.objects.filter(conversation=conversation, member=sender).update(
        last_read_id=message.pk
    )
    told = [m.pk for m in thread.members]
    transaction.on_commit(
        lambda: [
            notices.notify(
                recipient_id=member_id, actor_id=sender.pk, kind=Kind.MESSAGE, subject_id=message.pk
            )
            for member_id in told
        ]
    )
    conversation.last_message_id = message.pk
    _publish(conversation, message, [sender.pk, *told])
    return message


def _group_for(member: User, conversation_id: int) -> queries.Thread:
    thread = queries.conversation_for(member, conversation_id)
    if not thread.is_group:
        raise Invalid(NOT_A_GROUP, rule="M1")
    return thread


@transaction.atomic
def add_to_group(*, by: User, conversation_id: int, members: list[User]) -> queries.Thread:
    """Any participant adds their own connections (M1, B1 as when creating); a newcomer reads
    what is written from then on, not the history before. Adding someone already in changes
    nothing more."""
    thread = _group_for(by, conversation_id)
    present = set(
        Participant.objects.filter(conversation_id=thread.pk).values_list("member_id", flat=True)
    )
    new = [m for m in {m.pk: m for m in members}.values() if m.pk not in present]
    if not new:
        return thread
    queries.check_group_members(by, new)
    _check_size(len(present) + len(new) - 1)
    last = thread.conversation.last_message_id
    for member in new:
        Participant.objects.get_or_create(
            conversation_id=thread.pk,
            member=member,
            defaults={"cleared_up_to": last, "last_read_id": last},
        )
    live.publish_many_after_commit(
        present | {m.pk for m in new},
        "conversation",
        {"conversation_id": thread.pk, "members": True},
    )
    return queries.conversation_for(by, thread.pk)


@transaction.atomic
def remove_from_group(*, by: User, conversation_id: int, member_id: int) -> queries.Thread:
    """Any participant removes another, as on LinkedIn; the removed member loses the
    conversation, its messages and its attachments at once (every door answers 404).
    Removing someone already gone changes nothing more."""
    thread = _group_for(by, conversation_id)
    if member_id == by.pk:
        leave_group(member=by, conversation_id=conversation_id)
        return thread
    if member_id in thread.hidden:
        raise NotFound(MEMBER_NOT_FOUND, rule="B1")
    Participant.objects.filter(conversation_id=thread.pk, member_id=member_id).delete()
    return queries.conversation_for(by, thread.pk)


@transaction.atomic
def leave_group(*, member: User, conversation_id: int) -> None:
    """The member leaves a group: it, its messages and attachments are gone for them; the
    others go on. Leaving twice is the 404 of a conversation that isn't theirs."""
    thread = _group_for(member, conversation_id)
    Participant.objects.filter(pk=thread.me.pk).delete()


# --- Settings -------------------------------------------------------------------------------


@transaction.atomic
def set_read_receipts(*, member: User, on: bool) -> bool:
    """ "Seen" receipts on or off: off, the member neither sends nor sees them."""
    MessagingSettings.objects.update_or_create(member=member, defaults={"read_receipts": on})
    return on
