"""The streaming API under ASGI (as `linkwell serve` runs it, uvicorn workers): the stream is
an async generator holding no thread, and a message sent meanwhile arrives on it."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient

from messaging import services
from tests.api.factories import member_token
from tests.core.test_live import run_coroutine
from tests.messaging.factories import connect

pytestmark = pytest.mark.django_db(transaction=True)


def test_m1_an_asgi_stream_delivers_a_message_sent_meanwhile(cast, settings):
    settings.LINKWELL_STREAM_HEARTBEAT_SECONDS = 1
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    token = member_token(ben)

    def send_and_let_go():
        """Sent from asgiref's thread, whose connection must not outlive the test (PostgreSQL
        can't drop a test database someone is still connected to)."""
        try:
            services.send(sender=ann, recipient=ben, text="Via ASGI")
        finally:
            connections.close_all()

    async def scenario():
        response = await AsyncClient().get(
            "/api/v1/streaming/direct", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200 and response.is_async
        chunks = aiter(response.streaming_content)
        try:
            assert await anext(chunks) == b":)\n\n"
            await sync_to_async(send_and_let_go)()
            while True:
                chunk = (await asyncio.wait_for(anext(chunks), 5)).decode()
                if chunk.startswith("event:"):
                    return chunk
        finally:
            await chunks.aclose()

    chunk = run_coroutine(scenario)
    name, data = chunk.split("\n", 1)
    assert name == "event: conversation"
    entity = json.loads(data.removeprefix("data: ").strip())
    assert entity["last_status"]["content"] == "<p>Via ASGI</p>"
