"""P5: a member's inbox. It knows members and plain ids of what a notice is about.

The areas that cause a notification (network, feed, portability) call notifications.services
after commit, or in the transaction that causes it; what a notification shows (the post, the
invitation, the export) is assembled by web and API through the owning area's reads, so this
area imports nothing above accounts.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MEMBER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    CONNECTION_REQUEST = "connection_request", _("Invitation received")
    CONNECTION_ACCEPTED = "connection_accepted", _("Invitation accepted")
    FOLLOW = "follow", _("New follower")
    MENTION = "mention", _("Mention")
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    REACTION = "reaction", _("Reaction")
    REPOST = "repost", _("Repost")
    MESSAGE = "message", _("Message")  # with messaging
    MESSAGE_REQUEST = "message_request", _("Message request")  # with messaging
    EXPORT_READY = "export_ready", _("Data export ready")  # portability: subject is the export


GROUPED = {Kind.REACTION, Kind.REPOST, Kind.FOLLOW}  # "Dana and 12 others reacted..."
# About the member's own things (their data export): the member is their own actor, and
# `notification_once` keeps it to one per subject.
OWN = {Kind.EXPORT_READY}


class Notification(models.Model):
    recipient = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The post (mention, comment, reply, reaction, repost), invitation or export it is about;
    # 0: none.
    subject_id = models.BigIntegerField(default=0)
    detail = models.CharField(max_length=20, blank=True)  # the reaction's type
    group_key = models.CharField(max_length=60)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "actor", "subject_id"], name="notification_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(fields=["kind", "subject_id"], name="notification_subject"),
        ]


class Marker(models.Model):
    """Mastodon's reading positions (`home`, `notifications`); the unread badge reads it."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="markers")
    timeline = models.CharField(max_length=16)
    last_read_id = models.BigIntegerField(default=0)
    version = models.IntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "timeline"], name="marker_unique"),
        ]
