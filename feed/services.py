"""Writes of the feed: P1–P4, F3, mutes and keyword filters, one transaction each, idempotent.

Counters on the post move with F() in the same transaction as the row they count. Effects on
other areas and the fan-out run after commit: notifications through notifications.services,
timelines through the `jobs.feed` tasks and search's documents through `jobs.search.index_post`
(by name, see core.tasks: search sits above feed).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import clock
from core.errors import Forbidden, Invalid, NotFound
from core.tasks import enqueue_after_commit
from feed import fanout, images, queries
from feed import text as texts
from feed.models import (
    REACTION_COUNT_FIELDS,
    FilterAction,
    FilterContext,
    FilterKeyword,
    Hashtag,
    HashtagFollow,
    KeywordFilter,
    Media,
    Mention,
    Mute,
    Post,
    PostKind,
    PostRevision,
    PostTag,
    Reaction,
    ReactionType,
    Visibility,
)
from feed.queries import FILTER_NOT_FOUND, MEDIA_RECORD_NOT_FOUND
from notifications import services as notices
from notifications.models import Kind
from pages import queries as pages_queries
from pages import services as pages_services
from profiles import services as profiles
from relationships import services as relationships

EMPTY_POST = _("A post needs some text or an image.")
POST_TOO_LONG = _("A post is at most %(max)s characters.")
TOO_MANY_IMAGES = _("A post can carry at most %(max)s images.")
MEDIA_NOT_FOUND = _("That image isn't one you uploaded, or it is already on another post.")
UNKNOWN_VISIBILITY = _("Visibility must be anyone or connections.")
UNKNOWN_REACTION = _("A reaction is one of: like, celebrate, support, love, insightful, funny.")
REPOST_CONNECTIONS_ONLY = _(
    "This post is shared with the author's connections only, so it can't be reposted."
)
REPOST_COMMENT = _("Comments can't be reposted; repost the post instead.")
NOT_THE_AUTHOR = _("Only the author can change or delete this post.")
PLAIN_REPOST_EDIT = _("A plain repost has no text to edit; undo it instead.")
NEWS_EDIT = _("An update has no text to edit; delete it instead.")
REPOST_NEWS = _("Updates about members can't be reposted; react or comment instead.")
ALT_TOO_LONG = _("Alt text is at most 1500 characters.")
TAG_INVALID = _("A hashtag is letters, digits and underscores, up to 100 characters.")
CANNOT_MUTE_SELF = _("You can't mute yourself.")
FILTER_TITLE_REQUIRED = _("A filter needs a title.")
FILTER_CONTEXT_INVALID = _(
    "A filter applies to one or more of: home, notifications, public, thread, account."
)
FILTER_ACTION_INVALID = _("A filter either warns or hides.")
PAGE_ADMINS_ONLY = _("Only the page's admins can post in its name.")


# --- Writing: posts, comments, reposts ---------------------------------------------------------


def _clean(text_in: str, *, allow_empty: bool) -> str:
    text = texts.clean_text(text_in)
    maximum = settings.LINKWELL_POST_MAX_CHARACTERS
    if len(text) > maximum:
        raise Invalid(POST_TOO_LONG % {"max": maximum}, rule="P1")
    if not text and not allow_empty:
        raise Invalid(EMPTY_POST, rule="P1")
    return text


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise Invalid(UNKNOWN_VISIBILITY, rule="P1")
    return value


def _known_handles(text: str) -> dict[str, User]:
    handles = texts.handles_in(text)[: settings.LINKWELL_POST_MAX_MENTIONS]
    if not handles:
        return {}
    members = User.objects.annotate(key=Lower("username")).filter(key__in=handles, is_active=True)
    return {m.key: m for m in members}


def _render(post: Post) -> tuple[list[User], list[str]]:
    """Fill `post.html` from `post.text`; the mentioned members and hashtag names."""
    members = _known_handles(post.text)
    rendered = texts.render(post.text, known_handles={k: m.username for k, m in members.items()})
    post.html = rendered.html
    mentioned = [members[h.lower()] for h in rendered.mentions if h.lower() in members]
    return list({m.pk: m for m in mentioned}.values()), rendered.hashtags


def _link_tags_and_mentions(
    post: Post, mentioned: list[User], hashtags: list[str], *, new: bool = False
) -> list[int]:
    """Replace the post's tags and mentions; the ids of members newly mentioned. `new`: the
    post was inserted in this transaction, so it has none to replace (four reads and deletes
    fewer in the publish request)."""
    now = clock.now()
    keys = {name.lower(): name for name in hashtags}
    known = (
        dict(Hashtag.objects.filter(key__in=list(keys)).values_list("key", "pk")) if keys else {}
    )
    tag_ids = []
    for key, name in keys.items():
        if key not in known:
            try:
                with transaction.atomic():
                    known[key] = Hashtag.objects.create(name=name, key=key, created_at=now).pk
            except IntegrityError:
                known[key] = Hashtag.objects.get(key=key).pk
        tag_ids.append(known[key])
    existing: set[int] = set()
    if not new:
        PostTag.objects.filter(post=post).exclude(hashtag_id__in=tag_ids).delete()
        existing = set(PostTag.objects.filter(post=post).values_list("hashtag_id", flat=True))
    PostTag.objects.bulk_create(
        [PostTag(post=post, hashtag_id=t) for t in tag_ids if t not in existing]
    )
    wanted = {m.pk for m in mentioned}
    before: set[int] = set()
    if not new:
        Mention.objects.filter(post=post).exclude(member_id__in=wanted).delete()
        before = set(Mention.objects.filter(post=post).values_list("member_id", flat=True))
    Mention.objects.bulk_create([Mention(post=post, member_id=m) for m in wanted - before])
    return sorted(wanted - before - {post.author_id})


def _attach_media(post: Post, owner: User, media_ids) -> None:
    ids = [int(m) for m in media_ids or [] if str(m).isdigit()]
    ids = list(dict.fromkeys(ids))
    if len(ids) > settings.LINKWELL_POST_MAX_IMAGES:
        raise Invalid(TOO_MANY_IMAGES % {"max": settings.LINKWELL_POST_MAX_IMAGES}, rule="P1")
    if not ids:
        return
    rows = {m.pk: m for m in Media.objects.select_for_update().filter(pk__in=ids, owner=owner)}
    for position, media_id in enumerate(ids):
        media = rows.get(media_id)
        if media is None or (media.post_id not in (None, post.pk)):
            raise Invalid(MEDIA_NOT_FOUND, rule="P1")
        media.post = post
        media.position = position
        media.save(update_fields=["post", "position"])


def _by_key(author: User, key: str) -> Post | None:
    return Post.objects.filter(author=author, idempotency_key=key).first() if key else None


def _create(author: User, key: str, **fields) -> tuple[Post, bool, list[User], list[str]]:
    """(post, created, mentioned, hashtags): a retried request with the same Idempotency-Key
    gets the first post. The html is rendered before the insert (no second write of the
    row), and only a keyed insert, which a concurrent retry can collide with, takes a
    savepoint."""
    key = (key or "")[:100]
    found = _by_key(author, key)
    if found is not None:
        return found, False, [], []
    post = Post(author=author, idempotency_key=key, created_at=clock.now(), **fields)
    mentioned, hashtags = _render(post)
    if not key:
        post.save()
    else:
        try:
            with transaction.atomic():
                post.save()
        except IntegrityError:
            found = _by_key(author, key)
            if found is None:
                raise
            return found, False, [], []
    _count_new_post(post)
    return post, True, mentioned, hashtags


def _count_new_post(post: Post) -> None:
    """The author's kept `posts` (Mastodon's statuses_count: posts, comments and reposts);
    a post in a page's name counts on the page instead (G1)."""
    if post.page_id:
        pages_services.note_page_post(post.page_id, post.created_at)
        return
    profiles.adjust_counts({post.author_id: {"posts": 1, "last_post_at": post.created_at}})


def _count_gone_posts(which) -> list[int]:
    """Before `which` (a Q or a queryset's filter) is deleted: each author's kept `posts`
    goes down by their rows among it. Returns the authors, for `_note_last_posts` after."""
    for row in (
        Post.objects.filter(which, page__isnull=False)
        .order_by()
        .values("page_id")
        .annotate(n=Count("pk"))
    ):
        pages_services.note_page_post(row["page_id"], None, -row["n"])
    rows = (
        Post.objects.filter(which, page__isnull=True)
        .order_by()
        .values("author_id")
        .annotate(n=Count("pk"))
    )
    changes = {row["author_id"]: {"posts": -row["n"]} for row in rows}
    profiles.adjust_counts(changes)
    return sorted(changes)


def _note_last_posts(author_ids: list[int]) -> None:
    """After a deletion: when each author last posted, from the rows left (index top-1)."""
    for start in range(0, len(author_ids), BATCH):
        batch = author_ids[start : start + BATCH]
        last = dict(
            Post.objects.filter(author_id__in=batch, page__isnull=True)
            .order_by()
            .values("author_id")
            .annotate(last=Max("created_at"))
            .values_list("author_id", "last")
        )
        profiles.note_last_posts({author: last.get(author) for author in batch})


SEARCH_INDEX_POST = "jobs.search.index_post"
SEARCH_COUNT_HASHTAGS = "jobs.search.count_hashtags"


def _index_for_search(post_id: int, tags_before=()) -> None:
    """After commit, search's document of the post and its hashtags' counts (with the tags
    it had before this write)."""
    enqueue_after_commit(SEARCH_INDEX_POST, post_id, sorted(set(tags_before)))


def _tags_of(which) -> list[int]:
    return sorted(set(PostTag.objects.filter(which).values_list("hashtag_id", flat=True)))


def _after_publish(post: Post, newly_mentioned: list[int]) -> None:
    enqueue_after_commit("jobs.feed.fan_out_post", post.pk)
    if post.reblog_id is None:
        _index_for_search(post.pk)
    _notify_mentions(post, newly_mentioned)


def _notify_mentions(post: Post, member_ids: list[int]) -> None:
    """Mentions notify only members who may see the post."""
    if not member_ids:
        return
    post_id, author_id = post.pk, post.author_id

    def send():
        fresh = queries.with_context().filter(pk=post_id).first()
        if fresh is None:
            return
        for member in User.objects.filter(pk__in=member_ids):
            if queries.visible_posts(member, [fresh]):
                notices.notify(
                    recipient_id=member.pk,
                    actor_id=author_id,
                    kind=Kind.MENTION,
                    subject_id=post_id,
                )

    transaction.on_commit(send)


@transaction.atomic
def publish(
    *,
    author: User,
    text: str = "",
    visibility: str = Visibility.ANYONE,
    media_ids=(),
    idempotency_key: str = "",
    page_id: int | None = None,
) -> Post:
    """P1: a post with text (links, @mentions, #hashtags) and up to 4 images. With `page_id`,
    a post in the page's name (G1: its admins only), always to anyone."""
    text = _clean(text, allow_empty=bool(media_ids))
    page = None
    if page_id is not None:
        page = pages_queries.page_with_id(page_id)
        if not pages_queries.is_admin(author, page):
            raise Forbidden(PAGE_ADMINS_ONLY, rule="G1")
        visibility = Visibility.ANYONE
    post, created, mentioned, hashtags = _create(
        author,
        idempotency_key,
        kind=PostKind.POST,
        text=text,
        visibility=_visibility(visibility),
        page=page,
    )
    if not created:
        return post
    _attach_media(post, author, media_ids)
    newly = _link_tags_and_mentions(post, mentioned, hashtags, new=True)
    _after_publish(post, newly)
    return post


@transaction.atomic
def comment(
    *, author: User, on: int, text: str = "", media_ids=(), idempotency_key: str = ""
) -> Post:
    """P2: a comment on a post, or a reply to a comment; replying to a reply attaches to its
    top-level comment (one level of replies). Visible to whoever sees the post."""
    target = queries.visible_post(author, on)
    if target.reblog_id:  # commenting on a repost comments on the original
        target = queries.visible_post(author, target.reblog_id)
    root = target.root if target.root_id else target
    if target.root_id and target.in_reply_to_id != target.root_id:
        parent = target.in_reply_to  # a reply: attach to its top-level comment
    else:
        parent = target
    text = _clean(text, allow_empty=bool(media_ids))
    post, created, mentioned, hashtags = _create(
        author,
        idempotency_key,
        kind=PostKind.COMMENT,
        text=text,
        visibility=root.visibility,
        root=root,
        in_reply_to=parent,
    )
    if not created:
        return post
    _attach_media(post, author, media_ids)
    newly = _link_tags_and_mentions(post, mentioned, hashtags, new=True)
    Post.objects.filter(pk=root.pk).update(comments_count=F("comments_count") + 1)
    if parent.pk != root.pk:
        Post.objects.filter(pk=parent.pk).update(comments_count=F("comments_count") + 1)
    _notify_comment(post, root, parent)
    _notify_mentions(post, [m for m in newly if m not in (root.author_id, parent.author_id)])
    enqueue_after_commit("jobs.feed.fan_out_activity", author.pk, root.pk)
    _record(author.pk, parent.author_id, "comments")
    return post


def _record(actor_id: int, other_id: int, kind: str) -> None:
    """A4: the relationship counters (relationships sits below feed), after commit."""
    transaction.on_commit(
        lambda: relationships.record_interaction(actor_id=actor_id, other_id=other_id, kind=kind)
    )


def _notify_comment(post: Post, root: Post, parent: Post) -> None:
    calls = []
    if parent.pk != root.pk:
        calls.append((parent.author_id, Kind.REPLY))
    if root.author_id != parent.author_id or parent.pk == root.pk:
        calls.append((root.author_id, Kind.COMMENT))
    for recipient, kind in calls:
        transaction.on_commit(
            lambda r=recipient, k=kind: notices.notify(
                recipient_id=r, actor_id=post.author_id, kind=k, subject_id=post.pk
            )
        )


@transaction.atomic
def repost(
    *,
    author: User,
    original: int,
    text: str = "",
    visibility: str = Visibility.ANYONE,
    idempotency_key: str = "",
) -> Post:
    """P2: a plain repost (no text; once per member) or one with the reposter's own thoughts.
    A `connections` post is refused: it was shared with the author's connections only."""
    target = queries.visible_post(author, original)
    if target.reblog_id:
        target = queries.visible_post(author, target.reblog_id)
    if target.kind == PostKind.COMMENT:
        raise Invalid(REPOST_COMMENT, rule="P2")
    if target.kind == PostKind.NEWS:
        raise Invalid(REPOST_NEWS, rule="S7")
    if target.visibility != Visibility.ANYONE:
        raise Forbidden(REPOST_CONNECTIONS_ONLY, rule="P1")
    text = _clean(text, allow_empty=True)
    visibility = _visibility(visibility)
    if text:
        post, created, mentioned, hashtags = _create(
            author,
            idempotency_key,
            kind=PostKind.REPOST,
            text=text,
            visibility=visibility,
            quote=target,
        )
        if not created:
            return post
        newly = _link_tags_and_mentions(post, mentioned, hashtags, new=True)
    else:
        existing = Post.objects.filter(author=author, reblog=target).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                post = Post.objects.create(
                    author=author,
                    kind=PostKind.REPOST,
                    visibility=visibility,
                    reblog=target,
                    created_at=clock.now(),
                )
        except IntegrityError:  # a concurrent click made it first
            return Post.objects.get(author=author, reblog=target)
        _count_new_post(post)
        newly = []
    Post.objects.filter(pk=target.pk).update(reposts_count=F("reposts_count") + 1)
    _record(author.pk, target.author_id, "reposts")
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=target.author_id,
            actor_id=author.pk,
            kind=Kind.REPOST,
            subject_id=target.pk,
        )
    )
    _after_publish(post, newly)
    return post


@transaction.atomic
def undo_repost(*, author: User, original: int) -> Post:
    """Removes the member's plain repost; the original is returned."""
    target = queries.visible_post(author, original)
    if target.reblog_id:
        target = queries.visible_post(author, target.reblog_id)
    authors = _count_gone_posts(Q(author=author, reblog=target))
    deleted, _ = Post.objects.filter(author=author, reblog=target).delete()
    _note_last_posts(authors)
    if deleted:
        Post.objects.filter(pk=target.pk).update(reposts_count=Greatest(F("reposts_count") - 1, 0))
        transaction.on_commit(
            lambda: notices.withdraw(
                recipient_id=target.author_id,
                actor_id=author.pk,
                kind=Kind.REPOST,
                subject_id=target.pk,
            )
        )
    target.refresh_from_db()
    return target


def _own(editor: User, post_id) -> Post:
    post = queries.visible_post(editor, post_id)
    if post.author_id != editor.pk:
        raise Forbidden(NOT_THE_AUTHOR, rule="P1")
    return post


@transaction.atomic
def edit(*, editor: User, post_id: int, text: str, media_ids=None) -> Post:
    """P1: the author changes the text (and images); the previous version is kept."""
    post = _own(editor, post_id)
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.reblog_id:
        raise Invalid(PLAIN_REPOST_EDIT, rule="P1")
    if post.kind == PostKind.NEWS:
        raise Invalid(NEWS_EDIT, rule="S7")
    current_media = list(post.media.values_list("pk", flat=True))
    wanted_media = current_media if media_ids is None else [int(m) for m in media_ids]
    text = _clean(text, allow_empty=bool(wanted_media) or post.kind == PostKind.REPOST)
    if text == post.text and wanted_media == current_media:
        return post  # nothing changed: no new version
    tags_before = _tags_of(Q(post=post))
    PostRevision.objects.create(
        post=post,
        text=post.text,
        html=post.html,
        media_ids=current_media,
        created_at=post.edited_at or post.created_at,
    )
    post.text = text
    post.edited_at = clock.now()
    mentioned, hashtags = _render(post)
    post.save(update_fields=["text", "html", "edited_at"])
    if media_ids is not None:
        Media.objects.filter(post=post).exclude(pk__in=wanted_media).update(post=None)
        _attach_media(post, editor, wanted_media)
    newly = _link_tags_and_mentions(post, mentioned, hashtags)
    _notify_mentions(post, newly)
    fanout.publish_live(post, "status.update")
    _index_for_search(post.pk, tags_before)
    return post


@transaction.atomic
def delete(*, by: User, post_id: int) -> Post:
    """The author deletes a post, comment or repost; counters above it go down with it."""
    post = _own(by, post_id)
    post = Post.objects.select_for_update().get(pk=post.pk)
    gone = [post.pk, *Post.objects.filter(root=post).values_list("pk", flat=True)]
    if post.root_id:
        replies = list(Post.objects.filter(in_reply_to=post).values_list("pk", flat=True))
        gone += replies
        Post.objects.filter(pk=post.root_id).update(
            comments_count=Greatest(F("comments_count") - 1 - len(replies), 0)
        )
        if post.in_reply_to_id != post.root_id:
            Post.objects.filter(pk=post.in_reply_to_id).update(
                comments_count=Greatest(F("comments_count") - 1, 0)
            )
    original = post.reblog_id or post.quote_id
    if original:
        Post.objects.filter(pk=original).update(reposts_count=Greatest(F("reposts_count") - 1, 0))
    files = [
        (m.file.storage, name)
        for m in Media.objects.filter(post_id__in=gone)
        for name in (m.file.name, m.preview.name)
        if name
    ]
    post.media_list = list(post.media.all())  # the answer shows what was deleted
    post.tag_list, post.mention_list = [], []
    post.deleted_id = post.pk
    fanout.publish_live(post, "delete")  # its readers, counted while its follows stand
    # What goes with it by cascade: its comments and replies, and plain reposts of it.
    authors = _count_gone_posts(
        Q(pk=post.pk) | Q(root=post.pk) | Q(in_reply_to=post.pk) | Q(reblog=post.pk)
    )
    tags_before = _tags_of(Q(post_id__in=gone) | Q(post__reblog=post.pk))
    post.delete()
    _note_last_posts(authors)
    _index_for_search(post.pk, tags_before)
    kinds = [Kind.MENTION, Kind.COMMENT, Kind.REPLY, Kind.REACTION, Kind.REPOST]
    transaction.on_commit(lambda: notices.forget_subjects(kinds=kinds, subject_ids=gone))
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return post


BATCH = 500  # ids per statement: SQLite takes at most 32,766 parameters, older builds 999


def forget_member(*, member: User) -> None:
    """U4, feed's part: the member's posts, comments, reposts and reactions go, with what
    hangs off their posts (others' comments and replies on them, plain reposts of them);
    the counters of the posts that stay are counted again from the rows left, images leave
    storage and notifications about the vanished posts go, after commit. The account's own
    cascade would take the rows but leave the counters, files and notifications behind."""
    with transaction.atomic():
        _forget_member(member)


def _forget_member(member: User) -> None:
    gone_posts = Post.objects.filter(
        Q(author=member)
        | Q(root__author=member)
        | Q(in_reply_to__author=member)
        | Q(reblog__author=member)
    )
    rows = list(gone_posts.values_list("pk", "root_id", "in_reply_to_id", "reblog_id", "quote_id"))
    gone = {row[0] for row in rows}
    touched = {pk for row in rows for pk in row[1:] if pk is not None}
    touched |= set(Reaction.objects.filter(member=member).values_list("post_id", flat=True))
    files = [
        (m.file.storage, name)
        for m in Media.objects.filter(Q(owner=member) | Q(post__in=gone_posts))
        for name in (m.file.name, m.preview.name)
        if name
    ]
    Reaction.objects.filter(member=member).delete()
    tags_before = _tags_of(Q(post__in=gone_posts))
    others = _count_gone_posts(Q(pk__in=gone_posts.exclude(author=member).values("pk")))
    gone_posts.delete()  # by the same filter: no list of ids as long as the member's history
    _note_last_posts(others)
    _recount(sorted(touched - gone))
    kinds = [Kind.MENTION, Kind.COMMENT, Kind.REPLY, Kind.REACTION, Kind.REPOST]
    ids = sorted(gone)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        transaction.on_commit(lambda b=batch: notices.forget_subjects(kinds=kinds, subject_ids=b))
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    if tags_before:  # the member's documents went by cascade; their tags are counted again
        enqueue_after_commit(SEARCH_COUNT_HASHTAGS, tags_before)


class _CountOf(Subquery):
    """COUNT(*) of a correlated queryset, without a GROUP BY to line up."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _recount(post_ids: list[int]) -> None:
    """Counters of posts that stay, counted from the rows (as the writes keep them): a post's
    comments are its comments and replies, a comment's its replies; reposts are plain and
    with thoughts; reactions in all and by type."""
    post = OuterRef("pk")
    counters = {
        "comments_count": _CountOf(Post.objects.filter(root=post).values("pk"))
        + _CountOf(Post.objects.filter(in_reply_to=post).exclude(root=post).values("pk")),
        "reposts_count": _CountOf(Post.objects.filter(Q(reblog=post) | Q(quote=post)).values("pk")),
        "reactions_count": _CountOf(Reaction.objects.filter(post=post).values("pk")),
    }
    for kind, field in REACTION_COUNT_FIELDS.items():
        counters[field] = _CountOf(Reaction.objects.filter(post=post, type=kind).values("pk"))
    for start in range(0, len(post_ids), BATCH):
        Post.objects.filter(pk__in=post_ids[start : start + BATCH]).update(**counters)


# --- Reactions ---------------------------------------------------------------------------------


@transaction.atomic
def react(*, member: User, post_id: int, kind: str = ReactionType.LIKE) -> Post:
    """P2: one reaction per member per post; choosing another type changes it."""
    if kind not in ReactionType.values:
        raise Invalid(UNKNOWN_REACTION, rule="P2")
    post = queries.visible_post(member, post_id)
    if post.reblog_id:
        post = queries.visible_post(member, post.reblog_id)
    existing = Reaction.objects.select_for_update().filter(post=post, member=member).first()
    if existing is not None and existing.type == kind:
        return post
    counts = {REACTION_COUNT_FIELDS[kind]: F(REACTION_COUNT_FIELDS[kind]) + 1}
    if existing is None:
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, member=member, type=kind, created_at=clock.now())
        except IntegrityError:  # a concurrent click: the other one counted
            return post
        counts["reactions_count"] = F("reactions_count") + 1
        _record(member.pk, post.author_id, "reactions")
    else:
        old = REACTION_COUNT_FIELDS[existing.type]
        counts[old] = Greatest(F(old) - 1, 0)
        existing.type = kind
        existing.save(update_fields=["type"])
    Post.objects.filter(pk=post.pk).update(**counts)
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=post.author_id,
            actor_id=member.pk,
            kind=Kind.REACTION,
            subject_id=post.pk,
            detail=kind,
        )
    )
    if post.kind != PostKind.COMMENT:
        enqueue_after_commit("jobs.feed.fan_out_activity", member.pk, post.pk)
    post.refresh_from_db()
    return post


@transaction.atomic
def unreact(*, member: User, post_id: int) -> Post:
    post = queries.visible_post(member, post_id)
    if post.reblog_id:
        post = queries.visible_post(member, post.reblog_id)
    existing = Reaction.objects.select_for_update().filter(post=post, member=member).first()
    if existing is not None:
        field = REACTION_COUNT_FIELDS[existing.type]
        existing.delete()
        Post.objects.filter(pk=post.pk).update(
            **{field: Greatest(F(field) - 1, 0)},
            reactions_count=Greatest(F("reactions_count") - 1, 0),
        )
        transaction.on_commit(
            lambda: notices.withdraw(
                recipient_id=post.author_id,
                actor_id=member.pk,
                kind=Kind.REACTION,
                subject_id=post.pk,
            )
        )
    post.refresh_from_db()
    return post


# --- Images ------------------------------------------------------------------------------------


def upload_media(*, owner: User, upload, description: str = "") -> Media:
    """Checked, stripped and resized before the transaction, so a bad file holds no lock."""
    description = texts.clean_text(description)
    if len(description) > 1500:
        raise Invalid(ALT_TOO_LONG, rule="P1")
    prepared = images.prepare(upload)
    name = f"{owner.pk}-{secrets.token_hex(8)}"
    with transaction.atomic():
        media = Media(
            owner=owner,
            width=prepared["width"],
            height=prepared["height"],
            description=description,
            created_at=clock.now(),
        )
        media.file.save(f"{name}.webp", ContentFile(prepared["full"]), save=False)
        media.preview.save(f"{name}-small.webp", ContentFile(prepared["preview"]), save=False)
        media.save()
    return media


@transaction.atomic
def describe_media(*, owner: User, media_id: int, description: str) -> Media:
    media = Media.objects.filter(pk=media_id, owner=owner).first()
    if media is None:
        raise NotFound(MEDIA_RECORD_NOT_FOUND, rule="P1")
    description = texts.clean_text(description)
    if len(description) > 1500:
        raise Invalid(ALT_TOO_LONG, rule="P1")
    if media.description != description:
        media.description = description
        media.save(update_fields=["description"])
    return media


# --- Hashtags (F3) -----------------------------------------------------------------------------


@transaction.atomic
def follow_hashtag(*, member: User, name: str) -> Hashtag:
    name = (name or "").strip().lstrip("#")
    if not texts.is_hashtag(name):
        raise Invalid(TAG_INVALID, rule="F3")
    tag, _ = Hashtag.objects.get_or_create(
        key=name.lower(), defaults={"name": name, "created_at": clock.now()}
    )
    with transaction.atomic():
        HashtagFollow.objects.get_or_create(
            member=member, hashtag=tag, defaults={"created_at": clock.now()}
        )
    return tag


@transaction.atomic
def unfollow_hashtag(*, member: User, name: str) -> Hashtag:
    tag = queries.hashtag_named(name, member)
    HashtagFollow.objects.filter(member=member, hashtag=tag).delete()
    return tag


# --- Mutes -------------------------------------------------------------------------------------


@transaction.atomic
def mute(*, member: User, muted: User, notifications: bool = True, duration: int = 0) -> Mute:
    """Hides the member's posts and (unless `notifications` is false) notifications from you;
    following and the connection stay as they are."""
    if member.pk == muted.pk:
        raise Invalid(CANNOT_MUTE_SELF, rule="P3")
    expires = clock.now() + timedelta(seconds=duration) if duration and duration > 0 else None
    row, created = Mute.objects.get_or_create(
        member=member,
        muted=muted,
        defaults={"notifications": notifications, "created_at": clock.now(), "expires_at": expires},
    )
    if not created and (row.notifications, row.expires_at) != (notifications, expires):
        row.notifications, row.expires_at = notifications, expires
        row.save(update_fields=["notifications", "expires_at"])
    return row


@transaction.atomic
def unmute(*, member: User, muted: User) -> None:
    Mute.objects.filter(member=member, muted=muted).delete()


# --- Keyword filters ---------------------------------------------------------------------------


def _filter_fields(title, context, action) -> tuple[str, list[str], str]:
    title = texts.clean_text(title or "")[:200]
    if not title:
        raise Invalid(FILTER_TITLE_REQUIRED, rule="P3")
    context = list(dict.fromkeys(context or []))
    if not context or any(c not in FilterContext.values for c in context):
        raise Invalid(FILTER_CONTEXT_INVALID, rule="P3")
    action = action or FilterAction.WARN
    if action not in FilterAction.values:
        raise Invalid(FILTER_ACTION_INVALID, rule="P3")
    return title, context, action


def _expires(expires_in) -> object:
    if expires_in in (None, "", 0, "0"):
        return None
    try:
        seconds = int(expires_in)
    except (TypeError, ValueError):
        return None
    return clock.now() + timedelta(seconds=max(seconds, 1))


@transaction.atomic
def create_filter(
    *,
    member: User,
    title: str,
    context: list[str],
    action: str = "warn",
    expires_in=None,
    keywords: list[tuple[str, bool]] = (),
) -> KeywordFilter:
    title, context, action = _filter_fields(title, context, action)
    row = KeywordFilter.objects.create(
        member=member,
        title=title,
        context=context,
        action=action,
        expires_at=_expires(expires_in),
        created_at=clock.now(),
    )
    for keyword, whole_word in keywords:
        add_filter_keyword(member=member, filter_id=row.pk, keyword=keyword, whole_word=whole_word)
    return row


def _own_filter(member: User, filter_id) -> KeywordFilter:
    row = KeywordFilter.objects.filter(pk=filter_id, member=member).first()
    if row is None:
        raise NotFound(FILTER_NOT_FOUND, rule="P3")
    return row


@transaction.atomic
def update_filter(
    *, member: User, filter_id: int, title=None, context=None, action=None, expires_in=False
) -> KeywordFilter:
    row = _own_filter(member, filter_id)
    title, context, action = _filter_fields(
        row.title if title is None else title,
        row.context if context is None else context,
        row.action if action is None else action,
    )
    row.title, row.context, row.action = title, context, action
    if expires_in is not False:
        row.expires_at = _expires(expires_in)
    row.save()
    return row


@transaction.atomic
def delete_filter(*, member: User, filter_id: int) -> None:
    _own_filter(member, filter_id).delete()


@transaction.atomic
def add_filter_keyword(
    *, member: User, filter_id: int, keyword: str, whole_word: bool = True
) -> FilterKeyword:
    row = _own_filter(member, filter_id)
    keyword = texts.clean_text(keyword)[:200]
    if not keyword:
        raise Invalid(FILTER_TITLE_REQUIRED, rule="P3")
    found = row.keywords.filter(keyword=keyword).first()
    if found is not None:
        if found.whole_word != whole_word:
            found.whole_word = whole_word
            found.save(update_fields=["whole_word"])
        return found
    return FilterKeyword.objects.create(filter=row, keyword=keyword, whole_word=whole_word)


@transaction.atomic
def delete_filter_keyword(*, member: User, keyword_id: int) -> None:
    deleted, _ = FilterKeyword.objects.filter(pk=keyword_id, filter__member=member).delete()
    if not deleted:
        raise NotFound(FILTER_NOT_FOUND, rule="P3")


@transaction.atomic
def delete_filter_phrase(*, member: User, keyword_id: int) -> None:
    """Mastodon's v1 filter is one keyword: deleting it deletes its filter once it holds no
    other keyword."""
    keyword = queries.filter_keyword(member, keyword_id)
    row = keyword.filter
    keyword.delete()
    if not row.keywords.exists():
        row.delete()
