"""The process-wide graph loader: graph.GraphIndex from the connection table, kept fresh.

A process's index comes, on first use, from the newest shared snapshot under
settings.LINKWELL_GRAPH_DIR (memory-mapped, so every worker maps the same pages) or, when there
is none still valid for this database, from the connection table read in chunks. Every call
then replays the ConnectionEvent rows newer than `index.generation` (one indexed query), so a
change is visible in the very next request of any worker. Public: `current_index()`,
`publish_snapshot()`, `reset()`; everything else reads the graph through `network.queries`.
Design and figures: docs/architecture.md, "Graph index".
"""

import fcntl
import hashlib
import itertools
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, router

from core.compiled import CompiledRead
from core.replica import PRIMARY
from network.models import Connection, ConnectionEvent

logger = logging.getLogger(__name__)

CHUNK = 200_000  # rows per numpy chunk while building from the database
REMAP_EVERY = 30.0  # seconds between looks for a newer shared snapshot
_lock = threading.Lock()
_index = None
_pointer_seen = None  # (pointer file, inode, mtime_ns) when the index was opened
_looked_at = 0.0


def current_index():
    """The process's GraphIndex, with every connection event so far applied."""
    global _index
    with _lock:
        if _index is not None and _newer_snapshot():
            _index = None  # map the newer snapshot: this worker's private overlay is let go
        if _index is None or not _replay(_index):
            _index = _open()
        return _index


def reset() -> None:
    """Drop the loaded index (tests roll the database back under it)."""
    global _index, _pointer_seen
    with _lock:
        _index = _pointer_seen = None


def _newer_snapshot() -> bool:
    """Whether another process published a snapshot since ours (one stat every REMAP_EVERY)."""
    global _looked_at
    now = time.monotonic()
    if now - _looked_at < REMAP_EVERY:
        return False
    _looked_at = now
    state = _pointer_state(Path(settings.LINKWELL_GRAPH_DIR))
    return state is not None and state != _pointer_seen


def _pointer_state(directory: Path):
    path = directory / f"current-{_database_key()}.json"
    try:
        stat = path.stat()
    except OSError:
        return None
    return path, stat.st_ino, stat.st_mtime_ns


def _open():
    """The newest valid snapshot, mapped; else a build from the database, saved for the next
    worker when the snapshot directory is writable. Never fails for want of a snapshot."""
    global _pointer_seen, _looked_at
    directory = Path(settings.LINKWELL_GRAPH_DIR)
    writable = directory.is_dir() and os.access(directory, os.W_OK)
    with _snapshot_lock(directory, exclusive=writable):
        index = _load_snapshot(directory)
        if index is None:
            index = build_from_database()
            if writable:
                try:
                    save_snapshot(index, directory)
                except OSError:
                    logger.exception("could not save the graph snapshot in %s", directory)
        _pointer_seen = _pointer_state(directory)
        _looked_at = time.monotonic()
    _replay(index)  # events committed while we were reading are idempotent to re-apply
    index.warm_up()
    return index


def build_from_database():
    """GraphIndex.from_chunks over the connection table: one numpy chunk of CHUNK rows at a
    time, so memory stays ~8 bytes per connection plus one chunk (no Python list of edges)."""
    from graph import GraphIndex

    generation = _last_event_id()  # before reading: later events are replayed on top
    # The primary, as the event log is (core.replica): rows and generation from one copy.
    rows = Connection.objects.using(PRIMARY).values_list("member_a_id", "member_b_id").order_by()
    pairs = rows.iterator(chunk_size=CHUNK)

    def chunks():
        while True:
            flat = np.fromiter(
                itertools.chain.from_iterable(itertools.islice(pairs, CHUNK)), dtype=np.int64
            )
            if not flat.shape[0]:
                return
            edges = flat.reshape(-1, 2)
            yield edges[:, 0], edges[:, 1]

    index = GraphIndex.from_chunks(chunks())
    index.generation = generation
    return index


def _last_event_id() -> int:
    return ConnectionEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- Shared snapshots -------------------------------------------------------------------


def _database_key() -> str:
    """Snapshots are per database: a test database never picks up the site's, nor the reverse."""
    identity = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def _event_mark(event_id: int) -> list | None:
    """What the generation's event says, stored beside it: a restored or reseeded database
    that reuses the id with another event is caught, not just one whose log is shorter."""
    row = (
        ConnectionEvent.objects.filter(id=event_id)
        .values_list("member_a", "member_b", "connected", "at")
        .first()
    )
    return None if row is None else [row[0], row[1], row[2], row[3].isoformat()]


@contextmanager
def _snapshot_lock(directory: Path, *, exclusive: bool):
    """fcntl.flock on a file in the snapshot directory, so one worker builds and writes while
    the others wait and then map its result; no lock when the directory can't hold one."""
    path = directory / f".lock-{_database_key()}"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT if exclusive else os.O_RDONLY, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class Published:
    """What `publish_snapshot` wrote, and how long building and saving took (seconds)."""

    path: Path
    members: int
    connections: int
    generation: int
    build_seconds: float
    save_seconds: float


def publish_snapshot(directory: Path | None = None) -> Published:
    """Build from the database and publish the result as the shared snapshot, under the same
    lock the workers take, so none of them maps a half-written one (`linkwell graph_snapshot`).
    """
    directory = Path(directory or settings.LINKWELL_GRAPH_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with _snapshot_lock(directory, exclusive=True):
        index = build_from_database()
        built = time.perf_counter()
        path = save_snapshot(index, directory)
    return Published(
        path=path,
        members=index.members,
        connections=index.connections,
        generation=index.generation,
        build_seconds=built - started,
        save_seconds=time.perf_counter() - built,
    )


def save_snapshot(index, directory: Path) -> Path:
    """Writes `index` under a new directory, then swaps the pointer file with os.replace, so a
    reader sees either the old snapshot or the new one, never half of one. Older snapshots of
    this database are removed (workers that mapped them keep their pages until they let go)."""
    key = _database_key()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"snapshot-{key}-{index.generation}-{time.time_ns()}"
    index.save(directory / name)
    pointer = {
        "snapshot": name,
        "generation": index.generation,
        "event": _event_mark(index.generation) if index.generation else None,
        "connections": index.connections,
        "members": index.members,
    }
    tmp = directory / f".current-{key}.json.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(pointer))
    os.replace(tmp, directory / f"current-{key}.json")
    for old in directory.glob(f"snapshot-{key}-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return directory / name


def published_generation(directory: Path | None = None) -> int | None:
    """The event id this database's published snapshot was taken at, if there is one: the
    log is kept from there, so a new worker maps the snapshot instead of rebuilding."""
    try:
        return int(_pointer(Path(directory or settings.LINKWELL_GRAPH_DIR))["generation"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pointer(directory: Path) -> dict:
    """This database's pointer file in `directory`, as `save_snapshot` wrote it."""
    return json.loads((directory / f"current-{_database_key()}.json").read_text())


def _load_snapshot(directory: Path):
    """The mapped snapshot named by this database's pointer file, or None when there is none
    or it no longer matches the database (its generation's event is gone or says otherwise)."""
    from graph import GraphIndex

    try:
        pointer = _pointer(directory)
        generation = int(pointer["generation"])
        if generation and _event_mark(generation) != pointer["event"]:
            logger.info("graph snapshot %s is not from this database; rebuilding", pointer)
            return None
        if not generation and (
            _last_event_id() or Connection.objects.using(PRIMARY).count() != pointer["connections"]
        ):
            return None  # taken before any event: valid only while the log is still empty
        index = GraphIndex.load(directory / pointer["snapshot"], mmap=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return index if index.generation == generation else None


# Run by every request that asks the graph: compiled once per database (the ORM built it on
# every call, most of the read's CPU; docs/benchmarks.md, "search-cpu").
_EVENTS_SINCE = CompiledRead(
    lambda since: (
        ConnectionEvent.objects.filter(id__gte=since)
        .order_by("id")
        .values_list("id", "member_a", "member_b", "connected")
    ),
    -1,
)


def _replay(index) -> bool:
    """Apply the events past `index.generation`; False when the log no longer holds the
    last applied event (a rolled-back or reset database), so the caller reloads."""
    since = index.generation
    events = _EVENTS_SINCE.rows(router.db_for_read(ConnectionEvent), since)
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
