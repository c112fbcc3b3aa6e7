"""Reads of pages (G1–G3, F3): a page by address or account id, its admins and followers,
its people, "N of your connections work here", and the alumni tool's facets.

Every list of members leaves out those blocked either way (B1) and deactivated members; the
entities above still go through `network.queries.visible_members`. The alumni tool also
leaves out members with `discoverable` off, so they count in no facet (G3).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import connection, router
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from core import clock
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids
from graph.facets import FACET_SIZE, FACETS, FacetCounts, in_sorted
from network import queries as network
from pages import index
from pages.models import (
    PAGE_ACCOUNT_BASE,
    EducationPage,
    Page,
    PageAdmin,
    PageClaim,
    PageFollow,
    PageKind,
    PositionPage,
)

PAGE_NOT_FOUND = _("This page doesn't exist.")


# --- A page ----------------------------------------------------------------------------------


def is_page_account(account_id) -> bool:
    """Page accounts have ids from PAGE_ACCOUNT_BASE up; member ids stay below it."""
    try:
        return int(account_id) > PAGE_ACCOUNT_BASE
    except (TypeError, ValueError):
        return False


def page_with_id(pk) -> Page:
    found = Page.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound(PAGE_NOT_FOUND, rule="G1")
    return found


def page_for_account(account_id) -> Page:
    """The page behind an account id (NotFound for anything else)."""
    if not is_page_account(account_id):
        raise NotFound(PAGE_NOT_FOUND, rule="G1")
    return page_with_id(int(account_id) - PAGE_ACCOUNT_BASE)


def page_at(kind: str, slug: str) -> Page:
    found = Page.objects.filter(kind=kind, slug__iexact=slug).first()
    if found is None:
        raise NotFound(PAGE_NOT_FOUND, rule="G1")
    return found


# A page picked from the autocomplete where several pages share its name: "Name (slug)".
_PICKED = re.compile(r"^(?P<name>.+) \((?P<slug>[\w-]+)\)$")


def suggestion_value(page: Page, found: list[Page]) -> str:
    """What choosing `page` among the autocomplete's `found` puts in the field: its name,
    with its slug when another page there has the same name, so the member can tell them
    apart and the choice reaches `picked_page`."""
    shared = sum(1 for p in found if p.name_key == page.name_key) > 1
    return f"{page.name} ({page.slug})" if shared else page.name


def picked_page(kind: str, text: str) -> tuple[str, int | None]:
    """(the name, the page's id) when `text` is a page chosen as `suggestion_value` gave it;
    any other text is a name as typed, its page found later by the name (None)."""
    match = _PICKED.match(text.strip())
    if match is None:
        return text, None
    name = " ".join(match["name"].split())
    page = Page.objects.filter(kind=kind, slug__iexact=match["slug"]).first()
    if page is None or " ".join(page.name.split()) != name:
        return text, None  # "Foo (bar)" may be a company's own name
    return page.name, page.pk


def pages_by_id(ids) -> dict[int, Page]:
    return Page.objects.in_bulk(list(ids))


def pages_by_name_key(keys, *, kind: str) -> dict[str, Page]:
    """The page each folded name stands for (`pages.services.fold`), a claimed page before a
    stub, the older first: an import's company follows find their pages with it."""
    found: dict[str, Page] = {}
    rows = Page.objects.filter(kind=kind, name_key__in=list(set(keys))).order_by("-claimed", "pk")
    for page in rows:
        found.setdefault(page.name_key, page)
    return found


def pages_named(prefix: str, *, kind: str | None = None, limit: int = 8) -> list[Page]:
    """Autocomplete while editing a position or a school: claimed pages first."""
    key = " ".join(prefix.casefold().split())
    if not key:
        return []
    rows = Page.objects.filter(name_key__startswith=key)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("-claimed", "-followers_count", "name", "pk")[:limit])


# --- Admins and followers (G1, F3) ----------------------------------------------------------


def is_admin(member, page) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return PageAdmin.objects.filter(page_id=page.pk, member_id=member.pk).exists()


def admin_ids(page) -> list[int]:
    return list(
        PageAdmin.objects.filter(page_id=page.pk)
        .order_by("created_at", "pk")
        .values_list("member_id", flat=True)
    )


def pages_admined_by(member) -> list[Page]:
    if member is None or not member.is_authenticated:
        return []
    return list(Page.objects.filter(admins__member_id=member.pk).order_by("name", "pk"))


def follows(member, page) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return PageFollow.objects.filter(page_id=page.pk, member_id=member.pk).exists()


def followed_page_ids(member) -> list[int]:
    """P3: the pages whose posts reach this member's home feed."""
    if member is None or not member.is_authenticated:
        return []
    return list(PageFollow.objects.filter(member_id=member.pk).values_list("page_id", flat=True))


def page_follows_of(member) -> QuerySet:
    """The member's page follows, for a caller that reads them with its own (feed's
    sources: one statement for everything followed)."""
    return PageFollow.objects.filter(member_id=getattr(member, "pk", member))


def followed_pages(member) -> QuerySet:
    return Page.objects.filter(follows__member_id=member.pk).order_by("name", "pk")


def followers_over_time(page, *, days: int = 30) -> list[tuple]:
    """The admins' analytics: followers at the end of each of the last `days` days."""
    today = clock.now().date()
    first = today - timedelta(days=days - 1)
    before = PageFollow.objects.filter(page_id=page.pk, created_at__date__lt=first).count()
    daily = dict(
        PageFollow.objects.filter(page_id=page.pk, created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    result, total = [], before
    for n in range(days):
        day = first + timedelta(days=n)
        total += daily.get(day, 0)
        result.append((day, total))
    return result


def pending_claim(member, page) -> PageClaim | None:
    if member is None or not member.is_authenticated:
        return None
    return PageClaim.objects.filter(page_id=page.pk, member_id=member.pk, status="pending").first()


# --- People (G3) ----------------------------------------------------------------------------


def _visible_ids(viewer, rows: QuerySet) -> QuerySet:
    hidden = network.hidden_for(viewer)
    if hidden:
        rows = rows.exclude(member_id__in=hidden)
    return rows.filter(member__is_active=True)


def people_rows(page, *, current: bool | None = None) -> QuerySet:
    """Links of the page's people: positions for a company (current: open positions), school
    entries for a school (current: no end year, or one still to come)."""
    if page.kind == PageKind.COMPANY:
        rows = PositionPage.objects.filter(page_id=page.pk)
        if current is True:
            rows = rows.filter(position__ended_on__isnull=True)
        elif current is False:
            # past employees: a finished position here and no open one
            now_here = PositionPage.objects.filter(
                page_id=page.pk, position__ended_on__isnull=True
            ).values("member_id")
            rows = rows.exclude(member_id__in=now_here)
        return rows
    rows = EducationPage.objects.filter(page_id=page.pk)
    year = clock.now().year
    studying = Q(education__end_year__isnull=True) | Q(education__end_year__gt=year)
    if current is True:
        rows = rows.filter(studying)
    elif current is False:
        rows = rows.exclude(studying)
    return rows


def people(
    viewer, page, *, current: bool | None = None, limit: int = 20, max_id: int | None = None
) -> list[int]:
    """Member ids, highest first (keyset on the member id), blocks either way left out."""
    rows = _visible_ids(viewer, people_rows(page, current=current))
    if max_id is not None:
        rows = rows.filter(member_id__lt=max_id)
    return list(rows.order_by("-member_id").values_list("member_id", flat=True).distinct()[:limit])


def people_count(viewer, page, *, current: bool | None = None) -> int:
    rows = _visible_ids(viewer, people_rows(page, current=current))
    return rows.values("member_id").distinct().count()


@dataclass
class ConnectionsHere:
    count: int
    faces: list[int]  # up to `faces` member ids, for the avatars


def connections_here(viewer, page, *, faces: int = 3, view=None) -> ConnectionsHere:
    """ "N of your connections work here" (a company: open positions) or "studied here" (a
    school), all in memory: the viewer's connections from the graph index met with the
    page's members now, kept by pages' index (pages/index.py), by binary search."""
    ids = network.indexed_connections(viewer, view=view)
    if not ids.shape[0]:
        return ConnectionsHere(0, [])
    here = index.current_index().members_here(page.pk, page.kind)
    found = ids[in_sorted(ids, here)]
    return ConnectionsHere(int(found.shape[0]), [int(m) for m in found[:faces]])


def connections_here_from_tables(viewer, page, *, faces: int = 3, view=None) -> ConnectionsHere:
    """The same from the tables (one index range of the page's links among the viewer's
    connections): the reference the tests and `linkwell bench pages` hold the index to."""
    ids = network.indexed_connections(viewer, view=view).tolist()
    if not ids:
        return ConnectionsHere(0, [])
    if page.kind == PageKind.COMPANY:
        rows = PositionPage.objects.filter(
            page_id=page.pk, member_id__in=ids, position__ended_on__isnull=True
        )
    else:
        rows = EducationPage.objects.filter(page_id=page.pk, member_id__in=ids)
    found = sorted(set(rows.filter(member__is_active=True).values_list("member_id", flat=True)))
    return ConnectionsHere(len(found), found[:faces])


def position_pages(position_ids) -> dict[int, Page]:
    """Each position's page (logos beside positions on a profile), in one query."""
    ids = list(position_ids)
    rows = _POSITION_PAGES.objects(router.db_for_read(PositionPage), ids) if ids else []
    return {row.position_id: row.page for row in rows}


def education_pages(education_ids) -> dict[int, Page]:
    ids = list(education_ids)
    rows = _EDUCATION_PAGES.objects(router.db_for_read(EducationPage), ids) if ids else []
    return {row.education_id: row.page for row in rows}


# Every profile page asks both: compiled once per database (core/compiled.py).
_POSITION_PAGES = CompiledRead(
    lambda ids: PositionPage.objects.filter(position_id__among=ids).select_related("page"),
    Ids("position_ids"),
)
_EDUCATION_PAGES = CompiledRead(
    lambda ids: EducationPage.objects.filter(education_id__among=ids).select_related("page"),
    Ids("education_ids"),
)


# Asked by messaging's routes for every stranger on a relationships answer: compiled once
# (core/compiled.py), the ids one parameter.
_CURRENT_PAGES = CompiledRead(
    lambda ids: PositionPage.objects.filter(
        member_id__among=ids, position__ended_on__isnull=True
    ).values_list("member_id", "page_id"),
    Ids("member_ids"),
)


def current_page_ids(member_ids) -> dict[int, set[int]]:
    """M5: the pages each member works at now (open positions linked to a page), one query."""
    found: dict[int, set[int]] = {}
    ids = list(member_ids)
    if not ids:
        return found
    rows = _CURRENT_PAGES.rows(router.db_for_read(PositionPage), ids)
    for member_id, page_id in rows:
        found.setdefault(member_id, set()).add(page_id)
    return found


# --- The alumni tool (G3) -------------------------------------------------------------------


@dataclass
class AlumniFilters:
    start_year: int | None = None  # started at this school in or after
    end_year: int | None = None  # finished at this school in or before
    location: str = ""  # where they live (profile location)
    company: str = ""  # where they work (a current position's company)
    title: str = ""  # what they do (a current position's title)
    field: str = ""  # what they studied here

    def active(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


Alumni = FacetCounts  # total, facets {name: [(value, count)]}, member_ids


def _alumni_cte(page, filters: AlumniFilters, hidden) -> tuple[str, list]:
    """The matching school entries as SQL sets, read once: `alumni` holds each entry at this
    page that every filter leaves (member active and discoverable, blocks either way cut)
    with the member's location and the entry's field; `working` the current positions of
    those members (company, title), one index range per member."""
    where = ["ep.page_id = %s", "u.is_active", "pr.discoverable"]
    params: list = [page.pk]
    if filters.start_year is not None:
        where.append("e.start_year >= %s")
        params.append(filters.start_year)
    if filters.end_year is not None:
        where.append("e.end_year <= %s")
        params.append(filters.end_year)
    if filters.field:
        where.append("e.field_of_study = %s")
        params.append(filters.field)
    if filters.location:
        where.append("pr.location = %s")
        params.append(filters.location)
    for column, value in (("company", filters.company), ("title", filters.title)):
        if value:
            where.append(
                "EXISTS (SELECT 1 FROM profiles_position p WHERE p.member_id = ep.member_id"
                f" AND p.ended_on IS NULL AND p.{column} = %s)"
            )
            params.append(value)
    if hidden:
        where.append(f"ep.member_id NOT IN ({', '.join(['%s'] * len(hidden))})")
        params.extend(sorted(hidden))
    sql = (
        "alumni AS (SELECT ep.member_id AS member_id, pr.location AS location,"
        " e.field_of_study AS field FROM pages_educationpage ep"
        " JOIN profiles_education e ON e.id = ep.education_id"
        " JOIN profiles_profile pr ON pr.member_id = ep.member_id"
        " JOIN accounts_user u ON u.id = ep.member_id"
        f" WHERE {' AND '.join(where)}),"
        " working AS (SELECT DISTINCT p.member_id AS member_id, p.company AS company,"
        " p.title AS title FROM (SELECT DISTINCT member_id FROM alumni) a"
        " JOIN profiles_position p ON p.member_id = a.member_id AND p.ended_on IS NULL)"
    )
    return sql, params


FACET_SOURCES = {
    "location": ("alumni", "location"),
    "company": ("working", "company"),
    "title": ("working", "title"),
    "field": ("alumni", "field"),
}


def _facet_sql(name: str) -> str:
    """One facet's top values among the matching alumni, each member counted once a value."""
    source, column = FACET_SOURCES[name]
    body = (
        f"SELECT {column} AS value, COUNT(DISTINCT member_id) AS n FROM {source}"
        f" WHERE {column} <> '' GROUP BY {column}"
    )
    return (
        f"SELECT '{name}', value, n FROM ({body} ORDER BY n DESC, value LIMIT {FACET_SIZE})"
        f" AS facet_{name}"
    )


def alumni(
    viewer, page, filters: AlumniFilters | None = None, *, limit: int = 20, offset: int = 0
) -> Alumni:
    """G3: the total, the top 10 of each facet with counts (all computed on the set the
    filters leave, so each filter narrows every other facet; "what they studied" counts the
    entries the filters leave), and a page of member ids, from the school's columns in
    pages' index: numpy passes over one school's rows, no join (docs/pages.md)."""
    filters = filters or AlumniFilters()
    hidden = np.array(sorted(network.hidden_for(viewer)), dtype=np.int64)
    return index.current_index().alumni(
        page.pk, hidden=hidden, size=FACET_SIZE, limit=limit, offset=offset, **filters.__dict__
    )


def alumni_from_tables(
    viewer, page, filters: AlumniFilters | None = None, *, limit: int = 20, offset: int = 0
) -> Alumni:
    """The same answer from the tables, two statements whatever the school's size: the
    reference the tests and `linkwell bench pages` hold the index to (its plan and figures:
    docs/benchmarks.md, "Pages")."""
    filters = filters or AlumniFilters()
    cte, params = _alumni_cte(page, filters, network.hidden_for(viewer))
    parts = ["SELECT 'total', NULL, COUNT(DISTINCT member_id) FROM alumni"]
    parts.extend(_facet_sql(name) for name in FACETS)
    result = Alumni(total=0, facets={name: [] for name in FACETS})
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {cte} " + " UNION ALL ".join(parts), params)
        for name, value, n in cursor.fetchall():
            if name == "total":
                result.total = int(n)
            else:
                result.facets[name].append((value, int(n)))
        cursor.execute(
            f"WITH {cte} SELECT DISTINCT member_id FROM alumni"
            " ORDER BY member_id DESC LIMIT %s OFFSET %s",
            [*params, limit, max(offset, 0)],
        )
        result.member_ids = [row[0] for row in cursor.fetchall()]
    for values in result.facets.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return result
