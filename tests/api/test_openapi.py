"""The OpenAPI document and the browsable docs (issue 2, item 6)."""

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("/api/v1/instance", "get"),
    ("/api/v2/instance", "get"),
    ("/api/v1/apps", "post"),
    ("/api/v1/apps/verify_credentials", "get"),
    ("/api/v1/accounts", "post"),
    ("/api/v1/accounts/verify_credentials", "get"),
    ("/api/v1/accounts/update_credentials", "patch"),
    ("/api/v1/accounts/lookup", "get"),
    ("/api/v1/accounts/{account_id}", "get"),
}


def test_openapi_lists_the_base_endpoints_with_bearer_auth(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    listed = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert listed >= ENDPOINTS
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    account = document["components"]["schemas"]["Account"]["properties"]
    assert {"headline", "positions", "connections_count", "primary_action"} <= set(account)


def test_browsable_docs_load_their_assets_from_this_server(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
