"""Mastodon's Status, MediaAttachment, Tag, Notification and Filter entities, built here.

Every builder takes posts that already went through feed.queries.visible_posts and were
decorated (feed.queries.decorate): a schema shapes, it never decides who sees what. A page of
statuses costs a constant number of queries (the accounts of every author in one go).
"""

from __future__ import annotations

from django.conf import settings
from ninja import Schema

from api.schemas import iso
from api.schemas.accounts import Account, account_entities
from api.schemas.pages import page_account_entities
from feed import images
from feed.models import PostKind, Visibility
from feed.queries import reaction_counts

MASTODON_VISIBILITY = {Visibility.ANYONE: "public", Visibility.CONNECTIONS: "private"}


class MediaAttachment(Schema):
    id: str
    type: str
    url: str
    preview_url: str | None
    remote_url: str | None
    text_url: str | None
    meta: dict
    description: str | None
    blurhash: str | None


class TagOut(Schema):
    name: str
    url: str
    history: list
    following: bool | None = None


class Status(Schema):
    id: str
    uri: str
    url: str | None
    created_at: str
    edited_at: str | None
    account: Account
    content: str
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachment]
    application: dict | None
    mentions: list[dict]
    tags: list[dict]
    emojis: list
    reblogs_count: int
    favourites_count: int
    replies_count: int
    quotes_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: dict | None
    quote: dict | None
    quote_approval: dict
    poll: dict | None
    card: dict | None
    language: str | None
    text: str | None = None
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    filtered: list
    # Linkwell's own
    reactions: list[dict]
    impressions_count: int | None
    linkwell_kind: str


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def post_url(post_id: int) -> str:
    return f"{settings.SITE_URL}/posts/{post_id}/"


def media_entity(media, *, viewer=None, public: bool = False) -> dict:
    """`url` and `preview_url` point at the image route, which asks the door; an image of a
    post not everyone may see carries the viewer, signed (clients fetch images without
    their token)."""
    viewer_id = None if public else getattr(viewer, "pk", None)
    original = {
        "width": media.width,
        "height": media.height,
        "size": f"{media.width}x{media.height}",
        "aspect": media.width / media.height if media.height else 1,
    }
    return {
        "id": str(media.pk),
        "type": "image",
        "url": _absolute(images.image_path(media.pk, "full", viewer_id=viewer_id)),
        "preview_url": _absolute(images.image_path(media.pk, "preview", viewer_id=viewer_id)),
        "remote_url": None,
        "text_url": None,
        "meta": {"original": original, "small": original},
        "description": media.description or None,
        "blurhash": None,
    }


def tag_entity(tag, *, following: bool | None = None, history: list | None = None) -> dict:
    entity = {
        "id": str(tag.pk),
        "name": tag.name,
        "url": f"{settings.SITE_URL}/tags/{tag.key}/",
        "history": history or [],
    }
    if following is not None:
        entity["following"] = following
    return entity


def _speaker(post) -> int:
    """The account a status shows as its author: the page it was written for (G1), whose
    admin stays unnamed, or the member."""
    return post.page.account_id if post.page_id else post.author_id


def _pages(posts) -> list:
    found = {}
    for post in posts:
        for one in (post, post.reblog, getattr(post, "shown_quote", None)):
            if one is not None and one.page_id:
                found[one.page_id] = one.page
        shown = getattr(post.reblog, "shown_quote", None) if post.reblog_id else None
        if shown is not None and shown.page_id:
            found[shown.page_id] = shown.page
    return list(found.values())


def _authors(posts) -> list[int]:
    ids = []
    for post in posts:
        if not post.page_id:
            ids.append(post.author_id)
        if post.reblog_id:
            ids.append(post.reblog.author_id)
            if getattr(post.reblog, "shown_quote", None):
                ids.append(post.reblog.shown_quote.author_id)
        if getattr(post, "shown_quote", None):
            ids.append(post.shown_quote.author_id)
    return list(dict.fromkeys(ids))


def status_entities(viewer, posts, *, with_text: bool = False, sight=None) -> list[dict]:
    """Statuses for decorated, visible posts, in order; `sight`: the request's
    feed.queries.Sight, whose blocks the accounts then read instead of a query."""
    posts = list(posts)
    authors = _authors(posts)
    accounts = {int(a["id"]): a for a in account_entities(authors, viewer=viewer, view=sight)}
    accounts.update(page_account_entities(_pages(posts)))
    return [_status(viewer, post, accounts, with_text=with_text) for post in posts]


def status_entity(viewer, post, *, with_text: bool = False) -> dict:
    return status_entities(viewer, [post], with_text=with_text)[0]


def _status(viewer, post, accounts, *, with_text=False, nested=False) -> dict:
    me = getattr(viewer, "pk", None)
    reblog = None
    if post.reblog_id and not nested:
        reblog = _status(viewer, post.reblog, accounts, nested=True)
    quote = None
    if post.kind == PostKind.REPOST and not post.reblog_id:
        shown = getattr(post, "shown_quote", None)
        if shown is not None and not nested:
            quote = {
                "state": "accepted",
                "quoted_status": _status(viewer, shown, accounts, nested=True),
            }
        elif shown is not None:
            quote = {"state": "accepted", "quoted_status": None, "quoted_status_id": str(shown.pk)}
        else:
            quote = {
                "state": "deleted" if post.quote_id is None else "unauthorized",
                "quoted_status": None,
            }
    source = post.reblog if post.reblog_id else post
    mine = getattr(source, "my_reaction", None)
    reactions = [
        {"name": name, "count": count, "me": name == mine}
        for name, count in reaction_counts(source)
    ]
    entity = {
        "id": str(post.pk),
        "uri": post_url(post.pk),
        "url": post_url(post.pk),
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "account": accounts[_speaker(post)],
        "content": post.html,
        "visibility": MASTODON_VISIBILITY.get(post.visibility, "public"),
        "sensitive": False,
        "spoiler_text": "",
        "media_attachments": [
            media_entity(m, viewer=viewer, public=post.visibility == Visibility.ANYONE)
            for m in getattr(post, "media_list", [])
        ],
        "application": None,
        "mentions": [
            {
                "id": str(m.pk),
                "username": m.username,
                "acct": m.username,
                "url": f"{settings.SITE_URL}/in/{m.username}/",
            }
            for m in getattr(post, "mention_list", [])
        ],
        "tags": [
            {"name": t.key, "url": f"{settings.SITE_URL}/tags/{t.key}/"}
            for t in getattr(post, "tag_list", [])
        ],
        "emojis": [],
        "reblogs_count": source.reposts_count,
        "favourites_count": source.reactions_count,
        "replies_count": source.comments_count,
        "quotes_count": 0,
        "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(post.in_reply_to.author_id) if post.in_reply_to_id else None
        ),
        "reblog": reblog,
        "quote": quote,
        "quote_approval": {
            "automatic": ["public"] if post.visibility == Visibility.ANYONE else [],
            "manual": [],
            "current_user": (
                "automatic" if post.visibility == Visibility.ANYONE and me else "denied"
            ),
        },
        "poll": None,
        "card": None,
        "language": None,
        "favourited": mine is not None,
        "reblogged": bool(getattr(source, "reposted_by_me", False)),
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "filtered": [
            {"filter": filter_entity(f), "keyword_matches": hits, "status_matches": None}
            for f, hits in getattr(post, "filtered", [])
        ],
        "reactions": reactions,
        "impressions_count": source.impressions_count if source.author_id == me else None,
        "linkwell_kind": post.kind,
    }
    if with_text:
        entity["text"] = post.text
    return entity


def filter_entity(row) -> dict:
    return {
        "id": str(row.pk),
        "title": row.title,
        "context": list(row.context),
        "expires_at": iso(row.expires_at),
        "filter_action": row.action,
        "keywords": [
            {"id": str(k.pk), "keyword": k.keyword, "whole_word": k.whole_word}
            for k in row.keywords.all()
        ],
        "statuses": [],
    }
