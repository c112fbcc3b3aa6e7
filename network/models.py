"""N1–N10, F1, B1–B3: invitations, connections, follows and blocks.

Every invariant a race could break is a database constraint, so both SQLite and
PostgreSQL refuse a second pending invitation, a duplicate connection or a self-edge.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least

MEMBER = settings.AUTH_USER_MODEL


class InvitationReason(models.TextChoices):  # N1
    COLLEAGUE = "colleague", "We worked together"
    CLASSMATE = "classmate", "We studied together"
    MET = "met", "We met"
    LEARN = "learn", "I'd like to learn from you"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # ignored ones stay pending for the sender (N3)
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DONT_KNOW = "dont_know", "I don't know this person"


class Invitation(models.Model):
    sender = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="invitations_sent")
    recipient = models.ForeignKey(
        MEMBER, on_delete=models.CASCADE, related_name="invitations_received"
    )
    note = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=10, choices=InvitationReason.choices, blank=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(db_index=True)
    ignored_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="invitation_not_self"
            ),
            models.UniqueConstraint(
                Least("sender", "recipient"),
                Greatest("sender", "recipient"),
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status", "-created_at"]),
            models.Index(fields=["sender", "status", "-created_at"]),
            # Keyset pages of one's invitations, newest first (issue 10).
            models.Index(fields=["recipient", "status", "-id"], name="invitation_received_page"),
            models.Index(fields=["sender", "status", "-id"], name="invitation_sent_page"),
        ]


class Connection(models.Model):
    """One row per connected pair, stored with member_a < member_b (N2: never a duplicate)."""

    member_a = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    # A1: the invitation's reason and note (the inviter's side) stay on the connection, whatever
    # becomes of the invitation or the follows; each side may change its own words later.
    reason = models.CharField(max_length=10, choices=InvitationReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    invited_by = models.ForeignKey(
        MEMBER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_reason = models.CharField(max_length=10, choices=InvitationReason.choices, blank=True)
    recipient_note = models.CharField(max_length=300, blank=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")),
                name="connection_ordered_pair",
            ),
            models.UniqueConstraint(fields=["member_a", "member_b"], name="connection_unique"),
        ]
        indexes = [
            models.Index(fields=["member_b", "member_a"]),
            # Keyset pages of one member's connections: one range per side (issue 10).
            models.Index(fields=["member_a", "-id"], name="connection_a_page"),
            models.Index(fields=["member_b", "-id"], name="connection_b_page"),
        ]


class ConnectionEvent(models.Model):
    """Append-only log of connection changes; graph indexes replay it past their snapshot.

    Plain integers, not foreign keys: deleting a member must not erase the log that tells
    every worker to drop the member's edges.
    """

    member_a = models.BigIntegerField()
    member_b = models.BigIntegerField()
    connected = models.BooleanField()
    at = models.DateTimeField()


class Follow(models.Model):
    # No index of their own: the page indexes below lead with each column. With one, the
    # planner read a leader's 20,884 follows by it and sorted them (7.3 ms) rather than take
    # the first 40 of "follow_following_page" (0.9 ms), 1M members (docs/benchmarks.md).
    follower = models.ForeignKey(
        MEMBER, on_delete=models.CASCADE, related_name="following_set", db_index=False
    )
    followee = models.ForeignKey(
        MEMBER, on_delete=models.CASCADE, related_name="follower_set", db_index=False
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
        ]
        indexes = [
            models.Index(fields=["followee", "-created_at"]),
            # Keyset pages of followers and following, newest follow first (issue 10).
            models.Index(fields=["followee", "-id"], name="follow_followers_page"),
            models.Index(fields=["follower", "-id"], name="follow_following_page"),
        ]


class Block(models.Model):
    blocker = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
        ]
        indexes = [
            models.Index(fields=["blocked", "blocker"]),
            models.Index(fields=["blocker", "-id"], name="block_list_page"),  # issue 10
        ]


class Unblock(models.Model):
    """B2: when a block was lifted, so the same member can't be blocked again for 48 hours."""

    blocker = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["blocker", "blocked", "-at"])]


class ReportKind(models.TextChoices):  # B3
    MEMBER = "member", "Member"
    POST = "post", "Post"
    COMMENT = "comment", "Comment"
    MESSAGE = "message", "Message"


class ReportReason(models.TextChoices):  # B3
    SPAM = "spam", "Spam or scam"
    FAKE = "fake", "Fake profile"
    HARASSMENT = "harassment", "Harassment or bullying"
    HATE = "hate", "Hateful speech"
    MISINFORMATION = "misinformation", "Misinformation"
    OTHER = "other", "Something else"


class Report(models.Model):
    """B3: one report in the administrators' moderation queue (Django admin)."""

    reporter = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="reports_made")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="reports_received")
    kind = models.CharField(max_length=10, choices=ReportKind.choices, default=ReportKind.MEMBER)
    target_id = models.BigIntegerField(null=True, blank=True)  # the post, comment or message
    reason = models.CharField(max_length=16, choices=ReportReason.choices)
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        MEMBER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "-created_at"])]
