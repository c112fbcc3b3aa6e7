"""In Chromium: the footer's language switch turns the page German, signed out and in."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from profiles.queries import language_of
from tests.factories import make_member
from tests.network.factories import connect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_i18n_the_footer_switch_shows_the_profile_in_german(browser, live_server):
    greta = make_member(handle="greta", display_name="Greta")
    ben = make_member(handle="ben", display_name="Ben")
    cat = make_member(handle="cat", display_name="Cat")
    connect(greta, ben)
    connect(ben, cat)
    client = Client()
    client.force_login(greta)
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/in/cat/")
        actions = page.locator("#network-actions")
        expect(actions.locator("summary", has_text="Connect")).to_be_visible()
        page.locator(".language-switch button", has_text="Deutsch").click()
        page.wait_for_url(f"{live_server.url}/in/cat/")
        expect(actions.locator("summary", has_text="Vernetzen")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator(".degree-badge").first).to_have_text("· 2.")
        page.wait_for_load_state("networkidle")
        assert language_of(greta) == "de"
        page.locator(".language-switch button", has_text="English").click()
        expect(actions.locator("summary", has_text="Connect")).to_be_visible()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def test_i18n_signed_out_the_switch_keeps_german_across_pages(browser, live_server):
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/login/")
        expect(page.locator("h1")).to_have_text("Sign in")
        page.locator(".language-switch button", has_text="Deutsch").click()
        expect(page.locator("h1")).to_have_text("Einloggen")
        page.goto(f"{live_server.url}/join/")
        expect(page.locator("h1")).to_contain_text("Mitglied werden")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
