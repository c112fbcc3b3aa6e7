"""Chromium against the live server, three members in three browser contexts (N1, N8, D1,
S2, F1, B1): invite with a note, accept, both see 1st; follow turns to Following; a block
makes the profile a 404."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.network.factories import set_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    """Set LINKWELL_SCREENSHOT_DIR to keep pictures of the pages."""
    folder = os.environ.get("LINKWELL_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/network-{name}.png", full_page=True)


def signed_in_page(browser, live_server, member):
    """A browser context holding the member's session, made with force_login."""
    client = Client()
    client.force_login(member)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


def test_invite_accept_follow_and_block_in_the_browser(browser, live_server, cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    # Written before any browser runs: on SQLite a write from the test thread while the live
    # server still reads (a late htmx request) fails with "database table is locked".
    set_profile(ann, primary_action="follow")
    contexts = []
    try:
        a_context, a = signed_in_page(browser, live_server, ann)
        b_context, b = signed_in_page(browser, live_server, ben)
        c_context, c = signed_in_page(browser, live_server, cat)
        contexts = [a_context, b_context, c_context]

        # A invites B with a note (N1), through the Connect dialog.
        a.goto(f"{live_server.url}/in/ben/")
        a.locator("#network-actions summary", has_text="Connect").click()
        a.fill("#invite-note", "Hello Ben, we met at the meetup.")
        expect(a.locator("#invite-note-count")).to_have_text("32 / 300")
        a.select_option("#invite-reason", "met")
        screenshot(a, "invite-dialog")
        a.get_by_role("button", name="Send invitation").click()
        expect(a.locator("#network-actions")).to_contain_text("Pending")

        # B accepts in their own context (N8).
        b.goto(f"{live_server.url}/mynetwork/")
        expect(b.locator("body")).to_contain_text("Hello Ben, we met at the meetup.")
        screenshot(b, "mynetwork")
        b.get_by_role("button", name="Accept").click()
        expect(b.locator("body")).to_contain_text("You are now connected with Ann")
        expect(b.locator("#network-tabs")).to_contain_text("Connections (1)")  # out of band
        expect(b.locator("#network-tabs")).to_contain_text("Invitations (0)")
        expect(b.locator("#received-count")).to_have_text("0")

        # Both see each other as 1st (D1).
        b.goto(f"{live_server.url}/in/ann/")
        expect(b.locator("#profile-name .degree-badge")).to_have_text("· 1st")
        b.locator("#network-actions summary", has_text="More").click()
        screenshot(b, "profile-connected")
        a.goto(f"{live_server.url}/in/ben/")
        expect(a.locator("#profile-name .degree-badge")).to_have_text("· 1st")

        # C follows A, whose primary action is Follow (S2, F1).
        c.goto(f"{live_server.url}/in/ann/")
        c.locator("#network-actions").get_by_role("button", name="Follow", exact=True).click()
        expect(
            c.locator("#network-actions").get_by_role("button", name="Following")
        ).to_be_visible()

        # A blocks C; C's view of A's profile is gone (B1).
        a.goto(f"{live_server.url}/in/cat/")
        a.locator("#network-actions summary", has_text="More").click()
        a.get_by_role("button", name="Block").click()
        expect(a.locator("h1")).to_have_text("Blocked members")
        response = c.goto(f"{live_server.url}/in/ann/")
        assert response.status == 404
    finally:
        for context in contexts:
            context.close()
