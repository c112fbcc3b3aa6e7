"""Home feed, composer, post pages, reactions, reposts, hashtag pages, notifications, and a
member's Activity: forms in, feed services and queries out. No rules here.

Every action is a POST that works as a full page (redirect with a message) and, under htmx,
answers with the refreshed fragment. Refusals show the service's own sentence.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Refused
from feed import home, impressions, inbox, queries, services
from network import queries as network
from notifications import services as notices
from pages import queries as pages_queries
from portability import queries as portability
from profiles.queries import current_position
from search import queries as search_queries
from web.accounts.views import FIRST_VISIT
from web.feed import cards
from web.network.badges import viewpoint

POSTED = _("Your post is live.")
DELETED = _("Your post was deleted.")
REPOSTED = _("Reposted.")
EDITED = _("Your post was updated.")


def _sight(request) -> queries.Sight:
    """The request's one Sight, sharing the blocks of its Viewpoint (the degree badges')."""
    found = getattr(request, "_feed_sight", None)
    if found is None:
        found = request._feed_sight = queries.Sight(request.user, view=viewpoint(request))
    return found


def _prime(request, posts) -> None:
    """One graph call for every author's degree badge on the page (D1)."""
    ids = set()
    for post in posts:
        ids.add(post.author_id)
        if post.reblog_id:
            ids.add(post.reblog.author_id)
        for reason in getattr(post, "feed_reasons", []):
            ids.update(a.pk for a in reason.actors)
    viewpoint(request).prime(list(ids))


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _feed_page(request):
    order = request.GET.get("order") or request.session.get("feed_order") or "top"
    if order not in home.ORDERS:
        order = "top"
    page = home.home(
        request.user,
        order=order,
        max_id=_int(request.GET.get("max_id")),
        offset=_int(request.GET.get("offset")) or 0,
        anchor=_int(request.GET.get("anchor")),
        sight=_sight(request),
    )
    for item in page.items:
        item.post.feed_reasons = item.activity
    posts = [i.post for i in page.items]
    _prime(request, posts)
    impressions.record(request.user, posts)
    return order, page


def home_page(request):
    """Signed in, home is the feed; signed out, the welcome page."""
    if request.user.is_authenticated:
        return home_feed(request)
    return render(request, "web/home.html")


@login_required
def home_feed(request):
    """P3: the composer and the feed, `top` by default on the web. Signed out, /feed/ is the
    sign-in page (it was a 500: the matrix found it)."""
    chosen = request.GET.get("order")
    if chosen in home.ORDERS and request.session.get("feed_order") != chosen:
        # Only a change is saved: setting the same order again rewrote the session row
        # (one UPDATE, on SQLite the write lock) on every load of ?order=top.
        request.session["feed_order"] = chosen
    order, page = _feed_page(request)
    context = {"order": order, "page": page, "reactions": cards.reaction_choices()}
    if request.htmx and request.GET.get("more"):
        return render(request, "web/feed/_feed_page.html", context)
    member = request.user
    context.update(
        {
            "member": member,
            "position": current_position(member),
            "admined_pages": pages_queries.pages_admined_by(member),
            "first_visit": request.session.get(FIRST_VISIT, False),
        }
    )
    return render(request, "web/feed/home.html", context)


@login_required
@require_POST
def compose(request):
    """P1: text, visibility, up to 4 images with alt text, uploaded with the form."""
    files = request.FILES.getlist("images")
    alts = request.POST.getlist("alt")
    try:
        media_ids = [
            services.upload_media(
                owner=request.user, upload=f, description=alts[i] if i < len(alts) else ""
            ).pk
            for i, f in enumerate(files[:5])
        ]
        as_page = request.POST.get("as_page", "")  # G1: the admin's "Post as" switch
        services.publish(
            author=request.user,
            text=request.POST.get("text", ""),
            visibility=request.POST.get("visibility", "anyone"),
            media_ids=media_ids,
            idempotency_key=request.POST.get("key", ""),
            page_id=int(as_page) if as_page.isdigit() else None,
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, POSTED)
    return redirect("home")


def _visible_post(request, post_id):
    """P1: NotFound (the 404 page) when it doesn't exist or the viewer may not see it."""
    return queries.visible_post(request.user, post_id, sight=_sight(request))


def post_detail(request, post_id: int):
    """P2: the post with its comments and one level of replies; the author's numbers (P4)."""
    post = _visible_post(request, post_id)
    if post.root_id:
        return redirect(f"{reverse('post_detail', args=[post.root_id])}#post-{post.pk}")
    shown = post.reblog if post.reblog_id else post
    thread = queries.thread(request.user, shown, sight=_sight(request))
    thread = queries.filtered(request.user, "thread", thread)
    queries.decorate(request.user, [post, *thread], sight=_sight(request))
    comments = [c for c in thread if c.in_reply_to_id == shown.pk]
    replies: dict[int, list] = {}
    for c in thread:
        if c.in_reply_to_id != shown.pk:
            replies.setdefault(c.in_reply_to_id, []).append(c)
    for c in comments:
        c.reply_list = replies.get(c.pk, [])
    _prime(request, [post, *thread])
    impressions.record(request.user, [post])
    return render(
        request,
        "web/feed/post.html",
        {
            "post": post,
            "shown": shown,
            "comments": comments,
            "reactions": cards.reaction_choices(),
            "is_author": request.user.is_authenticated and shown.author_id == request.user.pk,
            "counts": queries.reaction_counts(shown),
        },
    )


def _back(request, post_id):
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("post_detail", post_id=post_id)


def _actions_fragment(request, post_id):
    post = _visible_post(request, post_id)
    queries.decorate(request.user, [post], sight=_sight(request))
    return render(
        request,
        "web/feed/_post_actions.html",
        {"post": post, "reactions": cards.reaction_choices()},
    )


@login_required
@require_POST
def react(request, post_id: int):
    """P2: choose a reaction (the same one again takes it back)."""
    kind = request.POST.get("type", "like")
    target = _visible_post(request, post_id)  # unseen: the 404 page, not a message
    try:
        queries.decorate(request.user, [target], sight=_sight(request))
        current = (target.reblog if target.reblog_id else target).my_reaction
        if current == kind and request.POST.get("toggle"):
            services.unreact(member=request.user, post_id=post_id)
        else:
            services.react(member=request.user, post_id=post_id, kind=kind)
    except Refused as exc:
        messages.error(request, exc.message)
    if request.htmx:
        return _actions_fragment(request, post_id)
    return _back(request, post_id)


@login_required
@require_POST
def unreact(request, post_id: int):
    _visible_post(request, post_id)  # unseen: the 404 page, as for an unknown post (P1, B1)
    try:
        services.unreact(member=request.user, post_id=post_id)
    except Refused as exc:
        messages.error(request, exc.message)
    if request.htmx:
        return _actions_fragment(request, post_id)
    return _back(request, post_id)


@login_required
@require_POST
def comment(request, post_id: int):
    _visible_post(request, post_id)  # unseen: the 404 page, as for an unknown post (P1, B1)
    try:
        made = services.comment(
            author=request.user,
            on=post_id,
            text=request.POST.get("text", ""),
            idempotency_key=request.POST.get("key", ""),
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return _back(request, post_id)
    root = made.root_id
    return redirect(f"{reverse('post_detail', args=[root])}#post-{made.pk}")


@login_required
@require_POST
def repost(request, post_id: int):
    """P2: plain, or with your own thoughts (the original embedded)."""
    _visible_post(request, post_id)  # unseen: the 404 page, as for an unknown post (P1, B1)
    try:
        services.repost(
            author=request.user,
            original=post_id,
            text=request.POST.get("text", ""),
            visibility=request.POST.get("visibility", "anyone"),
            idempotency_key=request.POST.get("key", ""),
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, REPOSTED)
    return _back(request, post_id)


@login_required
@require_POST
def undo_repost(request, post_id: int):
    _visible_post(request, post_id)  # unseen: the 404 page, as for an unknown post (P1, B1)
    try:
        services.undo_repost(author=request.user, original=post_id)
    except Refused as exc:
        messages.error(request, exc.message)
    return _back(request, post_id)


@login_required
def edit(request, post_id: int):
    post = _visible_post(request, post_id)
    if post.author_id != request.user.pk:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.edit(editor=request.user, post_id=post_id, text=request.POST.get("text", ""))
        except Refused as exc:
            error = exc.message
        else:
            messages.success(request, EDITED)
            return redirect("post_detail", post_id=post.root_id or post.pk)
    return render(
        request, "web/feed/edit.html", {"post": post, "error": error}, status=400 if error else 200
    )


@login_required
@require_POST
def delete(request, post_id: int):
    _visible_post(request, post_id)  # unseen: the 404 page, as for an unknown post (P1, B1)
    try:
        services.delete(by=request.user, post_id=post_id)
    except Refused as exc:
        messages.error(request, exc.message)
        return _back(request, post_id)
    messages.success(request, DELETED)
    return redirect("home")


def tag_page(request, name: str):
    """F3: the hashtag's posts for anyone, with Follow."""
    tag = queries.hashtag_named(name, request.user)
    posts, below = queries.page_of(
        request.user,
        queries.tag_posts(tag),
        limit=20,
        max_id=_int(request.GET.get("max_id")),
        sight=_sight(request),
    )
    queries.decorate(request.user, posts, sight=_sight(request))
    _prime(request, posts)
    context = {
        "tag": tag,
        "posts": posts,
        "next_max_id": below,
        "following": queries.follows_hashtag(request.user, tag),
        "reactions": cards.reaction_choices(),
    }
    if request.htmx and request.GET.get("more"):
        return render(request, "web/feed/_post_list.html", context)
    return render(request, "web/feed/tag.html", context)


@login_required
@require_POST
def tag_follow(request, name: str):
    try:
        if request.POST.get("follow") == "0":
            tag = services.unfollow_hashtag(member=request.user, name=name)
        else:
            tag = services.follow_hashtag(member=request.user, name=name)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("home")
    return redirect("tag_page", name=tag.key)


@login_required
def notifications(request):
    """P5: grouped, unread first; opening the page marks everything read."""
    groups, _next = inbox.groups(request.user, limit=50, sight=_sight(request))
    groups.sort(key=lambda g: not g.unread)
    viewpoint(request).prime([a.pk for g in groups for a in g.actors[:3]])
    portability.attach_exports(request.user, [g.latest for g in groups])
    if groups:
        notices.mark_all_read(member=request.user)
    return render(request, "web/feed/notifications.html", {"groups": groups})


@login_required
def notifications_badge(request):
    """The unread count in the top bar, fetched by htmx after the page loads."""
    return render(request, "web/feed/_badge.html", {"unread": inbox.unread_count(request.user)})


@login_required
def mention_suggestions(request):
    """@mention autocomplete: search's typeahead (names and handles by prefix, accents
    folded, the viewer's connections first; members hidden by a block are left out, B1)."""
    typed = request.GET.get("q", "").lstrip("@")[:30]
    found = search_queries.typeahead(request.user, typed, view=viewpoint(request))
    return JsonResponse(
        {"members": [{"handle": p.member.username, "name": p.member.name} for p in found]}
    )


def activity(request, handle: str):
    """The profile's Activity: the member's posts and reposts the viewer may see."""
    member = network.visible_member(request.user, handle=handle).member
    rows = queries.account_posts(request.user, member, exclude_replies=True)
    limit = 3 if request.GET.get("preview") else 20
    posts, below = queries.page_of(
        request.user,
        rows,
        limit=limit,
        max_id=_int(request.GET.get("max_id")),
        sight=_sight(request),
    )
    posts = queries.filtered(request.user, "account", posts)
    queries.decorate(request.user, posts, sight=_sight(request))
    _prime(request, posts)
    context = {
        "member": member,
        "posts": posts,
        "next_max_id": below,
        "reactions": cards.reaction_choices(),
        "preview": bool(request.GET.get("preview")),
    }
    if request.htmx:
        return render(request, "web/feed/_activity.html", context)
    return render(request, "web/feed/activity.html", context)


def reactors(request, post_id: int):
    """Who reacted, with a degree badge beside each (D1)."""
    post = _visible_post(request, post_id)
    target = post.reblog if post.reblog_id else post
    rows = list(queries.reactors(request.user, target, sight=_sight(request))[:100])
    viewpoint(request).prime([r.member_id for r in rows])
    return render(request, "web/feed/reactors.html", {"post": target, "rows": rows})
