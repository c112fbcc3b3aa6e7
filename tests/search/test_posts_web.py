"""Post and hashtag search through the web (the Posts and Hashtags tabs, the typeahead's
hashtags) and the API (`/api/v2/search` statuses and hashtags as Mastodon's entities):
P1, B1 and F3 through every surface."""

import pytest
from django.conf import settings
from django.test import Client

from feed import services as feed
from network import services as network
from tests.api.factories import bearer, member_token
from tests.factories import make_member
from tests.network.factories import connect


def member(handle):
    return make_member(handle=handle, display_name=handle.title(), email=f"{handle}@example.com")


@pytest.fixture
def cast():
    olga, conor, fred, hana = (member(h) for h in ("olga", "conor", "fred", "hana"))
    connect(olga, conor)
    network.follow(follower=fred, followee=olga)
    public = feed.publish(author=olga, text="Garden #Permaculture notes")
    private = feed.publish(
        author=olga, text="Garden budget for connections", visibility="connections"
    )
    network.block(blocker=hana, blocked=olga)
    return {
        "olga": olga,
        "conor": conor,
        "fred": fred,
        "hana": hana,
        "public": public,
        "private": private,
    }


def page(member, **params):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client.get("/search/", params).content.decode()


def test_p1_posts_tab_shows_a_connections_post_to_connections_only(cast):
    assert "Garden budget" in page(cast["conor"], q="garden", type="posts")
    follower = page(cast["fred"], q="garden", type="posts")
    assert "Garden budget" not in follower and "Permaculture" in follower
    assert "Garden budget" not in page(None, q="garden", type="posts")


def test_b1_posts_tab_hides_a_blocked_member_s_posts(cast):
    body = page(cast["hana"], q="garden", type="posts")
    assert "Permaculture" not in body and "No posts match" in body


def test_f3_hashtags_tab_and_typeahead_show_tags_after_people(cast):
    body = page(cast["fred"], q="perma", type="hashtags")
    assert "#Permaculture" in body and "1 post" in body
    client = Client()
    client.force_login(cast["fred"])
    member("permanent_pat")
    typeahead = client.get("/search/typeahead/", {"q": "perma"}).content.decode()
    assert typeahead.index("Permanent_Pat") < typeahead.index("#Permaculture")


def test_search_page_has_people_posts_and_hashtags_tabs(cast):
    body = page(cast["fred"], q="garden")
    for tab in ("type=people", "type=posts", "type=hashtags"):
        assert f"/search/?q=garden&amp;{tab}" in body


# --- API ---------------------------------------------------------------------------------


def api(member, **params):
    headers = bearer(member_token(member)) if member is not None else {}
    return Client().get("/api/v2/search", params, **headers).json()


def test_p1_api_statuses_are_status_entities_the_reader_may_open(cast):
    answer = api(cast["conor"], q="garden", type="statuses")
    assert answer["accounts"] == [] and answer["hashtags"] == []
    statuses = answer["statuses"]
    assert [s["id"] for s in statuses] == [str(cast["private"].pk), str(cast["public"].pk)]
    assert statuses[0]["visibility"] == "private" and statuses[0]["account"]["username"] == "olga"
    assert [s["id"] for s in api(cast["fred"], q="garden", type="statuses")["statuses"]] == [
        str(cast["public"].pk)
    ]
    assert api(cast["hana"], q="garden", type="statuses")["statuses"] == []  # B1


def test_api_a_post_url_finds_that_post_only_for_readers_who_may_open_it(cast):
    url = f"{settings.SITE_URL}/posts/{cast['private'].pk}/"
    found = api(cast["conor"], q=url, type="statuses", resolve="true")["statuses"]
    assert [s["id"] for s in found] == [str(cast["private"].pk)]
    assert api(cast["fred"], q=url, type="statuses", resolve="true")["statuses"] == []


def test_api_statuses_by_account_and_offset(cast):
    conor = cast["conor"]
    feed.publish(author=conor, text="Garden party")
    mine = api(conor, q="garden", type="statuses", account_id=conor.pk)["statuses"]
    assert [s["account"]["username"] for s in mine] == ["conor"]
    assert len(api(conor, q="garden", type="statuses", offset=2)["statuses"]) == 1


def test_f3_api_hashtags_are_tag_entities_with_following(cast):
    feed.follow_hashtag(member=cast["fred"], name="permaculture")
    [tag] = api(cast["fred"], q="#perm", type="hashtags")["hashtags"]
    assert tag["name"] == "Permaculture" and tag["following"] is True
    assert tag["url"].endswith("/tags/permaculture/")
    assert "following" not in api(None, q="perm", type="hashtags")["hashtags"][0]
