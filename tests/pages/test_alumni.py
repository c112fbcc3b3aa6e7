"""G3: the alumni tool's facets and list against a brute-force count over a seeded network,
with members hidden from search and blocks either way counted nowhere."""

import random
from collections import Counter
from datetime import date

import pytest

from accounts.models import User
from network import services as network
from pages import queries
from pages.queries import AlumniFilters
from profiles import services as profiles
from tests.factories import make_member
from tests.pages.factories import school, set_profile, study_at, work_at

CITIES = ["Berlin", "Lisbon", "Porto", "Oslo", "Riga", ""]
COMPANIES = ["Hazelmark", "Brightwater", "Kestrel", "Juniper", "Ostara"]
TITLES = ["Engineer", "Designer", "Teacher", "Nurse"]
FIELDS = ["Physics", "History", "Law", "Economics", ""]


def _seed(rng, page, viewer, n=36):
    """Alumni with one to two entries at the school, a city, zero to two current jobs."""
    people = {}
    for i in range(n):
        member = make_member(handle=f"alum{i}", email=f"alum{i}@example.com")
        city = rng.choice(CITIES)
        profiles.update_profile(member=member, location=city)
        entries = []
        for _ in range(rng.choice([1, 1, 2])):
            start = rng.randint(2000, 2016)
            end = start + rng.randint(2, 5)
            field = rng.choice(FIELDS)
            study_at(member, page, start=start, end=end, field=field)
            entries.append((start, end, field))
        jobs = []
        for company in rng.sample(COMPANIES, rng.choice([0, 1, 1, 2])):
            title = rng.choice(TITLES)
            work_at(member, company=company, title=title)
            jobs.append((company, title))
        if rng.random() < 0.3:  # a past job counts nowhere
            work_at(
                member,
                company=rng.choice(COMPANIES),
                started=date(2015, 1, 1),
                ended=date(2019, 1, 1),
            )
        hidden = rng.random() < 0.15
        if hidden:
            set_profile(member, discoverable=False)
        people[member.pk] = {
            "city": city,
            "entries": entries,
            "jobs": jobs,
            "hidden": hidden,
        }
    return people


def _brute(people, f: AlumniFilters, unseen):
    """The definition, in plain Python: an entry at this school in the years and field,
    the city, and a current job at the company with the title."""
    matching = {}
    for pk, p in people.items():
        if p["hidden"] or pk in unseen:
            continue
        entries = [
            e
            for e in p["entries"]
            if (f.start_year is None or e[0] >= f.start_year)
            and (f.end_year is None or e[1] <= f.end_year)
            and (not f.field or e[2] == f.field)
        ]
        if not entries or (f.location and p["city"] != f.location):
            continue
        if f.company and not any(c == f.company for c, _ in p["jobs"]):
            continue
        if f.title and not any(t == f.title for _, t in p["jobs"]):
            continue
        matching[pk] = {**p, "kept": entries}
    facets = {
        "location": Counter(p["city"] for p in matching.values() if p["city"]),
        "company": Counter(c for p in matching.values() for c in {c for c, _ in p["jobs"]}),
        "title": Counter(t for p in matching.values() for t in {t for _, t in p["jobs"]}),
        "field": Counter(  # what they studied in the entries the filters leave
            fld for p in matching.values() for fld in {e[2] for e in p["kept"]} if fld
        ),
    }
    top = {
        name: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        for name, counts in facets.items()
    }
    return len(matching), top, sorted(matching, reverse=True)


FILTERS = [
    AlumniFilters(),
    AlumniFilters(start_year=2005),
    AlumniFilters(start_year=2004, end_year=2015),
    AlumniFilters(location="Berlin"),
    AlumniFilters(company="Hazelmark"),
    AlumniFilters(start_year=2003, location="Lisbon", company="Kestrel"),
    AlumniFilters(field="Physics", title="Engineer"),
    AlumniFilters(end_year=2012, field="Law", location="Porto"),
]


@pytest.mark.parametrize("seed, read_first", [(7, True), (2026, False)])
def test_g3_alumni_facets_match_a_brute_force_count(cast, seed, read_first):
    """Both ways of reading (pages' index and the tables) against the definition; with
    `read_first` the index read the empty school before the seeding, so every member came
    into it through the event log."""
    rng = random.Random(seed)
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    if read_first:
        assert queries.alumni(ann, page).total == 0
    people = _seed(rng, page, ann)
    some = sorted(people)
    first, second = (User.objects.get(pk=pk) for pk in some[:2])
    network.block(blocker=ann, blocked=first)  # ann blocked one alum
    network.block(blocker=second, blocked=ann)  # and another blocked ann
    for filters in FILTERS:
        total, facets, ids = _brute(people, filters, unseen={some[0], some[1]})
        for read in (queries.alumni, queries.alumni_from_tables):
            found = read(ann, page, filters, limit=100)
            assert found.total == total, (read, filters)
            for name in ("location", "company", "title", "field"):
                assert found.facets[name] == facets[name], (read, name, filters)
            assert found.member_ids == ids, (read, filters)
    # Another viewer sees the two blocked alumni: blocks hide only between the two.
    total, _, _ = _brute(people, AlumniFilters(), unseen=set())
    assert queries.alumni(ben, page).total == total


def test_g3_a_member_hidden_from_search_counts_in_no_facet(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    profiles.update_profile(member=ben, location="Berlin")
    study_at(ben, page, field="Physics")
    work_at(ben, company="Hazelmark")
    shown = queries.alumni(ann, page)
    assert shown.total == 1 and shown.facets["location"] == [("Berlin", 1)]
    set_profile(ben, discoverable=False)
    hidden = queries.alumni(ann, page)
    assert hidden.total == 0 and hidden.member_ids == []
    assert all(values == [] for values in hidden.facets.values())


def test_g3_facets_show_the_top_ten_values(cast):
    ann = cast["ann"]
    page = school(ann)
    for i in range(12):
        member = make_member(handle=f"city{i}", email=f"city{i}@example.com")
        profiles.update_profile(member=member, location=f"City {i:02d}")
        study_at(member, page)
    found = queries.alumni(ann, page)
    assert found.total == 12 and len(found.facets["location"]) == 10
