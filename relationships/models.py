"""A1–A4: what a member keeps about the people they know, and how close they are.

Everything here is private to its `owner`: a note, tags (Mastodon lists), a cadence, a prompt's
answer. Only `relationships.queries` reads it, always for the owner. `Tie` holds the per-pair
interaction counters the services that make interactions keep current after commit (A4), so
strength is one row per pair, never a count over messages and posts.
"""

from django.conf import settings
from django.db import models

MEMBER = settings.AUTH_USER_MODEL


class Every(models.TextChoices):  # A3: how often one wants to keep in touch
    MONTH = "month", "Every month"
    QUARTER = "quarter", "Every quarter"
    YEAR = "year", "Every year"
    NEVER = "never", "Never"


class PrivateNote(models.Model):
    """A1: the owner's note on a member; nobody else ever reads it."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "member"], name="private_note_one_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("member")), name="private_note_not_self"
            ),
        ]


class Tag(models.Model):
    """A1: a private tag ("mentor", "Lisbon 2026"), which the API shows as a Mastodon list."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100)
    replies_policy = models.CharField(max_length=10, default="list")  # Mastodon's List entity
    exclusive = models.BooleanField(default=False)
    every = models.CharField(max_length=8, choices=Every.choices, blank=True)  # A3, blank: default
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner", "title"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replies_policy__in=["followed", "list", "none"]),
                name="tag_replies_policy_valid",
            ),
        ]


class TagMember(models.Model):
    """A member carrying one of the owner's tags; `owner` repeats the tag's, for one index."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="members")
    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "member"], name="tag_member_once"),
        ]
        indexes = [models.Index(fields=["owner", "member"])]


class Tie(models.Model):
    """A4: one member's side of a pair: the decayed interaction score, its counters, and A3's
    cadence and last catch-up. Two rows per pair (one per side): an interaction updates both.

    `score` is the decayed sum as it stood on day `scored_on` (days since the Unix epoch);
    docs/relationships.md has the formula and the half-life."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    scored_on = models.FloatField(default=0)
    messages = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    reactions = models.IntegerField(default=0)
    reposts = models.IntegerField(default=0)
    last_interaction_at = models.DateTimeField(null=True, blank=True)
    tags = models.IntegerField(default=0)  # how many of the owner's tags the other carries
    every = models.CharField(max_length=8, choices=Every.choices, blank=True)  # A3
    caught_up_at = models.DateTimeField(null=True, blank=True)  # A3's "Mark as done"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "other"], name="tie_one_per_side"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("other")), name="tie_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    messages__gte=0, comments__gte=0, reactions__gte=0, reposts__gte=0
                )
                & models.Q(tags__gte=0),
                name="tie_counts_not_negative",
            ),
        ]


class TieDay(models.Model):
    """A4's explanation ("14 messages and 6 comments in the last 90 days"): one side's counts
    for one day, so the sum over a window is one pair's few rows."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    messages = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    reactions = models.IntegerField(default=0)
    reposts = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "other", "day"], name="tie_day_once"),
        ]


class GreetingState(models.TextChoices):  # A2
    SENT = "sent", "Sent"
    DISMISSED = "dismissed", "Dismissed"


class Greeting(models.Model):
    """A2: the owner said hello to `other`, or dismissed the offer: it is not offered again."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=GreetingState.choices)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "other"], name="greeting_once_per_side"),
        ]


class PromptAnswer(models.Model):
    """A3: "Mark as done" or "Snooze" on one prompt, by its key (`dormant-42-20553`)."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    other = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="prompt_answer_once"),
        ]


class Digest(models.Model):
    """A3: the weekly e-mail of prompts, off unless the member turns it on."""

    member = models.OneToOneField(
        MEMBER, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    weekly = models.BooleanField(default=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)
