"""The authorization matrix (S1, S5, P1, B1): every route of the project, found in the URL
configuration and the API's operations, asked by each kind of reader, answers as
classification.py says, and no body shows a reader something they may not see.

A route that isn't classified fails here with the entry to add; an entry whose route is gone
fails too. How to classify a new endpoint: docs/security.md, "The authorization matrix".
"""

import json
from fnmatch import fnmatchcase
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from network import loader
from pages import index as pages_index
from tests.security import classification, expect
from tests.security.cast import ABOUT, HEADLINE, MAY_SEE, READERS
from tests.security.routes import api_routes, web_routes

ROUTES = {route.key: route for route in [*api_routes(), *web_routes()]}
TABLES = {"api": classification.API, "web": classification.WEB}
SIGN_IN_PAGES = ("/login/", "/admin/login/")


def entry_for(route):
    """The route's entry: its own key, else the longest glob that matches it."""
    table = TABLES[route.kind]
    if route.key in table:
        return table[route.key]
    globs = [key for key in table if "*" in key and fnmatchcase(route.key, key)]
    return table[max(globs, key=len)] if globs else None


def suggestion(route) -> str:
    table = "API" if route.kind == "api" else "WEB"
    shape = "about_member" if route.params else "members"
    return (
        f"{route.key!r} ({route.template}) is not classified: add an entry to {table} in "
        f'tests/security/classification.py, e.g.\n    {route.key!r}: {shape}("<who may see '
        'it, and why>"),\n(public / members / about_member / owner_only / private_post / '
        "expect, see tests/security/expect.py and docs/security.md)"
    )


def fill(value, params):
    if callable(value):
        return value()
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return params[value[1:-1]]
    if isinstance(value, list):
        return [fill(v, params) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, params) for k, v in value.items()}
    return value


CLIENT = []


def send(route, entry, reader, params):
    """One request as this reader. One test client for all: a new one loads the middleware
    again, and WhiteNoise's scan of the static files made that most of the matrix's time."""
    if not CLIENT:
        CLIENT.append(Client())
    client = CLIENT[0]
    client.cookies.clear()
    headers = {}
    if route.kind == "api":
        if reader.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {reader.token}"
    elif reader.session_cookie:
        client.cookies["sessionid"] = reader.session_cookie
    path = entry.path or route.path({**params, **fill(entry.params, params)})
    method = (route.method or entry.method).lower()
    data = fill(entry.data, params) if entry.data is not None else None
    if method == "get":
        return client.get(path, data or {}, **headers)
    if route.kind == "api" and entry.json:
        body = json.dumps(data if data is not None else {})
        return client.generic(method.upper(), path, body, "application/json", **headers)
    if method == "post":
        return client.post(path, data or {}, **headers)
    return client.generic(method.upper(), path, **headers)


def outcome_of(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return expect.OK
    if 300 <= status < 400:
        target = urlparse(response["Location"]).path
        return expect.SIGN_IN if target in SIGN_IN_PAGES else expect.REDIRECT
    if status in (400, 409, 422):
        return expect.REFUSED
    return str(status)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def check(route, entry, kind, reader, params) -> list[str]:
    """What went wrong for this reader, as sentences; empty when all is as classified."""
    wanted = entry.outcomes[kind]
    with transaction.atomic():
        try:
            response = send(route, entry, reader, params)
        except Exception as exc:  # a 500: the test client re-raises the view's exception
            return [f"{kind}: expected {wanted}, the view raised {type(exc).__name__}: {exc}"]
        finally:
            transaction.set_rollback(True)
    if route.method not in ("", "GET") or entry.method != "get":
        loader.reset()  # the index replayed events the savepoint took back
        pages_index.reset()
        cache.clear()
    got = outcome_of(response)
    body = body_of(response)
    problems = []
    if wanted == expect.CARD and got == expect.OK:
        if HEADLINE in body and ABOUT not in body:
            got = expect.CARD
        else:
            got = "200 with more or less than the public card"
    if got != wanted:
        problems.append(
            f"{kind}: expected {wanted}, got {got} ({response.status_code}) {body[:300]!r}"
        )
    for marker, readers in MAY_SEE.items():
        if kind not in readers and marker in body:
            problems.append(f"{kind}: LEAK, the body shows {marker!r}")
    if got == expect.OK:
        for marker in entry.shows:  # the hidden reader reads Hana's, not Olga's
            if kind in MAY_SEE[marker] and kind != "hidden" and marker not in body:
                problems.append(f"{kind}: expected the body to show {marker!r}")
    return problems


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_every_route_answers_each_kind_of_reader_as_classified(cast, db, key):
    route = ROUTES[key]
    entry = entry_for(route)
    assert entry is not None, suggestion(route)
    cases = entry if isinstance(entry, dict) else {"": entry}
    problems = []
    for label, case in cases.items():
        for kind in READERS:
            found = check(route, case, kind, cast.readers[kind], cast.params(kind))
            problems += [f"[{label}] {p}" if label else p for p in found]
    reason = entry.reason if not isinstance(entry, dict) else "one case per action"
    assert not problems, f"{key} ({reason}):\n  " + "\n  ".join(problems)


def test_every_entry_names_a_route_that_exists():
    stale = []
    for kind, table in TABLES.items():
        keys = {route.key for route in ROUTES.values() if route.kind == kind}
        for entry_key in table:
            if "*" in entry_key:
                found = any(fnmatchcase(k, entry_key) for k in keys)
            else:
                found = entry_key in keys
            if not found:
                stale.append(entry_key)
    assert not stale, f"entries for routes that no longer exist, remove them: {stale}"


def test_the_routes_are_the_real_ones():
    """The lists come from the URL configuration and ninja, not from the classification."""
    expected = {
        "GET /api/v1/accounts/{account_id}",
        "GET /api/v1/trends",  # served, but left out of the OpenAPI document
        "profile",
        "oauth2_provider:token",
        "admin:index",
    }
    assert expected <= set(ROUTES)
    assert len([r for r in ROUTES.values() if r.kind == "api"]) >= 80
    assert len([r for r in ROUTES.values() if r.kind == "web"]) >= 100
