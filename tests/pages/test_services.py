"""G1–G3, F3, M5 through the services: admins, follows and the feed, links, claims."""

from datetime import date

import pytest

from core.errors import Conflict, Forbidden, Invalid
from feed import home
from feed import services as feed
from feed.models import Post
from messaging import queries as messaging
from network import services as network
from pages import queries, services
from pages.models import EducationPage, Page, PageFollow, PositionPage
from tests.pages.factories import company, connect, school, study_at, work_at


def test_g1_creator_is_the_first_admin_and_follows_the_page(cast):
    ann = cast["ann"]
    page = company(ann, slug="hazelmark")
    assert queries.admin_ids(page) == [ann.pk]
    assert queries.follows(ann, page)
    page.refresh_from_db()
    assert page.followers_count == 1 and page.claimed


def test_g1_creating_twice_with_the_same_address_keeps_one_page(cast):
    ann, ben = cast["ann"], cast["ben"]
    first = company(ann, slug="hazelmark")
    assert company(ann, slug="hazelmark") == first
    with pytest.raises(Conflict) as refused:
        company(ben, name="Other", slug="HazelMark")
    assert refused.value.rule == "G1"
    assert Page.objects.count() == 1


def test_g1_the_last_admin_cannot_leave(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    with pytest.raises(Conflict) as refused:
        services.remove_admin(by=ann, page=page, member=ann)
    assert refused.value.rule == "G1"
    services.add_admin(by=ann, page=page, member=ben)
    services.add_admin(by=ann, page=page, member=ben)  # a double click adds nothing more
    assert queries.admin_ids(page) == [ann.pk, ben.pk]
    services.remove_admin(by=ben, page=page, member=ann)
    assert queries.admin_ids(page) == [ben.pk]
    with pytest.raises(Conflict):
        services.remove_admin(by=ben, page=page, member=ben)


def test_g1_only_admins_add_admins_edit_or_post_as_the_page(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    with pytest.raises(Forbidden) as refused:
        services.add_admin(by=ben, page=page, member=ben)
    assert refused.value.rule == "G1"
    with pytest.raises(Forbidden):
        services.update_page(by=ben, page=page, tagline="Taken over")
    with pytest.raises(Forbidden) as refused:
        feed.publish(author=ben, text="In their name", page_id=page.pk)
    assert refused.value.rule == "G1"
    assert not Post.objects.exists()
    post = feed.publish(author=ann, text="Hello from Hazelmark", page_id=page.pk)
    assert post.page_id == page.pk and post.visibility == "anyone"


def test_g1_a_page_post_counts_on_the_page_not_on_the_admin(cast):
    ann = cast["ann"]
    page = company(ann)
    post = feed.publish(author=ann, text="Hello", page_id=page.pk)
    page.refresh_from_db()
    ann.counts.refresh_from_db()
    assert page.posts_count == 1 and ann.counts.posts == 0
    feed.delete(by=ann, post_id=post.pk)
    page.refresh_from_db()
    assert page.posts_count == 0


def test_f3_g2_follow_needs_no_approval_and_page_posts_reach_followers_feeds(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = company(ann)
    services.follow_page(member=ben, page=page)
    services.follow_page(member=ben, page=page)  # again: nothing more
    page.refresh_from_db()
    assert page.followers_count == 2
    post = feed.publish(author=ann, text="We are hiring", page_id=page.pk)
    items = home.home(ben).items
    assert [i.post.pk for i in items] == [post.pk]
    assert [r.kind for r in items[0].reasons] == ["page"]
    assert home.home(cat).items == []  # not a follower
    services.unfollow_page(member=ben, page=page)
    assert home.home(ben).items == []
    page.refresh_from_db()
    assert page.followers_count == 1


def test_g2_a_page_post_is_not_the_admins_own_post(cast):
    """The admin's followers follow the member, not the page: the post isn't theirs to get."""
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    network.follow(follower=ben, followee=ann)
    feed.publish(author=ann, text="Page news", page_id=page.pk)
    assert home.home(ben).items == []


def test_g3_positions_link_to_the_page_named_or_a_stub(cast):
    ann, ben = cast["ann"], cast["ben"]
    page = company(ann, name="Hazelmark")
    mine = work_at(ben, company="  hazelmark ")
    assert PositionPage.objects.get(position=mine).page == page  # matched by name
    other = work_at(ben, company="Nobody Made Me")
    stub = PositionPage.objects.get(position=other).page
    assert not stub.claimed and stub.kind == "company"
    again = work_at(ann, company="nobody made me")
    assert PositionPage.objects.get(position=again).page == stub  # one stub per name


def test_g3_a_page_chosen_while_editing_wins_over_the_name(cast):
    ann, ben = cast["ann"], cast["ben"]
    chosen = company(ann, name="Hazelmark Labs", slug="hazelmark-labs")
    position = work_at(ben, chosen, company="HML")
    assert PositionPage.objects.get(position=position).page == chosen


def test_g3_free_text_is_matched_to_a_page_later(cast):
    from profiles import services as profiles

    ann = cast["ann"]
    position = profiles.add_position(
        member=ann, title="Chef", company="Later Inc", started_on=date(2020, 1, 1)
    )
    education = profiles.add_education(member=ann, school="Late College")
    assert services.link_unlinked() == 2
    assert PositionPage.objects.get(position=position).page.name == "Later Inc"
    assert EducationPage.objects.get(education=education).page.kind == "school"
    assert services.link_unlinked() == 0


def test_g3_people_are_current_and_past_and_blocks_hide_both_ways(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    page = company(ann)
    work_at(ben, page)
    work_at(cat, page, ended=date(2022, 1, 1))
    work_at(dan, page)
    assert queries.people(ann, page, current=True) == [dan.pk, ben.pk]
    assert queries.people(ann, page, current=False) == [cat.pk]
    network.block(blocker=dan, blocked=ann)
    assert queries.people(ann, page, current=True) == [ben.pk]  # dan blocked ann
    network.block(blocker=ann, blocked=ben)
    assert queries.people(ann, page) == [cat.pk]  # ann blocked ben
    assert queries.people(dan, page, current=True) == [dan.pk, ben.pk]


def test_g3_n_of_your_connections_work_here(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    page = company(ann)
    for member in (ben, cat, dan):
        connect(ann, member)
    work_at(ben, page)
    work_at(cat, page)
    work_at(dan, page, ended=date(2022, 1, 1))  # worked here once: not now
    here = queries.connections_here(ann, page)
    assert here.count == 2 and here.faces == sorted([ben.pk, cat.pk])
    network.block(blocker=cat, blocked=ann)
    assert queries.connections_here(ann, page).count == 1


def test_m5_coworkers_are_current_positions_at_the_same_page(cast):
    ann, eve = cast["ann"], cast["eve"]
    page = company(ann, name="Acme")
    work_at(ann, page)
    work_at(eve, company=" acme ")  # free text, matched to the page
    assert messaging.can_message(eve, ann).route == "coworker"


def test_m5_same_name_different_pages_are_not_coworkers(cast):
    ann, ben, eve = cast["ann"], cast["ben"], cast["eve"]
    one = company(ann, name="Acme", slug="acme-berlin")
    two = company(ben, name="Acme", slug="acme-lisbon")
    work_at(ann, one)
    work_at(eve, two)
    assert messaging.can_message(eve, ann).route == "inmail"


def test_m5_former_colleagues_at_a_page_are_not_coworkers(cast):
    ann, eve = cast["ann"], cast["eve"]
    page = company(ann, name="Acme")
    work_at(ann, page)
    work_at(eve, page, ended=date(2021, 1, 1))
    assert messaging.can_message(eve, ann).route == "inmail"


def test_claim_by_an_address_at_the_website_domain_is_granted_at_once(cast):
    from accounts.models import User

    ann, ben = cast["ann"], cast["ben"]
    work_at(ann, company="Claimable")
    stub = Page.objects.get(name="Claimable")
    stub.website = "https://www.claimable.example"
    stub.save()
    User.objects.filter(pk=ben.pk).update(email="ben@claimable.example", email_confirmed=True)
    ben.refresh_from_db()
    claim = services.claim_page(by=ben, page=stub)
    assert claim.status == "approved"
    stub.refresh_from_db()
    assert stub.claimed and queries.admin_ids(stub) == [ben.pk]
    with pytest.raises(Conflict):
        services.claim_page(by=ann, page=stub)


def test_claim_without_a_matching_address_waits_for_a_site_administrator(cast):
    ann = cast["ann"]
    work_at(ann, company="Waiting Co")
    stub = Page.objects.get(name="Waiting Co")
    claim = services.claim_page(by=ann, page=stub)
    assert services.claim_page(by=ann, page=stub) == claim  # a retry: the same claim
    assert claim.status == "pending" and queries.admin_ids(stub) == []
    services.decide_claim(claim_id=claim.pk, approve=True)
    assert queries.admin_ids(stub) == [ann.pk]


def test_g1_a_page_post_is_not_in_a_list_timeline_as_its_admins(cast):
    """A list timeline (A1) reads its members' own posts: what an admin wrote in the page's
    name is the page's (G1), as on the admin's own statuses."""
    from feed import queries as feed_queries

    ann = cast["ann"]
    page = company(ann)
    own = feed.publish(author=ann, text="Ann's own")
    feed.publish(author=ann, text="In Hazelmark's name", page_id=page.pk)
    assert list(feed_queries.authors_posts([ann.pk]).values_list("pk", flat=True)) == [own.pk]


def test_g1_a_logo_must_be_an_image(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ann = cast["ann"]
    page = company(ann)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")
    with pytest.raises(Invalid):
        services.set_images(by=ann, page=page, logo=fake)


def test_g1_a_logo_of_too_many_pixels_is_refused_before_it_is_decoded(cast):
    """A small file that decodes to 48 megapixels: refused with a sentence, not decoded."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    ann = cast["ann"]
    page = company(ann)
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    bomb = SimpleUploadedFile("logo.png", out.getvalue(), "image/png")
    with pytest.raises(Invalid) as refused:
        services.set_images(by=ann, page=page, logo=bomb)
    assert refused.value.rule == "G1"
    assert "megapixels" in refused.value.message


def test_g1_a_cover_must_be_an_image_and_is_stored_re_encoded_at_most_1200_wide(cast):
    """The cover is checked as the logo is: a file that is no image is refused and nothing
    is stored; an image is kept re-encoded (WebP), scaled down to 1,200 pixels wide."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    ann = cast["ann"]
    page = company(ann)
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", "image/png")
    with pytest.raises(Invalid) as refused:
        services.set_images(by=ann, page=page, cover=fake)
    assert refused.value.rule == "G1"
    page.refresh_from_db()
    assert not page.cover
    out = io.BytesIO()
    Image.new("RGB", (2400, 600), (20, 120, 200)).save(out, "PNG")
    wide = SimpleUploadedFile("cover.png", out.getvalue(), "image/png")
    services.set_images(by=ann, page=page, cover=wide)
    page.refresh_from_db()
    with page.cover.open("rb") as stored, Image.open(stored) as kept:
        assert (kept.format, kept.size) == ("WEBP", (1200, 300))
    assert not page.logo  # the cover alone was sent


def test_u4_a_deleted_member_leaves_the_followers_count(cast):
    from membership.services import delete_member

    ann, ben = cast["ann"], cast["ben"]
    page = company(ann)
    services.follow_page(member=ben, page=page)
    delete_member(member=ben)
    page.refresh_from_db()
    assert page.followers_count == 1
    assert PageFollow.objects.filter(page=page).count() == 1


def test_schools_list_students_and_alumni(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    page = school(ann)
    study_at(ben, page, start=2008, end=2012)
    study_at(cat, page, start=2024, end=None)
    assert queries.people(ann, page, current=True) == [cat.pk]
    assert queries.people(ann, page, current=False) == [ben.pk]
