"""Chromium against the live server: two connected members message each other and each sees
the other's message arrive without reloading (M1, live delivery); a follower is refused with
M6's sentence on the profile and in the composer."""

import pytest
from playwright.sync_api import expect

from network import services as network
from tests.messaging.factories import connect, set_profile
from tests.network.test_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_m1_two_connected_members_chat_and_messages_arrive_live(browser, live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)  # written before any browser runs (SQLite's table lock)
    contexts = []
    try:
        a_context, a = signed_in_page(browser, live_server, ann)
        b_context, b = signed_in_page(browser, live_server, ben)
        contexts = [a_context, b_context]
        a.goto(f"{live_server.url}/in/ben/")
        a.locator("#network-actions").get_by_role("link", name="Message").click()
        a.fill("#message-text", "Hello Ben, lunch on Friday?")
        a.get_by_role("button", name="Send", exact=True).click()
        expect(a.locator("#messages")).to_contain_text("Hello Ben, lunch on Friday?")
        thread_url = a.url

        b.goto(f"{live_server.url}/")
        expect(b.locator("#messaging-badge")).to_have_text("1")
        b.get_by_role("link", name="Messaging").first.click()
        b.get_by_role("link", name="Ann", exact=True).click()
        expect(b.locator("#messages")).to_contain_text("Hello Ben, lunch on Friday?")
        assert b.url == thread_url
        expect(b.locator("body")).to_have_attribute("data-live", "connected")
        expect(a.locator("body")).to_have_attribute("data-live", "connected")

        a.fill("#message-text", "I booked a table at noon.")
        a.get_by_role("button", name="Send", exact=True).click()
        expect(a.locator("#message-text")).to_have_value("")
        expect(b.locator("#messages")).to_contain_text("I booked a table at noon.")  # no reload

        b.fill("#message-text", "Perfect, see you there!")
        b.get_by_role("button", name="Send", exact=True).click()
        expect(a.locator("#messages")).to_contain_text("Perfect, see you there!")
        expect(a.locator("#messages .message")).to_have_count(3)
        b.wait_for_load_state("networkidle")
        a.wait_for_load_state("networkidle")
    finally:
        for context in contexts:
            context.close()


def test_m6_a_follower_is_refused_with_the_rule_sentence(browser, live_server, cast):
    ann, cat = cast["ann"], cast["cat"]
    network.follow(follower=cat, followee=ann)
    set_profile(ann, refuse_inmail=True)
    context, page = signed_in_page(browser, live_server, cat)
    try:
        sentence = "Following Ann doesn't let you message them; connect with them to message them."
        page.goto(f"{live_server.url}/in/ann/")
        page.locator("details.message-why summary").click()
        expect(page.locator("details.message-why")).to_contain_text(sentence)
        page.goto(f"{live_server.url}/messaging/new/ann/")
        expect(page.locator("#cannot-message")).to_have_text(sentence)
        expect(page.locator("#message-text")).to_have_count(0)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
