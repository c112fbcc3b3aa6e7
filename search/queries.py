"""Finding people, posts and hashtags: search with filters, the top bar's typeahead, People
You May Know.

Every member returned comes through `network.queries.visible_members` (B1: blocked either
way never appears; S1: a signed-out reader gets the public card and searches only what it
shows). Degrees, mutuals and suggestions come from the graph index through `Closeness`
(D1, D2, D4, and S5: never through a connection who hides their list).
Every post returned comes through `feed.queries.visible_posts` (P1, B1/D4, mutes), after the
SQL itself left out what the viewer may not open. Ranking, S5 and the bounds are written down
in docs/search.md.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db import connection, router
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import queries as accounts_queries
from core import clock
from core.compiled import CompiledRead
from core.lookups import Ids
from feed import queries as feed_queries
from network import queries as network
from network.queries import Viewpoint
from profiles.models import PrimaryAction
from profiles.queries import ProfileView
from relationships import queries as relationships
from search import fulltext
from search.fulltext import Audience, Filters, Scope, fold
from search.models import (
    DISMISS_DAYS,
    PUBLIC_FACETS,
    FacetKind,
    HashtagDocument,
    MemberFacet,
    SuggestionDismissal,
)

CANDIDATES = 1000  # a search ranks at most this many matches (LinkedIn shows 1,000 too)
MAX_PAGE = 40
DEGREE_IDS_MAX = 2000  # a 2nd-degree set up to this size is read by id
STRANGERS = 100  # beyond the network, a text search ranks at least this many other matches
CLOSENESS = {1: 1.5, 2: 1.25, 3: 1.1, None: 1.0}  # relevance x closeness (docs/search.md)
TYPEAHEAD_LIMIT = 8
TYPEAHEAD_CANDIDATES = 50
MUTUAL_NAMES = 2
FILTERS = ("company", "past_company", "school", "location", "industry")


@dataclass
class Person:
    """One member in a list: what the viewer may see, the badge and the mutuals (D1, D2)."""

    view: ProfileView
    degree: int | None = None
    mutual_count: int = 0
    mutual_names: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def member(self):
        return self.view.member


@dataclass
class Results:
    people: list[Person]
    total: int  # matches among the ranked candidates (at most CANDIDATES)
    offset: int
    limit: int
    approximate: bool = False  # names close to a misspelt query, not matches

    @property
    def has_more(self) -> bool:
        return self.offset + self.limit < self.total


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


class Closeness:
    """The graph as search may show it (S5, D4): the index asked with the blocked members
    and, as intermediaries, the viewer's connections who hide their list removed, so no
    degree, filter, mutual or suggestion rests on a hidden list (docs/search.md). Those
    connections are still 1st degree themselves. One statement (the Viewpoint's blocks and
    hidden lists, `Viewpoint.hiding_connections`), once per request."""

    def __init__(self, viewer, view: Viewpoint):
        self.viewer = viewer if _signed_in(viewer) else None
        self.view = view
        self._mine = None
        self._masked = None
        self._degrees: dict[int, int | None] = {}

    @property
    def index(self):
        return self.view.index

    @property
    def hidden(self) -> frozenset[int]:
        """D4: blocked either way (the Viewpoint's), read with S5's hidden lists."""
        self.view.hiding_connections()  # one statement for both when neither was read
        return self.view.hidden

    @property
    def mine(self) -> frozenset[int]:
        """The viewer's connections (not blocked)."""
        if self._mine is None:
            hidden = self.hidden
            ids = self.index.connections_of(self.viewer.pk) if self.viewer else []
            self._mine = frozenset(int(i) for i in ids if int(i) not in hidden)
        return self._mine

    @property
    def masked(self) -> frozenset[int]:
        if self._masked is None:
            self._masked = self.hidden | self.view.hiding_connections()
        return self._masked

    def prime(self, ids) -> None:
        if self.viewer is None:
            return
        missing = [i for i in ids if i not in self._degrees]
        if missing:
            found = self.index.degrees(self.viewer.pk, missing, hidden=self.masked)
            for member_id, degree in zip(missing, found, strict=True):
                self._degrees[member_id] = 1 if member_id in self.mine else (degree or None)

    def degree(self, member_id: int) -> int | None:
        found = self._degrees.get(member_id, 0)  # primed: a search asks it a thousand times
        if found != 0:
            return found
        if self.viewer is None or member_id == self.viewer.pk:
            return None
        self.prime([member_id])
        return self._degrees[member_id]

    def mutuals(self, member_id: int, *, limit: int) -> tuple[int, list[int]]:
        if self.viewer is None or member_id == self.viewer.pk:
            return 0, []
        me, masked = self.viewer.pk, self.masked
        count = self.index.mutual_count(me, member_id, hidden=masked)
        return count, self.index.mutuals(me, member_id, limit=limit, hidden=masked)

    def second_degree_count(self) -> int:
        return self.index.second_degree_count(self.viewer.pk, hidden=self.masked)

    def suggestions(self, k: int) -> list[tuple[int, int]]:
        return self.index.suggestions(self.viewer.pk, k=k, hidden=self.masked)


def _degree_order(degree: int | None) -> int:
    return degree if degree else 4


def _with_mutuals(viewer, people: list[Person], close: Closeness) -> list[Person]:
    """D2 for a page: counts from the index, the first names as plain rows (the ids come
    from the index with blocks and hidden lists removed, so they are B1's and S5's already;
    only deactivated members drop here)."""
    if not _signed_in(viewer):
        return people
    firsts = {}
    for person in people:
        if person.degree is not None:
            count, ids = close.mutuals(person.member.pk, limit=MUTUAL_NAMES)
            person.mutual_count = count
            firsts[person.member.pk] = ids
    wanted = {i for ids in firsts.values() for i in ids}
    names = accounts_queries.active_names(wanted) if wanted else {}
    for person in people:
        person.mutual_names = [names[i] for i in firsts.get(person.member.pk, []) if i in names]
    return people


def _facets(viewer, chosen: dict) -> tuple[tuple[str, str], ...]:
    """S1: a signed-out reader filters only on what the public card shows."""
    allowed = FILTERS if _signed_in(viewer) else tuple(k.value for k in PUBLIC_FACETS)
    picked = []
    for kind in FILTERS:
        value = fold(" ".join((chosen.get(kind) or "").split()))
        if value and kind in allowed:
            picked.append((kind, value))
    return tuple(picked)


def _second_degree(close: Closeness) -> list[int] | None:
    """The viewer's 2nd degree (S5's), when small enough to read by id; None when larger."""
    if close.second_degree_count() > DEGREE_IDS_MAX:
        return None
    return [i for i, _count in close.suggestions(DEGREE_IDS_MAX)]


def _degree_ids(degrees: set[int], close: Closeness) -> list[int] | None:
    """The ids a 1st (and 2nd) degree filter allows, when small enough to hand to SQL."""
    if not degrees or 3 in degrees:
        return None
    ids = sorted(close.mine) if 1 in degrees else []
    if 2 in degrees:
        second = _second_degree(close)
        if second is None:
            return None
        ids += second
    return ids


def _narrowing(wanted: set[int], facets, close: Closeness) -> Filters:
    """The filters as SQL narrowing: the facets, and a degree's ids when small enough."""
    return Filters(ids=_degree_ids(wanted, close) if wanted else None, facets=facets)


def _network(degrees: set[int], close: Closeness) -> tuple[list[int], list[int], bool]:
    """For a text search: the network members read by id (the 1st degree; the 2nd too when
    a filter asks for it and it has DEGREE_IDS_MAX or fewer members), the ids left out of
    the read of everyone else, and whether that read is needed at all."""
    if close.viewer is None:
        return [], [], True
    first = sorted(close.mine)
    read = first if not degrees or 1 in degrees else []
    if degrees and 2 in degrees and 3 not in degrees:
        second = _second_degree(close)
        if second is not None:
            return read + second, [], False
        return read, read, True  # too large to read by id: the 2nd degree among everyone
    return read, first, not degrees or 3 in degrees


def _matches(q, *, scope, wanted, facets, offset, limit, close) -> list[tuple[int, float]]:
    """A text search's candidates: every match among the viewer's connections (and a
    filtered 2nd degree), read by id, and the first STRANGERS (or offset + limit + 1, up to
    CANDIDATES) other matches tier by tier in the engine's order: no read grows with how
    many members match (docs/search.md, "How a search reads")."""
    read, without, others_too = _network(wanted, close)
    found = fulltext.match_among(q, scope=scope, ids=read, filters=Filters(facets=facets))
    if not others_too:
        return found
    others = min(CANDIDATES, max(STRANGERS, offset + limit + 1))
    if wanted and 3 not in wanted:  # a 2nd degree too large to read by id: as before
        others = CANDIDATES
    rest = Filters(facets=facets, without=without)
    return found + fulltext.match(q, scope=scope, limit=others, filters=rest)


def people(
    viewer,
    *,
    q: str = "",
    degrees=(),
    offset: int = 0,
    limit: int = 10,
    view: Viewpoint | None = None,
    handle: str | None = None,
    **chosen,
) -> Results:
    """People search: every term of `q` as a prefix of a word of the profile (a signed-out
    reader: of the public card), narrowed by the filters (`degrees` among 1, 2, 3 where 3
    means 3rd and beyond; company, past_company, school, location, industry), ordered by
    relevance x closeness, then degree, then id. Bounded: offset + limit <= CANDIDATES.
    `handle`: a handle the query names exactly ("@ana", an acct): that member comes first."""
    view = view or Viewpoint(viewer)
    close = Closeness(viewer, view)
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, min(int(offset), CANDIDATES - limit))
    signed_in = _signed_in(viewer)
    wanted = {int(d) for d in degrees if int(d) in (1, 2, 3)} if signed_in else set()
    facets = _facets(viewer, chosen)
    if not fulltext.terms(q) and not facets and not wanted:
        return Results([], 0, offset, limit)
    scope = Scope.ALL if signed_in else Scope.CARD
    approximate = False
    if not fulltext.terms(q):  # filters alone: the degree's ids narrow the SQL itself
        found = fulltext.match(
            q, scope=scope, limit=CANDIDATES, filters=_narrowing(wanted, facets, close)
        )
    else:
        found = _matches(
            q, scope=scope, wanted=wanted, facets=facets, offset=offset, limit=limit, close=close
        )
        if not found:  # "did you mean": names alike, under the same filters
            narrowing = _narrowing(wanted, facets, close)
            found = fulltext.similar_names(q, limit=CANDIDATES, filters=narrowing)
            approximate = True
    hidden = close.hidden
    exact = accounts_queries.id_with_handle(handle) if handle else None
    if exact is not None:
        top = max((score for _i, score in found), default=1.0) * 10
        found = [(exact, top)] + [(i, score) for i, score in found if i != exact]
    found = [(i, score) for i, score in found if i not in hidden]
    close.prime([i for i, _ in found])
    ranked = []
    for member_id, score in found:
        degree = close.degree(member_id)
        if wanted and (3 if degree in (3, None) else degree) not in wanted:
            continue
        relevance = max(score, 0.0) * CLOSENESS[degree]
        ranked.append((-relevance, _degree_order(degree), member_id, degree, relevance))
    ranked.sort()
    page = ranked[offset : offset + limit]
    views = {
        v.member.pk: v for v in network.visible_members(viewer, [r[2] for r in page], view=view)
    }
    persons = [Person(views[r[2]], degree=r[3], score=r[4]) for r in page if r[2] in views]
    return Results(_with_mutuals(viewer, persons, close), len(ranked), offset, limit, approximate)


def typeahead(viewer, q: str, *, limit: int = TYPEAHEAD_LIMIT, view=None) -> list[Person]:
    """The top bar and @mentions: names and handles starting with what was typed, the
    viewer's 1st degree first (all of them are looked at), then 2nd, 3rd and everyone among
    TYPEAHEAD_CANDIDATES other matches; within a degree by folded name. Only the members
    shown are loaded."""
    if not fulltext.terms(q):
        return []
    view = view or Viewpoint(viewer)
    close = Closeness(viewer, view)
    limit = max(1, min(int(limit), 20))
    mine, others = fulltext.typeahead_names(q, sorted(close.mine), limit=TYPEAHEAD_CANDIDATES)
    found = dict(mine)
    for member_id, name in others:
        found.setdefault(member_id, name)
    me = viewer.pk if _signed_in(viewer) else None
    ids = [i for i in found if i != me and i not in close.hidden]
    close.prime(ids)
    ids.sort(key=lambda i: (_degree_order(close.degree(i)), found[i], i))
    shown = network.visible_members(viewer, ids[: limit + 4], view=view)  # + a few inactive
    return [Person(v, degree=close.degree(v.member.pk)) for v in shown][:limit]


POSTS_MAX_OFFSET = 1000  # like people, post search pages through at most this many


def posts(
    viewer,
    q: str,
    *,
    limit: int = 20,
    offset: int = 0,
    author_id: int | None = None,
    sight: feed_queries.Sight | None = None,
) -> list:
    """Posts matching every term of `q` as a prefix, newest first, decorated for display.
    P1 and B1/D4 are asked twice: in the SQL (`connections` posts only of the viewer and
    their connections, nothing by a member hidden either way or muted), then through the
    door, which has the last word on every post shown."""
    sight = sight or feed_queries.Sight(viewer)
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, min(int(offset), POSTS_MAX_OFFSET))
    if not fulltext.post_terms(q):
        return []
    me = sight.me
    audience = Audience(
        mine=[me, *network.connection_id_list(me)] if me else None,
        hidden=sorted(sight.unseen),
        author=author_id,
    )
    ids = fulltext.match_posts(q, audience=audience, limit=limit, offset=offset)
    if not ids:
        return []
    rows = feed_queries.with_context(feed_queries.posts_by_id(ids)).in_bulk(ids)
    found = feed_queries.visible_posts(viewer, [rows[i] for i in ids if i in rows], sight=sight)
    return feed_queries.decorate(viewer, found, sight=sight)


def hashtag_terms(q: str) -> str:
    """The folded tag a query names ("#Café" and "cafe" are one), or "" when it names none."""
    name = fold(q.strip().lstrip("#"))
    return name if re.fullmatch(r"\w{1,100}", name) else ""


def hashtags(q: str, *, limit: int = 10, offset: int = 0) -> list:
    """Hashtags whose folded name starts with the query, the most used first (uses: posts
    anyone may see carrying the tag). Tags carried only by `connections` posts are never
    found (search.models.HashtagDocument)."""
    name = hashtag_terms(q)
    if not name:
        return []
    limit = max(1, min(int(limit), MAX_PAGE))
    rows = (
        HashtagDocument.objects.filter(name__startswith=name)
        .select_related("hashtag")
        .order_by("-uses", "name")[offset : offset + limit]
    )
    found = []
    for row in rows:
        row.hashtag.uses = row.uses
        found.append(row.hashtag)
    return found


# --- People You May Know ------------------------------------------------------------------


@dataclass
class Suggestion:
    person: Person
    reasons: list[str]
    sources: list[str]  # Mastodon's Suggestion sources
    action: str  # connect or follow (S2)


SHARED_KINDS = (FacetKind.COMPANY, FacetKind.PAST_COMPANY, FacetKind.SCHOOL, FacetKind.LOCATION)
PER_VALUE = 50  # members read per shared company, school or place
MAX_VALUES = 8  # the viewer's shared values looked at (companies count twice: now and past)


def dismissal_cutoff():
    return clock.now() - timedelta(days=DISMISS_DAYS)


def dismissed_ids(viewer) -> set[int]:
    return set(
        SuggestionDismissal.objects.filter(
            member=viewer, dismissed_at__gte=dismissal_cutoff()
        ).values_list("dismissed_id", flat=True)
    )


def _reason(kind: str, label: str, mine: set[tuple[str, str]], value: str) -> str:
    if kind == FacetKind.SCHOOL:
        return _("Studied at %(school)s") % {"school": label}
    if kind == FacetKind.LOCATION:
        return _("Also in %(place)s") % {"place": label}
    if kind == FacetKind.COMPANY and (FacetKind.COMPANY.value, value) in mine:
        return _("Also works at %(company)s") % {"company": label}
    return _("Also worked at %(company)s") % {"company": label}


_SHARED_FACETS = CompiledRead(  # every suggestions call: compiled once per database
    lambda ids: MemberFacet.objects.filter(member_id__among=ids, kind__in=SHARED_KINDS).values_list(
        "member_id", "kind", "value", "label"
    ),
    Ids("member_ids"),
    constants=True,
)


def _facets_of(viewer, candidate_ids) -> tuple[list[tuple[str, str]], dict[int, list[tuple]]]:
    """The viewer's shared-kind facets (kind, value) in SHARED_KINDS order, and the
    candidates' ones as {id: [(kind, value, label)]}: one index read of (member, kind)."""
    rows = _SHARED_FACETS.rows(router.db_for_read(MemberFacet), [viewer.pk, *candidate_ids])
    mine, theirs = [], {}
    for member_id, kind, value, label in rows:
        if member_id == viewer.pk:
            mine.append((kind, value))
        else:
            theirs.setdefault(member_id, []).append((kind, value, label))
    mine.sort(key=lambda pair: (SHARED_KINDS.index(pair[0]), pair[1]))
    return mine, theirs


def _shared_pairs(mine: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (kind, value) facets of others that share one of the viewer's: a company counts
    now and past either way."""
    pairs = []
    for kind, value in mine:
        if kind in (FacetKind.COMPANY, FacetKind.PAST_COMPANY):
            pairs += [(FacetKind.COMPANY.value, value), (FacetKind.PAST_COMPANY.value, value)]
        else:
            pairs.append((kind, value))
    return list(dict.fromkeys(pairs))


class _Reasons:
    """The shared-facet reasons of candidates, each sentence made once per (kind, value)
    (it was gettext per row: 250 rows, a tenth of the call under cProfile at 100k members)."""

    def __init__(self, mine: list[tuple[str, str]]):
        self.mine = set(mine)
        self.wanted = set(_shared_pairs(mine))
        self.made: dict[tuple[str, str, str], str] = {}
        self.found: dict[int, list[tuple[str, str]]] = {}

    def add(self, member_id: int, kind: str, value: str, label: str) -> None:
        if (kind, value) not in self.wanted:
            return
        key = (kind, value, label)
        if key not in self.made:
            self.made[key] = _reason(kind, label, self.mine, value)
        reason = self.made[key]
        reasons = self.found.setdefault(member_id, [])
        if reason not in [r for r, _k in reasons]:
            reasons.append((reason, kind))


def _shared(viewer, reasons: _Reasons, excluded: set[int]) -> None:
    """Members sharing a company (current or past), a school or a place with the viewer:
    one index range of (kind, value, member) per shared value, at most PER_VALUE members
    each, for the viewer's first MAX_VALUES values (one query over several values made
    PostgreSQL walk the whole kind: 52 ms at 100k members)."""
    ranges = [
        MemberFacet.objects.filter(kind=kind, value=value)
        .exclude(member_id__in=excluded | {viewer.pk})
        .order_by("member_id")
        .values_list("member_id", "label", "kind", "value")[:PER_VALUE]
        for kind, value in _shared_pairs(sorted(reasons.mine, key=_kind_order))[:MAX_VALUES]
    ]
    for member_id, label, kind, value in _each_range(ranges):
        reasons.add(member_id, kind, value, label)


def _kind_order(pair: tuple[str, str]) -> tuple[int, str]:
    return SHARED_KINDS.index(pair[0]), pair[1]


CLOSEST_COUNTED = 10  # A4: the viewer's closest connections whose contacts rank higher
CLOSEST_WEIGHT = 2  # each of them connected to a candidate counts as two mutuals


def _closest_first(viewer, graph: list[tuple[int, int]], close: Closeness) -> list[tuple[int, int]]:
    """A4: people your closest connections know come first: a candidate's mutual count plus
    CLOSEST_WEIGHT for each of the viewer's CLOSEST_COUNTED strongest ties connected to them
    (the kept strength, one query; who they know, from the graph index). Only a tie who is
    the viewer's connection may see their list: one merely followed (S5 keeps their list to
    their connections), one who hides it, or one blocked either way counts for no one."""
    if not graph:
        return graph
    closest = [
        c
        for c in relationships.closest_ids(viewer, limit=CLOSEST_COUNTED)
        if c in close.mine and c not in close.masked
    ]
    if not closest:
        return graph
    candidates = np.fromiter((i for i, _ in graph), dtype=np.int64, count=len(graph))
    known = np.zeros(len(graph), dtype=np.int64)
    for c in closest:
        known += np.isin(candidates, close.index.connections_of(c))
    ranked = sorted(
        range(len(graph)), key=lambda e: (-(graph[e][1] + CLOSEST_WEIGHT * int(known[e])), e)
    )
    return [graph[e] for e in ranked]


def _each_range(ranges) -> list[tuple]:
    """The rows of several small index-range reads in one statement (UNION ALL of each,
    still one range scan apiece): My Network read up to MAX_VALUES statements here, one per
    shared value, so its query count followed the viewer's profile."""
    if not ranges:
        return []
    parts, params = [], []
    for n, rows in enumerate(ranges):
        sql, part_params = rows.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS shared_{n}")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


SHOWN_SLACK = 4  # members loaded beyond those shown, for the deactivated among them


def suggestions(viewer, *, limit: int = 20, view: Viewpoint | None = None) -> list[Suggestion]:
    """People You May Know: 2nd-degree members with the most mutual connections first (the
    graph index), then members sharing a company, school or place; never a member already
    connected, invited either way, blocked either way (D4), dismissed in the last
    DISMISS_DAYS, or followed when they are to be followed (S2). Only the members that may
    be shown are loaded (docs/search.md, "People You May Know": the reads and their cost)."""
    if not _signed_in(viewer):
        return []
    view = view or Viewpoint(viewer)
    close = Closeness(viewer, view)
    limit = max(1, min(int(limit), 80))
    invited, followed = network.invited_and_followed(viewer)
    excluded = dismissed_ids(viewer) | invited | set(close.hidden)
    graph = [(i, c) for i, c in close.suggestions(limit * 2 + len(excluded)) if i not in excluded]
    graph = _closest_first(viewer, graph, close)[: limit * 2]
    counts = dict(graph)
    mine, theirs = _facets_of(viewer, counts)
    reasons = _Reasons(mine)
    for member_id, rows in theirs.items():
        for kind, value, label in rows:
            reasons.add(member_id, kind, value, label)
    if len(graph) < limit * 2 and mine:  # too few from the graph: the shared values' members
        _shared(viewer, reasons, excluded)
    shared = reasons.found
    order = [i for i, _ in graph] + sorted(
        (i for i in shared if i not in counts), key=lambda i: (-len(shared[i]), i)
    )
    order = [i for i in order if i not in close.mine][: limit * 2]
    wanted = order[: limit + len(followed.intersection(order)) + SHOWN_SLACK]  # S2 may drop some
    close.prime(wanted)
    found = []
    for v in network.visible_members(viewer, wanted, view=view):
        member_id = v.member.pk
        action = v.member.profile.primary_action
        if action == PrimaryAction.FOLLOW and member_id in followed:
            continue
        why, sources = [], []
        count = counts.get(member_id, 0)
        if count:
            why.append(
                ngettext("%(count)d mutual connection", "%(count)d mutual connections", count)
                % {"count": count}
            )
            sources.append("friends_of_friends")
        if member_id in shared:
            why += [r for r, _kind in shared[member_id]]
            sources.append("similar_to_recently_followed")
        person = Person(v, degree=close.degree(member_id), mutual_count=count)
        found.append(Suggestion(person, why, sources, action))
        if len(found) == limit:
            break
    _with_mutuals(viewer, [s.person for s in found], close)
    return found


def companies_of(member_ids) -> dict[int, set[str]]:
    """Member id → the folded companies they work or worked at (search's facets, by index),
    for issue 17's "same name and company" match; compare with `fulltext.fold(company)`."""
    ids = list(member_ids)
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), 1000):
        rows = MemberFacet.objects.filter(
            member_id__in=ids[start : start + 1000],
            kind__in=(FacetKind.COMPANY, FacetKind.PAST_COMPANY),
        ).values_list("member_id", "value")
        for member_id, value in rows:
            found.setdefault(member_id, set()).add(value)
    return found
