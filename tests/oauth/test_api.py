"""OAuth 2 as Mastodon clients use it: code flow with PKCE, client credentials, revocation."""

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from oauth2_provider.models import AccessToken

from accounts.services import TOO_MANY_FOR_ACCOUNT
from api.oauth.views import PASSWORD_GRANT_OFF
from tests.api.factories import REDIRECT, bearer, make_app
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(client, application, *, scope="read write", challenge=None, redirect=REDIRECT):
    """Walks the consent page as the signed-in member and returns the redirect location."""
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": redirect,
        "scope": scope,
        "state": "s-123",
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200, page.content
    return client.post("/oauth/authorize", {**params, "allow": "Authorize"})


def code_from(response) -> str:
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["s-123"]
    return query["code"][0]


def test_consent_page_is_in_the_site_layout_and_names_the_app(client, member):
    application, _ = make_app(name="Elk")
    client.force_login(member)
    response = client.get(
        "/oauth/authorize",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": REDIRECT,
            "scope": "read:accounts",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<main" in html and "Allow Elk to use your account?" in html
    assert "Read your accounts" in html


def test_authorize_signed_out_sends_to_login(client):
    application, _ = make_app()
    response = client.get(
        "/oauth/authorize",
        {"response_type": "code", "client_id": application.client_id, "redirect_uri": REDIRECT},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_code_flow_with_pkce_s256_issues_a_member_token(client, member):
    application, secret = make_app()
    verifier, challenge = pkce_pair()
    client.force_login(member)
    code = code_from(authorize(client, application, challenge=challenge))
    client.logout()
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": secret,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    me = client.get("/api/v1/accounts/verify_credentials", **bearer(body["access_token"]))
    assert me.json()["username"] == "alice"


def test_code_flow_refuses_a_wrong_pkce_verifier(client, member):
    application, secret = make_app()
    _, challenge = pkce_pair()
    client.force_login(member)
    code = code_from(authorize(client, application, challenge=challenge))
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": secret,
            "code_verifier": secrets.token_urlsafe(48),
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_code_flow_without_pkce_still_works_as_mastodon_allows(client, member):
    application, secret = make_app()
    client.force_login(member)
    code = code_from(authorize(client, application))
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": secret,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_code_is_single_use(client, member):
    application, secret = make_app()
    client.force_login(member)
    code = code_from(authorize(client, application))
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": application.client_id,
        "client_secret": secret,
    }
    assert client.post("/oauth/token", data).status_code == 200
    assert client.post("/oauth/token", data).status_code == 400


def test_authorize_refuses_scopes_beyond_the_registration(client, member):
    application, _ = make_app(scopes=["read"])
    client.force_login(member)
    response = client.get(
        "/oauth/authorize",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": REDIRECT,
            "scope": "read write",
            "state": "s-123",
        },
    )
    assert response.status_code == 302
    assert "error=invalid_scope" in response["Location"]


def test_denying_consent_redirects_with_access_denied(client, member):
    application, _ = make_app()
    client.force_login(member)
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read",
        "state": "s-123",
    }
    client.get("/oauth/authorize", params)
    response = client.post("/oauth/authorize", params)
    assert response.status_code == 302
    assert "error=access_denied" in response["Location"]


def test_out_of_band_redirect_shows_the_code_on_a_page(client, member):
    application, secret = make_app(redirect="urn:ietf:wg:oauth:2.0:oob")
    client.force_login(member)
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        "scope": "read",
    }
    client.get("/oauth/authorize", params)
    response = client.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert response.status_code == 200
    code = response.context["code"]
    assert code and code in response.content.decode()
    token = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "client_id": application.client_id,
            "client_secret": secret,
        },
    )
    assert token.status_code == 200


def test_client_credentials_gives_an_app_token_without_a_member(client):
    application, secret = make_app()
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": secret,
            "scope": "read write:accounts",
        },
    )
    assert response.status_code == 200, response.content
    token = AccessToken.objects.get()
    assert token.user is None
    assert token.scope == "read write:accounts"


def test_client_credentials_with_a_wrong_secret_is_refused(client):
    application, _ = make_app()
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": "wrong",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def password_grant(client, application, secret, member):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "password",
            "username": member.username,
            "password": DEFAULT_PASSWORD,
            "client_id": application.client_id,
            "client_secret": secret,
            "scope": "read",
        },
    )


@override_settings(LINKWELL_ENABLE_PASSWORD_GRANT=False)
def test_password_grant_is_refused_naming_the_setting(client, member):
    application, secret = make_app()
    response = password_grant(client, application, secret, member)
    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": PASSWORD_GRANT_OFF,
    }
    assert "LINKWELL_ENABLE_PASSWORD_GRANT" in PASSWORD_GRANT_OFF
    metadata = client.get("/.well-known/oauth-authorization-server").json()
    assert "password" not in metadata["grant_types_supported"]


@override_settings(LINKWELL_ENABLE_PASSWORD_GRANT=True)
def test_password_grant_works_when_the_operator_turns_it_on(client, member):
    application, secret = make_app()
    response = password_grant(client, application, secret, member)
    assert response.status_code == 200, response.content
    assert AccessToken.objects.get().user == member
    metadata = client.get("/.well-known/oauth-authorization-server").json()
    assert "password" in metadata["grant_types_supported"]


@override_settings(LINKWELL_ENABLE_PASSWORD_GRANT=True)
def test_u3_password_grant_is_throttled_like_the_sign_in_page(client, member, frozen_now):
    application, secret = make_app()
    for _ in range(5):
        wrong = client.post(
            "/oauth/token",
            {
                "grant_type": "password",
                "username": "alice@example.com",
                "password": "guess",
                "client_id": application.client_id,
                "client_secret": secret,
            },
        )
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    response = password_grant(client, application, secret, member)
    until = frozen_now() + timedelta(minutes=15)
    assert response.status_code == 429
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}"),
        "rule": "U3",
    }
    assert not AccessToken.objects.exists()
    # ...and the member sign-in page counts the same failures (one throttle for every door).
    page = client.post("/login/", {"identifier": "alice", "password": DEFAULT_PASSWORD})
    assert page.status_code == 429


@override_settings(LINKWELL_ENABLE_PASSWORD_GRANT=True)
def test_u3_password_grant_success_clears_the_accounts_failures(client, member, frozen_now):
    application, secret = make_app()
    for _ in range(4):
        client.post(
            "/login/", {"identifier": "alice", "password": "guess"}, REMOTE_ADDR="192.0.2.9"
        )
    assert password_grant(client, application, secret, member).status_code == 200
    for _ in range(4):
        client.post("/login/", {"identifier": "alice", "password": "guess"})
    assert password_grant(client, application, secret, member).status_code == 200


def test_revoke_makes_the_token_unusable(client, member):
    application, secret = make_app()
    raw = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": secret,
        },
    ).json()["access_token"]
    assert client.get("/api/v1/apps/verify_credentials", **bearer(raw)).status_code == 200
    response = client.post(
        "/oauth/revoke",
        {"token": raw, "client_id": application.client_id, "client_secret": secret},
    )
    assert response.status_code == 200
    assert response.json() == {}
    assert client.get("/api/v1/apps/verify_credentials", **bearer(raw)).status_code == 401


def test_server_metadata_lists_mastodon_endpoints(client):
    response = client.get("/.well-known/oauth-authorization-server")
    body = response.json()
    assert body["issuer"] == "http://testserver/"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert body["app_registration_endpoint"] == "http://testserver/api/v1/apps"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert {"read", "write", "follow", "push", "read:accounts"} <= set(body["scopes_supported"])


def _exchange(client, application, secret, code, redirect=REDIRECT):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": application.client_id,
            "client_secret": secret,
        },
    )


def test_reused_code_revokes_the_tokens_issued_from_it(client, member):
    """RFC 6749 §4.1.2: a code seen twice was stolen; what it bought stops working."""
    application, secret = make_app()
    client.force_login(member)
    code = code_from(authorize(client, application))
    client.logout()
    first = _exchange(client, application, secret, code).json()
    me = "/api/v1/accounts/verify_credentials"
    assert client.get(me, **bearer(first["access_token"])).status_code == 200
    replay = _exchange(client, application, secret, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert client.get(me, **bearer(first["access_token"])).status_code == 401
    refreshed = client.post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": application.client_id,
            "client_secret": secret,
        },
    )
    assert refreshed.status_code == 400, refreshed.content


def test_reused_code_revokes_tokens_refreshed_from_it_too(client, member):
    application, secret = make_app()
    client.force_login(member)
    code = code_from(authorize(client, application))
    client.logout()
    first = _exchange(client, application, secret, code).json()
    refreshed = client.post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": application.client_id,
            "client_secret": secret,
        },
    ).json()
    me = "/api/v1/accounts/verify_credentials"
    assert client.get(me, **bearer(refreshed["access_token"])).status_code == 200
    assert _exchange(client, application, secret, code).status_code == 400
    assert client.get(me, **bearer(refreshed["access_token"])).status_code == 401


def test_a_replayed_code_leaves_other_authorizations_of_the_app_alone(client, member):
    application, secret = make_app()
    client.force_login(member)
    first_code = code_from(authorize(client, application))
    second_code = code_from(authorize(client, application))
    client.logout()
    first = _exchange(client, application, secret, first_code).json()
    second = _exchange(client, application, secret, second_code).json()
    assert _exchange(client, application, secret, first_code).status_code == 400
    me = "/api/v1/accounts/verify_credentials"
    assert client.get(me, **bearer(first["access_token"])).status_code == 401
    assert client.get(me, **bearer(second["access_token"])).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]"])
def test_loopback_redirect_on_another_port_is_accepted_for_native_apps(client, member, host):
    """RFC 8252 §7.3: a native app listens on whatever port the system gives it."""
    application, secret = make_app(redirect=f"http://{host}/callback")
    redirect = f"http://{host}:53117/callback"
    client.force_login(member)
    response = authorize(client, application, redirect=redirect)
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(f"{redirect}?")
    code = code_from(response)
    assert _exchange(client, application, secret, code, redirect=redirect).status_code == 200


def test_a_registered_https_redirect_on_another_port_is_refused(client, member):
    application, _ = make_app(redirect="https://client.example/callback")
    client.force_login(member)
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": "https://client.example:8443/callback",
        "scope": "read",
    }
    response = client.get("/oauth/authorize", params)
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize(
    "redirect", ["com.example.app:/oauth2redirect", "oauth2redirect://com.keylesspalace.tusky/"]
)
def test_code_flow_redirects_to_a_native_apps_own_scheme(client, member, redirect):
    application, secret = make_app(redirect=redirect)
    client.force_login(member)
    response = authorize(client, application, redirect=redirect)
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(f"{redirect}?code=")
    code = code_from(response)
    assert _exchange(client, application, secret, code, redirect=redirect).status_code == 200
