"""Mastodon's follow, block, relationship and report endpoints, plus Linkwell's connections.

A connection is a pair of follows plus the connection itself; the extensions below expose
the connection, invitations, mutual connections and paths. No rules here: services decide.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accounts import queries as accounts_queries
from accounts.models import User
from api.auth import member_auth, require_scope
from api.payload import as_list, payload
from api.schemas import iso
from api.schemas.accounts import Account, account_entities, account_entity, entities_answer
from api.schemas.errors import Error
from core import clock
from core.errors import Forbidden, Invalid
from core.paging import keyset_page
from feed import queries as feed_queries
from messaging import queries as messaging
from network import queries, services
from network.models import Invitation, ReportReason
from pages import queries as pages_queries
from pages import services as pages_services
from pages.models import PAGE_ACCOUNT_BASE
from relationships import queries as relationship_reads

router = Router(tags=["network"])

NOT_FOUND = _("Record not found")
BAD_DIRECTION = _("direction must be received or sent")
MASTODON_CATEGORIES = {"spam": "spam", "legal": "other", "violation": "harassment"}


class Relationship(Schema):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str
    # Linkwell's own
    connected: bool
    degree: int | None
    invitation_sent: bool
    invitation_received: bool
    can_message: bool
    mutual_connections_count: int
    # A1, A4 (issue 15): only ever the viewer's own
    connected_at: str | None
    connection_reason: str | None
    connection_note: str | None
    strength: int
    last_interaction_at: str | None


class InvitationOut(Schema):
    id: str
    account: Account
    note: str
    reason: str | None
    created_at: str


class PathStep(Schema):
    account: Account | None
    label: str


class ReportOut(Schema):
    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    status_ids: list[str] | None
    rule_ids: list[str] | None
    target_account: Account


def _relationship(
    rel: queries.Relationship,
    *,
    can_message: bool = False,
    extras: dict | None = None,
    mute: bool | None = None,
) -> dict:
    """`mute` is None when the viewer doesn't mute them, else whether notifications are muted."""
    extras = extras or {}
    return {
        "id": str(rel.id),
        "following": bool(rel.following),
        "showing_reblogs": bool(rel.following),
        "notifying": False,
        "languages": None,
        "followed_by": bool(rel.followed_by),
        "blocking": bool(rel.blocking),
        "blocked_by": bool(rel.blocked_by),
        "muting": mute is not None,
        "muting_notifications": bool(mute),
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": extras.get("note", ""),
        "connected": bool(rel.connected),
        "degree": None if rel.degree is None else int(rel.degree),
        "invitation_sent": bool(rel.invitation_sent),
        "invitation_received": bool(rel.invitation_received),
        "can_message": bool(can_message),
        "mutual_connections_count": int(rel.mutual_connections_count),
        "connected_at": iso(extras.get("connected_at")),
        "connection_reason": extras.get("connection_reason"),
        "connection_note": extras.get("connection_note"),
        "strength": extras.get("strength", 0),
        "last_interaction_at": iso(extras.get("last_interaction_at")),
    }


def _page_relationship(page, *, following: bool) -> dict:
    """A Relationship with a page (F3, G2): only `following` can be true, its reblogs always
    show; a page is never a connection, so it has no degree, words or strength (A1, A4)."""
    rel = queries.Relationship(id=page.account_id, following=following)
    return {**_relationship(rel), "showing_reblogs": True}


def _member(account_id: int) -> User:
    """The member a report names: the service decides what a block allows (B3)."""
    return accounts_queries.active_member(pk=account_id)


def _to_block(request, account_id: int) -> User:
    """B1, B2: block and unblock reach any active member, one who blocked you too."""
    return queries.member_to_block(pk=account_id)


def _visible_member(request, account_id: int) -> User:
    """B1: a member blocked either way does not exist for the viewer (the shared read)."""
    return queries.visible_member(request.auth, pk=account_id).member


def _relationship_with(request, member: User) -> dict:
    return relationship_entity(request.auth, member)


# What a Relationship reads besides network's facts, all in network's one statement: A1, A4's
# notes and ties, issue 12's mutes, messaging's conversations (M1–M6).
RELATIONSHIP_PARTS = (
    *relationship_reads.EXTRA_PARTS,
    *feed_queries.MUTE_PARTS,
    *messaging.ROUTE_PARTS,
)


def relationship_entity(viewer: User, member: User) -> dict:
    """One Relationship; `can_message` is messaging's answer (M1–M6), from the facts read."""
    rel = queries.relationships(viewer, [member], also=RELATIONSHIP_PARTS)[0]
    return _relationship(
        rel,
        can_message=bool(
            messaging.messageable(
                viewer,
                [member.pk],
                members={member.pk: member} if member.is_active else {},
                known={rel.id: rel},
                conversations_known=True,
            )
        ),
        extras=relationship_reads.extras_of(rel),
        mute=feed_queries.muting_of(rel),
    )


def _act_on(request, account_id: int, scope: str, act, find=_visible_member) -> dict:
    """The shape of every one-member action: scope, the member, the service call, the answer.
    B1: across a block the member is not found, the same 404 as an unknown id."""
    require_scope(request, scope)
    member = find(request, account_id)
    act(request.auth, member)
    return _relationship_with(request, member)


# --- Mastodon: follow, block, relationships ----------------------------------------------


@router.post("/accounts/{int:account_id}/follow", auth=member_auth, response=Relationship)
def follow(request, account_id: int):
    """F1: 403 with the reason when S3 allows only connections; 404 across a block (B1).
    A page's account id follows the page (F3, G2: no approval)."""
    if pages_queries.is_page_account(account_id):
        require_scope(request, "write:follows")
        page = pages_services.follow_page(
            member=request.auth, page=pages_queries.page_for_account(account_id)
        )
        return _page_relationship(page, following=True)
    return _act_on(
        request, account_id, "write:follows", lambda me, m: services.follow(follower=me, followee=m)
    )


@router.post("/accounts/{int:account_id}/unfollow", auth=member_auth, response=Relationship)
def unfollow(request, account_id: int):
    if pages_queries.is_page_account(account_id):
        require_scope(request, "write:follows")
        page = pages_services.unfollow_page(
            member=request.auth, page=pages_queries.page_for_account(account_id)
        )
        return _page_relationship(page, following=False)
    return _act_on(
        request,
        account_id,
        "write:follows",
        lambda me, m: services.unfollow(follower=me, followee=m),
    )


@router.post(
    "/accounts/{int:account_id}/remove_from_followers", auth=member_auth, response=Relationship
)
def remove_from_followers(request, account_id: int):
    return _act_on(
        request,
        account_id,
        "write:follows",
        lambda me, m: services.remove_from_followers(by=me, follower=m),
    )


@router.post("/accounts/{int:account_id}/block", auth=member_auth, response=Relationship)
def block(request, account_id: int):
    """B1, B2: ends the connection, follows and invitations; not again within 48 h of unblock."""
    return _act_on(
        request,
        account_id,
        "write:blocks",
        lambda me, m: services.block(blocker=me, blocked=m),
        find=_to_block,
    )


@router.post("/accounts/{int:account_id}/unblock", auth=member_auth, response=Relationship)
def unblock(request, account_id: int):
    return _act_on(
        request,
        account_id,
        "write:blocks",
        lambda me, m: services.unblock(blocker=me, blocked=m),
        find=_to_block,
    )


@router.get("/accounts/relationships", auth=member_auth, response=list[Relationship])
def relationships(request):
    """`id[]=1&id[]=2`; unknown ids are left out, as Mastodon does, and so is a member who
    blocked the viewer (B1: they don't exist for them)."""
    require_scope(request, "read:follows")
    me = request.auth
    raw = request.GET.getlist("id[]") + request.GET.getlist("id")
    ids = [int(value) for value in raw if value.isdigit()]
    page_ids = [i for i in ids if pages_queries.is_page_account(i)]
    # One read of the members: which ids are known, and messaging's members (M1–M6).
    members = accounts_queries.active_members(i for i in ids if i not in page_ids)
    ids = list(dict.fromkeys(i for i in ids if i in members))
    found = queries.relationships(me, ids, omit_blocked_by=True, also=RELATIONSHIP_PARTS)
    reachable = messaging.messageable(
        me,
        [rel.id for rel in found],
        members=members,
        known={rel.id: rel for rel in found},
        conversations_known=True,
    )  # M1–M6, from the members, blocks, connections, follows and conversations just read
    now = clock.now()
    today = relationship_reads.day_number(now)
    answer = []
    for rel in found:
        extras = relationship_reads.extras_of(rel, today=today)
        mute = feed_queries.muting_of(rel, now)  # issue 12: mutes live with the feed
        answer.append(_relationship(rel, can_message=rel.id in reachable, extras=extras, mute=mute))
    if page_ids:
        pages = pages_queries.pages_by_id([i - PAGE_ACCOUNT_BASE for i in dict.fromkeys(page_ids)])
        followed = set(pages_queries.followed_page_ids(me)) if pages else set()
        answer += [
            _page_relationship(page, following=page.pk in followed) for page in pages.values()
        ]
    return entities_answer(answer)


# --- Mastodon: lists with Link paging ------------------------------------------------------


def _cursor(request, default: int = 40) -> dict:
    """Mastodon's paging parameters: limit (1–80), max_id, since_id, min_id."""
    return {
        "limit": min(max(_int(request.GET.get("limit"), default), 1), 80),
        "max_id": _int(request.GET.get("max_id"), None),
        "since_id": _int(request.GET.get("since_id"), None),
        "min_id": _int(request.GET.get("min_id"), None),
    }


def _link(request, keys: list[int], limit: int) -> str:
    """Link: `next` (older, max_id) when the page is full, `prev` (newer, min_id), as Mastodon."""
    if not keys:
        return ""
    base = request.build_absolute_uri(request.path)
    newest, oldest = keys[0], keys[-1]
    links = [f'<{base}?{urlencode({"limit": limit, "min_id": newest})}>; rel="prev"']
    if len(keys) == limit:
        links.insert(0, f'<{base}?{urlencode({"limit": limit, "max_id": oldest})}>; rel="next"')
    return ", ".join(links)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _id_page(request, rows, key: str) -> tuple[list[int], str]:
    """One keyset page of `(key, member id)` rows: the members' ids and the Link header."""
    cursor = _cursor(request)
    page = keyset_page(rows, key, **cursor)
    return [member_id for _, member_id in page], _link(
        request, [k for k, _ in page], cursor["limit"]
    )


def _accounts_page(request, rows, key: str, **options) -> HttpResponse:
    """A page of accounts: the ids by keyset, then their entities (three queries)."""
    ids, link = _id_page(request, rows, key)
    return entities_answer(account_entities(ids, viewer=request.auth, **options), link)


def _follows_page(request, member, direction: str) -> HttpResponse:
    """A page of a follow list, its statement compiled once (`queries.follow_page`)."""
    cursor = _cursor(request)
    page = queries.follow_page(member, request.auth, direction=direction, **cursor)
    link = _link(request, [k for k, _ in page], cursor["limit"])
    ids = [member_id for _, member_id in page]
    return entities_answer(account_entities(ids, viewer=request.auth), link)


@router.get("/accounts/{int:account_id}/followers", auth=member_auth, response=list[Account])
def followers(request, account_id: int):
    """S5: empty for others when the member hides their connections (`hide_collections`);
    otherwise without the member's connections unless you may see them."""
    require_scope(request, "read:accounts", "read:follows")
    member = _visible_member(request, account_id)
    return _follows_page(request, member, "followers")


@router.get("/accounts/{int:account_id}/following", auth=member_auth, response=list[Account])
def following(request, account_id: int):
    """S5: as for followers."""
    require_scope(request, "read:accounts", "read:follows")
    member = _visible_member(request, account_id)
    return _follows_page(request, member, "following")


@router.get("/blocks", auth=member_auth, response=list[Account])
def blocks(request):
    """B1: the members you blocked, each as the public card only."""
    require_scope(request, "read:blocks")
    blocked = queries.blocked_members(request.auth).values_list("pk", "blocked_id")
    return _accounts_page(request, blocked, "id", blocked_as_card=True)


@router.post("/reports", auth=member_auth, response=ReportOut)
def report(request):
    """B3: `account_id`, `comment`, and Mastodon's `category` or Linkwell's `reason`. A member
    who blocked you is a 404; one you blocked comes back as the public card (B1)."""
    require_scope(request, "write:reports")
    data, _ = payload(request)
    member = _member(_int(data.get("account_id"), 0))
    reason = str(data.get("reason") or "")
    if not reason:
        category = str(data.get("category") or "other")
        reason = MASTODON_CATEGORIES.get(category, category)
    status_ids = [s for s in as_list(data.get("status_ids")) if s.isdigit()]
    kind, target = ("post", int(status_ids[0])) if status_ids else ("member", None)
    made = services.report(
        reporter=request.auth,
        member=member,
        reason=reason,
        kind=kind,
        target_id=target,
        comment=str(data.get("comment") or ""),
    )
    category = "spam" if made.reason == ReportReason.SPAM else "other"
    return {
        "id": str(made.pk),
        "action_taken": False,
        "action_taken_at": None,
        "category": category,
        "comment": made.comment,
        "forwarded": False,
        "created_at": iso(made.created_at),
        "status_ids": status_ids or None,
        "rule_ids": None,
        "target_account": account_entity(member, viewer=request.auth, blocked_as_card=True),
    }


# --- Linkwell: connections, invitations, mutuals and paths --------------------------------


@router.post(
    "/accounts/{int:account_id}/connect",
    auth=member_auth,
    response={200: Relationship, 409: Error, 429: Error},  # already connected (N6); N5's quota
)
def connect(request, account_id: int):
    """N1–N7, N10: invite with `note`, `reason` and `email`; connects at once if they asked."""
    require_scope(request, "write:follows")
    member = _visible_member(request, account_id)  # B1: 404 across a block
    data, _ = payload(request)
    services.invite(
        sender=request.auth,
        recipient=member,
        note=str(data.get("note") or ""),
        reason=str(data.get("reason") or ""),
        email=str(data.get("email") or ""),
    )
    return _relationship_with(request, member)


@router.post("/accounts/{int:account_id}/disconnect", auth=member_auth, response=Relationship)
def disconnect(request, account_id: int):
    """N9: removes the connection and both follows, silently."""
    return _act_on(
        request, account_id, "write:follows", lambda me, m: services.disconnect(by=me, member=m)
    )


def _invitation(invitation: Invitation, account: dict) -> dict:
    """The Invitation entity; `account` is the other member's Account entity."""
    return _invitation_entity(
        invitation.pk, account, invitation.note, invitation.reason, invitation.created_at
    )


def _invitation_entity(pk: int, account: dict, note: str, reason: str, created_at) -> dict:
    return {
        "id": str(pk),
        "account": account,
        "note": note,
        "reason": reason or None,
        "created_at": iso(created_at),
    }


@router.get("/invitations", auth=member_auth, response=list[InvitationOut])
def invitations(request, direction: str = "received"):
    """N3: ignored invitations leave the recipient's list but stay pending for the sender."""
    require_scope(request, "read:follows")
    if direction == "received":
        rows, other = queries.received_invitations(request.auth), "sender_id"
    elif direction == "sent":
        rows, other = queries.sent_invitations(request.auth), "recipient_id"
    else:
        raise Invalid(BAD_DIRECTION)
    cursor = _cursor(request)
    columns = ("id", other, "note", "reason", "created_at")
    page = keyset_page(rows.select_related(None).values_list(*columns), "id", **cursor)
    entities = {
        int(a["id"]): a for a in account_entities([row[1] for row in page], viewer=request.auth)
    }
    answer = [
        _invitation_entity(pk, entities[member_id], note, reason, created_at)
        for pk, member_id, note, reason, created_at in page
        if member_id in entities
    ]
    return entities_answer(answer, _link(request, [row[0] for row in page], cursor["limit"]))


def _answer(name):
    action = getattr(services, name)

    def view(request, invitation_id: int):
        require_scope(request, "write:follows")
        invitation = action(invitation_id=invitation_id, by=request.auth)
        mine = invitation.sender_id == request.auth.pk
        other = invitation.recipient_id if mine else invitation.sender_id
        return _invitation(invitation, account_entity(other, viewer=request.auth))

    view.__name__ = f"invitation_{name}"
    view.__doc__ = {
        "accept": "N8: connect, each following the other.",
        "ignore": "N3: silent; the sender still sees it pending.",
        "dont_know": "N3: the sender can't invite you again.",
        "withdraw": "N4: the sender takes it back; no new invitation to them for 21 days.",
    }[name]
    return view


for _name in ("accept", "ignore", "dont_know", "withdraw"):
    router.post(
        f"/invitations/{{int:invitation_id}}/{_name}",
        auth=member_auth,
        response={200: InvitationOut, 409: Error},  # answered otherwise already (N3)
    )(_answer(_name))


@router.get("/accounts/{int:account_id}/connections", auth=member_auth, response=list[Account])
def connections(request, account_id: int):
    """S5: 403 with the reason when the list is hidden from you (see mutual_connections).
    Newest connection first, paged by keyset (`max_id`, `min_id`, `since_id`, `limit`; the
    ids are the connections', in the Link header as for followers)."""
    require_scope(request, "read:follows", "read:accounts")
    member = _visible_member(request, account_id)
    cursor = _cursor(request)
    page, only_shared = queries.connection_page(member, request.auth, **cursor)
    if only_shared:
        raise Forbidden(queries.connections_hidden_reason(member), rule="S5")
    link = _link(request, [connection_id for connection_id, _, _ in page], cursor["limit"])
    ids = [member_id for _, member_id, _ in page]
    return entities_answer(account_entities(ids, viewer=request.auth), link)


@router.get(
    "/accounts/{int:account_id}/mutual_connections", auth=member_auth, response=list[Account]
)
def mutual_connections(request, account_id: int, offset: int = 0, limit: int = 40):
    """D2: the connections you share, always visible to you (S5); `X-Total-Count` holds the
    count. Highest member id first, paged by keyset on the member id (`max_id`, `min_id`,
    `since_id`, Link header); `offset` still works for older clients."""
    require_scope(request, "read:follows", "read:accounts")
    member = _visible_member(request, account_id)
    if offset > 0:
        limit = min(max(limit, 1), 80)
        total, ids = queries.mutuals_for(request.auth, member, offset=offset, limit=limit)
        link = _offset_link(request, offset, limit, len(ids))
    else:
        cursor = _cursor(request)
        total, ids = queries.mutual_page(request.auth, member, **cursor)
        link = _link(request, ids, cursor["limit"])
    entities = account_entities(ids, viewer=request.auth)
    return entities_answer(entities, link, **{"X-Total-Count": str(total)})


@router.get("/accounts/{int:account_id}/paths", auth=member_auth, response=list[list[PathStep]])
def paths(request, account_id: int):
    """D3: up to 3 shortest paths within 3 hops; steps you may not see carry no account."""
    require_scope(request, "read:follows", "read:accounts")
    member = _visible_member(request, account_id)
    found = queries.paths_for(request.auth, member)
    named = {s.member_id for path in found for s in path if s.member is not None}
    entities = {int(a["id"]): a for a in account_entities(sorted(named), viewer=request.auth)}
    return [
        [{"account": entities.get(s.member_id) if s.member else None, "label": s.label} for s in p]
        for p in found
    ]


def _offset_link(request, offset: int, limit: int, count: int) -> str:
    if count < limit:
        return ""
    base = request.build_absolute_uri(request.path)
    query = urlencode({"offset": offset + limit, "limit": limit})
    return f'<{base}?{query}>; rel="next"'
