"""`linkwell prune_events`: the replayed logs shrink, and every reader still answers right
(D1 through the graph index, G3 through the pages index) after its events are gone."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.eventlog import prune_log
from network import loader
from network import queries as network_queries
from network.models import ConnectionEvent
from pages import index as pages_index
from pages import queries as pages_queries
from profiles import services as profiles
from profiles.models import ProfileEvent
from tests.network.factories import connect
from tests.pages.factories import school, study_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph_dir(settings, tmp_path):
    settings.LINKWELL_GRAPH_DIR = tmp_path / "graph"
    return settings.LINKWELL_GRAPH_DIR


def prune(days=7) -> str:
    out = io.StringIO()
    call_command("prune_events", days=days, stdout=out)
    return out.getvalue()


def test_d1_old_connection_events_go_and_the_graph_still_answers(cast, graph_dir, frozen_now):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    assert network_queries.degrees_for(ann, [ben, cat, dan]) == [1, 2, None]  # read once
    frozen_now.advance(days=10)
    connect(cat, dan)  # within the week: kept
    assert "deleted 2 connection event(s)" in prune()  # ann-ben and ben-cat
    assert list(ConnectionEvent.objects.values_list("member_a", "member_b")) == [
        tuple(sorted((cat.pk, dan.pk)))
    ]
    # The worker's last applied event is gone or not: either way its next answer is right.
    assert network_queries.degrees_for(ann, [ben, cat, dan]) == [1, 2, 3]
    loader.reset()
    assert network_queries.degrees_for(ann, [ben, cat, dan]) == [1, 2, 3]


def test_d1_the_published_snapshot_keeps_its_events(cast, graph_dir, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    call_command("graph_snapshot", stdout=io.StringIO())
    generation = loader.published_generation()
    frozen_now.advance(days=30)
    prune()
    assert ConnectionEvent.objects.filter(id=generation).exists()  # workers map it, no rebuild
    assert not ConnectionEvent.objects.filter(id__lt=generation).exists()


def test_g3_old_page_fact_events_go_and_the_alumni_tool_still_answers(cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    profiles.update_profile(member=ben, location="Berlin")
    study_at(ben, page)
    assert pages_queries.alumni(ann, page, limit=10).total == 1  # the index holds the page
    events = ProfileEvent.objects.count()
    frozen_now.advance(days=8)
    study_at(cat, page)
    assert f"and {events} page-fact event(s)" in prune()  # cat's, newer, stay
    assert pages_queries.alumni(ann, page, limit=10).total == 2
    pages_index.reset()
    assert pages_queries.alumni(ann, page, limit=10).total == 2


def test_the_newest_event_always_stays(cast, frozen_now):
    connect(cast["ann"], cast["ben"])
    frozen_now.advance(days=100)
    assert prune_log(ConnectionEvent, before=frozen_now()) == 0
    assert ConnectionEvent.objects.count() == 1


def test_a_window_under_a_day_is_refused(db):
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        prune(days=0)
