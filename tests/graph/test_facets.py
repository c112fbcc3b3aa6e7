"""G3: a school's columns (graph/facets.py) count what a plain-Python count over the same rows
says, and still do after members' rows are swapped for fresh ones (a profile edit)."""

import random
from collections import Counter

import numpy as np
import pytest

from graph.facets import SchoolColumns

CITIES = ["Berlin", "Lisbon", "Porto", ""]
FIELDS = ["Law", "Physics", "History", ""]
COMPANIES = ["Hazelmark", "Kestrel", "Juniper"]
TITLES = ["Engineer", "Nurse", ""]


def _member_rows(rng, member):
    city = rng.choice(CITIES)
    entries = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        start = rng.choice([None, *range(2000, 2012)])
        end = None if start is None or rng.random() < 0.1 else start + rng.randint(0, 5)
        entries.append((member, city, rng.choice(FIELDS), start, end))
    positions = [
        (member, rng.choice(COMPANIES), rng.choice(TITLES)) for _ in range(rng.choice([0, 1, 2]))
    ]
    return entries, positions


def _brute(entries, positions, *, start_year=None, end_year=None, hidden=(), **text):
    kept = [
        e
        for e in entries
        if e[0] not in hidden
        and (start_year is None or (e[3] is not None and e[3] >= start_year))
        and (end_year is None or (e[4] is not None and e[4] <= end_year))
        and (not text.get("field") or e[2] == text["field"])
        and (not text.get("location") or e[1] == text["location"])
    ]
    jobs = {}
    for m, company, title in positions:
        jobs.setdefault(m, []).append((company, title))
    members = {
        e[0]
        for e in kept
        if (not text.get("company") or any(c == text["company"] for c, _t in jobs.get(e[0], [])))
        and (not text.get("title") or any(t == text["title"] for _c, t in jobs.get(e[0], [])))
    }
    kept = [e for e in kept if e[0] in members]
    counts = {
        "location": Counter(loc for loc in {(e[0], e[1]) for e in kept}),
        "field": Counter({(e[0], e[2]) for e in kept}),
        "company": Counter({(m, c) for m in members for c, _t in jobs.get(m, [])}),
        "title": Counter({(m, t) for m in members for _c, t in jobs.get(m, [])}),
    }
    facets = {}
    for name, pairs in counts.items():
        values = Counter(value for (_m, value) in pairs.elements() if value)
        facets[name] = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return len(members), facets, sorted(members, reverse=True)[:20]


FILTERS = [
    {},
    {"start_year": 2004},
    {"end_year": 2008, "location": "Berlin"},
    {"company": "Hazelmark", "title": "Engineer"},
    {"field": "Law", "company": "Kestrel"},
    {"start_year": 2002, "location": "Porto", "company": "Juniper"},
    {"location": "Nowhere"},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_g3_columns_count_like_the_definition_after_rows_are_replaced(seed):
    rng = random.Random(seed)
    people = {m: _member_rows(rng, m) for m in rng.sample(range(1, 500), 60)}

    def rows():
        entries = [e for es, _p in people.values() for e in es]
        return entries, [p for _e, ps in people.values() for p in ps]

    columns = SchoolColumns.build(*rows())
    for round_ in range(4):
        for filters in FILTERS:
            hidden = sorted(rng.sample(sorted(people), 3))
            expected = _brute(*rows(), hidden=set(hidden), **filters)
            found = columns.count(hidden=np.array(hidden, dtype=np.int64), **filters)
            assert (found.total, found.facets, found.member_ids) == expected, (round_, filters)
        changed = rng.sample(sorted(people), 8)
        for m in changed[:6]:
            people[m] = _member_rows(rng, m)  # edited
        for m in changed[6:]:
            del people[m]  # hidden from search or deleted: no rows any more
        people[1000 + round_] = _member_rows(rng, 1000 + round_)  # a new alumnus
        fresh = [m for m in [*changed, 1000 + round_] if m in people]
        columns.replace(
            [*changed, 1000 + round_],
            [e for m in fresh for e in people[m][0]],
            [p for m in fresh for p in people[m][1]],
        )
