"""Mastodon's /api/v2/search, /api/v1/accounts/search and suggestions, with Linkwell's
filters and fields; blocks (B1), the public card (S1) and dismissal through the API."""

import pytest
from django.test import Client

from network import services as network
from tests.api.factories import bearer, member_token
from tests.network.factories import connect


@pytest.fixture
def me(make_person):
    return make_person("me", "Me Self", company="Hazelmark")


@pytest.fixture
def api(me):
    client, headers = Client(), bearer(member_token(me))

    def call(method, path, **params):
        return getattr(client, method)(path, params, **headers)

    return call


def names(accounts):
    return [a["username"] for a in accounts]


def test_v2_search_finds_accounts_with_degree_and_mutual_count(make_person, me, api):
    friend = make_person("friend", "Friend One")
    target = make_person("ana", "Ana Lima")
    connect(me, friend)
    connect(friend, target)
    answer = api("get", "/api/v2/search", q="ana", type="accounts").json()
    assert set(answer) == {"accounts", "statuses", "hashtags"}
    [account] = answer["accounts"]
    assert account["username"] == "ana" and account["acct"] == "ana"
    assert account["degree"] == 2 and account["mutual_count"] == 1


def test_an_exact_acct_comes_first_as_toot_whois_and_follow_expect(make_person, me, api):
    make_person("ann", "Ann Annson")
    make_person("annabel", "Ann Other")
    found = api("get", "/api/v2/search", q="@ann@testserver", type="accounts", resolve="true")
    assert names(found.json()["accounts"])[0] == "ann"
    foreign = api("get", "/api/v2/search", q="ann@mastodon.example", type="accounts").json()
    assert foreign["accounts"] == []  # another server's acct: no one here (no federation)


def test_degree_and_company_filters_are_extensions(make_person, me, api):
    friend = make_person("friend", "Ana Friend", company="Hazelmark")
    make_person("far", "Ana Far", company="Hazelmark")
    connect(me, friend)
    first = api("get", "/api/v1/accounts/search", q="ana", degree="1").json()
    assert names(first) == ["friend"]
    third = api("get", "/api/v1/accounts/search", q="ana", degree="3", company="hazelmark")
    assert names(third.json()) == ["far"]
    following = api("get", "/api/v1/accounts/search", q="ana", following="true").json()
    assert names(following) == ["friend"]


def test_b1_a_blocked_member_is_never_an_api_result_nor_suggestion(make_person, me, api):
    blocker = make_person("blocker", "Ana Blocker", company="Hazelmark")
    network.block(blocker=blocker, blocked=me)
    assert api("get", "/api/v2/search", q="ana").json()["accounts"] == []
    assert api("get", "/api/v2/suggestions").json() == []
    gone = api("delete", f"/api/v1/suggestions/{blocker.pk}")
    unknown = api("delete", "/api/v1/suggestions/999999")
    assert gone.status_code == unknown.status_code == 404
    assert gone.json() == unknown.json()


def test_s1_without_a_member_token_search_reads_the_public_card(make_person):
    make_person("ana", "Ana Lima", headline="Pilot", industry="Aerospace")
    client = Client()
    [card] = client.get("/api/v2/search", {"q": "pilot"}).json()["accounts"]
    assert card["industry"] == "" and card["degree"] is None
    assert client.get("/api/v2/search", {"q": "aerospace"}).json()["accounts"] == []


def test_v2_suggestions_carry_mastodon_fields_reasons_and_action_and_dismiss(make_person, me, api):
    colleague = make_person("colleague", "Col League", company="Hazelmark")
    [suggestion] = api("get", "/api/v2/suggestions").json()
    assert suggestion["account"]["id"] == str(colleague.pk)
    assert suggestion["source"] in ("staff", "past_interactions", "global")
    assert suggestion["sources"] == ["similar_to_recently_followed"]
    assert suggestion["reasons"] == ["Also works at Hazelmark"]
    assert suggestion["action"] == "connect"
    assert api("delete", f"/api/v1/suggestions/{colleague.pk}").status_code == 200
    assert api("delete", f"/api/v1/suggestions/{colleague.pk}").status_code == 200  # again
    assert api("get", "/api/v2/suggestions").json() == []


def test_suggestions_need_a_member_token(make_person):
    response = Client().get("/api/v2/suggestions")
    assert response.status_code == 401
    assert "error" in response.json()


def test_hashtags_are_found_by_prefix(make_person, me, api):
    from feed import services as feed

    feed.publish(author=me, text="Hello #Python people")
    answer = api("get", "/api/v2/search", q="#pyth", type="hashtags").json()
    assert answer["accounts"] == [] and [t["name"] for t in answer["hashtags"]] == ["Python"]
    assert api("get", "/api/v2/search", q="#nothing", type="hashtags").json()["hashtags"] == []
