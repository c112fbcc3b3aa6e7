"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials (issue 2, item 6)."""

import pytest
from oauth2_provider.models import Application

from oauth.services import REDIRECT_SCHEME_REFUSED
from tests.api.factories import bearer, make_app

pytestmark = pytest.mark.django_db


def test_register_app_returns_credential_application_with_plain_secret(client):
    response = client.post(
        "/api/v1/apps",
        {
            "client_name": "Tusky",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write follow push",
            "website": "https://tusky.app",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Tusky"
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["redirect_uri"] == "urn:ietf:wg:oauth:2.0:oob"
    assert body["redirect_uris"] == ["urn:ietf:wg:oauth:2.0:oob"]
    assert body["website"] == "https://tusky.app"
    assert body["vapid_key"] == ""
    application = Application.objects.get(client_id=body["client_id"])
    assert application.client_type == Application.CLIENT_CONFIDENTIAL
    assert application.client_secret != body["client_secret"]  # stored hashed


def test_register_app_accepts_json_with_a_list_of_redirect_uris(client):
    response = client.post(
        "/api/v1/apps",
        {
            "client_name": "Ivory",
            "redirect_uris": ["https://a.example/cb", "https://b.example/cb"],
            "scopes": "read:accounts write:accounts",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["redirect_uris"] == ["https://a.example/cb", "https://b.example/cb"]
    assert body["redirect_uri"] == "https://a.example/cb\nhttps://b.example/cb"
    assert body["scopes"] == ["read:accounts", "write:accounts"]


def test_register_app_defaults_to_read_scope(client):
    response = client.post(
        "/api/v1/apps", {"client_name": "Minimal", "redirect_uris": "https://m.example/cb"}
    )
    assert response.json()["scopes"] == ["read"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"redirect_uris": "https://x.example/cb"}, "Application name can't be blank"),
        ({"client_name": "X"}, "Redirect URI can't be blank"),
        ({"client_name": "X", "redirect_uris": "not a uri"}, "must be an absolute URI"),
        (
            {"client_name": "X", "redirect_uris": "https://x.example/", "scopes": "read admin"},
            "Scopes are not known to this server: admin",
        ),
    ],
)
def test_register_app_refusals_are_422_json(client, data, message):
    response = client.post("/api/v1/apps", data)
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_app_verify_credentials_with_an_app_token(client):
    application, secret = make_app(scopes=["read", "write"])
    token = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": secret,
            "scope": "read",
        },
    ).json()["access_token"]
    response = client.get("/api/v1/apps/verify_credentials", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Test client"
    assert body["scopes"] == ["read", "write"]
    assert "client_secret" not in body


def test_app_verify_credentials_without_token_is_401(client):
    response = client.get("/api/v1/apps/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.cookie)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "blob:https://client.example/uuid",
    ],
)
def test_register_app_refuses_redirect_schemes_a_browser_would_run_or_read(client, uri):
    response = client.post("/api/v1/apps", {"client_name": "X", "redirect_uris": uri})
    assert response.status_code == 422
    scheme = uri.split(":")[0].lower()
    assert response.json()["error"] == REDIRECT_SCHEME_REFUSED.format(scheme=scheme, uri=uri)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "uri",
    [
        "https://client.example/callback",
        "http://127.0.0.1/callback",
        "com.example.app:/oauth2redirect",
        "oauth2redirect://com.keylesspalace.tusky/",
        "urn:ietf:wg:oauth:2.0:oob",
    ],
)
def test_register_app_accepts_https_loopback_and_app_schemes(client, uri):
    response = client.post("/api/v1/apps", {"client_name": "X", "redirect_uris": uri})
    assert response.status_code == 200, response.content
    assert response.json()["redirect_uris"] == [uri]
