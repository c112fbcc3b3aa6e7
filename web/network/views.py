"""Profile actions, My Network, the block list and the report form: forms in, services out.

Every action is a POST that works as a full page (redirect with a message) and, under htmx,
answers with the refreshed fragment. Refusals are shown with the service's own message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import queries as accounts_queries
from accounts.models import User
from core.errors import Refused
from core.paging import keyset_page
from network import queries, services
from network.models import ReportReason
from relationships import queries as relationships
from search import queries as search_queries
from web.network.badges import viewpoint
from web.network.panels import profile_panels
from web.redirects import same_site_next

LIST_PAGE = 100  # members per page of a list; "Load more" fetches the next by keyset

DONE = {
    "connect": _("Invitation sent."),
    "withdraw": _("Invitation withdrawn."),
    "follow": _("You are now following {name}."),
    "unfollow": _("You unfollowed {name}."),
    "disconnect": _("{name} was removed from your connections."),
    "block": _("You blocked {name}. You won't see each other on Linkwell."),
    "unblock": _("You unblocked {name}."),
    "remove_follower": _("{name} no longer follows you."),
    "accept": _("You are now connected with {name}."),
    "ignore": _("Invitation ignored."),
    "dont_know": _("Thanks. {name} can't invite you again."),
    "report": _("Thank you. Our moderators will review your report."),
}


def _member(request, handle: str) -> User:
    """B1: a member blocked either way doesn't exist for the viewer (NotFound, the 404 page)."""
    return queries.visible_member(request.user, handle=handle, view=viewpoint(request)).member


def _profile_url(member) -> str:
    return reverse("profile", args=[member.username])


PROFILE_ACTIONS = {
    "connect": lambda me, m, post: services.invite(
        sender=me,
        recipient=m,
        note=post.get("note", ""),
        reason=post.get("reason", ""),
        email=post.get("email", ""),
    ),
    "withdraw": lambda me, m, post: services.withdraw_to(sender=me, recipient=m),
    "follow": lambda me, m, post: services.follow(follower=me, followee=m),
    "unfollow": lambda me, m, post: services.unfollow(follower=me, followee=m),
    "disconnect": lambda me, m, post: services.disconnect(by=me, member=m),
    "block": lambda me, m, post: services.block(blocker=me, blocked=m),
    "unblock": lambda me, m, post: services.unblock(blocker=me, blocked=m),
    "remove_follower": lambda me, m, post: services.remove_from_followers(by=me, follower=m),
}


@login_required
@require_POST
def profile_action(request, handle: str, action: str):
    if action not in PROFILE_ACTIONS:
        raise Http404("No such action.")
    if action in ("block", "unblock"):
        member = queries.member_to_block(handle=handle)
    else:
        member = _member(request, handle)
    error = ""
    try:
        PROFILE_ACTIONS[action](request.user, member, request.POST)
    except Refused as exc:
        error = exc.message
    typed = {key: request.POST.get(key, "") for key in ("note", "reason", "email")}
    if request.htmx and action not in ("block", "unblock"):
        panels = profile_panels(request, member, error=error, typed=typed if error else None)
        return render(request, "web/network/_profile_actions.html", {"member": member, **panels})
    if error and action == "connect":  # the invite form again, with what was typed
        panels = profile_panels(request, member, error=error, typed=typed)
        if panels["net"] is not None:
            context = {"member": member, **panels}
            return render(request, "web/network/invite.html", context, status=400)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, DONE[action].format(name=member.name))
    if action == "block" and not error:
        return redirect("network_blocks")
    return redirect(same_site_next(request, _profile_url(member)))


@login_required
def invite_page(request, handle: str):
    """The invite dialog as a page of its own (under "More", and without JavaScript)."""
    member = _member(request, handle)
    context = {"member": member, **profile_panels(request, member)}
    if context["net"] is None:
        return redirect(_profile_url(member))
    return render(request, "web/network/invite.html", context)


@login_required
@require_POST
def invitation_action(request, invitation_id: int, action: str):
    answer = {
        "accept": services.accept,
        "ignore": services.ignore,
        "dont_know": services.dont_know,
        "withdraw": services.withdraw,
    }.get(action)
    if answer is None:
        raise Http404("No such action.")
    try:
        invitation = answer(invitation_id=invitation_id, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(same_site_next(request, "mynetwork"))
    other = invitation.sender if invitation.recipient_id == request.user.pk else None
    if request.htmx:
        context = {"action": action, "other": other, "counts": queries.counts(request.user)}
        if action == "accept" and other is not None:  # A2: the say-hello composer, right away
            context["hello"] = relationships.say_hello_text(request.user, other)
        return render(request, "web/network/_invitation_done.html", context)
    messages.success(request, DONE[action].format(name=other.name if other else ""))
    if action == "accept" and other is not None and not same_site_next(request):  # A2
        return redirect("say_hello", other.username)
    return redirect(same_site_next(request, "mynetwork"))


INVITATIONS_PAGE = 20  # invitations per list on My Network; "Show more" adds the next


def _invitation_page(member, direction: str, max_id: int | None):
    """One keyset page of received (not the ignored ones, N3) or sent invitations, newest
    first, by the same queries as the API's `/api/v1/invitations`: (page, next max_id)."""
    if direction == "received":
        rows = queries.received_invitations(member)
    else:
        rows = queries.sent_invitations(member)
    page = keyset_page(rows, "id", limit=INVITATIONS_PAGE, max_id=max_id)
    return page, page[-1].pk if len(page) == INVITATIONS_PAGE else None


@login_required
def mynetwork(request):
    """Received invitations (not the ignored ones, N3) and sent ones, with counts."""
    me = request.user
    received, more_received = _invitation_page(me, "received", None)
    sent, more_sent = _invitation_page(me, "sent", None)
    _prime(request, [i.sender for i in received] + [i.recipient for i in sent])
    return render(
        request,
        "web/network/mynetwork.html",
        {
            "received": received,
            "more_received": more_received,
            "sent": sent,
            "more_sent": more_sent,
            "counts": queries.counts(  # a first page that holds the whole list is its count
                me,
                received=None if more_received else received,
                sent=None if more_sent else sent,
            ),
            "tab": "invitations",
            "suggestions": search_queries.suggestions(me, limit=12, view=viewpoint(request)),
        },
    )


@login_required
def my_invitations(request, direction: str):
    """One list of My Network's invitations, from `max_id` on: "Show more" under htmx takes
    its rows; without JavaScript it is a page of its own that pages on the same way."""
    if direction not in ("received", "sent"):
        raise Http404("No such list.")
    me = request.user
    page, more = _invitation_page(me, direction, _max_id(request))
    _prime(request, [i.sender if direction == "received" else i.recipient for i in page])
    context = {"invitations": page, "more": more, "direction": direction}
    return render(
        request, "web/network/invitations.html", {**context, "counts": queries.counts(me)}
    )


@login_required
def my_connections(request):
    """Newest connection first, by keyset ("Show more": the same two index ranges as the
    API's list); sorted by name, by keyset on (name, handle, id) after the last one shown."""
    me = request.user
    search = request.GET.get("q", "").strip()
    order = request.GET.get("sort", "recent")
    order = order if order in ("recent", "name", "strength") else "recent"
    tags = relationships.tags_of(me)  # A1: filter by one of the member's own tags
    tag = request.GET.get("tag", "")
    tag = tag if tag.isdigit() and any(str(t.pk) == tag for t in tags) else ""
    page = None
    more = None
    if order == "strength" or tag:  # A4 / A1: relationships' order, by page number
        members = relationships.connections_for(me, order=order, tag_id=tag or None, search=search)
        page = Paginator(members, 200).get_page(request.GET.get("page"))
        people = list(page.object_list)
    elif order == "name":
        after = request.GET.get("after", "")
        people = queries.connections_by_name(
            me, me, search=search, limit=LIST_PAGE, after=int(after) if after.isdigit() else None
        )
        more = people[-1].pk if len(people) == LIST_PAGE else None
    else:
        rows, _ = queries.connection_page(
            me, me, limit=LIST_PAGE, max_id=_max_id(request), search=search
        )
        found = accounts_queries.members_by_id([member_id for _, member_id, _ in rows])
        people = []
        for _, member_id, connected_at in rows:
            if member_id in found:
                found[member_id].connected_at = connected_at  # shown beside the name
                people.append(found[member_id])
        more = rows[-1][0] if len(rows) == LIST_PAGE else None
    _prime(request, people)
    context = {
        "people": people,
        "page": page,
        "more": more,
        "continued": bool(request.GET.get("after") or request.GET.get("max_id")),
        "search": search,
        "order": order,
        "tags": tags,
        "tag": tag,
        "counts": queries.counts(me),
        "tab": "connections",
    }
    template = "web/network/_connection_list.html" if request.htmx else "web/network/list.html"
    return render(request, template, context)


def _max_id(request) -> int | None:
    value = request.GET.get("max_id", "")
    return int(value) if value.isdigit() else None


@login_required
def my_follows(request, direction: str):
    """Newest follow first, by keyset: "Load more" (htmx, or a plain link) asks for the
    follows older than the last one shown, so a page costs the same at any depth."""
    me = request.user
    rows = queries.follow_list(me, me, direction=direction)
    people = keyset_page(rows, "follow_id", limit=LIST_PAGE, max_id=_max_id(request))
    _prime(request, people)
    more = people[-1].follow_id if len(people) == LIST_PAGE else None
    return render(
        request,
        "web/network/follows.html",
        {"people": people, "more": more, "counts": queries.counts(me), "tab": direction},
    )


@login_required
def member_connections(request, handle: str):
    """S5: the whole list when allowed, otherwise the connections the viewer shares; newest
    connection first, by keyset ("Load more")."""
    member = _member(request, handle)
    page, only_shared = queries.connection_page(
        member, request.user, limit=LIST_PAGE, max_id=_max_id(request)
    )
    found = accounts_queries.members_by_id([member_id for _, member_id, _ in page])
    people = [found[m] for _, m, _ in page if m in found and found[m].is_active]
    _prime(request, people)
    return render(
        request,
        "web/network/member_connections.html",
        {
            "member": member,
            "people": people,
            "more": page[-1][0] if len(page) == LIST_PAGE else None,
            "only_shared": only_shared,
            "hidden_reason": queries.connections_hidden_reason(member) if only_shared else "",
        },
    )


@login_required
def mutual_connections(request, handle: str):
    """D2 with D4: highest member id first, by keyset as the API's list ("Load more")."""
    member = _member(request, handle)
    view = viewpoint(request)
    count, ids = queries.mutual_page(
        request.user, member, limit=LIST_PAGE, max_id=_max_id(request), view=view
    )
    found = accounts_queries.members_by_id(ids)
    mutuals = [found[i] for i in ids if i in found and found[i].is_active]
    _prime(request, mutuals)
    more = ids[-1] if len(ids) == LIST_PAGE else None
    return render(
        request,
        "web/network/mutuals.html",
        {
            "member": member,
            "mutuals": mutuals,
            "count": count,
            "more": more,
            "continued": _max_id(request) is not None,
        },
    )


@login_required
def blocks(request):
    """B2's rule is said on the page: unblocking restores nothing; no re-block for 48 hours."""
    rows = queries.blocked_members(request.user)
    page = keyset_page(rows, "id", limit=LIST_PAGE, max_id=_max_id(request))
    more = page[-1].pk if len(page) == LIST_PAGE else None
    continued = _max_id(request) is not None
    context = {"blocks": page, "more": more, "continued": continued}
    return render(request, "web/network/blocks.html", context)


@login_required
def report(request, handle: str):
    """B3: one may report a member one blocked; one who blocked you is a 404 (B1)."""
    seen = queries.visible_member(request.user, handle=handle, blocked_as_card=True)
    member, blocked = seen.member, not seen.full
    error = ""
    if request.method == "POST":
        try:
            services.report(
                reporter=request.user,
                member=member,
                reason=request.POST.get("reason", ""),
                comment=request.POST.get("comment", ""),
            )
        except Refused as exc:
            error = exc.message
        else:
            messages.success(request, DONE["report"])
            if blocked:
                return redirect("network_blocks")
            return redirect(_profile_url(member))
    return render(
        request,
        "web/network/report.html",
        {"member": member, "reasons": ReportReason.choices, "error": error},
        status=400 if error else 200,
    )


def _prime(request, members) -> None:
    viewpoint(request).prime(list(members))
