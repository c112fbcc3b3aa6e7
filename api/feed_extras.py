"""What Mastodon clients call around the feed: hashtags (F3), mutes, keyword filters (v1 and
v2), trends, preferences, and the start-up lists Linkwell answers truthfully (no custom emoji,
no announcements, no follow requests: following needs no approval, F1's `connections`
setting refuses instead)."""

from datetime import timedelta

from django.http import HttpResponse
from ninja import Router

from accounts.models import User
from api.auth import member_auth, optional_auth, require_scope, viewer
from api.payload import as_bool, as_list, payload
from api.schemas import iso
from api.schemas.accounts import account_entities
from api.schemas.statuses import filter_entity, status_entities, tag_entity
from core import clock
from feed import queries, services
from feed.models import FilterKeyword
from network import queries as network

router = Router(tags=["feed"])


def _history(tag) -> list[dict]:
    """Uses per day for the last week, as Mastodon's Tag history (newest day first)."""
    today = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - timedelta(days=6)
    days = {}
    for at, author in queries.tag_uses_since(tag, since):
        day = at.replace(hour=0, minute=0, second=0, microsecond=0)
        uses, accounts = days.setdefault(day, [0, set()])
        days[day][0] = uses + 1
        accounts.add(author)
    return [
        {
            "day": str(int((today - timedelta(days=i)).timestamp())),
            "uses": str(days.get(today - timedelta(days=i), [0, set()])[0]),
            "accounts": str(len(days.get(today - timedelta(days=i), [0, set()])[1])),
        }
        for i in range(7)
    ]


# --- Hashtags ------------------------------------------------------------------------------


@router.get("/v1/tags/{name}", auth=optional_auth)
def get_tag(request, name: str):
    me = viewer(request)
    tag = queries.hashtag_named(name, me)
    return tag_entity(
        tag, following=queries.follows_hashtag(me, tag) if me else None, history=_history(tag)
    )


@router.post("/v1/tags/{name}/follow", auth=member_auth)
def follow_tag(request, name: str):
    """F3: the tag's posts join your home feed."""
    require_scope(request, "write:follows")
    tag = services.follow_hashtag(member=request.auth, name=name)
    return tag_entity(tag, following=True, history=_history(tag))


@router.post("/v1/tags/{name}/unfollow", auth=member_auth)
def unfollow_tag(request, name: str):
    require_scope(request, "write:follows")
    tag = services.unfollow_hashtag(member=request.auth, name=name)
    return tag_entity(tag, following=False, history=_history(tag))


@router.get("/v1/followed_tags", auth=member_auth)
def followed_tags(request):
    require_scope(request, "read:follows")
    return [tag_entity(t, following=True) for t in queries.followed_hashtags(request.auth)]


# --- Mutes ---------------------------------------------------------------------------------


def _member(request, account_id: int) -> User:
    """B1: one can't mute (or unmute) a member blocked either way: they don't exist for you."""
    return network.visible_member(request.auth, pk=account_id).member


def _relationship(request, member) -> dict:
    from api.network import relationship_entity

    return relationship_entity(request.auth, member)


@router.post("/v1/accounts/{int:account_id}/mute", auth=member_auth)
def mute(request, account_id: int):
    """Hide their posts and (unless `notifications=false`) notifications; `duration` seconds
    (0: for good). Following and the connection stay."""
    require_scope(request, "write:mutes")
    data, _ = payload(request)
    member = _member(request, account_id)
    services.mute(
        member=request.auth,
        muted=member,
        notifications=as_bool("notifications", data.get("notifications", True)),
        duration=int(data.get("duration") or 0)
        if str(data.get("duration") or "0").isdigit()
        else 0,
    )
    return _relationship(request, member)


@router.post("/v1/accounts/{int:account_id}/unmute", auth=member_auth)
def unmute(request, account_id: int):
    require_scope(request, "write:mutes")
    member = _member(request, account_id)
    services.unmute(member=request.auth, muted=member)
    return _relationship(request, member)


@router.get("/v1/mutes", auth=member_auth)
def mutes(request, response: HttpResponse):
    require_scope(request, "read:mutes")
    rows = list(queries.mutes_of(request.auth)[:80])
    return account_entities([m.muted_id for m in rows], viewer=request.auth)


# --- Keyword filters -----------------------------------------------------------------------


def _context(data) -> list[str]:
    return as_list(data.get("context"))


def _keywords(data) -> list[tuple[str, bool]]:
    """`keywords_attributes[][keyword]` (form) or a list of objects (JSON)."""
    raw = data.get("keywords_attributes")
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        return [
            (str(k.get("keyword") or ""), as_bool("whole_word", k.get("whole_word", True)))
            for k in raw
        ]
    words = as_list(data.get("keywords_attributes[][keyword]"))
    whole = as_list(data.get("keywords_attributes[][whole_word]"))
    return [
        (w, as_bool("whole_word", whole[i]) if i < len(whole) else True)
        for i, w in enumerate(words)
    ]


@router.get("/v2/filters", auth=member_auth)
def filters(request):
    require_scope(request, "read:filters")
    return [filter_entity(f) for f in queries.filters_of(request.auth)]


@router.get("/v2/filters/{int:filter_id}", auth=member_auth)
def get_filter(request, filter_id: int):
    require_scope(request, "read:filters")
    return filter_entity(queries.filter_of(request.auth, filter_id))


@router.post("/v2/filters", auth=member_auth)
def create_filter(request):
    """`title`, `context[]`, `filter_action` (warn/hide), `expires_in`, `keywords_attributes`."""
    require_scope(request, "write:filters")
    data, _ = payload(request)
    row = services.create_filter(
        member=request.auth,
        title=str(data.get("title") or ""),
        context=_context(data),
        action=str(data.get("filter_action") or "warn"),
        expires_in=data.get("expires_in"),
        keywords=_keywords(data),
    )
    return filter_entity(queries.filter_of(request.auth, row.pk))


@router.put("/v2/filters/{int:filter_id}", auth=member_auth)
def update_filter(request, filter_id: int):
    require_scope(request, "write:filters")
    data, _ = payload(request)
    services.update_filter(
        member=request.auth,
        filter_id=filter_id,
        title=data.get("title"),
        context=_context(data) if "context" in data else None,
        action=data.get("filter_action"),
        expires_in=data.get("expires_in") if "expires_in" in data else False,
    )
    for keyword, whole in _keywords(data):
        services.add_filter_keyword(
            member=request.auth, filter_id=filter_id, keyword=keyword, whole_word=whole
        )
    return filter_entity(queries.filter_of(request.auth, filter_id))


@router.delete("/v2/filters/{int:filter_id}", auth=member_auth)
def delete_filter(request, filter_id: int):
    require_scope(request, "write:filters")
    services.delete_filter(member=request.auth, filter_id=filter_id)
    return {}


@router.post("/v2/filters/{int:filter_id}/keywords", auth=member_auth)
def add_keyword(request, filter_id: int):
    require_scope(request, "write:filters")
    data, _ = payload(request)
    keyword = services.add_filter_keyword(
        member=request.auth,
        filter_id=filter_id,
        keyword=str(data.get("keyword") or ""),
        whole_word=as_bool("whole_word", data.get("whole_word", True)),
    )
    return {"id": str(keyword.pk), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


@router.delete("/v2/filters/keywords/{int:keyword_id}", auth=member_auth)
def delete_keyword(request, keyword_id: int):
    require_scope(request, "write:filters")
    services.delete_filter_keyword(member=request.auth, keyword_id=keyword_id)
    return {}


def _v1(keyword: FilterKeyword) -> dict:
    row = keyword.filter
    return {
        "id": str(keyword.pk),
        "phrase": keyword.keyword,
        "context": list(row.context),
        "whole_word": keyword.whole_word,
        "expires_at": iso(row.expires_at),
        "irreversible": row.action == "hide",
    }


@router.get("/v1/filters", auth=member_auth)
def filters_v1(request):
    """v1 filters are v2 keywords, each with its filter's context and action."""
    require_scope(request, "read:filters")
    return [_v1(k) for k in queries.filter_keywords(request.auth)]


@router.post("/v1/filters", auth=member_auth)
def create_filter_v1(request):
    require_scope(request, "write:filters")
    data, _ = payload(request)
    phrase = str(data.get("phrase") or "")
    irreversible = as_bool("irreversible", data.get("irreversible", False))
    row = services.create_filter(
        member=request.auth,
        title=phrase,
        context=_context(data),
        action="hide" if irreversible else "warn",
        expires_in=data.get("expires_in"),
        keywords=[(phrase, as_bool("whole_word", data.get("whole_word", True)))],
    )
    return _v1(queries.filter_of(request.auth, row.pk).keywords.all()[0])


@router.delete("/v1/filters/{int:keyword_id}", auth=member_auth)
def delete_filter_v1(request, keyword_id: int):
    require_scope(request, "write:filters")
    services.delete_filter_phrase(member=request.auth, keyword_id=keyword_id)
    return {}


# --- Trends and start-up -----------------------------------------------------------------------


@router.get("/v1/trends/tags", auth=optional_auth)
@router.get("/v1/trends", auth=optional_auth, include_in_schema=False)
def trending_tags(request):
    """Hashtags of the last 7 days' posts for anyone, by uses."""
    limit = min(
        max(
            int(request.GET.get("limit") or 10)
            if str(request.GET.get("limit") or "10").isdigit()
            else 10,
            1,
        ),
        20,
    )
    return [
        tag_entity(tag, history=_history(tag))
        for tag, _, _ in queries.trending_tags(viewer(request), limit=limit)
    ]


@router.get("/v1/trends/statuses", auth=optional_auth)
def trending_statuses(request):
    """Recent posts for anyone, by engagement (reactions, 2× comments, 3× reposts), that you
    may see."""
    me = viewer(request)
    raw = str(request.GET.get("limit") or "20")
    limit = min(max(int(raw) if raw.isdigit() else 20, 1), 40)
    raw_offset = str(request.GET.get("offset") or "0")
    posts = queries.trending_posts(
        me, limit=limit, offset=int(raw_offset) if raw_offset.isdigit() else 0
    )
    queries.decorate(me, posts)
    return status_entities(me, posts)


@router.get("/v1/preferences", auth=member_auth)
def preferences(request):
    require_scope(request, "read:accounts")
    return {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "posting:default:quote_policy": "public",
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
        "reading:autoplay:gifs": False,
    }


@router.get("/v1/custom_emojis", auth=optional_auth)
def custom_emojis(request):
    return []


@router.get("/v1/announcements", auth=optional_auth)
def announcements(request):
    return []


@router.get("/v1/follow_requests", auth=member_auth)
def follow_requests(request):
    """Always empty: following needs no approval (F1)."""
    require_scope(request, "read:follows")
    return []


__all__ = ["router"]
