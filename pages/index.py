"""pages' in-memory index: each school's alumni as columns (the alumni tool, G3) and each
page's members there now ("N of your connections work here"), read from the database per
page on first use, then kept current by replaying profiles' `ProfileEvent` log, as network's
loader replays `ConnectionEvent`.

Every call first replays the events past `generation` (one query on the primary key): each
event names a member whose page facts changed, and the member's rows are read again (three
queries per batch) and swapped into every page the process holds. So a change is in the very
next answer of any worker. Public: `current_index()` and `reset()`; pages.queries is the door.
Design and figures: docs/pages.md, "The alumni tool" and "Kept in memory".
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Q

from core.compiled import CompiledRead
from core.lookups import Ids
from core.replica import PRIMARY
from graph.facets import FacetCounts, SchoolColumns, in_sorted
from pages.models import EducationPage, PageKind, PositionPage
from profiles.models import ProfileEvent

CACHED_ROWS = 4_000_000  # rows held over every cached page before the least used goes
HELD_PAGES = 2_000  # pages' members held at most (each replay with events looks at each)
REPLAY_LIMIT = 5_000  # events past the generation beyond which the index starts afresh
GAP_WINDOW = 1_000  # ids below the generation looked at for transactions committing late
GAP_SECONDS = 300.0  # how long a missing id is watched for
MAX_GAPS = 200  # the newest missing ids watched at once
BATCH = 500  # members per fact query

_lock = threading.RLock()
_index: PageIndex | None = None

# Every call's replay: compiled once per database, the late ids watched one parameter, as
# network's loader replays its events (docs/benchmarks.md, "Compiled reads").
_EVENTS_SINCE = CompiledRead(
    lambda since, gaps: (
        ProfileEvent.objects.filter(Q(id__gte=since) | Q(id__among=gaps))
        .order_by("id")
        .values_list("id", "member")[: REPLAY_LIMIT + MAX_GAPS + 2]
    ),
    -1,
    Ids("gaps"),
)


def current_index() -> PageIndex:
    """The process's index, every event so far applied (a fresh one after a rollback)."""
    global _index
    with _lock:
        if _index is None or not _index.replay():
            _index = PageIndex.start()
        return _index


def reset() -> None:
    """Drop the index (tests roll the database back under it)."""
    global _index
    with _lock:
        _index = None


@dataclass
class MemberFacts:
    """What the index holds of one member, read again when an event names them."""

    counts: bool = False  # active and discoverable: in the alumni tool at all
    active: bool = False
    location: str = ""
    entries: list[tuple] = field(default_factory=list)  # (page, field, start, end)
    positions: list[tuple] = field(default_factory=list)  # current: (company, title, page)


def _in_list(ids) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _facts(member_ids) -> dict[int, MemberFacts]:
    """The members' facts, three queries a batch; a deleted member is absent (no facts)."""
    found: dict[int, MemberFacts] = {}
    ids = sorted(set(member_ids))
    with connection.cursor() as cursor:
        for lo in range(0, len(ids), BATCH):
            batch = _in_list(ids[lo : lo + BATCH])
            cursor.execute(
                "SELECT u.id, u.is_active, pr.discoverable, pr.location FROM accounts_user u"
                f" LEFT JOIN profiles_profile pr ON pr.member_id = u.id WHERE u.id IN ({batch})"
            )
            for pk, active, discoverable, location in cursor.fetchall():
                found[pk] = MemberFacts(
                    counts=bool(active and discoverable),
                    active=bool(active),
                    location=location or "",
                )
            cursor.execute(
                "SELECT ep.member_id, ep.page_id, e.field_of_study, e.start_year, e.end_year"
                " FROM pages_educationpage ep JOIN profiles_education e ON e.id = ep.education_id"
                f" WHERE ep.member_id IN ({batch})"
            )
            for pk, page_id, fld, start, end in cursor.fetchall():
                if pk in found:
                    found[pk].entries.append((page_id, fld, start, end))
            cursor.execute(
                "SELECT p.member_id, p.company, p.title, pp.page_id FROM profiles_position p"
                " LEFT JOIN pages_positionpage pp ON pp.position_id = p.id"
                f" WHERE p.ended_on IS NULL AND p.member_id IN ({batch})"
            )
            for pk, company, title, page_id in cursor.fetchall():
                if pk in found:
                    found[pk].positions.append((company, title, page_id))
    return found


def _school_rows(page_id: int) -> tuple[list, list]:
    """A school's entries of members who count (active, discoverable) and those members'
    current positions: two statements, one index range of `education_page_members` each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ep.member_id, pr.location, e.field_of_study, e.start_year, e.end_year"
            " FROM pages_educationpage ep"
            " JOIN profiles_education e ON e.id = ep.education_id"
            " JOIN profiles_profile pr ON pr.member_id = ep.member_id"
            " JOIN accounts_user u ON u.id = ep.member_id"
            " WHERE ep.page_id = %s AND u.is_active AND pr.discoverable",
            [page_id],
        )
        entries = cursor.fetchall()
        cursor.execute(
            "SELECT p.member_id, p.company, p.title FROM profiles_position p"
            " WHERE p.ended_on IS NULL AND p.member_id IN"
            " (SELECT ep.member_id FROM pages_educationpage ep WHERE ep.page_id = %s)",
            [page_id],
        )
        positions = cursor.fetchall()
    return entries, positions


def _here_rows(page_id: int, kind: str) -> np.ndarray:
    """The active members at a page now: an open position linked to a company, an entry
    linked to a school; ascending ids. Read on the primary, where the event log is read, so a
    lagging replica can't leave a change out that the log says is applied."""
    if kind == PageKind.COMPANY:
        rows = PositionPage.objects.using(PRIMARY).filter(
            page_id=page_id, position__ended_on__isnull=True
        )
    else:
        rows = EducationPage.objects.using(PRIMARY).filter(page_id=page_id)
    ids = rows.filter(member__is_active=True).values_list("member_id", flat=True).distinct()
    return np.unique(np.fromiter(ids, dtype=np.int64))


def _studied(facts: MemberFacts, page_id: int) -> bool:
    return any(entry[0] == page_id for entry in facts.entries)


class PageIndex:
    """The pages this process has read, each kept current by the event log (module doc)."""

    def __init__(self, generation: int, mark: int | None, gaps: dict[int, float]) -> None:
        self.generation = generation  # the last applied ProfileEvent id
        self._mark = mark  # that event's member: a rolled-back or reseeded log is noticed
        self._gaps = gaps  # ids below the generation not seen yet -> when first missed
        self._schools: OrderedDict[int, SchoolColumns] = OrderedDict()
        self._here: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()

    @classmethod
    def start(cls) -> PageIndex:
        last = ProfileEvent.objects.order_by("-id").values_list("id", "member").first()
        generation, mark = last if last is not None else (0, None)
        seen = set(
            ProfileEvent.objects.filter(id__gt=generation - GAP_WINDOW, id__lte=generation)
            .order_by()
            .values_list("id", flat=True)
        )
        now = time.monotonic()
        low = max(generation - GAP_WINDOW + 1, 1)
        gaps = {i: now for i in range(low, generation + 1) if i not in seen}
        return cls(generation, mark, dict(sorted(gaps.items())[-MAX_GAPS:]))

    # --- Freshness ------------------------------------------------------------------------

    def replay(self) -> bool:
        """Apply the events past the generation (and late ones in the gaps below it); False
        when the log no longer holds the last applied event, so the caller starts afresh."""
        with _lock:
            now = time.monotonic()
            self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_SECONDS}
            found = _EVENTS_SINCE.rows(connection.alias, self.generation, sorted(self._gaps))
            rows = [tuple(row) for row in found]
            if self.generation and (self.generation, self._mark) not in rows:
                return False
            if len(rows) > REPLAY_LIMIT + MAX_GAPS + 1:
                return False  # too far behind: reading the pages afresh is cheaper
            fresh = [(i, m) for i, m in rows if i > self.generation or i in self._gaps]
            if not fresh:
                return True
            for i, _m in fresh:
                self._gaps.pop(i, None)
            top = rows[-1][0]
            seen = {i for i, _m in rows}
            for i in range(max(self.generation + 1, top - GAP_WINDOW), top):
                if i not in seen:
                    self._gaps[i] = now
            if len(self._gaps) > MAX_GAPS:
                self._gaps = dict(sorted(self._gaps.items())[-MAX_GAPS:])
            self._refresh({m for _i, m in fresh})
            self.generation, self._mark = rows[-1]
            return True

    def _refresh(self, members: set[int]) -> None:
        """Swap the members' rows in every page held for what the database says now."""
        if not (self._schools or self._here):
            return
        facts = _facts(members)
        changed = np.array(sorted(members), dtype=np.int64)
        for page_id, columns in self._schools.items():
            was = changed[in_sorted(changed, columns.member)].tolist()
            counted = [m for m, f in facts.items() if f.counts and _studied(f, page_id)]
            if not (was or counted):
                continue
            entries, positions = [], []
            for m in counted:
                f = facts[m]
                entries.extend(
                    (m, f.location, fld, start, end)
                    for page, fld, start, end in f.entries
                    if page == page_id
                )
                positions.extend((m, company, title) for company, title, _page in f.positions)
            columns.replace(set(was) | set(counted), entries, positions)
        arriving: dict[tuple[int, str], list[int]] = {}
        for m, f in facts.items():
            if f.active:
                for page in {p for _c, _t, p in f.positions if p is not None}:
                    arriving.setdefault((page, PageKind.COMPANY), []).append(m)
                for page in {e[0] for e in f.entries}:
                    arriving.setdefault((page, PageKind.SCHOOL), []).append(m)
        for key, here in list(self._here.items()):
            if key not in arriving and not in_sorted(changed, here).any():
                continue  # none of them was or is at this page: one binary search
            kept = here[~in_sorted(here, changed)]
            arrived = np.array(arriving.get(key, []), dtype=np.int64)
            self._here[key] = np.union1d(kept, arrived)

    # --- Pages held ------------------------------------------------------------------------

    def _fit(self) -> None:
        """Let the least recently used pages go while they are more than HELD_PAGES or hold
        more than CACHED_ROWS rows."""
        rows = sum(c.rows for c in self._schools.values()) + sum(
            int(h.shape[0]) for h in self._here.values()
        )
        while len(self._here) > HELD_PAGES:
            _key, gone = self._here.popitem(last=False)
            rows -= int(gone.shape[0])
        while rows > CACHED_ROWS and len(self._schools) + len(self._here) > 1:
            if self._schools and (not self._here or len(self._schools) >= len(self._here)):
                _page, gone = self._schools.popitem(last=False)
                rows -= gone.rows
            else:
                _page, gone = self._here.popitem(last=False)
                rows -= int(gone.shape[0])

    def school(self, page_id: int) -> SchoolColumns:
        with _lock:
            columns = self._schools.get(page_id)
            if columns is None:
                columns = self._schools[page_id] = SchoolColumns.build(*_school_rows(page_id))
                self._fit()
            else:
                self._schools.move_to_end(page_id)
            return columns

    def members_here(self, page_id: int, kind: str) -> np.ndarray:
        """Active members at the page now (module doc), ascending."""
        with _lock:
            key = (page_id, kind)
            here = self._here.get(key)
            if here is None:
                here = self._here[key] = _here_rows(page_id, kind)
                self._fit()
            else:
                self._here.move_to_end(key)
            return here

    def alumni(self, page_id: int, *, hidden: np.ndarray, **filters) -> FacetCounts:
        with _lock:
            return self.school(page_id).count(hidden=hidden, **filters)

    def held(self) -> dict:
        """What the process holds (the benchmark prints it)."""
        with _lock:
            return {
                "schools": len(self._schools),
                "school_rows": sum(c.rows for c in self._schools.values()),
                "school_bytes": sum(c.nbytes for c in self._schools.values()),
                "pages_here": len(self._here),
                "here_rows": sum(int(h.shape[0]) for h in self._here.values()),
            }
