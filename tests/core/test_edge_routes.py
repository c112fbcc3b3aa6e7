"""The edge holds for every route by construction: routes come from the OpenAPI document and
the URL configuration, so an endpoint added later is covered without a new test.

No database here on purpose: a refused request must never reach a query, and pytest-django
turns any database access into an error.
"""

import uuid
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import converters, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.api import api
from core import edge

SAMPLE = {
    converters.IntConverter: "1",
    converters.StringConverter: "alice",
    converters.SlugConverter: "alice",
    converters.PathConverter: "a/b",
    converters.UUIDConverter: str(uuid.UUID(int=1)),
}


def api_get_routes() -> list[tuple[str, list[str]]]:
    """(path with sample ids, its declared query parameters) for each GET in the document."""
    document = api.get_openapi_schema()
    routes = []
    for template, operations in document["paths"].items():
        if "get" not in operations:
            continue
        parameters = operations["get"].get("parameters", [])
        path = template
        for parameter in parameters:
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", "1")
        query = [p["name"] for p in parameters if p["in"] == "query"]
        routes.append((path, query))
    return sorted(routes)


def url_routes() -> list[str]:
    """Every route of the URL configuration (web, admin, OAuth, API), with sample values."""
    found: set[str] = set()

    def walk(resolver, prefix: str) -> None:
        for key in list(resolver.reverse_dict):
            for (
                possibilities,
                _pattern,
                _defaults,
                converters_by_name,
            ) in resolver.reverse_dict.getlist(key):
                for template, params in possibilities:
                    values = {
                        name: SAMPLE.get(type(converters_by_name.get(name)), "x") for name in params
                    }
                    found.add("/" + prefix + template % values)
        for _namespace, (sub_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, prefix + sub_prefix)

    walk(get_resolver(), "")
    return sorted(found)


API_GET_ROUTES = api_get_routes()
URL_ROUTES = url_routes()
with_nul = st.tuples(st.text(max_size=20), st.text(max_size=20)).map(lambda t: "\x00".join(t))


def test_the_route_lists_are_the_real_ones():
    paths = {path for path, _ in API_GET_ROUTES}
    assert {"/api/v1/accounts/lookup", "/api/v1/accounts/1/connections"} <= paths
    assert len(API_GET_ROUTES) >= 12
    assert {"/in/alice/", "/login/", "/oauth/token", "/admin/"} <= set(URL_ROUTES)
    assert len(URL_ROUTES) >= 40


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    route=st.sampled_from(API_GET_ROUTES),
    pick=st.integers(min_value=0),
    other_name=st.text(max_size=10),
    value=with_nul,
)
def test_every_api_get_route_answers_a_nul_query_value_with_a_json_400(
    route, pick, other_name, value
):
    path, declared = route
    names = [*declared, "q", other_name]
    name = names[pick % len(names)]
    response = Client(raise_request_exception=True).get(f"{path}?{urlencode({name: value})}")
    assert response.status_code == 400, (path, name, response.content)
    assert response["Content-Type"].startswith("application/json")
    assert "NUL character" in response.json()["error"]


@pytest.mark.parametrize("path", URL_ROUTES)
def test_every_route_refuses_a_nul_in_the_query_before_the_database(path):
    response = Client(raise_request_exception=True).get(f"{quote(path)}?next=%2F%00")
    assert response.status_code == 400, response.content
    if edge.answers_oauth(path):
        assert "NUL character" in response.json()["error_description"]
    elif edge.answers_json(path):
        assert "NUL character" in response.json()["error"]
    else:
        assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("path", URL_ROUTES)
def test_every_route_refuses_a_nul_in_a_posted_field_before_the_database(path):
    response = Client(raise_request_exception=True).post(quote(path), {"note": "a\x00b"})
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("path", [p for p in URL_ROUTES if edge.answers_json(p)])
def test_every_api_route_refuses_a_lone_surrogate_in_json_before_the_database(path):
    response = Client(raise_request_exception=True).post(
        quote(path), '{"name": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
