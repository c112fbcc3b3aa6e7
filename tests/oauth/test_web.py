"""U5: personal access tokens made on the settings page work as bearer tokens (issue 2, item 6)."""

import pytest
from oauth2_provider.models import AccessToken

from oauth.services import PERSONAL_APP_NAME, SCOPES_REQUIRED
from tests.api.factories import bearer, personal_token

pytestmark = pytest.mark.django_db


def test_token_created_on_the_settings_page_works_as_a_bearer_token(client, member):
    client.force_login(member)
    page = client.get("/settings/tokens/")
    assert page.status_code == 200
    assert "<main" in page.content.decode()
    response = client.post("/settings/tokens/", {"scopes": ["read", "write"]})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw and raw in response.content.decode()
    client.logout()
    me = client.get("/api/v1/accounts/verify_credentials", **bearer(raw))
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    token = AccessToken.objects.get()
    assert token.application.name == PERSONAL_APP_NAME
    assert token.application.user == member
    assert token.scope == "read write"


def test_the_token_is_shown_once_and_listed_without_its_value(client, member):
    client.force_login(member)
    raw = client.post("/settings/tokens/", {"scopes": ["read"]}).context["new_token"]
    page = client.get("/settings/tokens/").content.decode()
    assert raw not in page
    assert "scopes: read" in page


def test_tokens_share_one_personal_app_per_member(client, member, other_member):
    personal_token(member)
    personal_token(member)
    personal_token(other_member)
    apps = {token.application_id for token in AccessToken.objects.filter(user=member)}
    assert len(apps) == 1
    assert AccessToken.objects.get(user=other_member).application_id not in apps


def test_a_token_needs_a_scope(client, member):
    client.force_login(member)
    response = client.post("/settings/tokens/", {})
    assert response.status_code == 422
    assert str(SCOPES_REQUIRED) in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_read_only_token_cannot_write(client, member):
    raw = personal_token(member, scopes=["read"])
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        {"headline": "x"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403


def test_revoking_stops_the_token(client, member):
    raw = personal_token(member)
    client.force_login(member)
    token = AccessToken.objects.get()
    response = client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert not AccessToken.objects.exists()
    client.logout()
    assert client.get("/api/v1/accounts/verify_credentials", **bearer(raw)).status_code == 401


def test_a_member_cannot_revoke_someone_elses_token(client, member, other_member):
    personal_token(other_member)
    token = AccessToken.objects.get()
    client.force_login(member)
    client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert AccessToken.objects.filter(pk=token.pk).exists()


def test_the_page_needs_a_signed_in_member(client):
    response = client.get("/settings/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
