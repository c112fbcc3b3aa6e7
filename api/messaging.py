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
from api.payload import as_bool, as_list, payload
from api.schemas.messages import (
    attachment_entity,
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
NO_ATTACHMENTS = _(
    "A direct status carries text only here; attach images or PDFs with POST /api/v1/messages."
)
RECIPIENT_REQUIRED = _("Validation failed: to is required (an account id or a handle)")
FILE_REQUIRED = _("Validation failed: file is required (an image or a PDF)")
ACCOUNTS_REQUIRED = _("Validation failed: account_ids is required")

ATTACHMENT_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        }
    }
}


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
        for member in thread.members:
            text = _without_leading_mention(text, member.username)
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


def _member(me, to: str):
    """An account id or a handle, as the caller may see them (B1: 404 across a block)."""
    to = to.strip().lstrip("@")
    if to.isdigit():
        return network.visible_member(me, pk=_int(to) or 0).member
    return network.visible_member(me, handle=to).member


def _ids(values) -> list[int]:
    return [n for n in (_int(v) for v in as_list(values)) if n]


@router.post("/v1/messages", auth=member_auth)
def post_message(request):
    """`to` (an account id or handle; several, `to[]`, start a group conversation, with an
    optional `title`), or `conversation_id` (write in one the caller is in, a group's
    too), `text`, optional `subject` (InMail) and `media_ids[]` (from
    `/api/v1/messages/attachments`). `Idempotency-Key` (header) or `idempotency_key` makes a
    retry return the first message."""
    require_scope(request, "write:statuses")
    data, _ = payload(request)
    me = request.auth
    key = _key(request) or str(data.get("idempotency_key") or "")[:100]
    text = str(data.get("text") or "")
    attachment_ids = _ids(data.get("media_ids"))
    to = [t for t in as_list(data.get("to")) if t.strip()]
    conversation_id = _int(data.get("conversation_id"))
    if conversation_id:
        message = services.reply(
            sender=me,
            conversation_id=conversation_id,
            text=text,
            idempotency_key=key,
            attachment_ids=attachment_ids,
        )
    elif len(to) > 1:
        message = services.start_group(
            creator=me,
            members=[_member(me, t) for t in to],
            title=str(data.get("title") or ""),
            text=text,
            idempotency_key=key,
            attachment_ids=attachment_ids,
        )
    elif to:
        message = services.send(
            sender=me,
            recipient=_member(me, to[0]),
            text=text,
            subject=str(data.get("subject") or ""),
            idempotency_key=key,
            attachment_ids=attachment_ids,
        )
    else:
        raise Invalid(RECIPIENT_REQUIRED)
    thread, message = queries.message_for(me, message.pk)
    return message_entities(me, thread, [message])[0]


@router.post("/v1/messages/attachments", auth=member_auth, openapi_extra=ATTACHMENT_FORM)
def upload_attachment(request):
    """An image or PDF for a message (`file`): the caller's alone until a message carries it
    (`media_ids[]` of `POST /api/v1/messages`)."""
    require_scope(request, "write:media")
    _, files = payload(request)
    upload = files.get("file")
    if upload is None:
        raise Invalid(FILE_REQUIRED, rule="M1")
    attachment = services.upload_attachment(uploader=request.auth, upload=upload)
    return attachment_entity(attachment, request.auth)


def _conversation(request, conversation_id: int) -> dict:
    return conversation_entities(
        request.auth, [queries.conversation_for(request.auth, conversation_id)]
    )[0]


@router.post("/v1/conversations/{int:conversation_id}/members", auth=member_auth)
def add_members(request, conversation_id: int):
    """A group: `account_ids[]`, the caller's connections (M1; B1: 404 across a block)."""
    require_scope(request, "write:conversations")
    data, _ = payload(request)
    ids = [str(i) for i in _ids(data.get("account_ids"))]
    if not ids:
        raise Invalid(ACCOUNTS_REQUIRED)
    members = [_member(request.auth, i) for i in ids]
    services.add_to_group(by=request.auth, conversation_id=conversation_id, members=members)
    return _conversation(request, conversation_id)


@router.delete("/v1/conversations/{int:conversation_id}/members/{int:account_id}", auth=member_auth)
def remove_member(request, conversation_id: int, account_id: int):
    """A group: any participant removes another; the removed member loses it at once."""
    require_scope(request, "write:conversations")
    services.remove_from_group(
        by=request.auth, conversation_id=conversation_id, member_id=_int(account_id) or 0
    )
    return _conversation(request, conversation_id)


@router.post("/v1/conversations/{int:conversation_id}/leave", auth=member_auth)
def leave(request, conversation_id: int):
    """A group: the caller leaves it, with its messages and attachments."""
    require_scope(request, "write:conversations")
    services.leave_group(member=request.auth, conversation_id=conversation_id)
    return {}


@router.get("/v1/messaging/preferences", auth=member_auth)
def preferences(request):
    """`read_receipts`: off, the caller neither sends nor sees "Seen" receipts."""
    require_scope(request, "read:accounts")
    return {"read_receipts": queries.read_receipts_on(request.auth)}


@router.patch("/v1/messaging/preferences", auth=member_auth)
def update_preferences(request):
    require_scope(request, "write:accounts")
    data, _ = payload(request)
    if "read_receipts" in data:
        services.set_read_receipts(
            member=request.auth, on=as_bool("read_receipts", data["read_receipts"])
        )
    return {"read_receipts": queries.read_receipts_on(request.auth)}


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
