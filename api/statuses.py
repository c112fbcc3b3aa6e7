"""Mastodon's statuses, media and timelines (P1–P4, F3): forms in, feed services and queries out.

Visibility: `public` and `unlisted` are Linkwell's `anyone`, `private` is `connections`;
`direct` is a message under messaging's rules (api/messaging.py). Reactions are an extension
(`PUT`/`DELETE /api/v1/statuses/:id/reactions/:type`); `favourite` is the `like` reaction.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from api import messaging as messaging_api
from api import pages as pages_api
from api.auth import member_auth, optional_auth, require_scope, viewer
from api.payload import as_bool, as_list, payload
from api.schemas import iso
from api.schemas.accounts import Account, account_entities
from api.schemas.messages import message_pk
from api.schemas.statuses import MediaAttachment, Status, media_entity, status_entities
from core.errors import Invalid, NotFound
from core.paging import keyset_page
from feed import home, impressions, queries, services
from feed.models import ReactionType, Visibility
from network import queries as network
from pages import queries as pages_queries
from relationships import queries as relationships

router = Router(tags=["statuses"])

VISIBILITIES = {"public": "anyone", "unlisted": "anyone", "private": "connections"}
DIRECT_REFUSED = _("Linkwell has no direct posts; send a message instead.")
FILE_REQUIRED = _("Validation failed: file is required")
BAD_ORDER = _("Validation failed: order must be top or recent")
BAD_VISIBILITY = _("Validation failed: visibility must be public, unlisted or private")
MEDIA_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "description": {"type": "string"},
                    },
                }
            }
        }
    }
}


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 2**63 else default


def _limit(request, default=20, maximum=40) -> int:
    return min(max(_int(request.GET.get("limit"), default), 1), maximum)


def _cursors(request) -> dict:
    return {name: _int(request.GET.get(name)) for name in ("max_id", "since_id", "min_id")}


def _link(request, response, *, next_params=None, prev_params=None) -> None:
    base = request.build_absolute_uri(request.path)
    keep = {
        k: v
        for k, v in request.GET.items()
        if k not in {"max_id", "min_id", "since_id", "offset", "anchor"}
    }
    links = []
    if next_params:
        links.append(f'<{base}?{urlencode({**keep, **next_params})}>; rel="next"')
    if prev_params:
        links.append(f'<{base}?{urlencode({**keep, **prev_params})}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)


def _answer_page(request, response, posts, next_below):
    me = viewer(request)
    sight = queries.Sight(me)
    queries.decorate(me, posts, sight=sight)
    impressions.record(me, posts)
    _link(
        request,
        response,
        next_params={"max_id": next_below} if next_below else None,
        prev_params={"min_id": posts[0].pk} if posts else None,
    )
    return status_entities(me, posts, sight=sight)


def _one(request, post_id: int, *, with_text=False):
    me = viewer(request)
    post = queries.visible_post(me, post_id)
    queries.decorate(me, [post])
    return status_entities(me, [post], with_text=with_text)[0]


def _visibility(data) -> str:
    value = str(data.get("visibility") or "public")
    if value == "direct":
        raise Invalid(DIRECT_REFUSED, rule="P1")
    if value not in VISIBILITIES:
        raise Invalid(BAD_VISIBILITY, rule="P1")
    return VISIBILITIES[value]


# --- Statuses ---------------------------------------------------------------------------------


@router.post("/v1/statuses", auth=member_auth, response=Status, summary="Post, comment or repost")
def post_status(request):
    """`status`, `media_ids[]`, `visibility`; `in_reply_to_id` comments or replies;
    `quoted_status_id` reposts with your thoughts. `Idempotency-Key` makes a retry safe."""
    require_scope(request, "write:statuses")
    data, _ = payload(request)
    if str(data.get("visibility") or "") == "direct":  # M1–M6: a message, not a post
        return messaging_api.send_direct(request, data)
    me = request.auth
    text = str(data.get("status") or "")
    media_ids = as_list(data.get("media_ids"))
    key = request.headers.get("Idempotency-Key", "")[:100]
    reply_to = data.get("in_reply_to_id")
    quoted = data.get("quoted_status_id") or data.get("quote_id")
    if reply_to:
        made = services.comment(
            author=me, on=_int(reply_to, 0), text=text, media_ids=media_ids, idempotency_key=key
        )
    elif quoted:
        made = services.repost(
            author=me,
            original=_int(quoted, 0),
            text=text,
            visibility=_visibility(data),
            idempotency_key=key,
        )
    else:
        page = data.get("page_id")  # G1: an admin posts in the page's name
        made = services.publish(
            author=me,
            text=text,
            visibility=_visibility(data),
            media_ids=media_ids,
            idempotency_key=key,
            page_id=pages_queries.page_for_account(page).pk if page else None,
        )
    return _one(request, made.pk)


@router.get("/v1/statuses/{int:post_id}", auth=optional_auth, response=Status)
def get_status(request, post_id: int):
    """P1: 404 when it doesn't exist or you may not see it; a message's id (M1) only for
    its two members."""
    if message_pk(post_id):
        if viewer(request) is None:
            raise NotFound(queries.POST_NOT_FOUND)
        return messaging_api.direct_status(request, post_id)
    return _one(request, post_id)


@router.put("/v1/statuses/{int:post_id}", auth=member_auth, response=Status)
def edit_status(request, post_id: int):
    """The author edits `status` and `media_ids[]`; earlier versions are kept (history)."""
    require_scope(request, "write:statuses")
    data, _ = payload(request)
    media = as_list(data.get("media_ids")) if "media_ids" in data else None
    services.edit(
        editor=request.auth, post_id=post_id, text=str(data.get("status") or ""), media_ids=media
    )
    return _one(request, post_id)


@router.delete("/v1/statuses/{int:post_id}", auth=member_auth, response=Status)
def delete_status(request, post_id: int):
    """The author deletes; the answer carries `text` so a client can redraft."""
    require_scope(request, "write:statuses")
    me = request.auth
    post = queries.visible_post(me, post_id)
    queries.decorate(me, [post])
    entity = status_entities(me, [post], with_text=True)[0]
    services.delete(by=me, post_id=post_id)
    return entity


@router.get("/v1/statuses/{int:post_id}/source", auth=member_auth)
def status_source(request, post_id: int):
    require_scope(request, "read:statuses")
    post = queries.visible_post(request.auth, post_id)
    return {"id": str(post.pk), "text": post.text, "spoiler_text": ""}


@router.get("/v1/statuses/{int:post_id}/history", auth=optional_auth)
def status_history(request, post_id: int):
    """Every version, oldest first; the last is the current one."""
    me = viewer(request)
    post = queries.visible_post(me, post_id)
    queries.decorate(me, [post])
    account = account_entities([post.author_id], viewer=me)[0]
    current = status_entities(me, [post])[0]
    media = queries.author_media(post.author_id)
    versions = [
        {
            "content": rev.html,
            "spoiler_text": "",
            "sensitive": False,
            "created_at": iso(rev.created_at),
            "account": account,
            "poll": None,
            "media_attachments": [
                media_entity(media[m], viewer=me, public=post.visibility == Visibility.ANYONE)
                for m in rev.media_ids
                if m in media
            ],
            "emojis": [],
        }
        for rev in post.revisions.all()
    ]
    versions.append(
        {
            "content": current["content"],
            "spoiler_text": "",
            "sensitive": False,
            "created_at": current["edited_at"] or current["created_at"],
            "account": account,
            "poll": None,
            "media_attachments": current["media_attachments"],
            "emojis": [],
        }
    )
    return versions


@router.get("/v1/statuses/{int:post_id}/context", auth=optional_auth)
def status_context(request, post_id: int):
    """A post's comments and replies are its descendants; a comment's ancestors are the post
    (and, for a reply, its comment)."""
    me = viewer(request)
    sight = queries.Sight(me)
    post = queries.visible_post(me, post_id, sight=sight)
    if post.reblog_id:
        post = queries.visible_post(me, post.reblog_id, sight=sight)
    thread = queries.thread(me, post, sight=sight)
    if post.root_id:
        ancestors = queries.ancestors(me, post, sight=sight)
        descendants = [p for p in thread if p.in_reply_to_id == post.pk]
    else:
        ancestors, descendants = [], thread
    ancestors = queries.filtered(me, "thread", ancestors)
    descendants = queries.filtered(me, "thread", descendants)
    queries.decorate(me, ancestors + descendants, sight=sight)
    return {
        "ancestors": status_entities(me, ancestors),
        "descendants": status_entities(me, descendants),
    }


@router.post("/v1/statuses/{int:post_id}/favourite", auth=member_auth, response=Status)
def favourite(request, post_id: int):
    """The `like` reaction (P2); a different reaction you gave stays as it is."""
    require_scope(request, "write:favourites")
    post = queries.visible_post(request.auth, post_id)
    target = post.reblog if post.reblog_id else post
    queries.decorate(request.auth, [target])
    if target.my_reaction is None:
        services.react(member=request.auth, post_id=target.pk, kind=ReactionType.LIKE)
    return _one(request, post_id)


@router.post("/v1/statuses/{int:post_id}/unfavourite", auth=member_auth, response=Status)
def unfavourite(request, post_id: int):
    require_scope(request, "write:favourites")
    services.unreact(member=request.auth, post_id=post_id)
    return _one(request, post_id)


@router.put("/v1/statuses/{int:post_id}/reactions/{kind}", auth=member_auth, response=Status)
def put_reaction(request, post_id: int, kind: str):
    """Linkwell: like, celebrate, support, love, insightful or funny; one per member, and
    putting another changes it (P2)."""
    require_scope(request, "write:favourites")
    services.react(member=request.auth, post_id=post_id, kind=kind)
    return _one(request, post_id)


@router.delete("/v1/statuses/{int:post_id}/reactions/{kind}", auth=member_auth, response=Status)
def delete_reaction(request, post_id: int, kind: str):
    require_scope(request, "write:favourites")
    post = queries.visible_post(request.auth, post_id)
    target = post.reblog if post.reblog_id else post
    queries.decorate(request.auth, [target])
    if target.my_reaction == kind:
        services.unreact(member=request.auth, post_id=post_id)
    return _one(request, post_id)


@router.post("/v1/statuses/{int:post_id}/reblog", auth=member_auth, response=Status)
def reblog(request, post_id: int):
    """A plain repost; the answer is the repost wrapping the original, as in Mastodon."""
    require_scope(request, "write:statuses")
    data, _ = payload(request)
    visibility = _visibility(data) if data.get("visibility") else "anyone"
    made = services.repost(author=request.auth, original=post_id, visibility=visibility)
    return _one(request, made.pk)


@router.post("/v1/statuses/{int:post_id}/unreblog", auth=member_auth, response=Status)
def unreblog(request, post_id: int):
    require_scope(request, "write:statuses")
    original = services.undo_repost(author=request.auth, original=post_id)
    return _one(request, original.pk)


@router.get("/v1/statuses/{int:post_id}/favourited_by", auth=optional_auth, response=list[Account])
def favourited_by(request, post_id: int, response: HttpResponse):
    """Who reacted (any reaction), newest first; `type` narrows to one reaction."""
    me = viewer(request)
    post = queries.visible_post(me, post_id)
    target = post.reblog if post.reblog_id else post
    rows = queries.reactors(me, target, kind=request.GET.get("type") or None)
    limit = _limit(request, 40, 80)
    page = keyset_page(rows, "pk", limit=limit, max_id=_int(request.GET.get("max_id")))
    if len(page) == limit:
        _link(request, response, next_params={"max_id": page[-1].pk})
    return account_entities([r.member_id for r in page], viewer=me)


@router.get("/v1/statuses/{int:post_id}/reblogged_by", auth=optional_auth, response=list[Account])
def reblogged_by(request, post_id: int, response: HttpResponse):
    me = viewer(request)
    post = queries.visible_post(me, post_id)
    target = post.reblog if post.reblog_id else post
    rows = queries.reposters(me, target)
    limit = _limit(request, 40, 80)
    page = keyset_page(rows, "pk", limit=limit, max_id=_int(request.GET.get("max_id")))
    if len(page) == limit:
        _link(request, response, next_params={"max_id": page[-1].pk})
    return account_entities(list(dict.fromkeys(r.author_id for r in page)), viewer=me)


# --- Media ------------------------------------------------------------------------------------


def _upload(request):
    require_scope(request, "write:media")
    data, files = payload(request)
    upload = files.get("file")
    if upload is None:
        raise Invalid(FILE_REQUIRED, rule="P1")
    media = services.upload_media(
        owner=request.auth, upload=upload, description=str(data.get("description") or "")
    )
    return media_entity(media, viewer=request.auth)


@router.post(
    "/v2/media",
    auth=member_auth,
    response=MediaAttachment,
    openapi_extra=MEDIA_FORM,
    summary="Upload an image (attach it with media_ids[])",
)
def upload_v2(request):
    return _upload(request)


@router.post("/v1/media", auth=member_auth, response=MediaAttachment, openapi_extra=MEDIA_FORM)
def upload_v1(request):
    return _upload(request)


@router.get("/v1/media/{int:media_id}", auth=member_auth, response=MediaAttachment)
def get_media(request, media_id: int):
    return media_entity(queries.own_media(request.auth, media_id), viewer=request.auth)


@router.put("/v1/media/{int:media_id}", auth=member_auth, response=MediaAttachment)
def update_media(request, media_id: int):
    """Alt text (`description`)."""
    require_scope(request, "write:media")
    data, _ = payload(request)
    media = services.describe_media(
        owner=request.auth, media_id=media_id, description=str(data.get("description") or "")
    )
    return media_entity(media, viewer=request.auth)


# --- Timelines --------------------------------------------------------------------------------


@router.get("/v1/timelines/home", auth=member_auth, response=list[Status])
def home_timeline(request, response: HttpResponse):
    """P3: `order=recent` (the default here) or `top`; Link headers carry the cursor."""
    require_scope(request, "read:statuses")
    me = request.auth
    order = request.GET.get("order", "recent")
    if order not in home.ORDERS:
        raise Invalid(BAD_ORDER, rule="P3")
    sight = queries.Sight(me)
    page = home.home(
        me,
        order=order,
        limit=_limit(request),
        offset=_int(request.GET.get("offset"), 0) or 0,
        anchor=_int(request.GET.get("anchor")),
        sight=sight,
        **_cursors(request),
    )
    posts = [item.post for item in page.items]
    impressions.record(me, posts)
    if page.next_offset is not None:
        next_params = {"order": "top", "offset": page.next_offset, "anchor": page.anchor}
    elif page.next_max_id:
        next_params = {"max_id": page.next_max_id}
    else:
        next_params = None
    prev = {"min_id": page.newest_id} if page.newest_id else None
    _link(request, response, next_params=next_params, prev_params=prev)
    return status_entities(me, posts, sight=sight)


@router.get("/v1/timelines/public", auth=optional_auth, response=list[Status])
def public_timeline(request, response: HttpResponse):
    """Posts for anyone (every account is local, so `local` changes nothing)."""
    me = viewer(request)
    posts, below = queries.page_of(
        me, queries.public_posts(), limit=_limit(request), **_cursors(request)
    )
    posts = queries.apply_filters(queries.active_filters(me, "public"), posts)
    return _answer_page(request, response, posts, below)


@router.get("/v1/timelines/tag/{tag}", auth=optional_auth, response=list[Status])
def tag_timeline(request, tag: str, response: HttpResponse):
    """F3: a tag's `anyone` posts; a tag nobody wrote, or only `connections` posts carry, is
    an empty timeline, as Mastodon answers for an unknown tag (P1)."""
    me = viewer(request)
    try:
        hashtag = queries.hashtag_named(tag, me)
    except NotFound:
        return []
    posts, below = queries.page_of(
        me, queries.tag_posts(hashtag), limit=_limit(request), **_cursors(request)
    )
    posts = queries.apply_filters(queries.active_filters(me, "public"), posts)
    return _answer_page(request, response, posts, below)


@router.get("/v1/timelines/list/{int:list_id}", auth=member_auth, response=list[Status])
def list_timeline(request, list_id: int, response: HttpResponse):
    """A1: the posts of the members in one of the viewer's own lists (private tags); another
    member's list is not found."""
    require_scope(request, "read:lists", "read:statuses")
    me = request.auth
    authors = relationships.tag_member_ids(me, list_id)
    posts, below = queries.page_of(
        me, queries.authors_posts(authors), limit=_limit(request), **_cursors(request)
    )
    posts = queries.filtered(me, "home", posts)
    return _answer_page(request, response, posts, below)


@router.get("/v1/accounts/{int:account_id}/statuses", auth=optional_auth, response=list[Status])
def account_statuses(request, account_id: int, response: HttpResponse):
    """A member's posts, reposts and comments you may see; `exclude_replies`,
    `exclude_reblogs`, `only_media`; `pinned=true` is empty (no pinned posts yet)."""
    me = viewer(request)
    if pages_queries.is_page_account(account_id):  # G1: what a page wrote
        rows = pages_api.statuses_rows(account_id)
        if as_bool("pinned", request.GET.get("pinned", "false")):
            return []
        posts, below = queries.page_of(me, rows, limit=_limit(request), **_cursors(request))
        return _answer_page(request, response, queries.filtered(me, "account", posts), below)
    member = network.visible_member(me, pk=account_id).member
    if as_bool("pinned", request.GET.get("pinned", "false")):
        return []
    rows = queries.account_posts(
        me,
        member,
        exclude_replies=as_bool("exclude_replies", request.GET.get("exclude_replies", "false")),
        exclude_reblogs=as_bool("exclude_reblogs", request.GET.get("exclude_reblogs", "false")),
        only_media=as_bool("only_media", request.GET.get("only_media", "false")),
    )
    posts, below = queries.page_of(me, rows, limit=_limit(request), **_cursors(request))
    posts = queries.filtered(me, "account", posts)
    return _answer_page(request, response, posts, below)
