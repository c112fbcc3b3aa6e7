"""core.live: events reach the member's open subscriptions and nobody else's, in-process and
through Redis pub/sub (REDIS_URL), sync and asyncio subscribers alike."""

import asyncio
import os
import threading

import pytest

from core import live

REDIS = os.environ.get("LINKWELL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def run_coroutine(make):
    """asyncio.run in a thread of its own: a browser test earlier in the same process leaves
    Playwright's event loop running in this one."""
    found = []

    def run():
        try:
            found.append(asyncio.run(make()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            found.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    if isinstance(found[0], BaseException):
        raise found[0]
    return found[0]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(params=["in-process", "redis"])
def transport(request, settings):
    if request.param == "redis":
        if not _redis_up():
            pytest.skip(f"no Redis at {REDIS}")
        settings.REDIS_URL = REDIS
    else:
        settings.REDIS_URL = ""
    return request.param


def test_an_event_reaches_only_the_members_subscriptions(transport):
    mine, other = live.subscribe([900101]), live.subscribe([900202])
    try:
        live.publish(900101, "conversation", {"conversation_id": 7})
        event = mine.get(5)
        assert event == live.Event(900101, "conversation", {"conversation_id": 7})
        assert other.get(0.3) is None
    finally:
        mine.close()
        other.close()
    # by member: streams of other tests in this process may still be winding down
    assert live.HUB.count(900101) == live.HUB.count(900202) == 0


def test_an_asyncio_subscriber_hears_a_publish_from_another_thread(transport):
    async def scenario():
        subscription = live.subscribe([303], loop=asyncio.get_running_loop())
        try:
            await asyncio.to_thread(live.publish, 303, "notification", {"notification_id": 1})
            return await subscription.aget(5)
        finally:
            subscription.close()

    assert run_coroutine(scenario).name == "notification"


def test_a_closed_subscription_hears_nothing_and_publishing_to_nobody_is_fine(transport):
    subscription = live.subscribe([404])
    subscription.close()
    live.publish(404, "conversation", {})
    live.publish(999, "conversation", {})
    assert subscription.get(0.3) is None


def test_sse_frames_each_line_of_data():
    assert live.sse("update", '{"a": 1}') == 'event: update\ndata: {"a": 1}\n\n'
    assert live.sse("x", "one\ntwo") == "event: x\ndata: one\ndata: two\n\n"
