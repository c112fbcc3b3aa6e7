"""PostgreSQL (or SQLite) unreachable: a clean 503 with Retry-After, JSON under /api/ and a
plain page on the web, and the next request after it returns is answered as usual. The
database's connect is the network edge mocked here; .ci/cluster restarts a real PostgreSQL."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from tests.factories import make_member


def unreachable():
    return mock.patch.object(
        type(connections["default"]),
        "ensure_connection",
        side_effect=OperationalError("connection refused: is the server running?"),
    )


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_the_api_answers_a_json_503_while_the_database_is_unreachable(client):
    make_member(handle="ana")
    with unreachable():
        response = client.get("/api/v1/accounts/lookup?acct=ana")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "database" in response.json()["error"]
    assert response["Retry-After"] == "5"
    assert client.get("/api/v1/accounts/lookup?acct=ana").status_code == 200  # recovered


@pytest.mark.django_db
def test_the_web_answers_a_plain_503_page_while_the_database_is_unreachable(client):
    make_member(handle="ana")
    with unreachable():
        response = client.get("/in/ana/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Back in a moment" in body
    assert "can&#x27;t reach its database" in body or "can't reach its database" in body
    assert "<script" not in body  # CSP: nothing inline
    assert client.get("/in/ana/").status_code in (200, 302)


@pytest.mark.django_db
def test_the_503_speaks_the_browsers_language(client):
    with unreachable():
        response = client.get("/api/v1/instance", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 503
    assert "Datenbank" in response.json()["error"]


def test_any_other_error_is_still_the_500_page(rf):
    from web.errors import server_error

    try:
        raise RuntimeError("a bug, not an outage")
    except RuntimeError:
        response = server_error(rf.get("/in/ana/"))
    assert response.status_code == 500
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/in/ana/"))
    assert response.status_code == 503
