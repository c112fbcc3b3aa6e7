"""U5: the apps a member authorised through OAuth are listed on /settings/tokens/, and
revoking one ends all of its access to that member's account, once and for all."""

import pytest
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from oauth import queries, services
from tests.api.factories import REDIRECT, bearer, make_app, member_token, personal_token
from tests.oauth.test_api import authorize, code_from
from web.tokens.views import APP_REVOKED

pytestmark = pytest.mark.django_db


def authorised_through_the_code_flow(client, member, *, name="Elk", scope="read write"):
    """(application, access token, refresh token, client secret), as a Mastodon app gets them."""
    application, secret = make_app(name=name)
    client.force_login(member)
    code = code_from(authorize(client, application, scope=scope))
    body = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": secret,
        },
    ).json()
    return application, body["access_token"], body["refresh_token"], secret


def verify(client, raw) -> int:
    return client.get("/api/v1/accounts/verify_credentials", **bearer(raw)).status_code


def test_u5_an_authorised_app_is_listed_revoked_and_its_token_stops_working(client, member):
    application, raw, refresh, secret = authorised_through_the_code_flow(client, member)
    assert verify(client, raw) == 200
    page = client.get("/settings/tokens/").content.decode()
    assert "<strong>Elk</strong>" in page and "scopes: read, write" in page
    assert f'action="/settings/tokens/apps/{application.pk}/revoke/"' in page

    response = client.post(f"/settings/tokens/apps/{application.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert str(APP_REVOKED).replace("'", "&#x27;") in response.content.decode()
    assert "<strong>Elk</strong>" not in response.content.decode()
    assert verify(client, raw) == 401
    refreshed = client.post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": application.client_id,
            "client_secret": secret,
        },
    )
    assert refreshed.status_code == 400  # the refresh token went with it
    assert not AccessToken.objects.filter(application=application).exists()


def test_u5_revoking_twice_changes_nothing_more_and_spares_everything_else(
    client, member, other_member
):
    application, raw, _, _ = authorised_through_the_code_flow(client, member)
    _, other_raw, _, _ = authorised_through_the_code_flow(client, other_member, name="Ivory")
    personal = personal_token(member)
    second_app = member_token(member)  # another app, e.g. the one the member joined with
    client.force_login(member)
    others_of_the_same_app = services.issue_token(
        application=application, member=other_member, scopes=["read"]
    )[1]

    assert services.revoke_app(member=member, application_id=application.pk) == 1
    assert services.revoke_app(member=member, application_id=application.pk) == 0
    assert client.post(f"/settings/tokens/apps/{application.pk}/revoke/").status_code == 302
    assert verify(client, raw) == 401
    for still_working in (other_raw, personal, second_app, others_of_the_same_app):
        assert verify(client, still_working) == 200
    assert RefreshToken.objects.filter(user=other_member).exists()


def test_u5_the_personal_token_app_is_not_revoked_as_a_whole(client, member):
    raw = personal_token(member)
    personal_app = AccessToken.objects.get().application
    assert services.revoke_app(member=member, application_id=personal_app.pk) == 0
    assert verify(client, raw) == 200
    assert queries.authorised_apps(member) == []


def test_u5_a_code_not_yet_exchanged_is_revoked_too(client, member):
    application, secret = make_app()
    client.force_login(member)
    code = code_from(authorize(client, application))
    services.revoke_app(member=member, application_id=application.pk)
    assert not Grant.objects.exists()
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": secret,
        },
    )
    assert response.status_code == 400


def test_u5_apps_are_listed_once_with_all_their_scopes_newest_first(client, member):
    elk, _, _, _ = authorised_through_the_code_flow(client, member, scope="read")
    services.issue_token(application=elk, member=member, scopes=["read", "follow"])
    ivory, _, _, _ = authorised_through_the_code_flow(client, member, name="Ivory")
    apps = queries.authorised_apps(member)
    assert [(app.id, app.name, app.scopes) for app in apps] == [
        (ivory.pk, "Ivory", ["read", "write"]),
        (elk.pk, "Elk", ["read", "follow"]),
    ]


def test_u5_revoking_needs_a_signed_in_member_and_a_post(client, member):
    application, raw, _, _ = authorised_through_the_code_flow(client, member)
    assert client.get(f"/settings/tokens/apps/{application.pk}/revoke/").status_code == 405
    client.logout()
    response = client.post(f"/settings/tokens/apps/{application.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert verify(client, raw) == 200
