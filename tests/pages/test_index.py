"""G3, B1, U4: pages' in-memory index stays current after it has read a page. Every test
reads the page first, then changes members through the services, and expects the next answer
to show the change and to equal the same answer read from the tables."""

from datetime import date

import numpy as np
import pytest
from django.db import transaction

from membership import services as membership
from network import services as network
from pages import index, queries
from pages.queries import AlumniFilters
from profiles import services as profiles
from profiles.models import Profile, ProfileEvent
from tests.pages.factories import company, connect, school, set_profile, study_at, work_at

NOBODY = np.empty(0, dtype=np.int64)  # no blocks to cut


def alumni(viewer, page, filters=None):
    """The index's answer, held to the tables' answer each time."""
    found = queries.alumni(viewer, page, filters, limit=100)
    assert found == queries.alumni_from_tables(viewer, page, filters, limit=100)
    return found


def here(viewer, page):
    found = queries.connections_here(viewer, page)
    assert found == queries.connections_here_from_tables(viewer, page)
    return found


def test_g3_the_alumni_tool_shows_an_education_added_after_it_was_read(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    assert alumni(ann, page).total == 0
    profiles.update_profile(member=ben, location="Berlin")
    study_at(ben, page, start=2008, end=2012, field="Physics")
    found = alumni(ann, page)
    assert found.total == 1 and found.member_ids == [ben.pk]
    assert found.facets["location"] == [("Berlin", 1)]
    assert found.facets["field"] == [("Physics", 1)]
    assert alumni(ann, page, AlumniFilters(start_year=2009)).total == 0


def test_g3_where_they_work_follows_positions_added_and_ended(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    study_at(ben, page)
    study_at(cat, page)
    assert alumni(ann, page).facets["company"] == []
    job = work_at(ben, company="Hazelmark", title="Engineer")
    work_at(cat, company="Hazelmark", title="Designer")
    found = alumni(ann, page)
    assert found.facets["company"] == [("Hazelmark", 2)]
    assert found.facets["title"] == [("Designer", 1), ("Engineer", 1)]
    assert alumni(ann, page, AlumniFilters(company="Hazelmark", title="Engineer")).member_ids == [
        ben.pk
    ]
    profiles.remove_position(member=ben, position_id=job.pk)  # the job ends: no longer here
    work_at(ben, company="Hazelmark", started=date(2019, 1, 1), ended=date(2023, 1, 1))
    found = alumni(ann, page)
    assert found.facets["company"] == [("Hazelmark", 1)]
    assert found.facets["title"] == [("Designer", 1)]


def test_g3_a_member_who_moves_is_counted_in_the_new_city(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    profiles.update_profile(member=ben, location="Lisbon")
    study_at(ben, page)
    assert alumni(ann, page).facets["location"] == [("Lisbon", 1)]
    profiles.update_profile(member=ben, location="Porto")
    assert alumni(ann, page).facets["location"] == [("Porto", 1)]
    assert alumni(ann, page, AlumniFilters(location="Lisbon")).total == 0


def test_g3_a_member_hiding_from_search_leaves_every_facet_of_a_read_page(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    for member in (ben, cat):
        profiles.update_profile(member=member, location="Berlin")
        study_at(member, page, field="Law")
        work_at(member, company="Hazelmark")
    assert alumni(ann, page).facets["location"] == [("Berlin", 2)]
    set_profile(ben, discoverable=False)
    found = alumni(ann, page)
    assert found.total == 1 and found.member_ids == [cat.pk]
    assert all(values == [(values[0][0], 1)] for values in found.facets.values())
    set_profile(ben, discoverable=True)
    assert alumni(ann, page).total == 2


def test_g3_removing_a_school_entry_takes_the_member_out(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    first = study_at(ben, page, start=2000, end=2004, field="Law")
    study_at(ben, page, start=2006, end=2008, field="History")
    assert alumni(ann, page).facets["field"] == [("History", 1), ("Law", 1)]
    profiles.remove_education(member=ben, education_id=first.pk)
    assert alumni(ann, page).facets["field"] == [("History", 1)]


def test_b1_blocks_hide_both_ways_on_a_read_page(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    for member in (ann, ben, cat):
        study_at(member, page)
    assert alumni(ann, page).member_ids == [cat.pk, ben.pk, ann.pk]
    network.block(blocker=cat, blocked=ann)
    assert alumni(ann, page).member_ids == [ben.pk, ann.pk]
    assert alumni(cat, page).member_ids == [cat.pk, ben.pk]
    assert alumni(ben, page).total == 3


def test_u4_a_deleted_member_leaves_the_alumni_tool_and_connections_here(cast):
    ann, ben = cast["ann"], cast["ben"]
    campus, employer = school(ann), company(ann)
    connect(ann, ben)
    study_at(ben, campus)
    work_at(ben, employer)
    assert alumni(ann, campus).total == 1
    assert here(ann, employer).count == 1 and here(ann, campus).faces == [ben.pk]
    membership.delete_member(member=ben)
    assert alumni(ann, campus).total == 0
    assert here(ann, employer).count == 0 and here(ann, campus).count == 0


def test_g3_connections_here_follows_positions_and_schools(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    employer, campus = company(ann), school(ann)
    connect(ann, ben)
    connect(ann, cat)
    assert here(ann, employer).count == 0 and here(ann, campus).count == 0
    job = work_at(ben, employer)
    work_at(cat, employer, ended=date(2022, 1, 1))  # worked here once: not now
    study_at(cat, campus)
    assert here(ann, employer).faces == [ben.pk]
    assert here(ann, campus).faces == [cat.pk]
    profiles.remove_position(member=ben, position_id=job.pk)
    assert here(ann, employer).count == 0


def test_g3_another_worker_catches_up_from_the_log(cast):
    """A second process's index (its own PageIndex) learns every change from the log alone."""
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    other = index.PageIndex.start()
    assert other.alumni(page.pk, hidden=NOBODY).total == 0
    study_at(ben, page, field="Law")
    assert other.replay()
    assert other.alumni(page.pk, hidden=NOBODY).member_ids == [ben.pk]


def test_g3_a_rolled_back_change_leaves_the_index(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    study_at(ann, page)
    assert alumni(ann, page).total == 1

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        study_at(ben, page)
        assert queries.alumni(ann, page).total == 2  # the index applied the event
        raise Undo
    assert alumni(ann, page).total == 1  # the event is gone: the index starts afresh


def test_g3_a_change_committed_after_a_later_one_is_still_applied(cast):
    """Event ids are taken at insert, not at commit: an id missing below the generation is
    watched, so a transaction that commits late is still replayed."""
    ann, ben = cast["ann"], cast["ben"]
    page = school(ann)
    profiles.update_profile(member=ben, location="Lisbon")
    study_at(ben, page)
    assert alumni(ann, page).facets["location"] == [("Lisbon", 1)]
    generation = index.current_index().generation
    now = ProfileEvent.objects.get(id=generation).at
    ProfileEvent.objects.create(id=generation + 3, member=ann.pk, at=now)  # committed first
    assert queries.alumni(ann, page).facets["location"] == [("Lisbon", 1)]
    Profile.objects.filter(member=ben).update(location="Porto")  # the late transaction
    ProfileEvent.objects.create(id=generation + 1, member=ben.pk, at=now)
    assert queries.alumni(ann, page).facets["location"] == [("Porto", 1)]


def test_g3_the_index_reads_a_pages_members_on_the_primary_as_it_reads_its_event_log(
    cast, monkeypatch
):
    """G3 with a replica (core.replica): on a GET the index reads ProfileEvent on the primary
    and the member facts by raw cursor (the primary), so a page's "work here" members must be
    read there too. Read on a lagging replica, a page built after its event was applied
    misses (or keeps) that member until they change again: a stale count for every viewer."""
    from django.db import router
    from django.http import HttpResponse
    from django.test import RequestFactory

    from core import replica
    from pages.models import EducationPage, PositionPage

    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    connect(ann, ben)
    work_at(ben, page)
    real, decided = replica.PrimaryReplicaRouter(), []

    class Recording:
        def db_for_read(self, model, **hints):
            if model in (PositionPage, EducationPage):
                decided.append(real.db_for_read(model, **hints))
            return "default"  # this test database has no replica alias

    monkeypatch.setattr(router, "routers", [Recording()])

    def view(request):
        assert queries.connections_here(ann, page).count == 1
        return HttpResponse("ok")

    handler = replica.ReadYourWrites(view)
    handler.enabled = True  # as with DATABASE_REPLICA_URL set
    handler(RequestFactory().get(f"/company/{page.slug}/"))
    assert "replica" not in decided  # the page's rows: the primary, named or routed
