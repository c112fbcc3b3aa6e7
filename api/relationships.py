"""A1–A4 through Mastodon's own endpoints (the private note, lists as private tags) and
Linkwell's extensions (connections by strength, keep in touch, say hello, why we connected).
No rules here: relationships.services decide, relationships.queries answer for the owner only.
"""

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from api.auth import member_auth, require_scope
from api.network import Relationship, _cursor, _link, relationship_entity
from api.payload import as_bool, as_list, payload
from api.schemas import iso
from api.schemas.accounts import Account, account_entities, account_entity
from core.errors import Invalid
from messaging import services as messaging
from network import queries as network
from network import services as network_services
from relationships import queries, services

router = Router(tags=["relationships"])

BAD_ORDER = _("order must be strength, recent or name")
BAD_UNTIL = _("until must be a date and time such as 2026-06-01T09:00:00Z")


class ListOut(Schema):
    """Mastodon's List entity, exactly."""

    id: str
    title: str
    replies_policy: str
    exclusive: bool


class Prompt(Schema):
    id: str
    type: str
    account: Account
    since: str
    suggested_message: str
    detail: str


class SayHello(Schema):
    account: Account
    suggested_message: str


def _list(tag) -> dict:
    return {
        "id": str(tag.pk),
        "title": tag.title,
        "replies_policy": tag.replies_policy,
        "exclusive": tag.exclusive,
    }


def _member(request, account_id: int):
    """B1: a member blocked either way is not found (the shared read)."""
    return network.visible_member(request.auth, pk=account_id).member


# --- A1: the private note (Mastodon) -----------------------------------------------------


@router.post("/accounts/{int:account_id}/note", auth=member_auth, response=Relationship)
def set_note(request, account_id: int):
    """A1: `comment`, the owner's private note; shown only to them, as the Relationship's
    `note`. An empty comment removes it."""
    require_scope(request, "write:accounts")
    member = _member(request, account_id)
    data, _files = payload(request)
    services.set_note(owner=request.auth, member=member, text=str(data.get("comment") or ""))
    return relationship_entity(request.auth, member)


@router.put("/accounts/{int:account_id}/connection", auth=member_auth, response=Relationship)
def describe_connection(request, account_id: int):
    """A1 (extension): `reason` and `note`, the member's own side of why they connected."""
    require_scope(request, "write:follows")
    member = _member(request, account_id)
    data, _files = payload(request)
    network_services.describe_connection(
        by=request.auth,
        member=member,
        reason=str(data.get("reason") or ""),
        note=str(data.get("note") or ""),
    )
    return relationship_entity(request.auth, member)


# --- A1: tags are Mastodon lists ---------------------------------------------------------


@router.get("/lists", auth=member_auth, response=list[ListOut])
def lists(request):
    require_scope(request, "read:lists")
    return [_list(tag) for tag in queries.tags_of(request.auth)]


@router.post("/lists", auth=member_auth, response=ListOut)
def create_list(request):
    require_scope(request, "write:lists")
    data, _files = payload(request)
    tag = services.create_tag(
        owner=request.auth,
        title=str(data.get("title") or ""),
        replies_policy=str(data.get("replies_policy") or "list"),
        exclusive=as_bool("exclusive", data.get("exclusive", False)),
    )
    return _list(tag)


@router.get("/lists/{int:list_id}", auth=member_auth, response=ListOut)
def show_list(request, list_id: int):
    require_scope(request, "read:lists")
    return _list(queries.own_tag(request.auth, list_id))


@router.put("/lists/{int:list_id}", auth=member_auth, response=ListOut)
def update_list(request, list_id: int):
    require_scope(request, "write:lists")
    data, _files = payload(request)
    exclusive = data.get("exclusive")
    tag = services.update_tag(
        owner=request.auth,
        tag_id=list_id,
        title=None if data.get("title") is None else str(data["title"]),
        replies_policy=None if data.get("replies_policy") is None else str(data["replies_policy"]),
        exclusive=None if exclusive is None else as_bool("exclusive", exclusive),
        every=None if data.get("keep_in_touch") is None else str(data["keep_in_touch"]),
    )
    return _list(tag)


@router.delete("/lists/{int:list_id}", auth=member_auth, response=dict)
def delete_list(request, list_id: int):
    require_scope(request, "write:lists")
    services.delete_tag(owner=request.auth, tag_id=list_id)
    return {}


def _account_ids(request) -> list[int]:
    data, _files = payload(request)
    raw = as_list(data.get("account_ids")) or (
        request.GET.getlist("account_ids[]") + request.GET.getlist("account_ids")
    )
    ids = [int(value) for value in raw if str(value).isdigit()]
    if not ids:
        raise Invalid(_("account_ids is required"), rule="A1")
    return ids


@router.get("/lists/{int:list_id}/accounts", auth=member_auth, response=list[Account])
def list_accounts(request, response: HttpResponse, list_id: int):
    require_scope(request, "read:lists")
    cursor = _cursor(request)
    if request.GET.get("limit") == "0":  # Mastodon: 0 means all
        cursor["limit"] = 10_000
    page = queries.tag_members_page(request.auth, list_id, **cursor)
    link = _link(request, [row.pk for row in page], cursor["limit"])
    if link:
        response["Link"] = link
    return account_entities([row.member_id for row in page], viewer=request.auth)


@router.post("/lists/{int:list_id}/accounts", auth=member_auth, response=dict)
def add_list_accounts(request, list_id: int):
    """A1: connections and followed members only (Mastodon: followed accounts only)."""
    require_scope(request, "write:lists")
    services.tag_members(owner=request.auth, tag_id=list_id, member_ids=_account_ids(request))
    return {}


@router.delete("/lists/{int:list_id}/accounts", auth=member_auth, response=dict)
def remove_list_accounts(request, list_id: int):
    require_scope(request, "write:lists")
    services.untag_members(owner=request.auth, tag_id=list_id, member_ids=_account_ids(request))
    return {}


@router.get("/accounts/{int:account_id}/lists", auth=member_auth, response=list[ListOut])
def account_lists(request, account_id: int):
    require_scope(request, "read:lists")
    member = _member(request, account_id)
    return [_list(tag) for tag in queries.tags_on(request.auth, member)]


# --- A4: connections in an order ---------------------------------------------------------


@router.get("/connections", auth=member_auth, response=list[Account])
def connections(request, response: HttpResponse):
    """A4: the member's own connections, `order=strength|recent|name`, `list_id=` to keep
    those in one of their lists; `limit` and `offset` page (an order by strength moves)."""
    require_scope(request, "read:follows")
    order = request.GET.get("order") or "recent"
    if order not in ("strength", "recent", "name"):
        raise Invalid(BAD_ORDER, rule="A4")
    limit = _cursor(request)["limit"]
    try:
        offset = max(int(request.GET.get("offset") or 0), 0)
    except ValueError:
        offset = 0
    members = queries.connections_for(
        request.auth, order=order, tag_id=request.GET.get("list_id") or None
    )
    page = list(members.values_list("pk", flat=True)[offset : offset + limit + 1])
    if len(page) > limit:
        base = request.build_absolute_uri(request.path)
        query = f"order={order}&limit={limit}&offset={offset + limit}"
        if request.GET.get("list_id"):
            query += f"&list_id={request.GET['list_id']}"
        response["Link"] = f'<{base}?{query}>; rel="next"'
    return account_entities(page[:limit], viewer=request.auth)


# --- A3: keep in touch, A2: say hello ----------------------------------------------------


@router.get("/keep_in_touch", auth=member_auth, response=list[Prompt])
def keep_in_touch(request):
    require_scope(request, "read:accounts")
    prompts = queries.prompts_for(request.auth)
    accounts = {
        int(entity["id"]): entity
        for entity in account_entities([p.member for p in prompts], viewer=request.auth)
    }
    return [
        {
            "id": prompt.id,
            "type": prompt.type,
            "account": accounts[prompt.member_id],
            "since": iso(prompt.since),
            "suggested_message": prompt.suggested_message,
            "detail": prompt.detail,
        }
        for prompt in prompts
        if prompt.member_id in accounts
    ]


@router.post("/keep_in_touch/{prompt_id}/done", auth=member_auth, response=dict)
def prompt_done(request, prompt_id: str):
    require_scope(request, "write:accounts")
    services.mark_done(owner=request.auth, key=prompt_id)
    return {}


@router.post("/keep_in_touch/{prompt_id}/snooze", auth=member_auth, response=dict)
def prompt_snooze(request, prompt_id: str):
    """`until`: an ISO 8601 moment; a week from now without it."""
    require_scope(request, "write:accounts")
    data, _files = payload(request)
    until = None
    if data.get("until"):
        try:
            until = datetime.fromisoformat(str(data["until"]).replace("Z", "+00:00"))
        except ValueError as exc:
            raise Invalid(BAD_UNTIL, rule="A3") from exc
        if until.tzinfo is None:
            raise Invalid(BAD_UNTIL, rule="A3")
    answer = services.snooze(owner=request.auth, key=prompt_id, until=until)
    return {"snoozed_until": iso(answer.snoozed_until)}


@router.put("/accounts/{int:account_id}/keep_in_touch", auth=member_auth, response=Relationship)
def set_keep_in_touch(request, account_id: int):
    """A3: `every`: month, quarter, year or never (empty: the default, 6 months)."""
    require_scope(request, "write:accounts")
    member = _member(request, account_id)
    data, _files = payload(request)
    services.set_every(owner=request.auth, member=member, every=str(data.get("every") or ""))
    return relationship_entity(request.auth, member)


@router.get("/say_hello", auth=member_auth, response=list[SayHello])
def say_hello_offers(request):
    """A2: the new connections the member has not greeted nor dismissed, each with a
    prepared first message."""
    require_scope(request, "read:accounts")
    me = request.auth
    offers = queries.say_hello_offers(me)
    texts = queries.say_hello_texts(me, offers)
    return [
        {"account": account_entity(member, viewer=me), "suggested_message": texts[member.pk]}
        for member in offers
    ]


@router.post("/accounts/{int:account_id}/say_hello", auth=member_auth, response=dict)
def say_hello(request, account_id: int):
    """A2: `text` (the prepared message, edited or not) is sent through messaging; with
    `dismiss=true` nothing is sent and the offer goes."""
    require_scope(request, "write:conversations")
    me = request.auth
    member = _member(request, account_id)
    services.check_greeting(me, member)
    data, _files = payload(request)
    if as_bool("dismiss", data.get("dismiss", False)):
        services.greeted(owner=me, other=member, sent=False)
        return {}
    text = str(data.get("text") or "") or queries.say_hello_text(me, member)
    message = messaging.send(
        sender=me,
        recipient=member,
        text=text,
        idempotency_key=request.headers.get("Idempotency-Key", "") or f"say-hello-{member.pk}",
    )
    services.greeted(owner=me, other=member, sent=True)
    return {"message_id": str(message.pk)}
