"""A1–A4 on the web: Catch up (prompts and say-hello offers), the say-hello composer, a
connection's side panel, the private note, tags and cadence on a profile, the digest's
unsubscribe link. Forms in, relationships.services out; messages go through messaging."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import clock
from core.errors import NotFound, Refused
from messaging import services as messaging
from network import queries as network
from network import services as network_services
from network.models import InvitationReason
from relationships import queries, services
from relationships.models import Every
from web.network.badges import viewpoint
from web.redirects import same_site_next

SNOOZES = {"week": 7, "month": 30, "quarter": 91}
DONE = {
    "sent": _("Message sent to {name}."),
    "done": _("Marked as done."),
    "snooze": _("Snoozed: it will come back later."),
    "dismissed": _("No hello for now."),
    "note": _("Your private note is saved."),
    "tags": _("Your tags are saved."),
    "why": _("Saved: this is what you both see."),
    "every": _("Saved."),
    "digest_on": _("You'll get a weekly e-mail of your catch-up prompts."),
    "digest_off": _("No more weekly e-mails."),
}


def _member(request, handle: str):
    return network.visible_member(request.user, handle=handle, view=viewpoint(request)).member


@login_required
def catch_up(request):
    """A3: prompts, never feed posts; A2: the new connections not greeted yet."""
    me = request.user
    view = viewpoint(request)
    prompts = queries.prompts_for(me, view=view)
    greet = queries.say_hello_offers(me)
    texts = queries.say_hello_texts(me, greet, view=view)
    offers = [{"member": m, "text": texts[m.pk]} for m in greet]
    view.prime([p.member for p in prompts] + greet)
    for prompt in prompts:
        prompt.line = queries.prompt_line(prompt)
    return render(
        request,
        "web/relationships/catch_up.html",
        {
            "prompts": prompts,
            "offers": offers,
            "digest_on": queries.digest_on(me),
            "counts": network.counts(me),
            # the tab's count from the page's own set: counted only when the page is full
            "catch_up_count": len(prompts)
            if len(prompts) < queries.PROMPTS_SHOWN
            else queries.prompt_count(me),
            "tab": "catch_up",
        },
    )


@login_required
@require_POST
def catch_up_answer(request, prompt_id: str, action: str):
    """A3: send the prepared (edited) message, mark as done, or snooze."""
    me = request.user
    if action not in ("send", "done", "snooze"):
        raise Http404("No such action.")
    try:
        if action == "send":
            prompt = queries.prompt_by_key(me, prompt_id)
            if prompt is None:
                raise NotFound(services.PROMPT_NOT_FOUND, rule="A3")
            messaging.send(
                sender=me,
                recipient=prompt.member,
                text=request.POST.get("text", ""),
                idempotency_key=f"catch-up-{prompt_id}",
            )
            if prompt.type == "say_hello":
                services.greeted(owner=me, other=prompt.member, sent=True)
            services.mark_done(owner=me, key=prompt_id, prompt=prompt)
            messages.success(request, DONE["sent"].format(name=prompt.member.name))
        elif action == "done":
            services.mark_done(owner=me, key=prompt_id)
            messages.success(request, DONE["done"])
        else:
            days = SNOOZES.get(request.POST.get("for", "week"), 7)
            services.snooze(owner=me, key=prompt_id, until=clock.now() + timedelta(days=days))
            messages.success(request, DONE["snooze"])
    except NotFound:
        raise  # another member's prompt, or one already gone: the 404 page
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect("catch_up")


@login_required
@require_POST
def catch_up_digest(request):
    on = request.POST.get("weekly") == "on"
    services.set_digest(member=request.user, weekly=on)
    messages.success(request, DONE["digest_on" if on else "digest_off"])
    return redirect("catch_up")


@login_required
def say_hello(request, handle: str):
    """A2: the composer after an acceptance: the prepared message, editable, one click to
    send through messaging, or dismissed."""
    me = request.user
    member = _member(request, handle)
    if not queries.may_greet(me, member):
        return redirect("profile", member.username)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "dismiss":
                services.greeted(owner=me, other=member, sent=False)
                messages.success(request, DONE["dismissed"])
                return redirect(same_site_next(request, reverse("my_connections")))
            message = messaging.send(
                sender=me,
                recipient=member,
                text=request.POST.get("text", ""),
                idempotency_key=f"say-hello-{member.pk}",
            )
            services.greeted(owner=me, other=member, sent=True)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, DONE["sent"].format(name=member.name))
            return redirect("messaging_thread", message.conversation_id)
    return render(
        request,
        "web/relationships/say_hello.html",
        {
            "member": member,
            "text": queries.say_hello_text(me, member),
            "offered": queries.say_hello_offered(me, member),
            "why": queries.why_connected(me, member),
        },
    )


def private_context(request, member, *, relationship=None) -> dict | None:
    """A1–A4 as only the viewer sees them about `member`, for the profile and the side panel;
    None when the viewer keeps nothing on them. `relationship`: the viewer's with the member
    when the page has read it already (the profile's panels)."""
    me = request.user
    if not me.is_authenticated or me.pk == member.pk:
        return None
    if relationship is None:
        relationship = network.relationship(me, member, view=viewpoint(request))
    panel = queries.private_panel(me, member, relationship=relationship)
    if panel is None:
        return None
    return {
        "note": panel.note,
        "tags": panel.tags,
        "why": panel.why,
        "strength": panel.strength,
        "explanation": panel.strength.explanation(member.name),
        "reasons": InvitationReason.choices,
        "everies": Every.choices,
        "every": panel.every,
    }


@login_required
def connection_panel(request, handle: str):
    """A1, A4: the side panel of one connection in the list (an htmx fragment, or a page)."""
    member = _member(request, handle)
    private = private_context(request, member)
    if private is None:
        raise Http404("Not one of your connections.")
    template = "web/relationships/_panel.html" if request.htmx else "web/relationships/panel.html"
    return render(request, template, {"member": member, "private": private})


@login_required
@require_POST
def private_edit(request, handle: str, what: str):
    """A1: the private note, the tags, one's own side of why; A3: the cadence."""
    me = request.user
    member = _member(request, handle)
    post = request.POST
    try:
        if what == "note":
            services.set_note(owner=me, member=member, text=post.get("note", ""))
        elif what == "tags":
            wanted = {int(i) for i in post.getlist("tag") if i.isdigit()}
            if post.get("new_tag", "").strip():
                wanted.add(services.create_tag(owner=me, title=post["new_tag"]).pk)
            current = {t.pk for t in queries.tags_on(me, member)}
            for tag_id in wanted - current:
                services.tag_members(owner=me, tag_id=tag_id, member_ids=[member.pk])
            for tag_id in current - wanted:
                services.untag_members(owner=me, tag_id=tag_id, member_ids=[member.pk])
        elif what == "why":
            network_services.describe_connection(
                by=me, member=member, reason=post.get("reason", ""), note=post.get("note", "")
            )
        elif what == "every":
            services.set_every(owner=me, member=member, every=post.get("every", ""))
        else:
            raise Http404("Nothing to edit here.")
    except NotFound:
        raise  # not connected, or another member's tag: the 404 page
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[what])
    return redirect(same_site_next(request, reverse("profile", args=[member.username])))


@csrf_exempt  # RFC 8058's one-click POST comes from the mail client, with no session
def unsubscribe(request, token: str):
    """A3: the digest's link works signed out, the signed token being the proof. Opening it
    only asks (link scanners open links); the button or the mail client's POST stops it."""
    if request.method == "POST":
        member = services.unsubscribe(token=token)
    else:
        member = queries.member_of_unsubscribe_token(token)
    state = "done" if request.method == "POST" else "ask"
    if member is None:
        state = "broken"
    status = 400 if member is None else 200
    return render(request, "web/relationships/unsubscribe.html", {"state": state}, status=status)
