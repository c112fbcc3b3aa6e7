"""One school's alumni as columns, for the alumni tool's counted facets (G3). No Django:
pages' loader (pages/index.py) fills them from the database and patches them when members
change.

A school's entries are rows (member, location, field, start year, end year) sorted by member
and field, and its alumni's current positions rows (member, company, title) sorted by member;
text is coded per school (-1 for blank). A query is a few numpy passes over the one school's
rows: the filters are boolean masks, a facet is a `bincount` of the codes the mask leaves,
each member counted once per value, and nothing is joined. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

FACETS = ("location", "company", "title", "field")
FACET_SIZE = 10  # values shown per facet
NO_START = -1  # a missing start year passes no "started in or after" filter (SQL's NULL)
NO_END = 2**31 - 1  # a missing end year passes no "finished in or before" filter
_NONE = np.empty(0, dtype=np.int64)


def in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """A mask over `values`: which of them are in `sorted_set` (ascending), by binary search."""
    if not sorted_set.shape[0]:
        return np.zeros(values.shape[0], dtype=np.bool_)
    at = np.searchsorted(sorted_set, values)
    at[at == sorted_set.shape[0]] = 0
    return sorted_set[at] == values


class Vocabulary:
    """Text to small codes and back, per school; blank text is -1 and never counted."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._codes: dict[str, int] = {}

    def code(self, value: str) -> int:
        if not value:
            return -1
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found

    def find(self, value: str) -> int | None:
        """The code of a value the school holds, None when none of its rows say it."""
        return self._codes.get(value)

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class FacetCounts:
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    member_ids: list[int] = field(default_factory=list)


def _top(counts: np.ndarray, vocabulary: Vocabulary, size: int) -> list[tuple[str, int]]:
    """The `size` most counted values, most first, then by value (as the SQL did)."""
    present = np.flatnonzero(counts)
    if present.shape[0] > size:
        least = np.partition(counts[present], -size)[-size]
        present = present[counts[present] >= least]
    pairs = [(vocabulary.values[i], int(counts[i])) for i in present]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return pairs[:size]


def _key(member: np.ndarray, code: np.ndarray) -> np.ndarray:
    """(member, code) as one sortable int64: member ids stay below 2**31, codes from -1."""
    return (member << 32) | (code.astype(np.int64) + 1)


def _sorted_entries(member, location, fld, start, end) -> tuple[np.ndarray, ...]:
    """Entries in (member, field) order, so a member's rows and (member, field) pairs are
    runs: counting each once is a comparison with the row before."""
    order = np.argsort(_key(member, fld), kind="stable")
    return tuple(column[order] for column in (member, location, fld, start, end))


def _sorted_working(member, company, title) -> tuple[np.ndarray, ...]:
    """Positions in (member, company) order, each flagged when it is the first of its
    (member, company) and of its (member, title): a member counts once per value."""
    order = np.argsort(_key(member, company), kind="stable")
    member, company, title = member[order], company[order], title[order]
    first_company = np.ones(member.shape[0], dtype=np.bool_)
    first_company[1:] = (member[1:] != member[:-1]) | (company[1:] != company[:-1])
    by_title = np.argsort(_key(member, title), kind="stable")
    first_title = np.ones(member.shape[0], dtype=np.bool_)
    m, t = member[by_title], title[by_title]
    first_title[by_title[1:]] = (m[1:] != m[:-1]) | (t[1:] != t[:-1])
    return member, company, title, first_company, first_title


def _merged(kept: tuple, new: tuple, kept_key: np.ndarray, new_key: np.ndarray) -> tuple:
    """Both blocks sorted by their key, one block's rows inserted among the other's."""
    if not new[0].shape[0]:
        return kept
    at = np.searchsorted(kept_key, new_key, side="right")
    return tuple(np.insert(old, at, fresh) for old, fresh in zip(kept, new, strict=True))


class SchoolColumns:
    """A school's alumni entries and their current positions as numpy columns.

    Only members who count go in (active and discoverable, G3); the caller cuts blocks per
    viewer. `replace` swaps one set of members' rows for their fresh ones (a profile edit),
    so the columns stay current without reading the school again.
    """

    def __init__(self) -> None:
        self.vocab = {name: Vocabulary() for name in FACETS}
        self.member = _NONE  # entries, sorted by (member, field)
        self.location = np.empty(0, dtype=np.int32)
        self.field = np.empty(0, dtype=np.int32)
        self.start = np.empty(0, dtype=np.int32)
        self.end = np.empty(0, dtype=np.int32)
        self.w_member = _NONE  # current positions of those members, sorted by member
        self.w_company = np.empty(0, dtype=np.int32)
        self.w_title = np.empty(0, dtype=np.int32)
        self.w_first_company = np.empty(0, dtype=np.bool_)  # first row of its (member, company)
        self.w_first_title = np.empty(0, dtype=np.bool_)

    @classmethod
    def build(
        cls,
        entries: Iterable[Sequence],
        positions: Iterable[Sequence],
    ) -> SchoolColumns:
        """From rows (member, location, field, start year, end year) and (member, company,
        title); positions of members without an entry are left out."""
        columns = cls()
        columns._set(*columns._encode(entries, positions))
        return columns

    @property
    def rows(self) -> int:
        return int(self.member.shape[0] + self.w_member.shape[0])

    @property
    def nbytes(self) -> int:
        arrays = (self.member, self.location, self.field, self.start, self.end, self.w_member)
        more = (self.w_company, self.w_title, self.w_first_company, self.w_first_title)
        return sum(int(a.nbytes) for a in (*arrays, *more))

    def members(self) -> np.ndarray:
        """The distinct members with an entry, ascending."""
        return np.unique(self.member)

    def _encode(self, entries, positions) -> tuple[np.ndarray, ...]:
        loc, fld = self.vocab["location"].code, self.vocab["field"].code
        comp, tit = self.vocab["company"].code, self.vocab["title"].code
        e = [(int(m), loc(lo or ""), fld(fi or ""), s, x) for m, lo, fi, s, x in entries]
        kept = {row[0] for row in e}
        w = [(int(m), comp(c or ""), tit(t or "")) for m, c, t in positions if int(m) in kept]
        entry = (
            np.array([row[0] for row in e], dtype=np.int64),
            np.array([row[1] for row in e], dtype=np.int32),
            np.array([row[2] for row in e], dtype=np.int32),
            np.array([NO_START if row[3] is None else row[3] for row in e], dtype=np.int32),
            np.array([NO_END if row[4] is None else row[4] for row in e], dtype=np.int32),
        )
        working = (
            np.array([row[0] for row in w], dtype=np.int64),
            np.array([row[1] for row in w], dtype=np.int32),
            np.array([row[2] for row in w], dtype=np.int32),
        )
        return _sorted_entries(*entry), _sorted_working(*working)

    def _set(self, entry, working) -> None:
        self.member, self.location, self.field, self.start, self.end = entry
        (
            self.w_member,
            self.w_company,
            self.w_title,
            self.w_first_company,
            self.w_first_title,
        ) = working

    def replace(self, member_ids, entries, positions) -> None:
        """Drop every row of `member_ids` and merge in their fresh rows (only members who
        count): the kept rows stay in order, so this is a copy, not a sort of the school."""
        gone = np.unique(np.asarray(list(member_ids), dtype=np.int64))
        keep = ~in_sorted(self.member, gone)
        w_keep = ~in_sorted(self.w_member, gone)
        entry, working = self._encode(entries, positions)
        kept = (self.member, self.location, self.field, self.start, self.end)
        kept = tuple(column[keep] for column in kept)
        w_kept = (
            self.w_member,
            self.w_company,
            self.w_title,
            self.w_first_company,
            self.w_first_title,
        )
        w_kept = tuple(column[w_keep] for column in w_kept)
        self._set(
            _merged(kept, entry, _key(kept[0], kept[2]), _key(entry[0], entry[2])),
            _merged(w_kept, working, _key(w_kept[0], w_kept[1]), _key(working[0], working[1])),
        )

    def count(
        self,
        *,
        start_year: int | None = None,
        end_year: int | None = None,
        location: str = "",
        company: str = "",
        title: str = "",
        field: str = "",
        hidden: np.ndarray = _NONE,
        size: int = FACET_SIZE,
        limit: int = 20,
        offset: int = 0,
    ) -> FacetCounts:
        """The total, the top `size` of each facet among the entries every filter leaves, and
        a page of member ids, highest first. `hidden` (sorted) is cut: blocks either way."""
        empty = FacetCounts(0, {name: [] for name in FACETS}, [])
        mask = np.ones(self.member.shape[0], dtype=np.bool_)
        if start_year is not None:
            mask &= self.start >= start_year
        if end_year is not None:
            mask &= self.end <= end_year
        for name, value, column in (
            ("location", location, self.location),
            ("field", field, self.field),
        ):
            if value:
                code = self.vocab[name].find(value)
                if code is None:
                    return empty
                mask &= column == code
        for name, value, column in (
            ("company", company, self.w_company),
            ("title", title, self.w_title),
        ):
            if value:
                code = self.vocab[name].find(value)
                if code is None:
                    return empty
                mask &= in_sorted(self.member, self.w_member[column == code])
        if hidden.shape[0]:
            mask &= ~in_sorted(self.member, hidden)
        member = self.member[mask]
        if not member.shape[0]:
            return empty
        new_member = np.ones(member.shape[0], dtype=np.bool_)
        new_member[1:] = member[1:] != member[:-1]
        members = member[new_member]
        fld = self.field[mask]
        new_field = new_member.copy()  # rows are sorted by (member, field)
        new_field[1:] |= fld[1:] != fld[:-1]
        location_codes = self.location[mask][new_member]
        working = in_sorted(self.w_member, members)
        counted = {
            "location": location_codes[location_codes >= 0],
            "field": fld[new_field & (fld >= 0)],
            "company": self.w_company[working & self.w_first_company & (self.w_company >= 0)],
            "title": self.w_title[working & self.w_first_title & (self.w_title >= 0)],
        }
        facets = {
            name: _top(np.bincount(codes, minlength=len(self.vocab[name])), self.vocab[name], size)
            for name, codes in counted.items()
        }
        offset = max(offset, 0)
        page = members[::-1][offset : offset + limit]
        return FacetCounts(int(members.shape[0]), facets, [int(m) for m in page])
