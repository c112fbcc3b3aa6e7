"""Live events for open streams: `publish(member_id, event, data)` and `subscribe(member_ids)`.

In-process by default (one process serves every stream, as the embedded default does); with
`REDIS_URL` set, events go through Redis pub/sub so whichever worker holds a member's stream
delivers it. Areas publish after commit (`publish_after_commit`), so a stream never tells of
a row a reader could not yet load. Events carry ids only: the stream's surface builds what
it sends through the same reads as any other answer, for the member who listens.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

PREFIX = "linkwell:live:"


@dataclass(frozen=True)
class Event:
    member_id: int
    name: str  # Mastodon's event names: update, notification, conversation, delete
    data: dict


class _Hub:
    """The in-process fan-out: subscribers by member id, each a queue (sync or asyncio)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[int, set[Subscription]] = {}

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            for member_id in subscription.member_ids:
                self._subscribers.setdefault(member_id, set()).add(subscription)

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            for member_id in subscription.member_ids:
                found = self._subscribers.get(member_id)
                if found is not None:
                    found.discard(subscription)
                    if not found:
                        del self._subscribers[member_id]

    def deliver(self, event: Event) -> int:
        with self._lock:
            targets = list(self._subscribers.get(event.member_id, ()))
        for subscription in targets:
            subscription.put(event)
        return len(targets)

    def count(self, member_id: int | None = None) -> int:
        """Open subscriptions, all of them or one member's."""
        with self._lock:
            if member_id is not None:
                return len(self._subscribers.get(member_id, ()))
            return len({s for subs in self._subscribers.values() for s in subs})


HUB = _Hub()


class Subscription:
    """One open stream's inbox. `get(timeout)` (a sync server) or `await aget(timeout)` (ASGI);
    both return an Event or None when the timeout passed (time for a heartbeat)."""

    def __init__(self, member_ids, *, loop: asyncio.AbstractEventLoop | None = None):
        self.member_ids = tuple(member_ids)
        self._loop = loop
        self._sync: queue.SimpleQueue | None = None if loop else queue.SimpleQueue()
        self._async: asyncio.Queue | None = asyncio.Queue() if loop else None

    def put(self, event: Event) -> None:
        if self._async is not None:
            self._loop.call_soon_threadsafe(self._async.put_nowait, event)
        else:
            self._sync.put(event)

    def get(self, timeout: float) -> Event | None:
        try:
            return self._sync.get(timeout=timeout)
        except queue.Empty:
            return None

    async def aget(self, timeout: float) -> Event | None:
        try:
            return await asyncio.wait_for(self._async.get(), timeout)
        except TimeoutError:
            return None

    def close(self) -> None:
        HUB.remove(self)


_CLIENTS: dict[str, object] = {}
_LISTENERS: dict[str, threading.Thread] = {}
_LISTENER_LOCK = threading.Lock()


def _redis_client():
    """One client (a connection pool) per URL and process."""
    client = _CLIENTS.get(settings.REDIS_URL)
    if client is None:
        import redis

        client = _CLIENTS[settings.REDIS_URL] = redis.Redis.from_url(settings.REDIS_URL)
    return client


def _listen(url: str, ready: threading.Event) -> None:
    """The process's one Redis subscriber: every live event of the site, handed to this
    process's hub, which passes it to the streams open here (none: dropped at once)."""
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
            pubsub.psubscribe(f"{PREFIX}*")
            ready.set()
            for message in pubsub.listen():
                if message.get("type") != "pmessage":
                    continue
                body = json.loads(message["data"])
                for member_id in body.get("member_ids") or [body["member_id"]]:
                    HUB.deliver(Event(member_id, body["name"], body["data"]))
        except Exception:  # noqa: BLE001 - Redis went away: try again in a moment
            time.sleep(1.0)


def _ensure_listener() -> None:
    url = settings.REDIS_URL
    with _LISTENER_LOCK:
        found = _LISTENERS.get(url)
        if found is None or not found.is_alive():
            ready = threading.Event()
            found = threading.Thread(
                target=_listen, args=(url, ready), daemon=True, name="live-redis"
            )
            _LISTENERS[url] = found
            found.start()
            ready.wait(2.0)  # the first stream of a process hears what follows its opening


def subscribe(member_ids, *, loop: asyncio.AbstractEventLoop | None = None) -> Subscription:
    """Start listening for these members' events; close() the subscription when done."""
    subscription = Subscription(member_ids, loop=loop)
    if settings.REDIS_URL:
        _ensure_listener()
    HUB.add(subscription)
    return subscription


def publish(member_id: int, name: str, data: dict) -> None:
    """Tell the member's open streams, wherever they are open; nobody listening is fine."""
    if settings.REDIS_URL:
        body = json.dumps({"member_id": member_id, "name": name, "data": data})
        try:
            _redis_client().publish(f"{PREFIX}{member_id}", body)
        except Exception:  # noqa: BLE001 - a live event is a courtesy: the write stands
            return
    else:
        HUB.deliver(Event(member_id, name, data))


def publish_after_commit(member_id: int, name: str, data: dict) -> None:
    transaction.on_commit(lambda: publish(member_id, name, data))


def publish_many(member_ids, name: str, data: dict) -> None:
    """One event to many members (a group's participants, a post's readers): one Redis
    message however many they are (each worker's listener hands it to the streams open
    there), one hub lookup per member in-process."""
    member_ids = sorted(set(member_ids))
    if not member_ids:
        return
    if settings.REDIS_URL:
        body = json.dumps({"member_ids": member_ids, "name": name, "data": data})
        try:
            _redis_client().publish(f"{PREFIX}many", body)
        except Exception:  # noqa: BLE001 - a live event is a courtesy: the write stands
            return
    else:
        for member_id in member_ids:
            HUB.deliver(Event(member_id, name, data))


def publish_many_after_commit(member_ids, name: str, data: dict) -> None:
    member_ids = list(member_ids)
    transaction.on_commit(lambda: publish_many(member_ids, name, data))


# --- Server-sent events: one stream per open page or client ---------------------------------


def sse(name: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in (data.splitlines() or [""]))
    return f"event: {name}\n{lines}\n"


def _close_connections() -> None:
    """Let the thread's database connections go, but never one inside a transaction (a test's,
    or ATOMIC_REQUESTS): closing it would end that transaction under its owner."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def _closing_connections(render):
    """An event rendered off the request's thread must not leave a database connection
    open in the pool's thread."""

    def run(event):
        try:
            return render(event)
        finally:
            _close_connections()

    return run


def event_stream(request, member_id: int, render, *, heartbeat: float | None = None):
    """A `text/event-stream` response of the member's events, each turned into
    `(event name, data)` pairs by `render(event)` (which reads, through the usual doors, what
    this member may see; an empty list skips the event). Async under ASGI, so an open stream
    holds no worker thread; a plain generator under WSGI (the embedded server, tests)."""
    from django.core.handlers.asgi import ASGIRequest
    from django.http import StreamingHttpResponse

    # Mastodon's `:thump` comment keeps proxies from closing an idle stream, and tells a
    # worker that its client left (the write fails), so the subscription ends.
    beat = settings.LINKWELL_STREAM_HEARTBEAT_SECONDS if heartbeat is None else heartbeat
    if isinstance(request, ASGIRequest):
        from asgiref.sync import sync_to_async

        rendered = sync_to_async(_closing_connections(render), thread_sensitive=False)

        async def events():
            subscription = subscribe([member_id], loop=asyncio.get_running_loop())
            # The request's database connection would stay open as long as the stream: let
            # it go (in the request's own thread) before waiting.
            await sync_to_async(_close_connections, thread_sensitive=True)()
            try:
                yield ":)\n\n"
                while True:
                    event = await subscription.aget(beat)
                    if event is None:
                        yield ":thump\n\n"
                        continue
                    for name, data in await rendered(event):
                        yield sse(name, data)
            finally:
                subscription.close()

        content = events()
    else:
        render = _closing_connections(render)

        def events():
            subscription = subscribe([member_id])  # on the first read: an unread stream holds none
            _close_connections()
            try:
                yield ":)\n\n"
                while True:
                    event = subscription.get(beat)
                    if event is None:
                        yield ":thump\n\n"
                        continue
                    for name, data in render(event):
                        yield sse(name, data)
            finally:
                subscription.close()

        content = events()
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
