"""Every endpoint of the project, found rather than listed: the API's operations from
django-ninja (the OpenAPI document, plus any operation left out of it) and every other route
of the URL configuration (web pages and fragments, OAuth, the admin, the API's own docs).

A route added anywhere shows up here on its own, and the matrix fails until it is classified.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from api.api import api

API_NAMESPACE = "api"
# The API's own pages, served by ninja beside its operations: classified as web routes.
API_PAGES = {"api:openapi-json", "api:openapi-view"}


@dataclass(frozen=True)
class Route:
    key: str  # what classification.py is keyed by
    kind: str  # "api" or "web"
    method: str  # for API operations; web routes take theirs from their entry
    template: str  # "/api/v1/accounts/{account_id}" or "/in/<str:handle>/"
    params: tuple[str, ...]

    def path(self, values: dict) -> str:
        missing = [p for p in self.params if p not in values]
        if missing:
            raise KeyError(
                f"{self.key}: no value for path parameter(s) {missing}: give them in its "
                "entry's params= in tests/security/classification.py"
            )
        if self.kind == "api":
            return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), self.template)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), self.template)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
        return "/" + path.replace("^", "").replace("$", "").replace("/?", "")


def api_routes() -> list[Route]:
    """Each operation of the OpenAPI document, and each one ninja serves outside it."""
    routes = {}
    document = api.get_openapi_schema()
    for template, operations in document["paths"].items():
        for method in operations:
            params = tuple(re.findall(r"\{(\w+)\}", template))
            key = f"{method.upper()} {template}"
            routes[key] = Route(key, "api", method.upper(), template, params)
    prefix = "/api"  # where config/urls.py mounts the API (its OpenAPI paths say so too)
    for router_prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    continue
                template = prefix + (router_prefix or "") + re.sub(r"\{\w+:(\w+)\}", r"{\1}", path)
                for method in operation.methods:
                    key = f"{method} {template}"
                    params = tuple(re.findall(r"\{(\w+)\}", template))
                    routes[key] = Route(key, "api", method, template, params)
    return sorted(routes.values(), key=lambda r: r.key)


def web_routes() -> list[Route]:
    """Every route of the URL configuration that isn't an API operation, keyed by its name
    (with its namespace), or by its pattern where it has no name."""
    found = {}

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                spaces = [*namespaces, entry.namespace] if entry.namespace else namespaces
                walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
                continue
            assert isinstance(entry, URLPattern)
            template = prefix + str(entry.pattern)
            name = ":".join([*namespaces, entry.name]) if entry.name else None
            if namespaces[:1] == [API_NAMESPACE] and name not in API_PAGES:
                continue  # an API operation: api_routes() has it
            key = name or template
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", template))
            found.setdefault(key, Route(key, "web", "", template, params))

    walk(get_resolver().url_patterns, "", [])
    return sorted(found.values(), key=lambda r: r.key)
