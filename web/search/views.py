"""Search results (people with filter chips, posts, hashtags: one tab each), the top bar's
typeahead, "Not now" on a suggestion.

Queries and services do the work (search.queries, search.services); this shapes pages.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from feed import queries as feed_queries
from feed.models import ReactionType
from network import queries as network
from search import queries, services
from web.network.badges import viewpoint

PAGE = 10
TABS = (
    ("people", gettext_lazy("People")),
    ("posts", gettext_lazy("Posts")),
    ("hashtags", gettext_lazy("Hashtags")),
)
TYPEAHEAD_HASHTAGS = 3
DEGREES = (("1", gettext_lazy("1st")), ("2", gettext_lazy("2nd")), ("3", gettext_lazy("3rd+")))
FILTER_LABELS = {
    "company": gettext_lazy("Current company"),
    "past_company": gettext_lazy("Past company"),
    "school": gettext_lazy("School"),
    "location": gettext_lazy("Location"),
    "industry": gettext_lazy("Industry"),
}


def _int(value, default=0) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def _url(params: dict) -> str:
    pairs = [(k, v) for k, values in params.items() for v in values if v]
    return "/search/" + (f"?{urlencode(pairs)}" if pairs else "")


def _tabs(q: str, shown: str) -> list[dict]:
    return [
        {"value": v, "label": label, "on": v == shown, "url": _url({"q": [q], "type": [v]})}
        for v, label in TABS
    ]


def _posts_tab(request, q: str, offset: int) -> dict:
    """Posts the reader may open (P1, B1: search.queries.posts), newest first."""
    sight = feed_queries.Sight(request.user)
    posts = queries.posts(request.user, q, limit=PAGE + 1, offset=offset, sight=sight)
    more, posts = len(posts) > PAGE, posts[:PAGE]
    ids = {p.author_id for p in posts} | {p.reblog.author_id for p in posts if p.reblog_id}
    viewpoint(request).prime(sorted(ids))
    params = {"q": [q], "type": ["posts"]}
    return {
        "posts": posts,
        "reactions": ReactionType.choices,
        "next_url": _url({**params, "offset": [str(offset + PAGE)]}) if more else "",
        "prev_url": _url({**params, "offset": [str(max(0, offset - PAGE))]}) if offset else "",
    }


def _hashtags_tab(q: str, offset: int) -> dict:
    tags = queries.hashtags(q, limit=PAGE + 1, offset=offset)
    more, tags = len(tags) > PAGE, tags[:PAGE]
    params = {"q": [q], "type": ["hashtags"]}
    return {
        "hashtags": tags,
        "next_url": _url({**params, "offset": [str(offset + PAGE)]}) if more else "",
        "prev_url": _url({**params, "offset": [str(max(0, offset - PAGE))]}) if offset else "",
    }


def search_page(request):
    """People search (a signed-out reader searches the public card, S1, without filters),
    or, by tab, posts and hashtags."""
    q = request.GET.get("q", "").strip()[:200]
    shown = request.GET.get("type", "people")
    shown = shown if shown in dict(TABS) else "people"
    if shown != "people":
        offset = _int(request.GET.get("offset"))
        context = {"q": q, "tab": shown, "tabs": _tabs(q, shown), "searched": bool(q)}
        if q:
            tab = _posts_tab(request, q, offset) if shown == "posts" else _hashtags_tab(q, offset)
            context.update(tab)
        return render(request, f"web/search/{shown}.html", context)
    degrees = [d for d in request.GET.getlist("degree") if d in dict(DEGREES)]
    chosen = {k: request.GET.get(k, "").strip()[:150] for k in FILTER_LABELS}
    offset = _int(request.GET.get("offset"))
    results = queries.people(
        request.user,
        q=q,
        degrees=degrees,
        offset=offset,
        limit=PAGE,
        view=viewpoint(request),
        **chosen,
    )
    view = viewpoint(request)
    rels = network.relationships(request.user, [p.member for p in results.people], view=view)
    rows = [{"person": p, "rel": r} for p, r in zip(results.people, rels, strict=True)]
    params = {"q": [q], "degree": degrees, **{k: [v] for k, v in chosen.items()}}
    degree_chips = []
    for value, label in DEGREES:
        on = value in degrees
        toggled = [d for d in degrees if d != value] if on else [*degrees, value]
        degree_chips.append(
            {"label": label, "value": value, "on": on, "url": _url({**params, "degree": toggled})}
        )
    active = [
        {"label": FILTER_LABELS[k], "value": v, "url": _url({**params, k: []})}
        for k, v in chosen.items()
        if v
    ]
    context = {
        "q": q,
        "results": results,
        "rows": rows,
        "degree_chips": degree_chips,
        "active_filters": active,
        "chosen": chosen,
        "filter_labels": FILTER_LABELS,
        "searched": bool(q or degrees or any(chosen.values())),
        "next_url": _url({**params, "offset": [str(offset + PAGE)]}) if results.has_more else "",
        "prev_url": _url({**params, "offset": [str(max(0, offset - PAGE))]}) if offset else "",
        "here": request.get_full_path(),
        "tab": "people",
        "tabs": _tabs(q, "people"),
    }
    return render(request, "web/search/results.html", context)


@login_required
def typeahead(request):
    """The top bar's suggestions as you type (htmx, debounced in the markup): people, then
    hashtags; and @mentions (people only)."""
    q = request.GET.get("q", "").strip()[:100]
    people = queries.typeahead(request.user, q, view=viewpoint(request)) if q else []
    if request.GET.get("for") == "mention":
        return render(request, "web/search/_mention_options.html", {"people": people, "q": q})
    tags = queries.hashtags(q, limit=TYPEAHEAD_HASHTAGS) if q else []
    return render(
        request, "web/search/_typeahead.html", {"people": people, "hashtags": tags, "q": q}
    )


@login_required
def suggestions(request):
    """People you may know as a fragment (the home page loads it after the feed, htmx)."""
    limit = min(max(_int(request.GET.get("limit"), 3), 1), 12)
    found = queries.suggestions(request.user, limit=limit, view=viewpoint(request))
    return render(request, "web/search/_suggestions.html", {"suggestions": found, "compact": True})


@login_required
@require_POST
def dismiss_suggestion(request, member_id: int):
    """ "Not now": gone from the list (htmx swaps the card out) and not suggested for 90 days."""
    services.dismiss_suggestion(member=request.user, dismissed_id=member_id)
    if request.htmx:
        return render(request, "web/search/_dismissed.html")
    messages.success(request, _("We won't suggest that member for a while."))
    return redirect("mynetwork")
