"""The pages API: pages as Mastodon accounts, the /api/v1/pages extensions, posting as a page."""

from datetime import date

from pages import queries
from pages.models import PAGE_ACCOUNT_BASE, Page
from tests.api.factories import bearer, member_token
from tests.pages.factories import company, connect, school, study_at, work_at


def _auth(member):
    return bearer(member_token(member))


def test_g1_create_a_page_then_read_it_as_an_account(client, cast):
    ann = cast["ann"]
    made = client.post(
        "/api/v1/pages",
        {
            "name": "Hazelmark",
            "kind": "company",
            "slug": "hazelmark",
            "website": "https://hz.example",
        },
        content_type="application/json",
        **_auth(ann),
    )
    assert made.status_code == 200, made.content
    page = made.json()
    assert page["kind"] == "company" and page["admin"] and page["following"]
    assert int(page["id"]) == PAGE_ACCOUNT_BASE + Page.objects.get().pk
    account = client.get(f"/api/v1/accounts/{page['id']}").json()
    assert account["group"] is False and account["bot"] is False
    assert account["kind"] == "company" and account["display_name"] == "Hazelmark"
    assert account["followers_count"] == 1


def test_g1_patch_is_for_admins_only(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    url = f"/api/v1/pages/{page.account_id}"
    refused = client.patch(url, {"tagline": "Ours"}, content_type="application/json", **_auth(ben))
    assert refused.status_code == 403 and refused.json()["rule"] == "G1"
    done = client.patch(url, {"tagline": "Ours"}, content_type="application/json", **_auth(ann))
    assert done.json()["tagline"] == "Ours"


def test_g1_admins_list_add_and_never_remove_the_last(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    url = f"/api/v1/pages/{page.account_id}/admins"
    last = client.delete(f"{url}/{ann.pk}", **_auth(ann))
    assert last.status_code == 409 and last.json()["rule"] == "G1"
    added = client.post(
        url, {"account_id": str(ben.pk)}, content_type="application/json", **_auth(ann)
    )
    assert [a["username"] for a in added.json()] == ["ann", "ben"]
    left = client.delete(f"{url}/{ann.pk}", **_auth(ann))
    assert [a["username"] for a in left.json()] == ["ben"]


def test_f3_follow_a_page_with_the_account_endpoint_and_read_its_statuses(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    posted = client.post(
        "/api/v1/statuses",
        {"status": "Hiring now", "page_id": str(page.account_id)},
        content_type="application/json",
        **_auth(ann),
    )
    assert posted.status_code == 200, posted.content
    status = posted.json()
    assert status["account"]["id"] == str(page.account_id)  # the page, not ann
    rel = client.post(f"/api/v1/accounts/{page.account_id}/follow", **_auth(ben)).json()
    assert rel["following"] is True and rel["id"] == str(page.account_id)
    rels = client.get(f"/api/v1/accounts/relationships?id[]={page.account_id}", **_auth(ben)).json()
    assert rels[0]["following"] is True
    statuses = client.get(f"/api/v1/accounts/{page.account_id}/statuses").json()
    assert [s["id"] for s in statuses] == [status["id"]]
    home = client.get("/api/v1/timelines/home", **_auth(ben)).json()
    assert [s["id"] for s in home] == [status["id"]]
    mine = client.get(f"/api/v1/accounts/{ann.pk}/statuses", **_auth(ben)).json()
    assert mine == []  # G1: the page's post is not ann's


def test_g1_a_non_admin_cannot_post_as_the_page(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    answer = client.post(
        "/api/v1/statuses",
        {"status": "Pretending", "page_id": str(page.account_id)},
        content_type="application/json",
        **_auth(ben),
    )
    assert answer.status_code == 403 and answer.json()["rule"] == "G1"


def test_g3_people_current_and_past_with_blocks_hidden(client, cast):
    from datetime import date

    from network import services as network

    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    page = company(ann)
    work_at(ben, page)
    work_at(cat, page, ended=date(2022, 1, 1))
    work_at(dan, page)
    network.block(blocker=ann, blocked=dan)
    url = f"/api/v1/pages/{page.account_id}/people"
    assert [a["username"] for a in client.get(f"{url}?current=true", **_auth(ann)).json()] == [
        "ben"
    ]
    assert [a["username"] for a in client.get(f"{url}?current=false", **_auth(ann)).json()] == [
        "cat"
    ]
    everyone = client.get(f"{url}?current=true", **_auth(dan)).json()
    assert [a["username"] for a in everyone] == ["dan", "ben"]  # dan's block hides ann only


def test_g3_alumni_with_facets_and_a_hidden_member(client, cast):
    from profiles import services as profiles
    from tests.pages.factories import set_profile

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    profiles.update_profile(member=ben, location="Berlin")
    profiles.update_profile(member=cat, location="Berlin")
    study_at(ben, page, field="Physics", start=2008, end=2012)
    study_at(cat, page, field="Law", start=2014, end=2018)
    url = f"/api/v1/pages/{page.account_id}/alumni"
    found = client.get(url).json()
    assert found["total"] == 2
    assert found["facets"]["location"] == [{"value": "Berlin", "count": 2}]
    narrowed = client.get(f"{url}?start_year=2010&location=Berlin").json()
    assert narrowed["total"] == 1 and narrowed["facets"]["field"] == [{"value": "Law", "count": 1}]
    assert [a["username"] for a in narrowed["accounts"]] == ["cat"]
    set_profile(cat, discoverable=False)
    assert client.get(url).json()["facets"]["location"] == [{"value": "Berlin", "count": 1}]
    bad = client.get(f"{url}?start_year=soon")
    assert bad.status_code == 422 and bad.json()["rule"] == "G3"


def test_unknown_page_is_a_json_404(client, cast):
    assert client.get(f"/api/v1/pages/{PAGE_ACCOUNT_BASE + 999}").status_code == 404
    assert client.get(f"/api/v1/accounts/{PAGE_ACCOUNT_BASE + 999}").status_code == 404


def test_analytics_for_admins(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    url = f"/api/v1/pages/{page.account_id}/analytics"
    assert client.get(url, **_auth(ben)).status_code == 403
    figures = client.get(url, **_auth(ann)).json()
    assert figures["followers"][-1]["followers"] == 1 and figures["posts"] == 0
    assert queries.is_admin(ann, page)


def test_g1_analytics_show_followers_over_time_and_each_viewers_impression_once(
    client, cast, frozen_now
):
    """The admins' analytics (issue 16): followers at the end of each of the last 30 days,
    the page's posts with their impressions (P4: each viewer once) and reactions."""
    from feed import impressions
    from feed import services as feed
    from pages import services

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = company(ann)  # Ann follows her page from its first day
    frozen_now.advance(days=2)
    services.follow_page(member=ben, page=page)
    frozen_now.advance(days=3)
    services.follow_page(member=cat, page=page)
    post = feed.publish(author=ann, text="Hiring", page_id=page.pk)
    impressions.flush([(post.pk, ben.pk), (post.pk, cat.pk), (post.pk, ben.pk)])
    feed.react(member=ben, post_id=post.pk)
    figures = client.get(f"/api/v1/pages/{page.account_id}/analytics", **_auth(ann)).json()
    days = figures["followers"]
    assert len(days) == 30 and days[-1]["date"] == frozen_now.value.date().isoformat()
    assert [d["followers"] for d in days[-6:]] == [1, 1, 2, 2, 2, 3]
    assert (figures["posts"], figures["impressions"], figures["reactions"]) == (1, 2, 1)


def test_g3_the_page_entity_counts_your_connections_here_with_their_faces(client, cast):
    """GET /api/v1/pages/:id's `connections_here`: "N of your connections work here" (current
    positions only, connections only) with up to three faces, the lowest ids; a school's
    are those who studied there; signed out there is none."""
    from tests.factories import make_member

    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    former, stranger = make_member(handle="former"), make_member(handle="stranger")
    page = company(ann)
    northfield = school(ann)
    for other in (ben, cat, dan, eve, former):
        connect(ann, other)
    for member in (ben, cat, dan, eve, stranger):
        work_at(member, page)
    work_at(former, page, ended=date(2021, 1, 1))
    study_at(cat, northfield)
    here = client.get(f"/api/v1/pages/{page.account_id}", **_auth(ann)).json()["connections_here"]
    assert here["count"] == 4
    assert [a["username"] for a in here["accounts"]] == ["ben", "cat", "dan"]
    studied = client.get(f"/api/v1/pages/{northfield.account_id}", **_auth(ann)).json()
    assert studied["connections_here"]["count"] == 1
    assert [a["username"] for a in studied["connections_here"]["accounts"]] == ["cat"]
    assert client.get(f"/api/v1/pages/{page.account_id}").json()["connections_here"] is None


def test_g3_alumni_filter_by_end_year_company_title_and_field_through_the_api(client, cast):
    """GET /api/v1/pages/:id/alumni takes every filter the issue names, stacked: each one
    narrows the list and every facet."""
    from profiles import services as profiles

    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    page = school(ann)
    for member, city in ((ben, "Berlin"), (cat, "Berlin"), (dan, "Lisbon")):
        profiles.update_profile(member=member, location=city)
    study_at(ben, page, field="Physics", start=2006, end=2010)
    study_at(cat, page, field="Physics", start=2012, end=2016)
    study_at(dan, page, field="Law", start=2008, end=2012)
    work_at(ben, company="Orbit", title="CTO")
    work_at(cat, company="Orbit", title="Engineer")
    work_at(dan, company="Acme", title="CTO")
    url = f"/api/v1/pages/{page.account_id}/alumni"

    def names(**filters):
        found = client.get(url, filters).json()
        return found["total"], sorted(a["username"] for a in found["accounts"]), found["facets"]

    assert names(end_year=2012)[:2] == (2, ["ben", "dan"])
    assert names(company="Orbit")[:2] == (2, ["ben", "cat"])
    assert names(title="CTO")[:2] == (2, ["ben", "dan"])
    assert names(field="Physics")[:2] == (2, ["ben", "cat"])
    total, who, facets = names(field="Physics", company="Orbit", end_year=2012)
    assert (total, who) == (1, ["ben"])
    assert facets["title"] == [{"value": "CTO", "count": 1}]
    assert facets["location"] == [{"value": "Berlin", "count": 1}]
