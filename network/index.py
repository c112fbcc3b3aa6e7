"""The Django side of the graph: load graph.GraphIndex from the connection table, keep it fresh.

The index is built once per process on first use; every call replays the ConnectionEvent
rows newer than `index.generation` (one cheap query), so a change is visible in the very
next request. D3's naming of path steps lives here too, because it needs S5.
"""

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from network.models import Block, Connection, ConnectionEvent

CHUNK = 100_000
_lock = threading.Lock()
_index = None


def current_index():
    """The process's GraphIndex, with every connection event so far applied."""
    global _index
    with _lock:
        if _index is None or not _replay(_index):
            _index = _load()
        return _index


def reset() -> None:
    """Drop the loaded index (tests roll the database back under it)."""
    global _index
    with _lock:
        _index = None


def _load():
    from graph import GraphIndex

    generation = ConnectionEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    a_parts, b_parts, a_buf, b_buf = [], [], [], []
    rows = Connection.objects.values_list("member_a_id", "member_b_id").order_by()
    for a, b in rows.iterator(chunk_size=CHUNK):
        a_buf.append(a)
        b_buf.append(b)
        if len(a_buf) >= CHUNK:
            a_parts.append(np.asarray(a_buf, dtype=np.int64))
            b_parts.append(np.asarray(b_buf, dtype=np.int64))
            a_buf, b_buf = [], []
    a_parts.append(np.asarray(a_buf, dtype=np.int64))
    b_parts.append(np.asarray(b_buf, dtype=np.int64))
    index = GraphIndex.from_edges(np.concatenate(a_parts), np.concatenate(b_parts))
    index.generation = generation
    _replay(index)  # events committed while we were reading are idempotent to re-apply
    return index


def _replay(index) -> bool:
    """Apply the events past `index.generation`; False when the log no longer holds the
    last applied event (a rolled-back or reset database), so the caller reloads."""
    since = index.generation
    events = (
        ConnectionEvent.objects.filter(id__gte=since)
        .order_by("id")
        .values_list("id", "member_a", "member_b", "connected")
    )
    found_last_applied = not since
    for event_id, a, b, connected in events:
        if not found_last_applied:
            if event_id != since:
                return False
            found_last_applied = True
            continue
        if connected:
            index.connect(a, b)
        else:
            index.disconnect(a, b)
        index.generation = event_id
    return found_last_applied


# --- What the viewer may see (D1–D4) ------------------------------------------------------


def degrees_for(viewer, members) -> list[int | None]:
    """D1 with D4: one batch call for a whole list of members."""
    view = Viewpoint(viewer)
    view.prime(members)
    return [view.degree(m) for m in members]


def mutuals_for(viewer, member, *, offset: int = 0, limit: int = 20, view=None):
    """D2 with D4: (count of shared connections, one page of their ids)."""
    return (view or Viewpoint(viewer)).mutuals(member, offset=offset, limit=limit)


@dataclass(frozen=True)
class Step:
    member_id: int
    member: object | None  # the User, when the viewer may see who this step is
    label: str  # a name, or "a connection of Sam" (D3)


def paths_for(viewer, member, *, limit: int = 3, view=None) -> list[list[Step]]:
    """D3: up to 3 shortest paths within 3 hops, naming only the steps the viewer may see."""
    from accounts.models import User
    from profiles.models import ConnectionsVisibleTo

    raw = (view or Viewpoint(viewer)).paths(member, limit=limit)
    if not raw:
        return []
    ids = {m for path in raw for m in path}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("profile")}
    result = []
    for path in raw:
        steps, last_named, previous_named = [], None, False
        for position, member_id in enumerate(path):
            person = people.get(member_id)
            # Steps 0 and 1 are the viewer and their own connection; a step after that is
            # named only if the previous one is the viewer's connection and shows its list (S5).
            named = person is not None and (
                position in (0, 1, len(path) - 1)
                or (
                    position == 2
                    and previous_named
                    and people[path[1]].profile.connections_visible_to
                    == ConnectionsVisibleTo.CONNECTIONS
                )
            )
            if named:
                steps.append(Step(member_id, person, person.name))
                last_named = person
            else:
                name = last_named.name if last_named else "your network"
                steps.append(Step(member_id, None, f"a connection of {name}"))
            previous_named = named
        result.append(steps)
    return result


class Viewpoint:
    """One viewer's look at the graph for one request: their blocks and the index are fetched
    once (two queries), so every badge, mutual count and path on a page costs no more."""

    def __init__(self, viewer):
        self.viewer = viewer if viewer is not None and viewer.is_authenticated else None
        self._blocks = None
        self._index = None
        self._degrees: dict[int, int | None] = {}

    @property
    def blocks(self) -> list[tuple[int, int]]:
        """(blocker, blocked) pairs involving the viewer."""
        if self._blocks is None:
            me = self.viewer.pk if self.viewer else None
            self._blocks = (
                list(
                    Block.objects.filter(Q(blocker_id=me) | Q(blocked_id=me)).values_list(
                        "blocker_id", "blocked_id"
                    )
                )
                if me
                else []
            )
        return self._blocks

    @property
    def hidden(self) -> frozenset[int]:
        """D4: members blocked by or blocking the viewer."""
        me = self.viewer.pk if self.viewer else None
        return frozenset(b if a == me else a for a, b in self.blocks)

    @property
    def index(self):
        if self._index is None:
            self._index = current_index()
        return self._index

    def prime(self, members) -> None:
        """Batch the degrees of a whole list in one graph call."""
        if self.viewer is None:
            return
        ids = [getattr(m, "pk", m) for m in members]
        missing = [i for i in ids if i not in self._degrees]
        if missing:
            found = self.index.degrees(self.viewer.pk, missing, hidden=self.hidden)
            self._degrees.update(zip(missing, found, strict=True))

    def degree(self, member) -> int | None:
        """D1: 1, 2, 3 or None (out of network, oneself, or hidden by a block)."""
        if self.viewer is None:
            return None
        member_id = getattr(member, "pk", member)
        if member_id not in self._degrees:
            self.prime([member_id])
        return self._degrees[member_id] or None

    def mutual_count(self, member) -> int:
        member_id = getattr(member, "pk", member)
        if self.viewer is None or member_id == self.viewer.pk:
            return 0
        return self.index.mutual_count(self.viewer.pk, member_id, hidden=self.hidden)

    def mutuals(self, member, *, offset: int = 0, limit: int = 20) -> tuple[int, list[int]]:
        """D2 with D4: the count of shared connections and one page of their ids."""
        member_id = getattr(member, "pk", member)
        if self.viewer is None or member_id == self.viewer.pk:
            return 0, []
        me, hidden = self.viewer.pk, self.hidden
        page = self.index.mutuals(me, member_id, offset=offset, limit=limit, hidden=hidden)
        return self.mutual_count(member_id), page

    def paths(self, member, *, limit: int = 3) -> list[list[int]]:
        if self.viewer is None or member.pk == self.viewer.pk:
            return []
        return self.index.paths(self.viewer.pk, member.pk, limit=limit, hidden=self.hidden)
