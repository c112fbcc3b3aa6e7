"""Messaging through the API (M1–M6, B1): Mastodon's direct statuses and conversations, and
Linkwell's extensions for messages, message requests and InMail credits.

A `direct` status mentioning one member is a message to them under the same rules as the web
composer (`messaging.services.send`); its Status id is `2**62 + message id`
(api/schemas/messages.py). Refusals are 403 with the rule in `rule`; a conversation, message
or request that isn't the caller's, or whose other member is blocked either way, is a 404.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from api.auth import member_auth, require_scope
from api.payload import as_list, payload
from api.schemas.messages import (
    conversation_entities,
    direct_statuses,
    inmail_entity,
    message_entities,
    message_pk,
    request_entities,
)
from core.errors import Invalid
from feed import text as texts
from messaging import queries, services
from network import queries as network

router = Router(tags=["messaging"])

ONE_RECIPIENT = _("A direct message goes to one member: mention exactly one @handle.")
NO_ATTACHMENTS = _("Attachments on messages aren't supported yet; send the text alone.")
RECIPIENT_REQUIRED = _("Validation failed: to is required (an account id or a handle)")


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _key(request) -> str:
    return request.headers.get("Idempotency-Key", "")[:100]


def _without_leading_mention(text: str, handle: str) -> str:
    """Mastodon clients start a direct status with "@handle"; the message is what follows."""
    stripped = text.lstrip()
    prefix = f"@{handle}"
    if stripped.lower().startswith(prefix.lower()):
        rest = stripped[len(prefix) :]
        if not rest[:1].isalnum() and rest[:1] != "_":
            return rest.lstrip(" ,:")
    return text


def send_direct(request, data) -> dict:
    """POST /api/v1/statuses with `visibility=direct` (called by api.statuses)."""
    me = request.auth
    if as_list(data.get("media_ids")):
        raise Invalid(NO_ATTACHMENTS, rule="M1")
    text = str(data.get("status") or "")
    reply_to = _int(data.get("in_reply_to_id"))
    if reply_to and message_pk(reply_to):
        thread, _ = queries.message_for(me, message_pk(reply_to))
        text = _without_leading_mention(text, thread.other.username)
        message = services.reply(
            sender=me, conversation_id=thread.pk, text=text, idempotency_key=_key(request)
        )
    else:
        handles = [h for h in texts.handles_in(text) if h != me.username.lower()]
        if len(handles) != 1:
            raise Invalid(ONE_RECIPIENT, rule="M1")
        recipient = network.visible_member(me, handle=handles[0]).member
        message = services.send(
            sender=me,
            recipient=recipient,
            text=_without_leading_mention(text, recipient.username),
            subject=str(data.get("spoiler_text") or ""),
            idempotency_key=_key(request),
        )
    thread, message = queries.message_for(me, message.pk)
    return direct_statuses(me, thread, [message])[0]


def direct_status(request, status_id: int) -> dict:
    """GET /api/v1/statuses/:id for a message's id (called by api.statuses)."""
    thread, message = queries.message_for(request.auth, message_pk(status_id))
    return direct_statuses(request.auth, thread, [message])[0]


def _link(request, response, next_max_id) -> None:
    if next_max_id:
        base = request.build_absolute_uri(request.path)
        keep = {k: v for k, v in request.GET.items() if k != "max_id"}
        response["Link"] = f'<{base}?{urlencode({**keep, "max_id": next_max_id})}>; rel="next"'


def _limit(request, default=20, maximum=40) -> int:
    return min(max(_int(request.GET.get("limit")) or default, 1), maximum)


# --- Mastodon: conversations --------------------------------------------------------------


@router.get("/v1/conversations", auth=member_auth)
@router.get("/v1/conversations/", auth=member_auth, include_in_schema=False)  # Mastodon.py
def conversations(request, response: HttpResponse):
    """The caller's direct conversations, newest first; message requests waiting for the
    caller's answer are in `/api/v1/message_requests` (M4)."""
    require_scope(request, "read:statuses")
    threads, below = queries.conversations(
        request.auth, max_id=_int(request.GET.get("max_id")), limit=_limit(request)
    )
    _link(request, response, below)
    return conversation_entities(request.auth, threads)


@router.post("/v1/conversations/{int:conversation_id}/read", auth=member_auth)
def read_conversation(request, conversation_id: int):
    require_scope(request, "write:conversations")
    thread = services.mark_read(member=request.auth, conversation_id=conversation_id)
    return conversation_entities(request.auth, [queries.conversation_for(request.auth, thread.pk)])[
        0
    ]


@router.delete("/v1/conversations/{int:conversation_id}", auth=member_auth)
def delete_conversation(request, conversation_id: int):
    """Delete-for-me: the other member keeps their side."""
    require_scope(request, "write:conversations")
    services.delete_for_me(member=request.auth, conversation_id=conversation_id)
    return {}


# --- Linkwell: messages, requests, InMail ---------------------------------------------------


@router.post("/v1/messages", auth=member_auth)
def post_message(request):
    """`to` (an account id or handle), `text`, optional `subject` (InMail). `Idempotency-Key`
    (header) or `idempotency_key` makes a retry return the first message."""
    require_scope(request, "write:statuses")
    data, _ = payload(request)
    if as_list(data.get("media_ids")):
        raise Invalid(NO_ATTACHMENTS, rule="M1")
    to = str(data.get("to") or "").strip().lstrip("@")
    if not to:
        raise Invalid(RECIPIENT_REQUIRED)
    me = request.auth
    recipient = (
        network.visible_member(me, pk=_int(to) or 0).member
        if to.isdigit()
        else network.visible_member(me, handle=to).member
    )
    message = services.send(
        sender=me,
        recipient=recipient,
        text=str(data.get("text") or ""),
        subject=str(data.get("subject") or ""),
        idempotency_key=_key(request) or str(data.get("idempotency_key") or "")[:100],
    )
    thread, message = queries.message_for(me, message.pk)
    return message_entities(me, thread, [message])[0]


@router.get("/v1/conversations/{int:conversation_id}/messages", auth=member_auth)
def conversation_messages(request, conversation_id: int, response: HttpResponse):
    """Oldest first within the page; `max_id` pages back, `since_id` reads what's new."""
    require_scope(request, "read:statuses")
    thread = queries.conversation_for(request.auth, conversation_id)
    page, below = queries.messages_of(
        thread,
        max_id=_int(request.GET.get("max_id")),
        since_id=_int(request.GET.get("since_id")),
        limit=_limit(request, 30, 80),
    )
    _link(request, response, below)
    return message_entities(request.auth, thread, page)


@router.get("/v1/message_requests", auth=member_auth)
def message_requests(request, response: HttpResponse):
    """M4: first messages from non-connections waiting for the caller's answer."""
    require_scope(request, "read:statuses")
    threads, below = queries.conversations(
        request.auth, requests=True, max_id=_int(request.GET.get("max_id")), limit=_limit(request)
    )
    _link(request, response, below)
    return request_entities(request.auth, threads)


def _answered(request, found) -> dict:
    thread = queries.conversation_for(request.auth, found.conversation_id)
    thread.request = found
    return request_entities(request.auth, [thread])[0]


@router.post("/v1/message_requests/{int:request_id}/accept", auth=member_auth)
def accept_request(request, request_id: int):
    require_scope(request, "write:conversations")
    return _answered(request, services.accept_request(member=request.auth, request_id=request_id))


@router.post("/v1/message_requests/{int:request_id}/decline", auth=member_auth)
def decline_request(request, request_id: int):
    """The request leaves the caller's inbox; its sender can't send another for 90 days."""
    require_scope(request, "write:conversations")
    found = services.decline_request(member=request.auth, request_id=request_id)
    return {"id": str(found.pk), "status": found.status}


@router.get("/v1/inmail", auth=member_auth)
def inmail(request):
    """M3: the caller's unspent credits, soonest to expire first."""
    require_scope(request, "read:accounts")
    return inmail_entity(queries.credits(request.auth))
