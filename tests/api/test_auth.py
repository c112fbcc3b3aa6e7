"""The bearer-token interface other routers build on, and Mastodon's scope rules."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from oauth import scopes
from tests.api.factories import bearer, member_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("granted", "wanted", "allowed"),
    [
        (["read"], "read:accounts", True),
        (["read:accounts"], "read:accounts", True),
        (["read:statuses"], "read:accounts", False),
        (["write"], "read:accounts", False),
        (["follow"], "write:follows", True),
        (["follow"], "write:accounts", False),
        (["write"], "write:accounts", True),
        (["profile"], "read:accounts", False),
    ],
)
def test_an_umbrella_scope_grants_its_parts(granted, wanted, allowed):
    assert scopes.allows(granted, wanted) is allowed


def test_scopes_parse_space_and_plus_separated():
    assert scopes.parse("read+write  follow read") == ["read", "write", "follow"]


def test_an_expired_token_is_401(client, member):
    raw = member_token(member)
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_a_deactivated_members_token_is_401(client, member):
    raw = member_token(member)
    member.is_active = False  # as an operator does in the admin: no service deactivates yet
    member.save(update_fields=["is_active"])
    assert client.get("/api/v1/accounts/verify_credentials", **bearer(raw)).status_code == 401


def test_a_non_bearer_authorization_header_is_401(client, member):
    response = client.get(
        "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION="Basic YWxpY2U6eA=="
    )
    assert response.status_code == 401


def test_optional_auth_refuses_a_bad_token_but_accepts_none(client, member):
    assert client.get(f"/api/v1/accounts/{member.pk}").status_code == 200
    response = client.get(f"/api/v1/accounts/{member.pk}", **bearer("made-up"))
    assert response.status_code == 401
