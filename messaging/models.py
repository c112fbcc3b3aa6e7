"""M1–M6: conversations between two members, their messages, read state, message requests
and InMail credits spent.

Invariants are constraints, so a race can't break them on either database: one conversation
per pair (`member_a < member_b`), one participant row per member and conversation, one
pending request per conversation, a client's idempotency key used once per sender, and a
credit slot of a month's grant spent at most once unless refunded.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

MEMBER = settings.AUTH_USER_MODEL


class Conversation(models.Model):
    """A 1:1 thread, stored with member_a < member_b, or a group (`is_group`: no pair, its
    members are its participants, at most LINKWELL_GROUP_MAX_MEMBERS). `opened_at`: a message
    request was accepted, so either may write whatever their relationship (M4)."""

    member_a = models.ForeignKey(
        MEMBER, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member_b = models.ForeignKey(
        MEMBER, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_group = models.BooleanField(default=False)
    creator = models.ForeignKey(
        MEMBER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    last_message_id = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(member_a__lt=F("member_b")), name="conversation_ordered_pair"
            ),
            models.UniqueConstraint(fields=["member_a", "member_b"], name="conversation_unique"),
            models.CheckConstraint(
                condition=Q(is_group=True, member_a__isnull=True, member_b__isnull=True)
                | Q(is_group=False, member_a__isnull=False, member_b__isnull=False),
                name="conversation_pair_or_group",
            ),
        ]
        indexes = [models.Index(fields=["member_b", "member_a"])]

    def other(self, member_id: int) -> int | None:
        """The other member of a 1:1 conversation; None in a group."""
        if self.is_group:
            return None
        return self.member_b_id if member_id == self.member_a_id else self.member_a_id


class Participant(models.Model):
    """One member's side of a conversation: what they read and what they cleared."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    # Delete-for-me: messages up to this id are gone for this member; a newer one brings the
    # conversation back with only what follows.
    cleared_up_to = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["member", "conversation"])]


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200, blank=True)  # InMail's (M3)
    text = models.TextField()
    html = models.TextField()
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="message_idempotency_once",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "-id"])]


class Route(models.TextChoices):
    """How a first message from a non-connection reached the recipient (M2, M3, M5)."""

    OPEN_PROFILE = "open_profile", "Open Profile"
    COWORKER = "coworker", "Coworker"
    INMAIL = "inmail", "InMail"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class MessageRequest(models.Model):
    """M4: a first message from a non-connection waits for the recipient's answer."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="requests"
    )
    sender = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    route = models.CharField(max_length=12, choices=Route.choices)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    first_message_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=F("recipient")), name="message_request_not_self"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="message_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(route__in=Route.values), name="message_request_route_valid"
            ),
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(status="pending"),
                name="message_request_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status", "-created_at"]),
            models.Index(fields=["sender", "recipient", "-answered_at"]),
        ]


class CreditSpend(models.Model):
    """M3: one InMail credit spent. A member is granted `LINKWELL_INMAIL_CREDITS_PER_MONTH`
    credits on the first of each month from the month they joined, each lasting 90 days;
    credits are not rows until spent, so granting costs no write. A spend takes a free
    `slot` of one month's grant, oldest first; a refund (the recipient replied) frees it."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    granted_on = models.DateField()  # the first of the month whose grant it came from
    slot = models.PositiveSmallIntegerField()
    request = models.ForeignKey(
        MessageRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="credits"
    )
    spent_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(slot__gte=1), name="credit_slot_positive"),
            models.UniqueConstraint(
                fields=["member", "granted_on", "slot"],
                condition=Q(refunded_at__isnull=True),
                name="credit_slot_spent_once",
            ),
        ]
        indexes = [models.Index(fields=["member", "granted_on"])]


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "Image"
    PDF = "pdf", "PDF"


class Attachment(models.Model):
    """An image (re-encoded by feed.images: EXIF gone) or a PDF (its magic bytes checked) on a
    message; served only through `queries.attachment_for`, to the conversation's current
    participants. `message` is empty between an API upload and the send that uses it."""

    uploader = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    kind = models.CharField(max_length=5, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="messages/%Y/%m/")
    preview = models.FileField(upload_to="messages/%Y/%m/", blank=True)
    name = models.CharField(max_length=200, blank=True)  # a PDF's name, as shown
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["message", "position"])]


class MessagingSettings(models.Model):
    """A member's messaging choices. `read_receipts` off: the member neither sends "Seen"
    receipts nor sees others' (as LinkedIn does). No row: the defaults."""

    member = models.OneToOneField(
        MEMBER, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    read_receipts = models.BooleanField(default=True)
