"""Messaging pages: the inbox and requests, a conversation with htmx send and load-more, the
composer (by the route `can_message` allows), the unread badge. Forms in, messaging's
services and queries out; no rules here.
"""

import json
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import queries as accounts_queries
from core import live
from core.errors import NotFound, Refused
from messaging import queries, services
from network import queries as network
from web.network.badges import viewpoint

REQUEST_ACCEPTED = _("You accepted the message request; you can now write to each other.")
REQUEST_DECLINED = _("Message request declined.")
CONVERSATION_DELETED = _("The conversation was deleted for you.")
NO_SUCH_HANDLE = _("Type a member's @handle: letters, digits and underscores.")
LEFT_GROUP = _("You left the conversation.")
MEMBER_REMOVED = _("%(name)s was removed from the conversation.")
MEMBERS_ADDED = _("Added to the conversation.")
RECEIPTS_ON = _(
    "Read receipts are on: people see when you've read their messages, and you see theirs."
)
RECEIPTS_OFF = _("Read receipts are off: you neither send nor see them.")


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _list(request, *, tab: str):
    threads, below = queries.conversations(
        request.user,
        requests=tab == "requests",
        max_id=_int(request.GET.get("max_id")),
        limit=20,
    )
    viewpoint(request).prime([m.pk for t in threads for m in t.members])
    context = {
        "tab": tab,
        "threads": threads,
        "next_max_id": below,
        "request_count": len(queries.conversations(request.user, requests=True, limit=99)[0]),
    }
    if request.htmx and (request.GET.get("max_id") or request.GET.get("list")):
        return render(request, "web/messaging/_thread_list.html", context)
    return render(request, "web/messaging/inbox.html", context)


@login_required
def inbox(request):
    return _list(request, tab="inbox")


@login_required
def requests(request):
    """M4: first messages from non-connections, waiting for Accept or Decline."""
    return _list(request, tab="requests")


@login_required
def badge(request):
    return render(
        request, "web/messaging/_badge.html", {"unread": queries.unread_count(request.user)}
    )


def _thread_context(request, thread, *, error: str = "", typed: str = "") -> dict:
    page, below = queries.messages_of(
        thread,
        max_id=_int(request.GET.get("max_id")),
        since_id=_int(request.GET.get("since_id")),
    )
    marks = queries.read_marks(thread)
    newest = page[-1] if page else None
    seen = queries.seen_by(marks, newest) if newest is not None else []
    names = {m.pk: m.name for m in thread.members}
    return {
        "thread": thread,
        "other": thread.other,
        "page": page,
        "next_max_id": below,
        "route": None if thread.is_group else queries.can_message(request.user, thread.other),
        "can_write": thread.is_group and bool(thread.members or thread.hidden),
        "seen_names": [names[i] for i in seen if i in names],
        "seen_message_id": newest.pk if seen else None,
        "since_id": newest.pk if newest is not None else thread.me.cleared_up_to,
        "max_attachments": settings.LINKWELL_MESSAGE_MAX_ATTACHMENTS,
        "error": error,
        "typed": typed,
    }


@login_required
def conversation(request, conversation_id: int):
    """A thread; opening it marks it read. Under htmx, `max_id`: older messages only;
    `since_id`: the ones that arrived live (read, as the member has the thread open)."""
    thread = queries.conversation_for(request.user, conversation_id)
    if request.htmx and request.GET.get("seen"):
        context = _thread_context(request, thread)
        return render(request, "web/messaging/_seen.html", context)
    context = _thread_context(request, thread)
    if request.htmx and request.GET.get("since_id"):
        context["next_max_id"] = None
        if thread.unread:  # someone else's message arrived: read, as the thread is open
            services.mark_read(member=request.user, conversation_id=conversation_id)
        return render(request, "web/messaging/_older.html", context)
    if request.htmx and request.GET.get("max_id"):
        return render(request, "web/messaging/_older.html", context)
    if thread.unread:
        services.mark_read(member=request.user, conversation_id=conversation_id)
    viewpoint(request).prime([m.pk for m in thread.members])
    return render(request, "web/messaging/conversation.html", context)


@login_required
@require_POST
def send(request, conversation_id: int):
    """A message in a thread; under htmx the answer is the new message, appended."""
    text = request.POST.get("text", "")
    try:
        message = services.reply(
            sender=request.user,
            conversation_id=conversation_id,
            text=text,
            idempotency_key=request.POST.get("key", ""),
            files=request.FILES.getlist("files"),
        )
    except NotFound:
        raise
    except Refused as exc:
        if request.htmx:
            response = render(
                request, "web/messaging/_send_error.html", {"error": exc.message}, status=200
            )
            response["HX-Retarget"] = "#send-error"
            response["HX-Reswap"] = "outerHTML"
            return response
        thread = queries.conversation_for(request.user, conversation_id)
        context = _thread_context(request, thread, error=exc.message, typed=text)
        return render(request, "web/messaging/conversation.html", context, status=400)
    if request.htmx:
        return render(request, "web/messaging/_sent.html", {"message": message})
    return redirect("messaging_thread", conversation_id=message.conversation_id)


def _compose_context(request, member, *, error: str = "", typed: dict | None = None) -> dict:
    route = queries.can_message(request.user, member)
    return {
        "other": member,
        "route": route,
        "refusal": route.refusal.message if route.refusal else "",
        "hint": queries.inmail_hint(route, member.name) if route.costs_credit else "",
        "inmail_max": settings.LINKWELL_INMAIL_MAX_CHARACTERS,
        "subject_max": settings.LINKWELL_INMAIL_SUBJECT_MAX,
        "error": error,
        "typed": typed or {},
    }


@login_required
def compose(request, handle: str):
    """The Message button's target: the thread when there is one, else a first message by
    the route the relationship allows (InMail shows the credits left), or why not."""
    member = network.visible_member(request.user, handle=handle, view=viewpoint(request)).member
    if request.method == "POST":
        typed = {"text": request.POST.get("text", ""), "subject": request.POST.get("subject", "")}
        try:
            message = services.send(
                sender=request.user,
                recipient=member,
                text=typed["text"],
                subject=typed["subject"],
                idempotency_key=request.POST.get("key", ""),
            )
        except NotFound:
            raise
        except Refused as exc:
            context = _compose_context(request, member, error=exc.message, typed=typed)
            return render(request, "web/messaging/compose.html", context, status=400)
        return redirect("messaging_thread", conversation_id=message.conversation_id)
    existing = queries.conversation_with(request.user, member)
    if existing is not None and existing.last_message is not None:
        return redirect("messaging_thread", conversation_id=existing.pk)
    return render(request, "web/messaging/compose.html", _compose_context(request, member))


@login_required
def new(request):
    """Write to a connection: the name field suggests them as you type (`mention_suggestions`)."""
    handle = (request.GET.get("to") or "").strip().lstrip("@")
    if handle and handle.replace("_", "").isalnum() and handle.isascii():
        return redirect("messaging_compose", handle=handle)
    error = NO_SUCH_HANDLE if handle else ""
    return render(request, "web/messaging/new.html", {"error": error, "typed": handle})


@login_required
@require_POST
def answer_request(request, request_id: int, answer: str):
    """M4: Accept opens the thread; Decline removes it (the sender waits 90 days)."""
    if answer == "accept":
        found = services.accept_request(member=request.user, request_id=request_id)
        messages.success(request, REQUEST_ACCEPTED)
        return redirect("messaging_thread", conversation_id=found.conversation_id)
    if answer == "decline":
        services.decline_request(member=request.user, request_id=request_id)
        messages.success(request, REQUEST_DECLINED)
        return redirect("messaging_requests")
    raise Http404


@login_required
@require_POST
def delete(request, conversation_id: int):
    services.delete_for_me(member=request.user, conversation_id=conversation_id)
    messages.success(request, CONVERSATION_DELETED)
    return redirect("messaging")


@login_required
def stream(request):
    """The page's live stream (server-sent events, the same core.live feed as the API's
    streaming), read by htmx's SSE extension: `conversation` (the badge and the inbox
    refresh) and `thread-<id>` (that open thread fetches what's new) when a message the
    member may read arrives, `seen-<id>` when someone read it (their receipt),
    `notification` for the badge. The page then fetches what changed, through the doors."""
    member = request.user

    def render(event):
        if event.name == "conversation":
            try:
                thread = queries.conversation_for(member, event.data["conversation_id"])
            except NotFound:
                return []
            if event.data.get("read_by"):
                return [(f"seen-{thread.pk}", "{}")]
            found = {
                "conversation_id": thread.pk,
                "message_id": event.data.get("message"),
                "sender_id": event.data.get("sender"),
            }
            return [("conversation", json.dumps(found)), (f"thread-{thread.pk}", "{}")]
        if event.name == "notification":
            return [("notification", "{}")]
        return []

    return live.event_stream(request, member.pk, render)


@login_required
def new_group(request):
    """A group conversation: a name (optional), two or more connections by @handle, the first
    message and its attachments; refusals come back with what was typed."""
    typed = {
        "title": request.POST.get("title", ""),
        "to": request.POST.get("to", ""),
        "text": request.POST.get("text", ""),
    }
    error = ""
    if request.method == "POST":
        handles = [h.strip().lstrip("@") for h in typed["to"].replace(",", " ").split()]
        try:
            people = [
                network.visible_member(request.user, handle=h, view=viewpoint(request)).member
                for h in dict.fromkeys(h for h in handles if h)
            ]
            message = services.start_group(
                creator=request.user,
                members=people,
                title=typed["title"],
                text=typed["text"],
                idempotency_key=request.POST.get("key", ""),
                files=request.FILES.getlist("files"),
            )
        except Refused as exc:
            error = exc.message
        else:
            return redirect("messaging_thread", conversation_id=message.conversation_id)
    context = {
        "typed": typed,
        "error": error,
        "max_members": settings.LINKWELL_GROUP_MAX_MEMBERS,
        "max_attachments": settings.LINKWELL_MESSAGE_MAX_ATTACHMENTS,
    }
    return render(request, "web/messaging/new_group.html", context, status=400 if error else 200)


@login_required
@require_POST
def add_members(request, conversation_id: int):
    """A group: the member adds their connections by @handle."""
    handles = [h.strip().lstrip("@") for h in request.POST.get("to", "").replace(",", " ").split()]
    try:
        people = [
            network.visible_member(request.user, handle=h).member
            for h in dict.fromkeys(h for h in handles if h)
        ]
        services.add_to_group(by=request.user, conversation_id=conversation_id, members=people)
    except NotFound:
        queries.conversation_for(request.user, conversation_id)  # not theirs: the 404
        messages.error(request, str(accounts_queries.MEMBER_NOT_FOUND))
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MEMBERS_ADDED)
    return redirect("messaging_thread", conversation_id=conversation_id)


@login_required
@require_POST
def remove_member(request, conversation_id: int, member_id: int):
    """A group: any member removes another (or, naming themself, leaves)."""
    try:
        services.remove_from_group(
            by=request.user, conversation_id=conversation_id, member_id=member_id
        )
    except NotFound:
        raise
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("messaging_thread", conversation_id=conversation_id)
    if member_id == request.user.pk:
        messages.success(request, LEFT_GROUP)
        return redirect("messaging")
    gone = accounts_queries.active_members([member_id]).get(member_id)
    if gone is not None:
        messages.success(request, MEMBER_REMOVED % {"name": gone.name})
    return redirect("messaging_thread", conversation_id=conversation_id)


@login_required
@require_POST
def leave(request, conversation_id: int):
    try:
        services.leave_group(member=request.user, conversation_id=conversation_id)
    except NotFound:
        raise
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("messaging_thread", conversation_id=conversation_id)
    messages.success(request, LEFT_GROUP)
    return redirect("messaging")


@login_required
def messaging_settings(request):
    """Read receipts on or off (as LinkedIn's "Read receipts and typing indicators")."""
    if request.method == "POST":
        on = request.POST.get("read_receipts") == "on"
        services.set_read_receipts(member=request.user, on=on)
        messages.success(request, RECEIPTS_ON if on else RECEIPTS_OFF)
        return redirect("messaging_settings")
    context = {"read_receipts": queries.read_receipts_on(request.user)}
    return render(request, "web/messaging/settings.html", context)


def attachment(request, attachment_id: int, size: str):
    """A message's image or PDF, for the conversation's current participants only: the
    signed-in member, or the member a signed address was given to (API clients). Anyone
    else, a removed participant and an anonymous reader get the same 404."""
    if size not in queries.ATTACHMENT_SIZES:
        raise Http404
    viewer = request.user
    if not viewer.is_authenticated and request.GET.get("v"):
        member_id = queries.attachment_viewer(attachment_id, request.GET["v"])
        viewer = accounts_queries.active_members([member_id]).get(member_id) if member_id else None
    found = queries.attachment_for(viewer, attachment_id)  # NotFound: the one 404 page
    stored = found.preview if size == "preview" and found.preview else found.file
    pdf = found.kind == "pdf"
    content_type = "application/pdf" if pdf else (mimetypes.guess_type(stored.name)[0] or "")
    try:
        response = FileResponse(stored.open("rb"), content_type=content_type or "image/webp")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if pdf:
        response["Content-Disposition"] = f'attachment; filename="{found.name or "file.pdf"}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["Vary"] = "Cookie"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
