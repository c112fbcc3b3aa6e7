"""The pages on the web: tabs, follow, post as the page, people and alumni, admins only."""

from datetime import date

from feed.models import Post
from pages import queries, services
from pages.models import EducationPage, Page, PositionPage
from profiles.models import Education, Position
from tests.pages.factories import company, connect, school, study_at, work_at


def test_g2_follow_from_the_page_and_the_count_moves(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann, slug="hazelmark")
    client.force_login(ben)
    answer = client.get("/company/hazelmark/")
    assert answer.status_code == 200 and b"Hazelmark" in answer.content
    assert client.post("/company/hazelmark/follow/").status_code == 302
    assert queries.follows(ben, page)
    assert "2 followers" in client.get("/company/hazelmark/").content.decode()


def test_g1_only_admins_see_the_admin_tools_and_post_as_the_page(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    company(ann, slug="hazelmark")
    client.force_login(ben)
    assert client.get("/company/hazelmark/admin/").status_code == 403
    assert client.post("/company/hazelmark/post/", {"text": "Not mine"}).status_code == 403
    client.force_login(ann)
    assert client.get("/company/hazelmark/admin/").status_code == 200
    client.post("/company/hazelmark/post/", {"text": "Hello from the page", "key": "k1"})
    posts = client.get("/company/hazelmark/posts/").content.decode()
    assert "Hello from the page" in posts and 'href="/company/hazelmark/"' in posts


def test_g1_the_home_composer_posts_as_a_page_the_member_administers(client, cast):
    """G1: home's "Post as" lists the pages the member administers and, chosen, publishes
    in the page's name; a member who is no admin sees no switch and can't borrow one."""
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann, slug="hazelmark")
    client.force_login(ann)
    home = client.get("/").content.decode()
    assert 'name="as_page"' in home and f'<option value="{page.pk}">Hazelmark</option>' in home
    client.post("/posts/new/", {"text": "Hiring at Hazelmark", "as_page": page.pk, "key": "k1"})
    client.post("/posts/new/", {"text": "In my own name", "as_page": "", "key": "k2"})
    assert Post.objects.get(text="Hiring at Hazelmark").page_id == page.pk
    assert Post.objects.get(text="In my own name").page_id is None
    assert "Hiring at Hazelmark" in client.get("/company/hazelmark/posts/").content.decode()
    client.force_login(ben)
    assert 'name="as_page"' not in client.get("/").content.decode()
    client.post("/posts/new/", {"text": "Not mine", "as_page": page.pk, "key": "k3"})
    assert not Post.objects.filter(text="Not mine").exists()


def test_g3_people_tab_hides_blocked_members_both_ways(client, cast):
    from network import services as network

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = company(ann, slug="hazelmark")
    work_at(ben, page)
    work_at(cat, page)
    network.block(blocker=cat, blocked=ann)
    client.force_login(ann)
    body = client.get("/company/hazelmark/people/?current=true").content.decode()
    assert "/in/ben/" in body and "/in/cat/" not in body


def test_g3_connections_work_here_with_faces(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann, slug="hazelmark")
    connect(ann, ben)
    work_at(ben, page)
    client.force_login(ann)
    body = client.get("/company/hazelmark/").content.decode()
    assert "1 of your connections works here" in body
    here = body.split('<p class="page-here">', 1)[1].split("</p>", 1)[0]
    assert here.count('<span class="avatar avatar-xs">') == 1  # Ben's face beside the count


def test_g3_people_tab_shows_each_person_with_their_degree_badge(client, cast):
    """Issue 16's People: each current or past employee with their degree (D1) as seen by
    the viewer: 1st for a connection, 2nd for a connection's connection."""
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = company(ann, slug="hazelmark")
    connect(ann, ben)
    connect(ben, cat)
    work_at(ben, page)
    work_at(cat, page)
    client.force_login(ann)
    body = client.get("/company/hazelmark/people/?current=true").content.decode()
    rows = {
        handle: body.split(f'href="/in/{handle}/"', 1)[1].split("</li>", 1)[0]
        for handle in ("ben", "cat")
    }
    assert 'class="degree-badge" title="1st degree connection">· 1st' in rows["ben"]
    assert 'class="degree-badge" title="2nd degree connection">· 2nd' in rows["cat"]


def test_g3_alumni_tool_narrows_by_year_and_city(client, cast):
    from profiles import services as profiles

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann, slug="northfield")
    profiles.update_profile(member=ben, location="Berlin")
    profiles.update_profile(member=cat, location="Lisbon")
    study_at(ben, page, start=2008, end=2012)
    study_at(cat, page, start=2015, end=2019)
    body = client.get("/school/northfield/alumni/").content.decode()
    assert "2 alumni" in body and "Berlin" in body and "Lisbon" in body
    body = client.get("/school/northfield/alumni/?start_year=2010").content.decode()
    assert "1 alumnus" in body and "Lisbon" in body and "Berlin" not in body
    body = client.get("/school/northfield/alumni/?location=Berlin").content.decode()
    assert "1 alumnus" in body and "/in/ben/" in body


def test_g1_create_a_page_from_the_web(client, cast):
    ann = cast["ann"]
    client.force_login(ann)
    answer = client.post(
        "/pages/new/", {"kind": "school", "name": "Northfield University", "slug": "northfield"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/school/northfield/"
    page = Page.objects.get(slug="northfield")
    assert queries.admin_ids(page) == [ann.pk]


def test_g3_profile_links_a_position_to_its_page_with_the_logo(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    company(ann, name="Hazelmark", slug="hazelmark")
    client.force_login(ben)
    client.post(
        "/in/ben/edit/positions/",
        {
            "position-title": "Engineer",
            "position-company": "Hazelmark",
            "position-started_on": "2020-01-01",
        },
    )
    body = client.get("/in/ben/").content.decode()
    assert 'href="/company/hazelmark/"' in body
    logo = body.split('<a href="/company/hazelmark/" class="entry-page-logo"', 1)[1]
    assert logo.split("</a>", 1)[0].count('class="page-logo page-logo-sm"') == 1


def test_page_suggestions_for_the_company_field(client, cast):
    company(cast["ann"], name="Hazelmark", slug="hazelmark")
    client.force_login(cast["ben"])
    body = client.get("/pages/suggest/?kind=company&position-company=haz").content.decode()
    assert '<option value="Hazelmark">' in body


def test_g3_pages_sharing_a_name_are_told_apart_and_the_chosen_one_is_linked(client, cast):
    """Two claimed pages named "Hazelmark": the autocomplete offers each with its slug, and
    the one chosen is the position's page (the company kept as the name alone); a name in
    brackets that names no such page stays the company as typed."""
    ann, ben = cast["ann"], cast["ben"]
    company(ann, name="Hazelmark", slug="hazelmark")
    other = company(ben, name="Hazelmark", slug="hazelmark-porto")
    client.force_login(ben)
    body = client.get("/pages/suggest/?kind=company&position-company=haz").content.decode()
    assert '<option value="Hazelmark (hazelmark)">' in body
    assert '<option value="Hazelmark (hazelmark-porto)">' in body
    for typed in ("Hazelmark (hazelmark-porto)", "Hazelmark (nowhere)"):
        client.post(
            "/in/ben/edit/positions/",
            {
                "position-title": "Engineer",
                "position-company": typed,
                "position-started_on": "2020-01-01",
            },
        )
    chosen, typed = Position.objects.filter(member=ben).order_by("pk")
    assert chosen.company == "Hazelmark"
    assert PositionPage.objects.get(position_id=chosen.pk).page_id == other.pk
    assert typed.company == "Hazelmark (nowhere)"
    assert PositionPage.objects.get(position_id=typed.pk).page.slug not in (
        "hazelmark",
        "hazelmark-porto",
    )


def test_g3_a_school_chosen_among_namesakes_links_that_school(client, cast):
    ann, ben = cast["ann"], cast["ben"]
    school(ann, name="Northfield", slug="northfield")
    other = school(ben, name="Northfield", slug="northfield-ohio")
    client.force_login(ben)
    body = client.get("/pages/suggest/?kind=school&education-school=north").content.decode()
    assert '<option value="Northfield (northfield-ohio)">' in body
    client.post(
        "/in/ben/edit/education/",
        {"education-school": "Northfield (northfield-ohio)", "education-start_year": "2001"},
    )
    (entry,) = Education.objects.filter(member=ben)
    assert entry.school == "Northfield"
    assert EducationPage.objects.get(education_id=entry.pk).page_id == other.pk


def test_claim_an_unclaimed_page(client, cast):
    ann = cast["ann"]
    work_at(ann, company="Stub Co", ended=date(2021, 1, 1))
    stub = Page.objects.get(name="Stub Co")
    client.force_login(ann)
    client.post(f"/company/{stub.slug}/claim/")
    assert services.claim_page(by=ann, page=stub).status == "pending"


def test_g1_site_admins_approve_company_and_school_claims_from_the_queue(cast, admin_client):
    """G1: the claims queue's "Approve" action makes each claimant the page's admin (company
    or school), and a rival claim on the same page is refused with it."""
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    work_at(ann, company="Stub Co", ended=date(2021, 1, 1))
    study_at(ben, school="Stub School")
    stub_co = Page.objects.get(kind="company", name="Stub Co")
    stub_school = Page.objects.get(kind="school", name="Stub School")
    mine = services.claim_page(by=ann, page=stub_co)
    rival = services.claim_page(by=cat, page=stub_co)
    theirs = services.claim_page(by=ben, page=stub_school)
    assert {mine.status, rival.status, theirs.status} == {"pending"}
    queue = admin_client.get("/admin/pages/pageclaim/").content.decode()
    assert "Approve the selected claims" in queue
    admin_client.post(
        "/admin/pages/pageclaim/",
        {"action": "approve", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert queries.admin_ids(stub_co) == [ann.pk]
    assert queries.admin_ids(stub_school) == [ben.pk]
    for claim in (mine, rival, theirs):
        claim.refresh_from_db()
    assert (mine.status, rival.status, theirs.status) == ("approved", "refused", "approved")
    assert Page.objects.get(pk=stub_school.pk).claimed
