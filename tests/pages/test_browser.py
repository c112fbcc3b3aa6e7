"""Chromium against the live server: a member creates a school page, alumni appear by their
education, and a visitor narrows the alumni tool by year and city (G1, G3)."""

import pytest
from playwright.sync_api import expect

from pages.models import Page
from profiles import services as profiles
from tests.factories import make_member
from tests.network.test_browser import signed_in_page
from tests.pages.factories import study_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_g1_g3_create_a_school_page_then_narrow_its_alumni(browser, live_server, cast, page):
    ann = cast["ann"]
    context, tab = signed_in_page(browser, live_server, ann)
    try:
        tab.goto(f"{live_server.url}/pages/new/")
        tab.get_by_label("School").check()
        tab.get_by_label("Name", exact=True).fill("Northfield University")
        tab.get_by_label("Page address").fill("northfield")
        tab.get_by_role("button", name="Create page").click()
        expect(tab.locator("#page-name")).to_have_text("Northfield University")
        assert tab.url == f"{live_server.url}/school/northfield/"
        tab.wait_for_load_state("networkidle")
    finally:
        context.close()

    school = Page.objects.get(slug="northfield")
    for handle, city, start, end in (
        ("berta", "Berlin", 2004, 2008),
        ("bruno", "Berlin", 2012, 2016),
        ("lia", "Lisbon", 2013, 2017),
    ):
        member = make_member(handle=handle, display_name=handle.title())
        profiles.update_profile(member=member, location=city)
        study_at(member, school, start=start, end=end, field="Physics")

    page.goto(f"{live_server.url}/school/northfield/alumni/")  # a visitor, signed out
    expect(page.locator("#alumni-total")).to_have_text("3 alumni")
    expect(page.locator("#facet-location")).to_contain_text("Berlin")
    page.fill("#alumni-start", "2010")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#alumni-total")).to_have_text("2 alumni")
    page.locator("#facet-location").get_by_role("link", name="Berlin").click()
    expect(page.locator("#alumni-total")).to_have_text("1 alumnus")
    expect(page.locator("#alumni-list")).to_contain_text("Bruno")
    expect(page.locator("#alumni-list")).not_to_contain_text("Lia")
    assert "start_year=2010" in page.url and "location=Berlin" in page.url
