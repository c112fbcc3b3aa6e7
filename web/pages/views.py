"""Company and school pages: /company/<slug>/ and /school/<slug>/ with their tabs, follow,
posting as the page, the admins' analytics, creating and claiming. pages.services and
pages.queries do the work; visibility of members and posts goes through their doors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import queries as accounts_queries
from core.errors import Forbidden, Refused
from feed import queries as feed_queries
from feed import services as feed_services
from feed.models import ReactionType
from network import queries as network
from pages import queries, services
from pages.models import PageKind
from web.network.badges import viewpoint
from web.pages.forms import NewPageForm, PageForm

PAGE_CREATED = _("Your page was created.")
PAGE_SAVED = _("The page was saved.")
POSTED_AS_PAGE = _("Posted as %(name)s.")
CLAIM_APPROVED = _("You are now an admin of this page.")
CLAIM_WAITING = _("Your claim waits for a site administrator.")
ADMIN_ADDED = _("%(name)s is now an admin.")
ADMIN_REMOVED = _("The admin was removed.")
PEOPLE_PAGE = 20


def _page(kind: str, slug: str):
    return queries.page_at(kind, slug)


def _people(request, ids) -> list:
    """Members as this viewer may see them (B1), in order."""
    return network.visible_members(request.user, ids, view=viewpoint(request))


def _context(request, page, tab: str) -> dict:
    viewer = request.user if request.user.is_authenticated else None
    here = queries.connections_here(viewer, page, view=viewpoint(request)) if viewer else None
    return {
        "page": page,
        "tab": tab,
        "is_admin": queries.is_admin(viewer, page),
        "following": queries.follows(viewer, page),
        "here": here,
        "here_faces": _people(request, here.faces) if here else [],
        "people_tab": "page_alumni" if page.kind == PageKind.SCHOOL else "page_people",
        "pending_claim": queries.pending_claim(viewer, page),
        "admins_count": len(queries.admin_ids(page)),
    }


def _posts(request, page, limit: int = 10):
    rows = feed_queries.page_posts(page)
    before = request.GET.get("max_id")
    posts, _below = feed_queries.page_of(
        request.user, rows, limit=limit, max_id=int(before) if str(before).isdigit() else None
    )
    feed_queries.decorate(request.user, posts)
    return posts


def page_home(request, kind: str, slug: str):
    page = _page(kind, slug)
    context = _context(request, page, "home")
    context["posts"] = _posts(request, page, limit=3)
    context["reactions"] = ReactionType.choices
    return render(request, "web/pages/home.html", context)


def page_about(request, kind: str, slug: str):
    page = _page(kind, slug)
    return render(request, "web/pages/about.html", _context(request, page, "about"))


def page_posts(request, kind: str, slug: str):
    page = _page(kind, slug)
    context = _context(request, page, "posts")
    context["posts"] = _posts(request, page, limit=20)
    context["reactions"] = ReactionType.choices
    return render(request, "web/pages/posts.html", context)


def _current(request) -> bool | None:
    value = request.GET.get("current", "")
    return {"true": True, "false": False}.get(value)


def page_people(request, kind: str, slug: str):
    """G3, B1: employees (current or past) or students and alumni, blocks cut both ways."""
    page = _page(kind, slug)
    if page.kind == PageKind.SCHOOL and request.GET.get("current") is None:
        return redirect("page_alumni", kind=kind, slug=slug)
    current = _current(request)
    context = _context(request, page, "people")
    raw = request.GET.get("max_id", "")
    ids = queries.people(
        request.user,
        page,
        current=current,
        limit=PEOPLE_PAGE,
        max_id=int(raw) if raw.isdigit() else None,
    )
    context.update(
        {
            "people": _people(request, ids),
            "current": request.GET.get("current", ""),
            "count": queries.people_count(request.user, page, current=current),
            "next_max": ids[-1] if len(ids) == PEOPLE_PAGE else None,
        }
    )
    return render(request, "web/pages/people.html", context)


def _year(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


FACET_LABELS = {
    "location": _("Where they live"),
    "company": _("Where they work"),
    "title": _("What they do"),
    "field": _("What they studied"),
}


def page_alumni(request, kind: str, slug: str):
    """G3: the alumni tool, each facet a list of links that add its filter."""
    page = _page(kind, slug)
    if page.kind != PageKind.SCHOOL:
        return redirect("page_people", kind=kind, slug=slug)
    chosen = {name: request.GET.get(name, "").strip()[:150] for name in FACET_LABELS}
    start, end = _year(request.GET.get("start_year")), _year(request.GET.get("end_year"))
    filters = queries.AlumniFilters(start_year=start, end_year=end, **chosen)
    offset = request.GET.get("offset", "")
    found = queries.alumni(
        request.user,
        page,
        filters,
        limit=PEOPLE_PAGE,
        offset=int(offset) if offset.isdigit() else 0,
    )
    base = {
        k: v for k, v in {**chosen, "start_year": start or "", "end_year": end or ""}.items() if v
    }
    facets = []
    for name, label in FACET_LABELS.items():
        values = []
        for value, count in found.facets[name]:
            on = chosen[name] == value
            params = {k: v for k, v in base.items() if k != name}
            if not on:
                params[name] = value
            values.append(
                {"value": value, "count": count, "on": on, "url": "?" + urlencode(params)}
            )
        facets.append({"name": name, "label": label, "values": values})
    context = _context(request, page, "alumni")
    context.update(
        {
            "found": found,
            "facets": facets,
            "people": _people(request, found.member_ids),
            "start_year": start or "",
            "end_year": end or "",
            "chosen": {k: v for k, v in chosen.items() if v},
        }
    )
    template = "web/pages/_alumni_results.html" if request.htmx else "web/pages/alumni.html"
    return render(request, template, context)


@login_required
@require_POST
def follow(request, kind: str, slug: str):
    page = _page(kind, slug)
    services.follow_page(member=request.user, page=page)
    return redirect(request.POST["next"] if _safe(request) else page.path)


@login_required
@require_POST
def unfollow(request, kind: str, slug: str):
    page = _page(kind, slug)
    services.unfollow_page(member=request.user, page=page)
    return redirect(page.path)


def _safe(request) -> bool:
    target = request.POST.get("next") or ""
    return target.startswith("/") and not target.startswith("//")


@login_required
@require_POST
def post_as_page(request, kind: str, slug: str):
    """G1: the admin's "Post as" the page; anyone else is refused by the service."""
    page = _page(kind, slug)
    try:
        feed_services.publish(
            author=request.user,
            text=request.POST.get("text", ""),
            page_id=page.pk,
            idempotency_key=request.POST.get("key", ""),
        )
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, POSTED_AS_PAGE % {"name": page.name})
    return redirect(page.path)


def suggest(request):
    """Autocomplete while editing a position or a school: a <datalist> of page names."""
    kind = request.GET.get("kind", "")
    q = (
        request.GET.get("q")
        or request.GET.get("position-company")
        or request.GET.get("education-school", "")
    )
    found = queries.pages_named(q[:150], kind=kind if kind in PageKind.values else None)
    pages = [(p, queries.suggestion_value(p, found)) for p in found]
    return render(request, "web/pages/_suggest.html", {"pages": pages})


@login_required
def new_page(request):
    """G1: the member who creates a page is its first admin."""
    form = NewPageForm(request.POST or None, request.FILES or None, initial={"kind": "company"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo, cover = data.pop("logo", None), data.pop("cover", None)
        try:
            page = services.create_page(by=request.user, **data)
            if logo or cover:
                services.set_images(by=request.user, page=page, logo=logo, cover=cover)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, PAGE_CREATED)
            return redirect(page.path)
    return render(request, "web/pages/new.html", {"form": form}, status=400 if form.errors else 200)


def _admin_page(request, kind, slug):
    """G1: the page's admins only; anyone else gets the 403 page with the reason."""
    page = _page(kind, slug)
    try:
        services.require_admin(page, request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    return page


@login_required
def edit(request, kind: str, slug: str):
    page = _admin_page(request, kind, slug)
    fields = (
        "name",
        "tagline",
        "website",
        "industry",
        "size_band",
        "headquarters",
        "locations",
        "about",
    )
    form = PageForm(
        request.POST or None,
        request.FILES or None,
        initial={name: getattr(page, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo, cover = data.pop("logo", None), data.pop("cover", None)
        try:
            services.update_page(by=request.user, page=page, **data)
            if logo or cover:
                services.set_images(by=request.user, page=page, logo=logo, cover=cover)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, PAGE_SAVED)
            return redirect(page.path)
    context = _context(request, page, "edit")
    context["form"] = form
    return render(request, "web/pages/edit.html", context, status=400 if form.errors else 200)


@login_required
def admin(request, kind: str, slug: str):
    """The admins' analytics (followers over 30 days, posts and their impressions) and the
    list of admins."""
    page = _admin_page(request, kind, slug)
    context = _context(request, page, "admin")
    days = queries.followers_over_time(page)
    top = max((n for _, n in days), default=0) or 1
    context.update(
        {
            "days": [
                {"day": d, "followers": n, "bucket": round(10 * n / top) * 10} for d, n in days
            ],
            "figures": feed_queries.page_post_figures(page),
            "admins": _people(request, queries.admin_ids(page)),
        }
    )
    return render(request, "web/pages/admin.html", context)


@login_required
@require_POST
def add_admin(request, kind: str, slug: str):
    page = _admin_page(request, kind, slug)
    handle = request.POST.get("handle", "").strip().lstrip("@")
    try:
        member = network.visible_member(request.user, handle=handle).member
        services.add_admin(by=request.user, page=page, member=member)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ADMIN_ADDED % {"name": member.name})
    return redirect("page_admin", kind=kind, slug=slug)


@login_required
@require_POST
def remove_admin(request, kind: str, slug: str, member_id: str):
    page = _admin_page(request, kind, slug)
    try:
        member = accounts_queries.active_member(pk=int(member_id))
        services.remove_admin(by=request.user, page=page, member=member)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("page_admin", kind=kind, slug=slug)
    messages.success(request, ADMIN_REMOVED)
    if not queries.is_admin(request.user, page):
        return redirect(page.path)
    return redirect("page_admin", kind=kind, slug=slug)


@login_required
@require_POST
def claim(request, kind: str, slug: str):
    page = _page(kind, slug)
    try:
        found = services.claim_page(by=request.user, page=page, note=request.POST.get("note", ""))
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, CLAIM_APPROVED if found.status == "approved" else CLAIM_WAITING)
    return redirect(page.path)
