"""XSS payloads in every profile field, a position, an education, a skill, a name and an
invitation note become no markup and run no script in Chromium, on every page that shows
them: to the member who reads them, to the member who wrote them (their edit forms) and
signed out. Posts, comments and alt text are tests/feed/test_browser.py's."""

from datetime import date

import pytest
from playwright.sync_api import expect

from network import services as network
from profiles import services as profiles
from tests.factories import make_member
from tests.network.test_browser import signed_in_page

pytestmark = [pytest.mark.browser]

XSS = (
    '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    '"><svg onload="window.__xss=3">\'"><iframe src="javascript:window.parent.__xss=4">'
)


@pytest.fixture
def mallory(db, fast_hasher):
    """Every text field Mallory can fill holds a payload; written before any browser runs."""
    ann = make_member(handle="ann", display_name="Ann Reader")
    evil = make_member(handle="mallory", display_name=XSS[:100])  # the column holds 100
    profiles.update_profile(
        member=evil, headline=XSS, location=XSS[:80], industry=XSS[:80], about=XSS
    )
    profiles.add_position(
        member=evil,
        title=XSS[:100],
        company=XSS[:100],
        started_on=date(2020, 1, 1),
        location=XSS[:80],
        description=XSS,
    )
    profiles.add_education(member=evil, school=XSS[:100], degree=XSS[:80], field_of_study="x")
    profiles.add_skill(member=evil, name=XSS[:80])
    network.invite(sender=evil, recipient=ann, note=XSS[:300])
    network.follow(follower=evil, followee=ann)
    return ann, evil


# Elements the payload would make if a page rendered it as markup. The CSP already stops
# them running (script-src 'self'), so `window.__xss` alone can't see an escaping mistake:
# the DOM can.
INJECTED = (
    'img[src="x"], svg[onload], iframe[src^="javascript:"], [onerror], '
    'script:not([src]):not([type="application/json"])'
)


def visit_all(page, base, paths):
    for path in paths:
        page.goto(f"{base}{path}")
        expect(page.locator("body")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator(INJECTED).count() == 0, f"{path}: the payload became markup"


def test_xss_in_profile_fields_and_invitation_notes_runs_no_script(browser, live_server, mallory):
    ann, evil = mallory
    base = live_server.url
    context, page = signed_in_page(browser, live_server, ann)
    try:
        visit_all(
            page,
            base,
            [
                "/in/mallory/",
                "/in/mallory/activity/",
                "/in/mallory/connect/",
                "/in/mallory/report/",
                "/in/mallory/mutual/",
                "/mynetwork/",
                "/mynetwork/followers/",
                "/notifications/",
                "/feed/mentions/?q=mal",
            ],
        )
        page.goto(f"{base}/in/mallory/")
        expect(page.locator("main")).to_contain_text("<script>")  # shown, as text
        page.goto(f"{base}/mynetwork/")
        expect(page.locator("main")).to_contain_text("onerror")  # the note, as text
    finally:
        context.close()
    own_context, own = signed_in_page(browser, live_server, evil)
    try:
        visit_all(own, base, ["/in/mallory/", "/in/mallory/edit/", "/settings/", "/"])
    finally:
        own_context.close()
    anonymous = browser.new_context()
    try:
        visit_all(anonymous.new_page(), base, ["/in/mallory/"])
    finally:
        anonymous.close()
