"""Messages as Mastodon sees them (a `direct` Status, the Conversation entity) and
Linkwell's own Message, MessageRequest and InMail entities.

Every builder takes threads and messages that came through `messaging.queries`' door
(`conversation_for`, `conversations`, `message_for`), so only participants ever get here;
accounts are embedded through `account_entities`, the one account read.

A message's Status id is `DIRECT_ID_BASE + message id` (2**62 + n), so it never collides
with a post's id and `in_reply_to_id` tells a reply to a message from a comment on a post.
"""

from __future__ import annotations

from django.conf import settings

from api.schemas import iso
from api.schemas.accounts import account_entities

DIRECT_ID_BASE = 1 << 62


def status_id(message) -> str:
    return str(DIRECT_ID_BASE + message.pk)


def message_pk(status_id_value: int) -> int | None:
    """The message behind a direct Status id, or None for a post's id."""
    return status_id_value - DIRECT_ID_BASE if status_id_value > DIRECT_ID_BASE else None


def _accounts(viewer, member_ids) -> dict[int, dict]:
    return {
        int(a["id"]): a for a in account_entities(list(dict.fromkeys(member_ids)), viewer=viewer)
    }


def _mention(account: dict) -> dict:
    return {
        "id": account["id"],
        "username": account["username"],
        "acct": account["acct"],
        "url": account["url"],
    }


def _direct_status(message, thread, accounts: dict[int, dict]) -> dict | None:
    sender = accounts.get(message.sender_id)
    if sender is None:
        return None
    other_id = thread.conversation.other(message.sender_id)
    mentions = [_mention(accounts[other_id])] if other_id in accounts else []
    url = f"{settings.SITE_URL}/messaging/{thread.pk}/"
    return {
        "id": status_id(message),
        "uri": f"{url}#message-{message.pk}",
        "url": url,
        "created_at": iso(message.created_at),
        "edited_at": None,
        "account": sender,
        "content": message.html,
        "visibility": "direct",
        "sensitive": False,
        "spoiler_text": message.subject,
        "media_attachments": [],
        "application": None,
        "mentions": mentions,
        "tags": [],
        "emojis": [],
        "reblogs_count": 0,
        "favourites_count": 0,
        "replies_count": 0,
        "quotes_count": 0,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "reblog": None,
        "quote": None,
        "quote_approval": {"automatic": [], "manual": [], "current_user": "denied"},
        "poll": None,
        "card": None,
        "language": None,
        "text": message.text,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "filtered": [],
        "reactions": [],
        "impressions_count": None,
        "linkwell_kind": "message",
        "linkwell_conversation_id": str(thread.pk),
    }


def direct_statuses(viewer, thread, messages) -> list[dict]:
    accounts = _accounts(viewer, [viewer.pk, thread.other.pk])
    found = [_direct_status(m, thread, accounts) for m in messages]
    return [s for s in found if s is not None]


def conversation_entities(viewer, threads) -> list[dict]:
    """Mastodon's Conversation: id, unread, accounts (the others), last_status."""
    accounts = _accounts(viewer, [viewer.pk, *[t.other.pk for t in threads]])
    result = []
    for thread in threads:
        other = accounts.get(thread.other.pk)
        if other is None:
            continue
        last = thread.last_message
        result.append(
            {
                "id": str(thread.pk),
                "unread": thread.unread,
                "accounts": [other],
                "last_status": _direct_status(last, thread, accounts) if last else None,
            }
        )
    return result


def message_entities(viewer, thread, messages) -> list[dict]:
    """Linkwell's Message: the thread's own view of one message."""
    accounts = _accounts(viewer, [viewer.pk, thread.other.pk])
    return [
        {
            "id": str(m.pk),
            "conversation_id": str(thread.pk),
            "account": accounts[m.sender_id],
            "subject": m.subject or None,
            "content": m.html,
            "text": m.text,
            "created_at": iso(m.created_at),
            "status_id": status_id(m),
        }
        for m in messages
        if m.sender_id in accounts
    ]


def request_entities(viewer, threads) -> list[dict]:
    """Linkwell's MessageRequest: {id, account, last_message, created_at}."""
    accounts = _accounts(viewer, [viewer.pk, *[t.other.pk for t in threads]])
    result = []
    for thread in threads:
        if thread.request is None or thread.other.pk not in accounts:
            continue
        last = message_entities(
            viewer, thread, [thread.last_message] if thread.last_message else []
        )
        result.append(
            {
                "id": str(thread.request.pk),
                "account": accounts[thread.other.pk],
                "last_message": last[0] if last else None,
                "created_at": iso(thread.request.created_at),
                "conversation_id": str(thread.pk),
                "route": thread.request.route,
            }
        )
    return result


def inmail_entity(credits) -> dict:
    return {
        "available": len(credits),
        "credits": [
            {"granted_at": iso(c.granted_at), "expires_at": iso(c.expires_at)} for c in credits
        ],
    }
