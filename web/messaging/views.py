"""Messaging pages: the inbox and requests, a conversation with htmx send and load-more, the
composer (by the route `can_message` allows), the unread badge. Forms in, messaging's
services and queries out; no rules here.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import live
from core.errors import NotFound, Refused
from messaging import queries, services
from network import queries as network
from web.network.badges import viewpoint

REQUEST_ACCEPTED = _("You accepted the message request; you can now write to each other.")
REQUEST_DECLINED = _("Message request declined.")
CONVERSATION_DELETED = _("The conversation was deleted for you.")
NO_SUCH_HANDLE = _("Type a member's @handle: letters, digits and underscores.")


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
    viewpoint(request).prime([t.other.pk for t in threads])
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
    return {
        "thread": thread,
        "other": thread.other,
        "page": page,
        "next_max_id": below,
        "route": queries.can_message(request.user, thread.other),
        "error": error,
        "typed": typed,
    }


@login_required
def conversation(request, conversation_id: int):
    """A thread; opening it marks it read. Under htmx, `max_id`: older messages only;
    `since_id`: the ones that arrived live (read, as the member has the thread open)."""
    thread = queries.conversation_for(request.user, conversation_id)
    context = _thread_context(request, thread)
    if request.htmx and request.GET.get("since_id"):
        context["next_max_id"] = None
        services.mark_read(member=request.user, conversation_id=conversation_id)
        return render(request, "web/messaging/_older.html", context)
    if request.htmx and request.GET.get("max_id"):
        return render(request, "web/messaging/_older.html", context)
    if thread.unread:
        services.mark_read(member=request.user, conversation_id=conversation_id)
    viewpoint(request).prime([thread.other.pk])
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
    streaming): `conversation` with the thread's id when a message the member may read
    arrives, `notification` for the badge; the page then fetches what changed."""
    member = request.user

    def render(event):
        if event.name == "conversation":
            try:
                thread = queries.conversation_for(member, event.data["conversation_id"])
            except NotFound:
                return []
            found = {
                "conversation_id": thread.pk,
                "message_id": event.data.get("message"),
                "sender_id": event.data.get("sender"),
            }
            return [("conversation", json.dumps(found))]
        if event.name == "notification":
            return [("notification", "{}")]
        return []

    return live.event_stream(request, member.pk, render)
