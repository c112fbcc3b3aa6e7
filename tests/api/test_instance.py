"""The instance entities clients read first (issue 2, item 6)."""

import pytest

from api.instance import VERSION

pytestmark = pytest.mark.django_db

V1_FIELDS = {
    "uri", "title", "short_description", "description", "email", "version", "urls", "stats",
    "thumbnail", "languages", "registrations", "approval_required", "invites_enabled",
    "configuration", "contact_account", "rules",
}  # fmt: skip
V2_FIELDS = {
    "domain", "title", "version", "source_url", "description", "usage", "thumbnail",
    "languages", "configuration", "registrations", "contact", "rules",
}  # fmt: skip


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
def test_instance_v1_has_mastodon_fields_with_and_without_slash(client, member, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= V1_FIELDS
    assert body["version"] == "4.3.0 (compatible; Linkwell 0.1.0)"
    assert body["stats"]["user_count"] == 1
    assert set(body["stats"]) == {"user_count", "status_count", "domain_count"}
    assert body["uri"] == "testserver"


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
def test_instance_v2_has_mastodon_fields_with_and_without_slash(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= V2_FIELDS
    assert body["domain"] == "testserver"
    assert body["registrations"]["enabled"] is True
    assert body["configuration"]["statuses"]["max_characters"] == 3000
    assert body["api_versions"] == {"mastodon": 2}


def test_version_string_parses_as_mastodon_4_3_for_mastodon_py():
    from mastodon.utility import parse_version_string

    assert parse_version_string(VERSION) == (4, 3, 0)


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing_here")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
