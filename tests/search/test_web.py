"""The search page, the typeahead fragment and the suggestions on My Network."""

import pytest
from django.test import Client

from network import services as network
from search import queries
from tests.network.factories import connect


@pytest.fixture
def me(make_person):
    return make_person("me", "Me Self", company="Hazelmark")


@pytest.fixture
def browser_client(me):
    client = Client()
    client.force_login(me)
    return client


def test_search_page_lists_people_with_badge_mutuals_and_chips(make_person, me, browser_client):
    friend = make_person("friend", "Friend One")
    target = make_person("target", "Ana Lima", headline="Pilot")
    connect(me, friend)
    connect(friend, target)
    page = browser_client.get("/search/", {"q": "ana"}).content.decode()
    assert "Ana Lima" in page and "Pilot" in page
    assert "· 2nd" in page
    assert "1 mutual connection: Friend One" in page
    assert 'href="/search/?q=ana&amp;degree=2"' in page  # the 2nd-degree chip


def test_filter_chips_narrow_and_can_be_removed(make_person, me, browser_client):
    make_person("ana", "Ana Lima", company="Hazelmark")
    make_person("bea", "Ana Costa", company="Other")
    page = browser_client.get("/search/", {"q": "ana", "company": "hazelmark"}).content.decode()
    assert "Ana Lima" in page and "Ana Costa" not in page
    assert 'href="/search/?q=ana"' in page  # removing the company chip


def test_b1_blocked_members_are_not_on_the_page_nor_in_the_typeahead(
    make_person, me, browser_client
):
    blocker = make_person("blocker", "Ana Blocker")
    network.block(blocker=blocker, blocked=me)
    assert "Ana Blocker" not in browser_client.get("/search/", {"q": "ana"}).content.decode()
    assert (
        "Ana Blocker" not in browser_client.get("/search/typeahead/", {"q": "an"}).content.decode()
    )


def test_s1_signed_out_search_shows_the_card_and_offers_no_filters(make_person):
    make_person("ana", "Ana Lima", headline="Pilot", industry="Aerospace")
    client = Client()
    page = client.get("/search/", {"q": "ana"}).content.decode()
    assert "Pilot" in page and "Aerospace" not in page
    assert "Sign in to filter" in page
    assert "Ana Lima" not in client.get("/search/", {"q": "aerospace"}).content.decode()


def test_typeahead_needs_a_member_and_answers_a_fragment(make_person, me, browser_client):
    make_person("mario", "Mario Rossi")
    fragment = browser_client.get("/search/typeahead/", {"q": "mar"}).content.decode()
    assert "Mario Rossi" in fragment and "<html" not in fragment
    assert Client().get("/search/typeahead/", {"q": "mar"}).status_code == 302


def test_mynetwork_shows_suggestions_with_reasons_and_not_now_removes_one(
    make_person, me, browser_client
):
    colleague = make_person("colleague", "Col League", company="Hazelmark")
    page = browser_client.get("/mynetwork/").content.decode()
    assert "People you may know" in page and "Also works at Hazelmark" in page
    response = browser_client.post(
        f"/mynetwork/suggestions/{colleague.pk}/dismiss/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert queries.suggestions(me) == []
    assert "Col League" not in browser_client.get("/mynetwork/").content.decode()


# session, member with its language (one statement since issue 18), 3 engine tiers, 4 of the
# relationships (one statement for their facts since issue 10)
SEARCH_PAGE_QUERIES = 9


def test_search_page_query_count_is_pinned_whatever_the_results(
    make_person, me, browser_client, django_assert_num_queries
):
    for i in range(3):
        make_person(f"ana{i}", "Ana Lima", company="Hazelmark")
    browser_client.get("/search/", {"q": "ana"})
    # session and member, the engine's tiers, blocks, the graph's event replay, S5's list
    # settings, the members shown and their relationships: none per result
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        browser_client.get("/search/", {"q": "ana"})
    for i in range(3, 10):
        make_person(f"ana{i}", "Ana Lima", company="Hazelmark")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        browser_client.get("/search/", {"q": "ana"})


def test_home_loads_suggestions_as_a_fragment(make_person, me, browser_client):
    make_person("colleague", "Col League", company="Hazelmark")
    assert 'hx-get="/mynetwork/suggestions/?limit=3"' in browser_client.get("/").content.decode()
    fragment = browser_client.get("/mynetwork/suggestions/", {"limit": 3}).content.decode()
    assert "Col League" in fragment and "Also works at Hazelmark" in fragment
    assert "<html" not in fragment
