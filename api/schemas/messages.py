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

from api.schemas import absolute, iso
from api.schemas.accounts import account_entities
from messaging import queries

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


def attachment_entity(attachment, viewer) -> dict:
    """Mastodon's MediaAttachment for a message's image (`image`) or PDF (`unknown`, as
    Mastodon types a file it can't show); its addresses carry the viewer, signed."""
    pdf = attachment.kind == "pdf"
    url = absolute(queries.attachment_path(attachment, "full", viewer_id=viewer.pk))
    meta = {}
    if not pdf and attachment.width and attachment.height:
        original = {
            "width": attachment.width,
            "height": attachment.height,
            "size": f"{attachment.width}x{attachment.height}",
            "aspect": attachment.width / attachment.height,
        }
        meta = {"original": original, "small": original}
    return {
        "id": str(attachment.pk),
        "type": "unknown" if pdf else "image",
        "url": url,
        "preview_url": None
        if pdf
        else absolute(queries.attachment_path(attachment, "preview", viewer_id=viewer.pk)),
        "remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": attachment.name or None,
        "blurhash": None,
        "linkwell_kind": attachment.kind,
        "linkwell_size": attachment.size,
    }


def _attachments(message, viewer) -> list[dict]:
    rows = sorted(message.attachments.all(), key=lambda a: (a.position, a.pk))
    return [attachment_entity(a, viewer) for a in rows]


def _direct_status(message, thread, accounts: dict[int, dict], viewer=None) -> dict | None:
    sender = accounts.get(message.sender_id)
    if sender is None:
        return None
    others = [thread.me.member_id, *[m.pk for m in thread.members]]
    mentions = [_mention(accounts[i]) for i in others if i != message.sender_id and i in accounts]
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
        "media_attachments": _attachments(message, viewer) if viewer is not None else [],
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


def _member_ids(thread) -> list[int]:
    return [m.pk for m in thread.members]


def direct_statuses(viewer, thread, messages) -> list[dict]:
    accounts = _accounts(
        viewer, [viewer.pk, *_member_ids(thread), *[m.sender_id for m in messages]]
    )
    found = [_direct_status(m, thread, accounts, viewer) for m in messages]
    return [s for s in found if s is not None]


def conversation_entities(viewer, threads) -> list[dict]:
    """Mastodon's Conversation: id, unread, accounts (the others: one, or a group's members
    the viewer may see), last_status; extensions `linkwell_group`, `linkwell_title`,
    `linkwell_creator_id` and `linkwell_seen_by` (who read the last message, when receipts
    are on for the viewer and for them)."""
    wanted = [viewer.pk]
    for thread in threads:
        wanted += _member_ids(thread)
        if thread.last_message is not None:
            wanted.append(thread.last_message.sender_id)
    accounts = _accounts(viewer, wanted)
    result = []
    for thread in threads:
        members = [accounts[i] for i in _member_ids(thread) if i in accounts]
        if not thread.is_group and not members:
            continue
        last = thread.last_message
        seen = queries.seen_by(queries.read_marks(thread), last) if last else []
        creator = thread.conversation.creator_id
        result.append(
            {
                "id": str(thread.pk),
                "unread": thread.unread,
                "accounts": members,
                "last_status": _direct_status(last, thread, accounts, viewer) if last else None,
                "linkwell_group": thread.is_group,
                "linkwell_title": thread.conversation.title or None,
                "linkwell_creator_id": str(creator) if creator else None,
                "linkwell_seen_by": [str(i) for i in seen],
            }
        )
    return result


def message_entities(viewer, thread, messages) -> list[dict]:
    """Linkwell's Message: the thread's own view of one message, with its attachments and
    `seen_by` (the account ids that read it, when receipts are on for both sides)."""
    accounts = _accounts(
        viewer, [viewer.pk, *_member_ids(thread), *[m.sender_id for m in messages]]
    )
    marks = queries.read_marks(thread)
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
            "attachments": _attachments(m, viewer),
            "seen_by": [str(i) for i in queries.seen_by(marks, m)],
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
