"""The graph loader: shared mmap snapshots, replay on top, and the chunked database build."""

import io
import json

import pytest
from django.core.management import call_command

from graph import GraphIndex
from network import loader, queries, services
from network.models import Connection, ConnectionEvent
from tests.network.factories import connect

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph_dir(settings, tmp_path):
    directory = tmp_path / "graph"
    settings.LINKWELL_GRAPH_DIR = directory
    return directory


@pytest.fixture
def no_database_build(monkeypatch):
    """Fail any build from the connection table: the index must come from the snapshot."""

    def refuse():
        raise AssertionError("built from the database instead of loading the snapshot")

    monkeypatch.setattr(loader, "build_from_database", refuse)


def pointer(directory):
    (path,) = directory.glob("current-*.json")
    return json.loads(path.read_text())


def all_degrees(graph, members):
    return [graph.degrees(m.pk, [x.pk for x in members]) for m in members]


def test_d1_a_snapshot_loads_with_the_same_degrees_as_a_fresh_build(cast, graph_dir):
    ann, ben, cat, dan, eve = cast.values()
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    call_command("graph_snapshot", stdout=io.StringIO())
    loaded = loader._load_snapshot(graph_dir)
    fresh = loader.build_from_database()
    assert loaded is not None
    assert loaded.generation == fresh.generation == pointer(graph_dir)["generation"]
    assert loaded.connections == fresh.connections == 3
    members = [ann, ben, cat, dan, eve]
    assert all_degrees(loaded, members) == all_degrees(fresh, members)
    assert queries.degrees_for(ann, [ben, cat, dan, eve]) == [1, 2, 3, None]


def test_d1_a_connection_made_after_the_snapshot_is_seen_through_replay(
    cast, graph_dir, no_database_build
):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    graph_dir.mkdir()
    loader.save_snapshot(GraphIndex.from_edges([ann.pk], [ben.pk]), graph_dir)
    # The snapshot above says generation 0 while the log holds an event: not trusted.
    with pytest.raises(AssertionError):
        loader.current_index()
    loader.reset()
    snapshot = GraphIndex.from_edges([ann.pk], [ben.pk])
    snapshot.generation = ConnectionEvent.objects.latest("id").pk
    loader.save_snapshot(snapshot, graph_dir)
    connect(ben, cat)
    assert queries.degrees_for(ann, [ben, cat]) == [1, 2]


def test_a_snapshot_ahead_of_the_log_is_ignored_and_rebuilt(cast, graph_dir):
    """A database restored from a backup older than the snapshot: the log lacks its generation."""
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ben, cat)
    call_command("graph_snapshot", stdout=io.StringIO())
    ahead = pointer(graph_dir)["generation"]
    # Restore to before ben–cat: its row and its event are gone.
    Connection.objects.filter(member_a=min(ben.pk, cat.pk), member_b=max(ben.pk, cat.pk)).delete()
    ConnectionEvent.objects.filter(id=ahead).delete()
    loader.reset()
    assert queries.degrees_for(ann, [ben, cat]) == [1, None]
    assert pointer(graph_dir)["generation"] == ConnectionEvent.objects.latest("id").pk < ahead
    assert len(list(graph_dir.glob("snapshot-*"))) == 1


def test_d1_two_workers_see_a_change_made_through_the_services_on_their_next_call(
    cast, graph_dir, monkeypatch
):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    graph_dir.mkdir()
    first = loader.current_index()  # no snapshot yet: builds and publishes one
    assert pointer(graph_dir)["generation"] == first.generation
    loader.reset()
    with monkeypatch.context() as patch:
        patch.setattr(loader, "build_from_database", lambda: pytest.fail("not from the snapshot"))
        second = loader.current_index()  # the next worker maps the published snapshot
    assert second is not first

    invitation = services.invite(sender=cat, recipient=ann)
    services.accept(invitation_id=invitation.pk, by=ann)
    services.disconnect(by=ben, member=ann)
    connect(ben, dan)

    for worker in (first, second):
        monkeypatch.setattr(loader, "_index", worker)
        assert queries.degrees_for(ann, [ben, cat, dan]) == [None, 1, None]
        assert queries.degrees_for(cat, [ann, ben]) == [1, None]
        assert loader.current_index() is worker  # replayed, not reloaded


def test_a_missing_or_unreadable_snapshot_is_never_an_error(cast, graph_dir):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    assert queries.degrees_for(ann, [ben]) == [1]  # no directory at all: built, nothing saved
    assert not graph_dir.exists()
    call_command("graph_snapshot", stdout=io.StringIO())
    (path,) = graph_dir.glob("current-*.json")
    path.write_text("{not json")
    loader.reset()
    assert queries.degrees_for(ann, [ben]) == [1]
    for snapshot in graph_dir.glob("snapshot-*"):
        for array in snapshot.glob("*.npy"):
            array.write_bytes(b"garbage")
    loader.reset()
    assert queries.degrees_for(ann, [ben]) == [1]


def test_the_database_build_reads_more_rows_than_one_chunk(cast, monkeypatch):
    ann, ben, cat, dan, eve = cast.values()
    for a, b in [(ann, ben), (ann, cat), (ann, dan), (ben, cat), (dan, eve)]:
        connect(a, b)
    monkeypatch.setattr(loader, "CHUNK", 2)
    sizes = []
    original = GraphIndex.from_chunks.__func__

    def spy(cls, chunks, **kwargs):
        chunks = list(chunks)
        sizes.extend(len(a) for a, _ in chunks)
        return original(cls, chunks, **kwargs)

    monkeypatch.setattr(GraphIndex, "from_chunks", classmethod(spy))
    graph = loader.build_from_database()
    assert sizes == [2, 2, 1]
    assert graph.connections == 5
    assert graph.generation == ConnectionEvent.objects.latest("id").pk
    assert graph.degrees(ann.pk, [ben.pk, cat.pk, dan.pk, eve.pk]) == [1, 1, 1, 2]


def test_a_worker_maps_a_newer_snapshot_published_by_another_process(cast, graph_dir, monkeypatch):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    graph_dir.mkdir()
    monkeypatch.setattr(loader, "REMAP_EVERY", 0.0)
    worker = loader.current_index()
    assert loader.current_index() is worker  # nothing new published
    connect(ben, cat)
    call_command("graph_snapshot", stdout=io.StringIO())  # say, a cron job
    monkeypatch.setattr(loader, "build_from_database", lambda: pytest.fail("not mapped"))
    remapped = loader.current_index()
    assert remapped is not worker
    assert remapped.generation == pointer(graph_dir)["generation"]
    assert queries.degrees_for(ann, [ben, cat]) == [1, 2]
