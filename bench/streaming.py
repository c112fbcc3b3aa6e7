"""`linkwell bench streaming`: how many open streams one worker holds, and how fast a message
reaches them, through the real server (`linkwell serve`'s gunicorn + uvicorn workers on
config.asgi) on a throwaway SQLite database in a temporary directory.

It makes a sender and `--members` connections of theirs, opens `--streams` server-sent-event
streams on `/api/v1/streaming/direct` spread over those members, then sends `--messages`
messages (`POST /api/v1/messages`), one at a time, and times each until every open stream of
its recipient has the `conversation` event. With `--group N` it then starts a group
conversation with N of those members and times `--messages` group messages until every open
stream of every member has the event (one `publish_many` for them all). With `--redis URL`
the events go through Redis pub/sub (as with several workers), and a direct publish is
timed too. Prints figures, never
asserts a time; results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _prepare(members: int):
    """The sender, their connections and a token each, written through the services."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from membership.services import create_member
    from network import services as network
    from oauth.services import issue_token, register_app

    app, _ = register_app(
        name="bench", redirect_uris=["urn:ietf:wg:oauth:2.0:oob"], scopes=["read", "write"]
    )

    def member(handle):
        made = create_member(
            handle=handle,
            email=f"{handle}@bench.example",
            password=None,
            display_name=handle.title(),
            email_confirmed=True,
            validate=False,
        )
        _, raw = issue_token(application=app, member=made, scopes=["read", "write"])
        return made, raw

    sender = member("sender")
    recipients = []
    for i in range(members):
        made = member(f"reader{i}")
        invitation = network.invite(sender=made[0], recipient=sender[0])  # N5: theirs to ask
        network.accept(invitation_id=invitation.pk, by=sender[0])
        recipients.append(made)
    return sender, recipients


async def _request(port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    body = await reader.read()
    writer.close()
    return body


class Streams:
    """N open streams; counts `event: conversation` arrivals per member."""

    def __init__(self, port: int):
        self.port = port
        self.arrivals: dict[int, list[float]] = {}
        self.per_member: dict[int, int] = {}
        self.writers = []
        self.tasks = []

    async def open(self, member_id: int, token: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(
            (
                f"GET /api/v1/streaming/direct HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b":)\n\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head[:200].decode(errors="replace"))
        self.writers.append(writer)
        self.per_member[member_id] = self.per_member.get(member_id, 0) + 1
        self.tasks.append(asyncio.create_task(self._read(member_id, reader)))

    async def _read(self, member_id: int, reader) -> None:
        tail = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            text = tail + chunk
            now = time.perf_counter()
            for _ in range(text.count(b"event: conversation")):
                self.arrivals.setdefault(member_id, []).append(now)
            tail = text[-24:]

    async def wait_all(self, member_ids, timeout: float = 20.0) -> list[float]:
        """Every arrival at the open streams of all these members (a group message)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and any(
            len(self.arrivals.get(m, [])) < self.per_member.get(m, 0) for m in member_ids
        ):
            await asyncio.sleep(0.0005)
        return [t for m in member_ids for t in self.arrivals.pop(m, [])]

    async def wait(self, member_id: int, timeout: float = 10.0) -> list[float]:
        deadline = time.perf_counter() + timeout
        want = self.per_member.get(member_id, 0)
        while len(self.arrivals.get(member_id, [])) < want and time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
        return self.arrivals.pop(member_id, [])

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for writer in self.writers:
            writer.close()


async def _run(args, port: int, master: int, sender, recipients) -> None:
    # Warm up: the first requests import and compile what every later one uses.
    warm = Streams(port)
    await warm.open(recipients[0][0].pk, recipients[0][1])
    body = json.dumps({"to": recipients[0][0].username, "text": "warm-up"}).encode()
    await _request(
        port,
        (
            f"POST /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {sender[1]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body,
    )
    await warm.wait(recipients[0][0].pk)
    warm.close()
    await asyncio.sleep(0.5)
    streams = Streams(port)
    workers = _workers(master)
    rss_before = sum(_rss_kb(w) for w in workers)
    started = time.perf_counter()
    for i in range(args.streams):
        member, token = recipients[i % len(recipients)]
        await streams.open(member.pk, token)
    opened = time.perf_counter() - started
    await asyncio.sleep(1.0)
    rss_after = sum(_rss_kb(w) for w in workers)
    print(
        f"workers: {len(workers)} (uvicorn under gunicorn), transport: "
        f"{'Redis pub/sub' if args.redis else 'in-process'}"
    )
    print(
        f"open streams: {args.streams} over {len(recipients)} members "
        f"(opened in {opened:.2f} s, {opened / args.streams * 1000:.2f} ms each)"
    )
    per_stream = (rss_after - rss_before) / max(args.streams, 1)
    print(
        f"worker RSS: {rss_before / 1024:.1f} MB before, {rss_after / 1024:.1f} MB with the "
        f"streams open ({per_stream:.1f} KB per stream)"
    )
    first, last, acked = [], [], []
    for k in range(args.messages):
        member, _token = recipients[k % len(recipients)]
        body = json.dumps({"to": member.username, "text": f"Message {k}"}).encode()
        raw = (
            f"POST /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {sender[1]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        t0 = time.perf_counter()
        answer = await _request(port, raw)
        acked.append(time.perf_counter() - t0)
        if b" 200 " not in answer.split(b"\r\n", 1)[0]:
            raise RuntimeError(answer[:300].decode(errors="replace"))
        arrived = await streams.wait(member.pk)
        if len(arrived) < streams.per_member[member.pk]:
            print(f"  message {k}: only {len(arrived)} of {streams.per_member[member.pk]} streams")
        if arrived:
            first.append(min(arrived) - t0)
            last.append(max(arrived) - t0)
    fan = streams.per_member[recipients[0][0].pk]
    for label, samples in (
        ("POST /api/v1/messages answered", acked),
        ("send → first stream of the recipient", first),
        (f"send → all {fan} streams of the recipient", last),
    ):
        if samples:
            p50, p99, worst = _percentiles(samples)
            print(
                f"{label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms "
                f"({len(samples)} messages)"
            )
    if args.group:
        await _group_messages(args, port, streams, sender, recipients)
    if args.redis:
        import redis

        from messaging.models import Conversation

        client = redis.Redis.from_url(args.redis)
        member, _ = recipients[0]

        def conversation_id() -> int:
            found = Conversation.objects.filter(member_a=member) | Conversation.objects.filter(
                member_b=member
            )
            return found.values_list("pk", flat=True).first()

        conversation_pk = await asyncio.to_thread(conversation_id)
        published = []
        for _ in range(args.messages):
            body = json.dumps(
                {
                    "member_id": member.pk,
                    "name": "conversation",
                    "data": {"conversation_id": conversation_pk},
                }
            )
            t0 = time.perf_counter()
            client.publish(f"linkwell:live:{member.pk}", body)
            arrived = await streams.wait(member.pk)
            if arrived:
                published.append(max(arrived) - t0)
        p50, p99, worst = _percentiles(published)
        print(
            f"Redis publish → all {fan} streams (entity rendered per stream): "
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms"
        )
    alive = sum(1 for t in streams.tasks if not t.done())
    print(f"streams still open at the end: {alive} of {args.streams}")
    streams.close()


def _post(port: int, token: str, data: dict) -> bytes:
    body = json.dumps(data).encode()
    return (
        f"POST /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


async def _group_messages(args, port: int, streams: Streams, sender, recipients) -> None:
    """A group of `--group` members: each message reaches every open stream of each."""
    members = recipients[: args.group]
    ids = [m.pk for m, _ in members]
    answer = await _request(
        port, _post(port, sender[1], {"to": [m.username for m, _ in members], "text": "Group"})
    )
    found = re.search(rb'"conversation_id": ?"(\d+)"', answer)
    if b" 200 " not in answer.split(b"\r\n", 1)[0] or found is None:
        raise RuntimeError(answer[:300].decode(errors="replace"))
    conversation_id = int(found.group(1))
    await streams.wait_all(ids)
    wanted = sum(streams.per_member.get(m, 0) for m in ids)
    first, last, acked = [], [], []
    for k in range(args.messages):
        raw = _post(
            port,
            sender[1],
            {"conversation_id": conversation_id, "text": f"Group {k}"},
        )
        t0 = time.perf_counter()
        answer = await _request(port, raw)
        acked.append(time.perf_counter() - t0)
        arrived = await streams.wait_all(ids)
        if len(arrived) < wanted:
            print(f"  group message {k}: only {len(arrived)} of {wanted} streams")
        if arrived:
            first.append(min(arrived) - t0)
            last.append(max(arrived) - t0)
    for label, samples in (
        (f"group of {len(ids)}: POST answered", acked),
        ("group send → first stream", first),
        (f"group send → all {wanted} streams of its members", last),
    ):
        if samples:
            p50, p99, worst = _percentiles(samples)
            print(
                f"{label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms "
                f"({len(samples)} messages)"
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench streaming", description=__doc__)
    parser.add_argument("--streams", type=int, default=1000, help="open streams")
    parser.add_argument(
        "--members", type=int, default=0, help="recipients they are spread over (default: one each)"
    )
    parser.add_argument("--messages", type=int, default=100, help="timed messages")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--group", type=int, default=0, help="members of a timed group (≤ 50)")
    parser.add_argument("--redis", default="", help="Redis URL: events through pub/sub")
    args = parser.parse_args(argv)
    args.members = args.members or args.streams

    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    var = tempfile.mkdtemp(prefix="linkwell-bench-streaming-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "LINKWELL_VAR_DIR": var,
            "LINKWELL_HTTPS": "off",
            "DEBUG": "off",
            "LINKWELL_REQUIRE_EMAIL_CONFIRMATION": "off",
            "LINKWELL_STREAM_HEARTBEAT_SECONDS": "30",
            "REDIS_URL": args.redis,
            "SECRET_KEY": "bench-streaming-" + "x" * 40,
        }
    )
    import django

    django.setup()
    sender, recipients = _prepare(args.members)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--log-level",
            "warning",
            "config.asgi:application",
        ],
        env=dict(os.environ),
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0)
        asyncio.run(_run(args, port, server.pid, sender, recipients))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # streams still open: no graceful wait
            server.kill()
            server.wait()
    return 0
