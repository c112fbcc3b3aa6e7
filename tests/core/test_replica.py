"""Reads on the streaming replica (core/replica.py): GET requests read it, writes and a
member who just wrote read the primary (read-your-writes), the queue and the graph's event
log never leave the primary. The middleware and router are exercised as a request sees them;
the cluster harness (.ci/cluster) proves it against a real replica."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks.backends.database.models import DBTaskResult

from core import replica
from network.models import Connection, ConnectionEvent
from profiles.models import Profile

ROUTER = replica.PrimaryReplicaRouter()


@pytest.fixture
def seen():
    return {}


@pytest.fixture
def middleware(seen, settings):
    settings.LINKWELL_READ_PRIMARY_SECONDS = 5

    def view(request):
        seen["alias"] = replica.reading_from()
        seen["profile"] = ROUTER.db_for_read(Profile)
        seen["connection"] = ROUTER.db_for_read(Connection)
        seen["event"] = ROUTER.db_for_read(ConnectionEvent)
        seen["task"] = ROUTER.db_for_read(DBTaskResult)
        return HttpResponse("ok")

    handler = replica.ReadYourWrites(view)
    handler.enabled = True  # as with DATABASE_REPLICA_URL set
    return handler


def test_a_get_request_reads_the_replica(middleware, seen):
    middleware(RequestFactory().get("/in/ana/"))
    assert seen["alias"] == "replica"
    assert seen["profile"] == "replica"
    assert seen["connection"] == "replica"


def test_the_queue_and_the_graph_event_log_are_read_on_the_primary_even_in_a_get(middleware, seen):
    middleware(RequestFactory().get("/api/v1/timelines/home"))
    assert seen["task"] == "default"  # claimed FOR UPDATE
    assert seen["event"] == "default"  # the loader's log must never go backwards


def test_a_write_reads_the_primary_and_pins_the_writer_by_cookie(middleware, seen):
    response = middleware(RequestFactory().post("/api/v1/statuses"))
    assert seen["alias"] == "default"
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == 5
    assert cookie["httponly"]
    factory = RequestFactory()
    factory.cookies[replica.PIN_COOKIE] = "1"
    middleware(factory.get("/api/v1/timelines/home"))
    assert seen["alias"] == "default"  # their next read sees what they wrote


def test_an_api_client_without_cookies_is_pinned_by_its_token(middleware, seen):
    auth = {"HTTP_AUTHORIZATION": "Bearer token-of-ana"}
    middleware(RequestFactory().post("/api/v1/statuses", **auth))
    middleware(RequestFactory().get("/api/v1/timelines/home", **auth))
    assert seen["alias"] == "default"
    middleware(RequestFactory().get("/api/v1/timelines/home", HTTP_AUTHORIZATION="Bearer bens"))
    assert seen["alias"] == "replica"  # another member is not pinned by Ana's write


def test_the_pin_lapses_after_its_seconds(middleware, seen):
    from django.core.cache import cache

    auth = {"HTTP_AUTHORIZATION": "Bearer token-of-cai"}
    middleware(RequestFactory().post("/api/v1/statuses", **auth))
    key = replica._credential_key(RequestFactory().get("/", **auth))
    assert cache.get(key) == 1
    cache.delete(key)  # as when LINKWELL_READ_PRIMARY_SECONDS have passed
    middleware(RequestFactory().get("/api/v1/timelines/home", **auth))
    assert seen["alias"] == "replica"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(middleware, seen):
    def view(request):
        with transaction.atomic():
            seen["inside"] = ROUTER.db_for_read(Profile)
        return HttpResponse("ok")

    handler = replica.ReadYourWrites(view)
    handler.enabled = True
    handler(RequestFactory().get("/"))
    assert seen["inside"] == "default"


def test_outside_a_request_everything_reads_the_primary():
    assert replica.reading_from() == "default"
    assert ROUTER.db_for_read(Profile) == "default"
    assert ROUTER.db_for_write(Profile) == "default"
    assert ROUTER.allow_migrate("replica", "profiles") is False


def test_without_a_replica_the_middleware_changes_nothing(seen, settings):
    def view(request):
        seen["alias"] = replica.reading_from()
        return HttpResponse("ok")

    response = replica.ReadYourWrites(view)(RequestFactory().post("/api/v1/statuses"))
    assert seen["alias"] == "default"
    assert replica.PIN_COOKIE not in response.cookies
