"""schemathesis over the OpenAPI document: every operation, schema-valid and schema-violating
inputs, as a seeded member with every scope (so requests reach past 401). Fails on any 5xx,
on any status, content type, header or body the document doesn't declare for that
operation, and on an operation that declares a token but answers without one.

Fixed and bounded: derandomized (the same examples every run) and 10 examples per operation
and mode (about 1,700 requests, 20–60 s on 2 cores). An exploratory run at 60 examples
(about 10,000 requests) found nothing more. Checks left out, and why: docs/security.md, "How
it is tested".
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.api import api
from config.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
]
SCOPES = ["read", "write", "follow", "push"]
STREAM_READ_S = 0.3  # how long an event stream is read (other answers are whole at once)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application  # in-process WSGI: the test's database transaction, no server


@pytest.fixture
def connection_kept():
    """As Django's test client does: the WSGI handler closes the database connection after
    each request, which on PostgreSQL would end the test's transaction mid-test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def quick_heartbeat(settings):
    """A stream never ends: schemathesis reads it until its timeout, checked at each chunk, so
    the heartbeats come often and the timeout is short (the default 15 s heartbeat and 10 s
    timeout made the three streaming operations 90 s each, idle)."""
    settings.LINKWELL_STREAM_HEARTBEAT_SECONDS = 0.05


@pytest.fixture
def member_token(db, fast_hasher, connection_kept, quick_heartbeat):
    from oauth.services import issue_token, register_app
    from tests.factories import make_member

    member = make_member(handle="fuzzer", display_name="Fuzz Er")
    client, _ = register_app(
        name="Fuzzer", redirect_uris=["https://client.example/cb"], scopes=SCOPES
    )
    _, raw = issue_token(application=client, member=member, scopes=SCOPES)
    return raw


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_every_operation_answers_only_what_the_document_declares(case, member_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {member_token}"}, checks=CHECKS, timeout=STREAM_READ_S
    )
