"""Chromium against the live server: join, confirm by the e-mailed link, sign in, edit the
headline, add a position, then see the public profile signed out (issue 2, item 8).

Set LINKWELL_SCREENSHOT_DIR to keep screenshots of the pages at desktop and mobile widths.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

PASSWORD = "a-long-unusual-password-9"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


def screenshot(page, name: str) -> None:
    folder = os.environ.get("LINKWELL_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_join_confirm_edit_and_see_the_public_profile(page, browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    settings.MEDIA_ROOT = Path(os.environ.get("TMPDIR", "/tmp")) / "linkwell-browser-media"
    mail.outbox = []
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    screenshot(page, "home-signed-out")

    page.get_by_role("link", name="Join now").first.click()
    screenshot(page, "join")
    page.get_by_label("Your name").fill("Dana Diaz")
    page.get_by_label("Handle").fill("dana")
    page.get_by_label("E-mail address").fill("dana@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Agree & join").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("status").first).to_contain_text("e-mail address is confirmed")
    expect(page.get_by_label("Handle or e-mail address")).to_have_value("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome to Linkwell, Dana Diaz")).to_be_visible()

    page.get_by_label("Me: your account menu").click()
    screenshot(page, "me-menu")
    page.get_by_role("link", name="Edit profile").first.click()
    page.get_by_label("Headline").fill("Graph engineer at Linkwell")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Your profile was saved.")

    positions = page.locator("#positions")
    positions.get_by_text("Add a position").click()
    positions.get_by_label("Title").fill("Founding engineer")
    positions.get_by_label("Company").fill("Linkwell")
    positions.get_by_label("From").fill("2024-01-15")
    positions.get_by_role("button", name="Add position").click()
    expect(page.locator("#positions")).to_contain_text("Jan 2024 – Present")
    expect(page.locator("#positions")).to_contain_text("Founding engineer")
    assert page.url.endswith("/in/dana/edit/")  # swapped in place by htmx, no page load

    page.goto(f"{live_server.url}/in/dana/")
    screenshot(page, "profile-member")
    page.goto(f"{live_server.url}/")
    screenshot(page, "home-member")
    page.goto(f"{live_server.url}/in/dana/edit/")
    screenshot(page, "profile-edit")
    page.goto(f"{live_server.url}/settings/")
    screenshot(page, "settings")

    visitor = browser.new_context()
    try:
        public = visitor.new_page()
        public.set_viewport_size(DESKTOP)
        public.goto(f"{live_server.url}/in/dana/")
        expect(public.get_by_role("heading", name="Dana Diaz", exact=True)).to_be_visible()
        expect(public.get_by_text("Graph engineer at Linkwell")).to_be_visible()
        expect(public.get_by_text("Founding engineer at Linkwell")).to_be_visible()
        expect(public.get_by_text("Sign in to see more")).to_be_visible()
        screenshot(public, "profile-public")
    finally:
        visitor.close()
