"""One viewer's look at the graph for one request (D1, D2, D3's raw paths, suggestions, D4).

Reached through `network.queries` (web's `web.network.badges.viewpoint(request)` shares one per
request); the graph itself comes from `network.loader`.
"""

from django.db import router
from django.db.models import F, Q, Value

from core.compiled import CompiledRead
from core.lookups import Ids
from network import loader
from network.models import Block
from profiles.models import ConnectionsVisibleTo, Profile

_ME, _IDS = -1, Ids("connection_ids")


def _hiding_profiles(ids):
    return Profile.objects.filter(
        pk__among=ids, connections_visible_to=ConnectionsVisibleTo.ONLY_ME
    )


def _blocks_and_hiding(me, ids):
    blocks = Block.objects.filter(Q(blocker_id=me) | Q(blocked_id=me))
    hiding = _hiding_profiles(ids).annotate(other=F("pk"), tag=Value("h"))
    return (
        blocks.annotate(tag=Value("b"))
        .values_list("blocker_id", "blocked_id", "tag")
        .union(hiding.values_list("pk", "other", "tag"), all=True)
    )


# Read on every search, typeahead and suggestions call: compiled once per database (building
# the union was most of the 2.7 ms of CPU this read took, docs/benchmarks.md, "search-cpu").
_HIDING = CompiledRead(lambda ids: _hiding_profiles(ids).values_list("pk"), _IDS, constants=True)
_BLOCKS_AND_HIDING = CompiledRead(_blocks_and_hiding, _ME, _IDS, constants=True)


class Viewpoint:
    """The viewer's blocks and the index are fetched once (two queries), so every badge,
    mutual count and path on a page costs no more."""

    def __init__(self, viewer):
        self.viewer = viewer if viewer is not None and viewer.is_authenticated else None
        self._blocks = None
        self._index = None
        self._hidden = None
        self._hiding = None
        self._degrees: dict[int, int | None] = {}
        self._mutual_counts: dict[int, int] = {}

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
    def blocks_read(self) -> bool:
        return self._blocks is not None

    def blocks_were(self, pairs) -> None:
        """The blocks as read in a caller's own statement (`queries.relationships`)."""
        self._blocks, self._hidden = list(pairs), None

    def hiding_connections(self) -> frozenset[int]:
        """The viewer's connections who keep their list to themselves (S5's `only_me`), by
        primary key: search leaves them out as intermediaries. Read in the same statement as
        the blocks when those were not read yet (every search call needs both)."""
        if self._hiding is None:
            me = self.viewer.pk if self.viewer else None
            if me is None:
                self._hiding = frozenset()
                return self._hiding
            ids = self.index.connections_of(me).tolist()
            alias = router.db_for_read(Profile)
            if self._blocks is not None:
                self._hiding = frozenset(row[0] for row in _HIDING.rows(alias, ids))
                return self._hiding
            self._blocks, found = [], set()
            for a, b, tag in _BLOCKS_AND_HIDING.rows(alias, me, ids):
                if tag == "b":
                    self._blocks.append((a, b))
                else:
                    found.add(a)
            self._hiding = frozenset(found)
        return self._hiding

    @property
    def hidden(self) -> frozenset[int]:
        """D4: members blocked by or blocking the viewer."""
        if self._hidden is None:
            me = self.viewer.pk if self.viewer else None
            self._hidden = frozenset(b if a == me else a for a, b in self.blocks)
        return self._hidden

    @property
    def index(self):
        if self._index is None:
            self._index = loader.current_index()
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
        if member_id not in self._mutual_counts:  # the relationship and the panel both ask
            count = self.index.mutual_count(self.viewer.pk, member_id, hidden=self.hidden)
            self._mutual_counts[member_id] = count
        return self._mutual_counts[member_id]

    def mutuals(self, member, *, offset: int = 0, limit: int = 20) -> tuple[int, list[int]]:
        """D2 with D4: the count of shared connections and one page of their ids."""
        member_id = getattr(member, "pk", member)
        if self.viewer is None or member_id == self.viewer.pk:
            return 0, []
        me, hidden = self.viewer.pk, self.hidden
        page = self.index.mutuals(me, member_id, offset=offset, limit=limit, hidden=hidden)
        return self.mutual_count(member_id), page

    def paths(self, member, *, limit: int = 3) -> list[list[int]]:
        """D3's shortest paths as member ids; `network.queries.paths_for` names the steps."""
        member_id = getattr(member, "pk", member)
        if self.viewer is None or member_id == self.viewer.pk:
            return []
        return self.index.paths(self.viewer.pk, member_id, limit=limit, hidden=self.hidden)

    def connection_count(self, member) -> int:
        """How many connections the member has, from the index (a number names no one, S5)."""
        return self.index.connection_count(getattr(member, "pk", member))

    def suggestions(self, *, limit: int = 20) -> list[tuple[int, int]]:
        """People you may know: (member id, mutual count) of 2nd-degree members, most mutuals
        first, never across a block (D4)."""
        if self.viewer is None:
            return []
        return self.index.suggestions(self.viewer.pk, k=limit, hidden=self.hidden)
