"""Reads of the feed: which posts a viewer may see, and every list built from that answer.

`visible_posts` is the one door (P1, B1/D4, mutes): every page, list, entity, notification
and timeline that embeds a post goes through it, and `visible_post` is its one-post case
raising NotFound. A `Sight` holds the viewer's hidden and muted members for one request so
a page asks the database once, whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import router
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core import clock
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids
from core.union import union_all
from feed import news
from feed import text as texts
from feed.models import (
    FilterKeyword,
    Hashtag,
    HashtagFollow,
    KeywordFilter,
    Media,
    Mention,
    Mute,
    NewsSubject,
    Post,
    PostKind,
    PostTag,
    Reaction,
    Visibility,
)
from network import queries as network

POST_NOT_FOUND = _("This post doesn't exist or isn't visible to you.")
# Mastodon's words for a filter or an upload that isn't the member's
FILTER_NOT_FOUND = _("Record not found")
MEDIA_RECORD_NOT_FOUND = _("Record not found")
TAG_NOT_FOUND = _("No such hashtag.")


def _blocks_and_mutes(me) -> QuerySet:
    """Blocks either way as (b, blocker, blocked, None), and every mute of the viewer's as
    (m, muted, muted, expires_at): its lapse is asked of the clock when read, so the
    statement holds no moment and is compiled once (`_BLOCKS_AND_MUTES`)."""
    until = Value(None, output_field=DateTimeField())
    blocks = network.block_rows(me).annotate(
        kind=Value("b"), one=F("blocker_id"), other=F("blocked_id"), until=until
    )
    mutes = Mute.objects.filter(member_id=me).annotate(
        kind=Value("m"), one=F("muted_id"), other=F("muted_id"), until=F("expires_at")
    )
    return union_all(("kind", "one", "other", "until"), blocks, mutes)


_BLOCKS_AND_MUTES = CompiledRead(_blocks_and_mutes, -1, constants=True)


class Sight:
    """One viewer's look at posts for one request: blocks both ways (B1/D4), mutes, and the
    connections asked about so far, each fetched once. `view`: the request's Viewpoint
    (web pages have one for the degree badges), whose blocks are then read instead; a Sight
    serves as the `view` of the Account entities too (network.queries.seen_in_full), so a
    page of statuses reads the viewer's blocks once."""

    def __init__(self, viewer, *, view=None):
        self.viewer = viewer if viewer is not None and viewer.is_authenticated else None
        self._view = view
        self._blocks: list[tuple[int, int]] | None = None
        self._hidden: frozenset[int] | None = None
        self._muted: frozenset[int] | None = None
        self._connected: dict[int, bool] = {}

    @property
    def me(self) -> int | None:
        return self.viewer.pk if self.viewer else None

    @property
    def blocks(self) -> list[tuple[int, int]]:
        """(blocker, blocked) pairs involving the viewer."""
        if self._blocks is None:
            if self.viewer is None:
                self._blocks = []
            elif self._view is not None:
                self._blocks = list(self._view.blocks)
            else:
                self._read_blocks_and_mutes()
        return self._blocks

    def _read_blocks_and_mutes(self) -> None:
        """Blocks either way and the mutes in force, in one statement: every page through
        the door asks both (mutes as (muted, muted) rows beside the (blocker, blocked) pairs)."""
        pairs, muted = [], []
        now = clock.now()
        rows = _BLOCKS_AND_MUTES.rows(router.db_for_read(Mute), self.viewer.pk)
        for kind, one, other, until in rows:
            if kind == "b":
                pairs.append((one, other))
            elif _in_force(until, now):
                muted.append(one)
        self._blocks = pairs
        if self._muted is None:
            self._muted = frozenset(muted)

    @property
    def hidden(self) -> frozenset[int]:
        if self._hidden is None:
            me = self.me
            self._hidden = frozenset(b if a == me else a for a, b in self.blocks)
        return self._hidden

    @property
    def muted(self) -> frozenset[int]:
        if self._muted is None:
            if self.viewer is None:
                self._muted = frozenset()
            elif self._view is None and self._blocks is None:
                self._read_blocks_and_mutes()
            else:
                self._muted = frozenset(
                    mutes_in_force(self.viewer).values_list("muted_id", flat=True)
                )
        return self._muted

    @property
    def unseen(self) -> frozenset[int]:
        """Members whose posts the viewer never sees: blocked either way, or muted."""
        return self.hidden | self.muted

    def note_connected(self, member_ids: Iterable[int], found: set[int]) -> None:
        """Answers to `connected` read in another statement (the home feed reads its authors'
        follows and connections together), kept so the door asks no more."""
        for i in member_ids:
            if i != self.me:
                self._connected[i] = i in found

    def connected(self, member_ids: Iterable[int]) -> set[int]:
        ids = {i for i in member_ids if i != self.me}
        missing = [i for i in ids if i not in self._connected]
        if missing:
            found = network.connected_among(self.viewer, missing)
            self._connected.update({i: i in found for i in missing})
        return {i for i in ids if self._connected.get(i)}


def _audience_owner(post: Post) -> int:
    """Whose connections a `connections` post is for: a comment's is its root's author."""
    return post.root.author_id if post.root_id else post.author_id


def _bases(post: Post) -> list[Post]:
    """The rows whose visibility decides this one: itself, its root, a plain repost's original."""
    bases = [post]
    if post.root_id:
        bases.append(post.root)
    if post.reblog_id:
        bases.append(post.reblog)
    return bases


def visible_posts(viewer, posts: Iterable[Post], *, sight: Sight | None = None) -> list[Post]:
    """P1: a `connections` post only for the owner's 1st-degree connections, never followers;
    B1/D4: nothing by or under a member blocked either way; a muted member's posts neither.

    Posts must come with `root` and `reblog` loaded (`with_context()`): one query at most here
    (the connections asked about), whatever the number of posts.
    """
    sight = sight or Sight(viewer)
    posts = list(posts)
    me = sight.me
    unseen = sight.unseen if me else frozenset()
    owners = set()
    for post in posts:
        for base in _bases(post):
            if base.visibility == Visibility.CONNECTIONS:
                owners.add(_audience_owner(base) if base is post else base.author_id)
    connected = sight.connected(owners) if me and owners else set()
    result = []
    for post in posts:
        if _may_see(post, me, unseen, connected):
            result.append(post)
    news_posts = [p for p in result if p.kind == PostKind.NEWS]
    if news_posts:
        kept = _news_seen(sight, news_posts)
        result = [p for p in result if p.kind != PostKind.NEWS or p.pk in kept]
    return result


def _news_seen(sight: Sight, posts: list[Post]) -> set[int]:
    """S7 at read time: which news posts this viewer sees, each with the subjects it may see
    (`post.news_subjects`). Never for a signed-out reader. "X is now connected to Y" needs
    both members' `share_network_updates`, the connection still there, Y not hidden (B1,
    mutes) and not the viewer, and, as S5 asks of any connection shown, a viewer who is X or
    connected to X or Y; "X has a new position" needs X's `share_profile_updates`. Up to three
    queries, only when a page holds news."""
    if not sight.me:
        return set()
    by_post: dict[int, list[NewsSubject]] = {}
    rows = NewsSubject.objects.filter(news_id__in=[p.pk for p in posts]).select_related(
        "member__profile", "position"
    )
    for row in rows:
        by_post.setdefault(row.news_id, []).append(row)
    pairs = {
        (p.author_id, s.member_id) for p in posts for s in by_post.get(p.pk, []) if s.member_id
    }
    still = network.connected_pairs(pairs) if pairs else set()
    near = sight.connected({m for pair in pairs for m in pair}) if pairs else set()
    kept = set()
    for post in posts:
        profile = getattr(post.author, "profile", None)
        subjects = []
        for row in by_post.get(post.pk, []):
            if row.member_id is None:
                if profile is not None and profile.share_profile_updates:
                    subjects.append(row)
                continue
            other = row.member
            if other.pk == sight.me:
                continue  # the viewer knows whom they connected with
            if not (profile is not None and profile.share_network_updates):
                continue
            if not (other.is_active and other.profile.share_network_updates):
                continue
            if other.pk in sight.unseen:
                continue
            if tuple(sorted((post.author_id, other.pk))) not in still:
                continue
            ends = {post.author_id, other.pk}
            if sight.me not in ends and not (ends & near):
                continue
            subjects.append(row)
        post.news_subjects = subjects
        if subjects:
            kept.add(post.pk)
    return kept


def _may_see(post: Post, me, unseen, connected) -> bool:
    checks = [(post, _audience_owner(post))]
    if post.root_id:
        checks.append((post.root, post.root.author_id))
    if post.reblog_id:
        original = post.reblog
        checks.append((original, original.author_id))
        if original.reblog_id or original.root_id:  # never: reposts point at originals
            return False
    for row, owner in checks:
        if row.author_id != me and row.author_id in unseen:
            return False
        if row.visibility == Visibility.CONNECTIONS and owner != me and owner not in connected:
            return False
    return True


def with_context(queryset: QuerySet | None = None) -> QuerySet:
    """What the door and every entity need, joined: authors, root, original, quoted post."""
    queryset = Post.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "author__profile",
        "page",
        "reblog__page",
        "quote__page",
        "root",
        "reblog__author__profile",
        "quote__author__profile",
        "in_reply_to",
    )


_CONTEXT_FIELDS = ("reblog", "quote", "root", "in_reply_to")


# The reads behind every page of posts, compiled once per database (core.compiled): the ORM
# building them cost more of a feed page's CPU than PostgreSQL's answers did
# (docs/benchmarks.md, "One million members on PostgreSQL, a fifth time").
_POSTS_WITH_AUTHORS = CompiledRead(  # one parameter, whatever the length
    lambda ids: (
        Post.objects.select_related("author__profile", "page").order_by().filter(pk__among=ids)
    ),
    Ids("ids"),
)
_MEDIA = CompiledRead(
    lambda ids: Media.objects.filter(post_id__among=ids).order_by("position", "id"), Ids("ids")
)
_MENTIONS = CompiledRead(
    lambda ids: Mention.objects.filter(post_id__among=ids).select_related("member"), Ids("ids")
)
_TAGS = CompiledRead(
    lambda ids: PostTag.objects.filter(post_id__among=ids).select_related("hashtag"), Ids("ids")
)


def _mine(me, ids):
    """The viewer's reactions and plain reposts of these posts, as one statement."""
    reactions = Reaction.objects.filter(member_id=me, post_id__among=ids).annotate(
        target=F("post_id"), reaction=F("type")
    )
    reposts = Post.objects.filter(author_id=me, reblog_id__among=ids).annotate(
        target=F("reblog_id"), reaction=Value(None, output_field=CharField())
    )
    return union_all(("target", "reaction"), reactions, reposts)


_MINE = CompiledRead(_mine, -1, Ids("ids"), constants=True)


def posts_in_context(ids) -> dict[int, Post]:
    """{id: post} for these ids, each loaded as `with_context()` loads it (its author and
    profile, its page, and its original, quote, root and parent post, those with their own
    author, profile and page), in two short statements: the one join of 14 tables took
    PostgreSQL 2-3 ms to plan for a page of 25 posts, the two together 0.5 ms. A related post
    gone between the two reads stays as a LEFT JOIN leaves it: its id, and None."""
    ids = list(ids)
    if not ids:
        return {}
    alias = router.db_for_read(Post)
    posts = {p.pk: p for p in _POSTS_WITH_AUTHORS.objects(alias, ids)}
    related = {
        getattr(post, f"{name}_id") for post in posts.values() for name in _CONTEXT_FIELDS
    } - {None}
    others = {p.pk: p for p in _POSTS_WITH_AUTHORS.objects(alias, related)} if related else {}
    for name in _CONTEXT_FIELDS:
        field = Post._meta.get_field(name)
        for post in posts.values():
            pk = getattr(post, field.attname)
            field.set_cached_value(post, others.get(pk) if pk is not None else None)
    return posts


def posts_by_id(ids) -> QuerySet:
    """The posts with these ids, for a caller that puts them through the door (search)."""
    return Post.objects.filter(pk__in=list(ids))


def visible_post(viewer, post_id, *, sight: Sight | None = None) -> Post:
    """The post, or NotFound (P1) when it doesn't exist or this viewer may not see it."""
    try:
        post_id = int(post_id)
    except (TypeError, ValueError):
        raise NotFound(POST_NOT_FOUND, rule="P1") from None
    if not 0 < post_id < 2**63:
        raise NotFound(POST_NOT_FOUND, rule="P1")
    post = with_context().filter(pk=post_id).first()
    if post is None or not visible_posts(viewer, [post], sight=sight):
        raise NotFound(POST_NOT_FOUND, rule="P1")
    return post


# --- What a page shows about each post -----------------------------------------------------


def decorate(viewer, posts: list[Post], *, sight: Sight | None = None) -> list[Post]:
    """Attach media, mentions, tags, the viewer's reaction and repost, and the quoted post
    when visible, in a constant number of queries. Assembly, not rules: the door ran first."""
    sight = sight or Sight(viewer)
    if not posts:
        return posts
    shown = {p.pk: p for p in posts}
    for post in posts:
        if post.reblog_id:
            shown.setdefault(post.reblog_id, post.reblog)
    quoted = _quoted_posts([*posts, *(p.reblog for p in posts if p.reblog_id)])
    visible_quotes = {q.pk: q for q in visible_posts(viewer, quoted, sight=sight)}
    for q in visible_quotes.values():
        shown.setdefault(q.pk, q)
    ids = list(shown)
    alias = router.db_for_read(Post)
    media: dict[int, list] = {}
    for item in _MEDIA.objects(alias, ids):
        media.setdefault(item.post_id, []).append(item)
    mentions: dict[int, list] = {}
    for row in _MENTIONS.objects(alias, ids):
        mentions.setdefault(row.post_id, []).append(row.member)
    tags: dict[int, list] = {}
    for row in _TAGS.objects(alias, ids):
        tags.setdefault(row.post_id, []).append(row.hashtag)
    mine, reposted = {}, set()
    if sight.me:  # the viewer's reactions and plain reposts of these, one statement
        for target, reaction in _MINE.rows(alias, sight.me, ids):
            if reaction is None:
                reposted.add(target)
            else:
                mine[target] = reaction
    for post in shown.values():
        if post.kind == PostKind.NEWS:
            post.html = news.render(post)  # for this reader, never saved
        post.media_list = media.get(post.pk, [])
        post.mention_list = mentions.get(post.pk, [])
        post.tag_list = tags.get(post.pk, [])
        post.my_reaction = mine.get(post.pk)
        post.reposted_by_me = post.pk in reposted
        post.shown_quote = visible_quotes.get(post.quote_id) if post.quote_id else None
    return posts


def _quoted_posts(posts: list[Post]) -> list[Post]:
    """The posts these quote, ready for the door: the quoted post already loaded with its
    holder (`with_context()` joins it) when nothing else decides its visibility (a quoted
    post is never a comment nor a plain repost), the others read (one query, only if any)."""
    found: dict[int, Post] = {}
    missing: set[int] = set()
    for holder in posts:
        if not holder.quote_id:
            continue
        quote = holder.quote if Post.quote.is_cached(holder) else None
        if quote is not None and not quote.root_id and not quote.reblog_id:
            found.setdefault(quote.pk, quote)
        else:
            missing.add(holder.quote_id)
    missing -= found.keys()
    if missing:
        found.update(posts_in_context(missing))
    return list(found.values())


def reaction_counts(post: Post) -> list[tuple[str, int]]:
    """P2/P4: counts by type, largest first, types nobody chose left out."""
    from feed.models import REACTION_COUNT_FIELDS

    counts = [(kind, getattr(post, name)) for kind, name in REACTION_COUNT_FIELDS.items()]
    return sorted([c for c in counts if c[1] > 0], key=lambda c: -c[1])


# --- Lists ----------------------------------------------------------------------------------


def bounded(rows: QuerySet, key: str, max_id=None, since_id=None, min_id=None):
    """`rows` with `key` below max_id and above since_id and min_id (each when given)."""
    if max_id is not None:
        rows = rows.filter(**{f"{key}__lt": max_id})
    if since_id is not None:
        rows = rows.filter(**{f"{key}__gt": since_id})
    if min_id is not None:
        rows = rows.filter(**{f"{key}__gt": min_id})
    return rows


def page_of(
    viewer,
    rows: QuerySet,
    *,
    limit: int,
    max_id=None,
    since_id=None,
    min_id=None,
    sight: Sight | None = None,
) -> tuple[list[Post], int | None]:
    """A keyset page by post id through the door: (posts newest first, the id to continue
    below, or None at the end). Twice `limit` rows are read so a few hidden ones don't
    shorten the page; the query count doesn't depend on `limit`."""
    sight = sight or Sight(viewer)
    rows = bounded(rows, "id", max_id, since_id, min_id)
    if min_id is not None:  # the page just above min_id, oldest first, then turned over
        candidates = list(with_context(rows).order_by("id")[: limit * 2])
        seen = visible_posts(viewer, candidates, sight=sight)[:limit]
        seen.reverse()
        return seen, (seen[-1].pk if seen else None)
    candidates = list(with_context(rows).order_by("-id")[: limit * 2])
    seen = visible_posts(viewer, candidates, sight=sight)[:limit]
    if len(seen) == limit:
        return seen, seen[-1].pk
    if len(candidates) < limit * 2:
        return seen, None  # the end: everything below was read
    return seen, candidates[-1].pk


def ancestors(viewer, post: Post, *, sight: Sight | None = None) -> list[Post]:
    """What a comment hangs from (the post and, for a reply, its comment), oldest first,
    through the door; nothing for a post."""
    above = [p for p in [post.root, post.in_reply_to] if p is not None and p.pk != post.pk]
    if not above:
        return []
    rows = with_context(Post.objects.filter(pk__in={p.pk for p in above})).order_by("id")
    return visible_posts(viewer, rows, sight=sight)


def thread(viewer, post: Post, *, sight: Sight | None = None) -> list[Post]:
    """P2: the comments and replies under a post, oldest first, through the door."""
    root = post.root if post.root_id else post
    rows = with_context(Post.objects.filter(root=root)).order_by("id")
    return visible_posts(viewer, rows, sight=sight)


def account_posts(
    viewer,
    author,
    *,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    only_media: bool = False,
) -> QuerySet:
    """A member's posts, reposts and (unless excluded) comments, newest first; the door still
    runs on the page, this only narrows what is read. `exclude_reblogs` leaves out plain
    reposts, `only_media` keeps posts with images (Mastodon's account statuses filters)."""
    rows = Post.objects.filter(author=author, page__isnull=True)  # G1: the page's, not theirs
    if exclude_replies:
        rows = rows.exclude(kind=PostKind.COMMENT)
    if exclude_reblogs:
        rows = rows.filter(reblog__isnull=True)
    if only_media:
        rows = rows.filter(media__isnull=False).distinct()
    me = getattr(viewer, "pk", None)
    if me != author.pk and not network.connected_among(viewer, [author.pk]):
        rows = rows.filter(visibility=Visibility.ANYONE).exclude(
            kind=PostKind.COMMENT, root__visibility=Visibility.CONNECTIONS
        )
    return rows


def page_posts(page) -> QuerySet:
    """G1: the posts written in a page's name, for its Posts tab and its account's statuses;
    the door still runs on each page of them."""
    return Post.objects.filter(page_id=page.pk)


def page_post_figures(page) -> dict:
    """The admins' analytics: posts and the impressions they made (P4, each viewer once)."""
    found = Post.objects.filter(page_id=page.pk).aggregate(
        posts=Count("pk"), impressions=Sum("impressions_count"), reactions=Sum("reactions_count")
    )
    return {key: value or 0 for key, value in found.items()}


def authors_posts(author_ids) -> QuerySet:
    """A1's list timeline: the posts and reposts (not comments) of these members, newest
    first, never what they wrote in a page's name (G1); the door still runs on the page."""
    rows = Post.objects.filter(author_id__in=list(author_ids), page__isnull=True)
    return rows.exclude(kind=PostKind.COMMENT)


def author_media(author_id: int) -> dict[int, Media]:
    """The author's images by id: an edit history shows each version's own."""
    return {m.pk: m for m in Media.objects.filter(owner_id=author_id)}


def own_media(owner, media_id: int) -> Media:
    """An image the member uploaded (attached or not); NotFound for anyone else's."""
    media = Media.objects.filter(pk=media_id, owner=owner).first()
    if media is None:
        raise NotFound(MEDIA_RECORD_NOT_FOUND, rule="P1")
    return media


def visible_media(viewer, media_id: int, *, sight: Sight | None = None) -> Media:
    """P1/B1 for images: as visible as the post that carries it (a `connections` post's image
    is NotFound to a non-connection, a blocked member's to the viewer); an image not on a post
    (uploaded, or taken off in an edit) only to its uploader."""
    media = Media.objects.filter(pk=media_id).select_related("post").first()
    me = getattr(viewer, "pk", None) if viewer is not None and viewer.is_authenticated else None
    if media is None or (media.post_id is None and media.owner_id != me):
        raise NotFound(MEDIA_RECORD_NOT_FOUND, rule="P1")
    if media.post_id is not None:
        visible_post(viewer, media.post_id, sight=sight)
    return media


def post_count() -> int:
    return Post.objects.count()


def posts_counted_in_range(lo: int, hi: int) -> dict[int, tuple[int, object]]:
    """(posts, last posted) counted from the rows for authors with lo <= id < hi, one
    grouped statement on the (author, -created_at) index (`linkwell recount`)."""
    rows = (
        Post.objects.filter(author_id__gte=lo, author_id__lt=hi, page__isnull=True)
        .order_by()
        .values_list("author_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
    )
    return {author: (n, last) for author, n, last in rows}


def public_posts() -> QuerySet:
    """Posts for anyone (no comments, no reposts): the public timeline."""
    return Post.objects.filter(kind=PostKind.POST, visibility=Visibility.ANYONE)


def tag_posts(hashtag: Hashtag) -> QuerySet:
    return Post.objects.filter(
        post_tags__hashtag=hashtag, visibility=Visibility.ANYONE, kind=PostKind.POST
    )


def hashtag_named(name: str, viewer=None) -> Hashtag:
    """A tag is found when a post anyone may see carries it or the viewer follows it: a tag
    written only in `connections` posts is, to everyone else, a tag that doesn't exist (P1)."""
    key = (name or "").lstrip("#").lower()
    tag = Hashtag.objects.filter(key=key).first() if texts.is_hashtag(key) else None
    if tag is None or not (tag_posts(tag).exists() or follows_hashtag(viewer, tag)):
        raise NotFound(TAG_NOT_FOUND, rule="F3")
    return tag


def followed_hashtags(member) -> QuerySet:
    return Hashtag.objects.filter(followers__member=member).order_by("followers__id")


def followed_hashtag_ids(member, hashtag_ids) -> set[int]:
    """Which of these tags the member follows, in one query."""
    if member is None or not member.is_authenticated or not hashtag_ids:
        return set()
    return set(
        HashtagFollow.objects.filter(member=member, hashtag_id__in=list(hashtag_ids)).values_list(
            "hashtag_id", flat=True
        )
    )


def tag_uses_since(tag: Hashtag, since) -> list[tuple]:
    """(created_at, author id) of every post anyone may see tagged `tag` since `since`: a
    tag's history counts no `connections` post (P1)."""
    return list(
        PostTag.objects.filter(
            hashtag=tag,
            post__created_at__gte=since,
            post__visibility=Visibility.ANYONE,
            post__kind=PostKind.POST,
        ).values_list("post__created_at", "post__author_id")
    )


def follows_hashtag(member, hashtag) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return HashtagFollow.objects.filter(member=member, hashtag=hashtag).exists()


def reactors(viewer, post: Post, *, kind: str | None = None, sight: Sight | None = None):
    """Who reacted, newest first, leaving out members hidden from the viewer (B1)."""
    sight = sight or Sight(viewer)
    rows = Reaction.objects.filter(post=post).select_related("member__profile")
    if kind:
        rows = rows.filter(type=kind)
    if sight.hidden:
        rows = rows.exclude(member_id__in=list(sight.hidden))
    return rows.order_by("-id")


def reposters(viewer, post: Post, *, sight: Sight | None = None) -> QuerySet:
    sight = sight or Sight(viewer)
    rows = Post.objects.filter(Q(reblog=post) | Q(quote=post)).select_related("author__profile")
    if sight.hidden:
        rows = rows.exclude(author_id__in=list(sight.hidden))
    return rows.order_by("-id")


def _in_force(expires_at, now) -> bool:
    """`mutes_in_force`'s condition, for mutes and keyword filters read by a statement that
    holds no moment (compiled once)."""
    return expires_at is None or expires_at > now


def mutes_in_force(member) -> QuerySet:
    """The member's mutes that have not lapsed: a mute with a `duration` ends at `expires_at`
    by itself (Mastodon's meaning), whether or not its row has been deleted yet."""
    return Mute.objects.filter(member=member).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=clock.now())
    )


def mutes_of(member) -> QuerySet:
    return mutes_in_force(member).select_related("muted__profile").order_by("-id")


def muted_among(member, member_ids) -> dict[int, bool]:
    """Which of the members the member mutes now, each with whether their notifications are
    muted too (the Relationship's `muting` and `muting_notifications`)."""
    if member is None or not member.is_authenticated:
        return {}
    return dict(
        mutes_in_force(member)
        .filter(muted_id__in=list(member_ids))
        .values_list("muted_id", "notifications")
    )


def _mute_part(member_id, member_ids):
    return network.fact_rows(
        Mute.objects.filter(member_id=member_id, muted_id__among=member_ids),
        "mute",
        a="member_id",
        b="muted_id",
        n=Cast("notifications", IntegerField()),
        at="expires_at",
    )


# The viewer's mutes of the members asked of `network.queries.relationships`, read in its one
# statement whether in force or lapsed (the statement is compiled once, so it holds no
# moment); `muting_of` keeps the ones in force, as `mutes_in_force` does.
MUTE_PARTS = (_mute_part,)


def muting_of(rel, now=None) -> bool | None:
    """For a Relationship read with `MUTE_PARTS`: None when the viewer doesn't mute the
    member now, else whether their notifications are muted too (`muted_among`'s answer)."""
    row = rel.facts.get("mute")
    if row is None or not _in_force(row.at, now or clock.now()):
        return None
    return bool(row.n)


def _keywords() -> Prefetch:
    """A filter's keywords in the order they were made (a new Prefetch each time: Django
    keeps state on one while it prefetches)."""
    return Prefetch("keywords", queryset=FilterKeyword.objects.order_by("id"))


def filters_of(member) -> QuerySet:
    return KeywordFilter.objects.filter(member=member).prefetch_related(_keywords()).order_by("id")


def filter_of(member, filter_id: int) -> KeywordFilter:
    """One of the member's keyword filters, with its keywords; NotFound for anyone else's."""
    found = filters_of(member).filter(pk=filter_id).first()
    if found is None:
        raise NotFound(FILTER_NOT_FOUND, rule="P3")
    return found


def filter_keywords(member) -> QuerySet:
    """Every keyword of the member's filters with its filter (Mastodon's v1 filters)."""
    return (
        FilterKeyword.objects.filter(filter__member=member).select_related("filter").order_by("id")
    )


def filter_keyword(member, keyword_id: int) -> FilterKeyword:
    found = filter_keywords(member).filter(pk=keyword_id).first()
    if found is None:
        raise NotFound(FILTER_NOT_FOUND, rule="P3")
    return found


def active_filters(member, context: str) -> list[KeywordFilter]:
    if member is None or not member.is_authenticated:
        return []
    now = clock.now()
    found = [
        f
        for f in _FILTERS.objects(router.db_for_read(KeywordFilter), member.pk)
        if _in_force(f.expires_at, now) and context in f.context
    ]
    if found:  # most members have none: their keywords only when a filter is in force
        prefetch_related_objects(found, _keywords())
    return found


# Every page of posts asks it: compiled once per database, the lapse asked of the clock here.
_FILTERS = CompiledRead(lambda me: KeywordFilter.objects.filter(member_id=me).order_by("id"), -1)


def filter_matches(filters: list[KeywordFilter], post: Post) -> list[tuple[KeywordFilter, list]]:
    """Which of the member's filters match the post's text (whole words where asked)."""
    import re

    text = post.text + " " + (post.reblog.text if post.reblog_id else "")
    found = []
    for f in filters:
        hits = []
        for keyword in f.keywords.all():
            word = re.escape(keyword.keyword)
            pattern = rf"(?<!\w){word}(?!\w)" if keyword.whole_word else word
            if re.search(pattern, text, re.IGNORECASE):
                hits.append(keyword.keyword)
        if hits:
            found.append((f, hits))
    return found


def apply_filters(filters, posts: list[Post]) -> list[Post]:
    """Drop posts a `hide` filter matches; mark the `warn` ones (`post.filtered`)."""
    if not filters:
        for post in posts:
            post.filtered = []
        return posts
    kept = []
    for post in posts:
        matches = filter_matches(filters, post)
        if any(f.action == "hide" for f, _ in matches):
            continue
        post.filtered = matches
        kept.append(post)
    return kept


def filtered(viewer, context: str, posts: list[Post]) -> list[Post]:
    """The member's keyword filters for one context (home, notifications, public, thread,
    account) applied to a list: `hide` drops, `warn` marks (`post.filtered`)."""
    return apply_filters(active_filters(viewer, context), posts)


def trending_tags(viewer, *, days: int = 7, limit: int = 10) -> list[tuple[Hashtag, int, int]]:
    """(tag, uses, accounts) of the last days, from posts anyone may see."""
    from datetime import timedelta

    from django.db.models import Count

    since = clock.now() - timedelta(days=days)
    rows = (
        PostTag.objects.filter(
            post__created_at__gte=since,
            post__visibility=Visibility.ANYONE,
            post__kind=PostKind.POST,
        )
        .values("hashtag_id")
        .annotate(uses=Count("post_id"), accounts=Count("post__author_id", distinct=True))
        .order_by("-uses", "hashtag_id")[:limit]
    )
    rows = list(rows)
    tags = Hashtag.objects.in_bulk([r["hashtag_id"] for r in rows])
    return [(tags[r["hashtag_id"]], r["uses"], r["accounts"]) for r in rows]


def trending_posts(
    viewer, *, days: int = 3, limit: int = 20, offset: int = 0, sight: Sight | None = None
) -> list[Post]:
    """Recent posts anyone may see, by engagement, through the door."""
    from datetime import timedelta

    from django.db.models import F

    since = clock.now() - timedelta(days=days)
    rows = (
        public_posts()
        .filter(created_at__gte=since)
        .annotate(
            engagement=F("reactions_count") + 2 * F("comments_count") + 3 * F("reposts_count")
        )
        .filter(engagement__gt=0)
        .order_by("-engagement", "-id")
    )
    candidates = list(with_context(rows)[offset : offset + limit * 2])
    return visible_posts(viewer, candidates, sight=sight)[:limit]


# --- A member's own activity, for their export (issue 17, X2) ------------------------------


def own_posts(member) -> QuerySet:
    """The member's posts, reposts and comments (not S7's news, which the site wrote)."""
    return (
        Post.objects.filter(author=member)
        .exclude(kind=PostKind.NEWS)
        .prefetch_related("media")
        .order_by("created_at", "pk")
    )


def own_reactions(member) -> QuerySet:
    return Reaction.objects.filter(member=member).order_by("created_at", "pk")


def uploaded_media(owner) -> QuerySet:
    """Every image the member uploaded (attached or not): theirs to take with them."""
    return Media.objects.filter(owner=owner).order_by("pk")
