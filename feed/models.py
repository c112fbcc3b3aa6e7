"""P1–P4, F3: posts, comments and reposts in one id space, reactions, hashtags, the timeline.

One Post table holds what members write: a post (no parent), a comment or reply
(`in_reply_to` and `root` set) and a repost (`reblog` for a plain one, `quote` for one with
the reposter's own text), so Mastodon's `in_reply_to_id`, `reblog` and `quote` map directly.
Counters are kept on the post (updated with F() in the writing transaction), never counted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MEMBER = settings.AUTH_USER_MODEL


class Visibility(models.TextChoices):  # P1
    ANYONE = "anyone", _("Anyone")
    CONNECTIONS = "connections", _("Connections only")


class PostKind(models.TextChoices):
    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    REPOST = "repost", _("Repost")
    NEWS = "news", _("Update")  # S7: "X is now connected to Y", "X has a new position"


class ReactionType(models.TextChoices):  # P2
    LIKE = "like", _("Like")
    CELEBRATE = "celebrate", _("Celebrate")
    SUPPORT = "support", _("Support")
    LOVE = "love", _("Love")
    INSIGHTFUL = "insightful", _("Insightful")
    FUNNY = "funny", _("Funny")


REACTION_COUNT_FIELDS = {kind: f"{kind}_count" for kind in ReactionType.values}


class Post(models.Model):
    author = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(max_length=8, choices=PostKind.choices, default=PostKind.POST)
    text = models.TextField(max_length=3000, blank=True)  # what the member typed
    html = models.TextField(blank=True)  # sanitised and linked at write time (nh3)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.ANYONE
    )
    # A comment's visibility is its root post's: `visibility` is copied from the root.
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="thread"
    )
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reblog = models.ForeignKey(  # a plain repost goes with its original
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reblogs"
    )
    quote = models.ForeignKey(  # a repost with thoughts keeps the thoughts when the original goes
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    # G1, G2: a post an admin wrote in the page's name; shown with the page as its author,
    # read into followers' feeds at read time (feed.home), counted on the page, not the admin.
    page = models.ForeignKey(
        "pages.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)

    comments_count = models.IntegerField(default=0)
    reposts_count = models.IntegerField(default=0)
    reactions_count = models.IntegerField(default=0)
    like_count = models.IntegerField(default=0)
    celebrate_count = models.IntegerField(default=0)
    support_count = models.IntegerField(default=0)
    love_count = models.IntegerField(default=0)
    insightful_count = models.IntegerField(default=0)
    funny_count = models.IntegerField(default=0)
    impressions_count = models.IntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["author", "-id"], name="post_author_id_desc"),
            models.Index(fields=["root", "id"], name="post_thread"),
            models.Index(fields=["kind", "-id"], name="post_kind_id_desc"),
            # P3: a read-time author's newest posts, reposts and news (no comments), read
            # from the index alone (feed.home._sources)
            models.Index(
                fields=["author", "-id"],
                name="post_author_feed_id_desc",
                condition=~Q(kind="comment"),
            ),
            # G2: a followed page's newest posts, one index range per page (feed.home._sources)
            models.Index(
                fields=["page", "-id"],
                name="post_page_id_desc",
                condition=Q(page__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values), name="post_visibility_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PostKind.values), name="post_kind_valid"
            ),
            models.CheckConstraint(  # G1: a page speaks in posts, to anyone
                condition=Q(page__isnull=True) | (Q(kind="post") & Q(visibility="anyone")),
                name="post_page_post_is_public",
            ),
            models.CheckConstraint(
                condition=~(
                    Q(root__isnull=False) & (Q(reblog__isnull=False) | Q(quote__isnull=False))
                ),
                name="post_comment_is_not_a_repost",
            ),
            models.UniqueConstraint(
                fields=["author", "reblog"],
                condition=Q(reblog__isnull=False),
                name="post_one_plain_repost_per_member",
            ),
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="post_idempotency_key_unique",
            ),
        ]


class NewsKind(models.TextChoices):  # S7
    CONNECTED = "connected", _("New connections")
    POSITION = "position", _("New position")


class News(models.Model):
    """S7: the facts behind a `news` post. At most one per member, kind and day: a second
    connection the same day joins the day's item instead of making another (never noise)."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="news"
    )
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NewsKind.choices)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "day"], name="news_one_per_day"),
            models.CheckConstraint(condition=Q(kind__in=NewsKind.values), name="news_kind_valid"),
        ]


class NewsSubject(models.Model):
    """Who the member connected with, or the position they started; the read drops a subject
    that no longer holds (disconnected, setting off, blocked, position removed)."""

    news = models.ForeignKey(News, on_delete=models.CASCADE, related_name="subjects")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, null=True, related_name="+")
    position = models.ForeignKey(
        "profiles.Position", on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["news", "member"], name="news_subject_member_unique"),
            models.UniqueConstraint(
                fields=["news", "position"], name="news_subject_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(position__isnull=False),
                name="news_subject_is_someone_or_a_position",
            ),
        ]


class PostRevision(models.Model):
    """A previous version of an edited post, so history shows what was changed."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    media_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()  # when this version was written

    class Meta:
        ordering = ["created_at", "id"]


class Media(models.Model):
    """An image uploaded before the post that carries it (Mastodon's two-step flow)."""

    owner = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="media")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    file = models.ImageField(upload_to="media/")
    preview = models.ImageField(upload_to="media/", blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=1500, blank=True)  # alt text
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]


class Reaction(models.Model):
    """P2: one per member per post; changing it updates the row."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="reactions")
    type = models.CharField(max_length=10, choices=ReactionType.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="reaction_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(type__in=ReactionType.values), name="reaction_type_valid"
            ),
        ]
        indexes = [models.Index(fields=["member", "-created_at"])]


class Hashtag(models.Model):
    """F3: `key` is the lower-cased name, so #Python and #python are one tag."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField()


class PostTag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="post_tags")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hashtag", "post"], name="post_tag_unique"),
        ]
        indexes = [models.Index(fields=["post"])]


class HashtagFollow(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="followed_tags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "hashtag"], name="hashtag_follow_unique"),
        ]


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="mention_unique"),
        ]


class Mute(models.Model):
    """Hides a member's posts and notifications from the muter, without unfollowing."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="mutes_made")
    muted = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    notifications = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(member=models.F("muted")), name="mute_not_self"
            ),
            models.UniqueConstraint(fields=["member", "muted"], name="mute_unique"),
        ]


class FilterAction(models.TextChoices):
    WARN = "warn", _("Show with a warning")
    HIDE = "hide", _("Hide completely")


class FilterContext(models.TextChoices):
    HOME = "home", _("Home feed")
    NOTIFICATIONS = "notifications", _("Notifications")
    PUBLIC = "public", _("Public timelines")
    THREAD = "thread", _("Conversations")
    ACCOUNT = "account", _("Profiles")


class KeywordFilter(models.Model):
    """Mastodon v2 filter: a member's own cure for noise, applied to the home feed and lists."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="filters")
    title = models.CharField(max_length=200)
    context = models.JSONField(default=list)
    action = models.CharField(max_length=4, choices=FilterAction.choices, default="warn")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()


class FilterKeyword(models.Model):
    filter = models.ForeignKey(KeywordFilter, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.CharField(max_length=200)
    whole_word = models.BooleanField(default=True)


class TimelineEntry(models.Model):
    """A candidate for a member's home feed, written after commit by the fan-out job.

    Only a candidate: the read checks visibility and the reasons again (the viewer still
    follows the author, the connection still reacted), so a stale row is harmless.
    """

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+", db_index=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "post"], name="timeline_entry_unique"),
        ]


class FeedAuthor(models.Model):
    """Authors whose posts are merged into feeds at read time (followers ≥ the threshold)."""

    member = models.OneToOneField(
        MEMBER, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    followers = models.IntegerField(default=0)
    read_time = models.BooleanField(default=False)
    counted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["read_time", "member"])]


class PostView(models.Model):
    """P4: one row per (post, viewer), written in batches; the unique key makes it unique."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+", db_index=False)
    viewer = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "viewer"], name="post_view_unique"),
        ]
