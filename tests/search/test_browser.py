"""Chromium: a new member types a name in the top bar (typeahead, 1st degree first), opens the
results, narrows to 2nd degree, connects from a result, and sees a suggestion's reason."""

import pytest
from playwright.sync_api import expect

from tests.network.factories import connect
from tests.network.test_browser import signed_in_page

pytestmark = [pytest.mark.browser]


def test_typeahead_search_2nd_degree_connect_and_suggestion_reason(
    browser, live_server, make_person
):
    # Every write before the browser runs (SQLite: no write while the live server reads).
    me = make_person("newbie", "New Member", school="Lisbon School of Design")
    friend = make_person("friend", "Marta Friend")
    second = make_person("marta2", "Marta Second")
    make_person("marta3", "Marta Stranger")
    make_person("alum", "Alumna Person", school="Lisbon School of Design")
    connect(me, friend)
    connect(friend, second)
    context, page = signed_in_page(browser, live_server, me)
    try:
        page.goto(f"{live_server.url}/mynetwork/")
        box = page.locator("#top-search-q")
        box.press_sequentially("mart", delay=30)
        options = page.locator("#typeahead li[role=option] strong")
        expect(options.first).to_have_text("Marta Friend")  # 1st degree first
        expect(options).to_have_count(3)
        box.press("Enter")
        page.wait_for_url("**/search/?q=mart")
        expect(page.locator(".search-result")).to_have_count(3)
        page.locator(".chips a", has_text="2nd").click()
        page.wait_for_load_state("networkidle")
        results = page.locator(".search-result")
        expect(results).to_have_count(1)
        expect(results.first).to_contain_text("Marta Second")
        expect(results.first).to_contain_text("1 mutual connection: Marta Friend")
        results.first.get_by_role("button", name="Connect").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".search-result").first).to_contain_text("Pending")
        page.goto(f"{live_server.url}/mynetwork/")
        suggestion = page.locator(".suggestion", has_text="Alumna Person")
        expect(suggestion).to_contain_text("Studied at Lisbon School of Design")
        suggestion.get_by_role("button", name="Not now").click()
        expect(page.locator(".suggestion", has_text="Alumna Person")).to_have_count(0)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
