"""B1: across a block, either way, a member is an unknown member. Every route about a member
that the matrix classifies as a 404 across a block answers exactly what it answers for an id
or handle that names no one (same status, same body), web and API alike, so an answer can't
tell "blocked" from "doesn't exist". The routes come from classification.py, so a new action
(messaging's, search's) is checked as soon as it is classified.
"""

import re

import pytest
from django.db import transaction

from tests.security.cast import READERS
from tests.security.expect import NOT_FOUND
from tests.security.test_matrix import ROUTES, entry_for, fill, send

UNKNOWN = {"account_id": 2**31 - 7, "handle": "nobody-goes-by-this"}
MEMBER_PARAMS = set(UNKNOWN)


def cases():
    """(route key, case label) for each route about a member that is a 404 across a block."""
    found = []
    for key, route in sorted(ROUTES.items()):
        entry = entry_for(route)
        if entry is None:
            continue
        for label, case in (entry if isinstance(entry, dict) else {"": entry}).items():
            names_member = MEMBER_PARAMS & set(route.params) or any(
                str(v).strip("{}") in MEMBER_PARAMS for v in (case.data or {}).values()
            )
            if names_member and NOT_FOUND in (case.outcomes["blocked"], case.outcomes["blocking"]):
                found.append((key, label))
    return found


CASES = cases()


def answer(route, case, reader, params):
    """Status and body, less what any page echoes of its request: the CSRF token, and the
    path itself (the language form's `next`), which names the member only as the reader
    typed it."""
    with transaction.atomic():
        response = send(route, case, reader, params)
        transaction.set_rollback(True)
    body = response.content.decode("utf-8", "replace")
    body = re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', r"\1", body)
    path = case.path or route.path({**params, **fill(case.params, params)})
    return response.status_code, body.replace(f'value="{path}"', 'value="<the path>"')


def test_the_cases_are_the_actions_and_reads_about_a_member():
    keys = {key for key, _ in CASES}
    assert {
        "POST /api/v1/accounts/{account_id}/follow",
        "POST /api/v1/accounts/{account_id}/connect",
        "POST /api/v1/reports",
        "GET /api/v1/accounts/{account_id}",
        "profile",
        "network_action",
    } <= keys


@pytest.mark.parametrize(
    "key,label", CASES, ids=[f"{k}{'[' + c + ']' if c else ''}" for k, c in CASES]
)
def test_b1_across_a_block_a_member_is_answered_as_an_unknown_one(cast, db, key, label):
    route = ROUTES[key]
    entry = entry_for(route)
    case = entry[label] if label else entry
    problems = []
    for kind in ("blocked", "blocking"):
        if case.outcomes[kind] != NOT_FOUND:
            continue  # this direction may act (block, unblock; reporting a member you blocked)
        reader = cast.readers[kind]
        across = answer(route, case, reader, cast.params(kind))
        unknown = answer(route, case, reader, {**cast.params(kind), **UNKNOWN})
        if across != unknown:
            problems.append(
                f"{kind}: across the block {across[0]} {across[1][:200]!r}, "
                f"for no one {unknown[0]} {unknown[1][:200]!r}"
            )
    assert not problems, f"{key} {label}:\n  " + "\n  ".join(problems)


def test_b1_relationships_leave_out_a_member_who_blocked_the_viewer(cast, db):
    """As an unknown id is left out; the member the viewer blocked stays (`blocking`), so a
    client can offer to unblock."""
    route = ROUTES["GET /api/v1/accounts/relationships"]
    case = entry_for(route)
    olga = cast.members["owner"].pk
    for kind in READERS:
        reader = cast.readers[kind]
        if reader.member is None:
            continue
        status, body = answer(route, case, reader, cast.params(kind))
        assert status == 200
        listed = f'"id": "{olga}"' in body
        if kind == "blocked":  # Olga blocked Bruno: she doesn't exist for him
            assert body == "[]", body
        elif kind == "hidden":
            assert f'"id": "{cast.members["hana"].pk}"' in body
        else:
            assert listed, (kind, body)
    bianca = cast.readers["blocking"]
    _, body = answer(route, case, bianca, cast.params("blocking"))
    assert '"blocking": true' in body


def test_the_unknown_ids_name_no_one(cast, db):
    from accounts.models import User

    assert not User.objects.filter(pk=UNKNOWN["account_id"]).exists()
    assert not User.objects.filter(username__iexact=UNKNOWN["handle"]).exists()
