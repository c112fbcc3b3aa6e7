"""Chromium against the live server: two members post, react, comment and repost (P1, P2,
P5); XSS payloads in posts, comments, alt text and names run no script."""

import pytest
from playwright.sync_api import expect

from feed import services
from tests.factories import make_member
from tests.feed.conftest import png_upload
from tests.feed.factories import connect
from tests.network.test_browser import signed_in_page
from tests.security.test_xss_browser import INJECTED

pytestmark = [pytest.mark.browser]

XSS = (
    '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    '"><svg onload="window.__xss=3">'
)


def test_two_members_post_react_comment_and_repost_in_the_browser(browser, live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    contexts = []
    try:
        a_context, a = signed_in_page(browser, live_server, ann)
        b_context, b = signed_in_page(browser, live_server, ben)
        contexts = [a_context, b_context]
        a.goto(f"{live_server.url}/")
        a.fill("#composer-text", "Shipping the feed today #launch")
        a.get_by_role("button", name="Post", exact=True).click()
        expect(a.locator("body")).to_contain_text("Your post is live.")
        expect(a.locator(".post").first).to_contain_text("Shipping the feed today")

        b.goto(f"{live_server.url}/?order=recent")
        card = b.locator(".post").first
        expect(card).to_contain_text("Shipping the feed today")
        expect(card.locator(".degree-badge").first).to_have_text("· 1st")
        card.locator(".reaction-picker summary").click()
        card.get_by_role("button", name="Celebrate").click()
        expect(b.locator(".post").first.locator(".post-counts")).to_contain_text("1 reaction")

        b.locator(".post").first.get_by_role("link", name="Comment").click()
        b.fill("#comment-text", "Congratulations!")
        b.get_by_role("button", name="Comment", exact=True).click()
        expect(b.locator(".comments")).to_contain_text("Congratulations!")

        b.goto(f"{live_server.url}/?order=recent")
        b.locator(".post").first.locator(".repost-dialog summary").click()
        b.locator(".post").first.get_by_role("button", name="Repost", exact=True).click()
        expect(b.locator("body")).to_contain_text("Reposted.")

        a.goto(f"{live_server.url}/notifications/")
        notes = a.locator(".notifications")
        expect(notes).to_contain_text("reacted to your post")
        expect(notes).to_contain_text("commented on your post")
        expect(notes).to_contain_text("reposted your post")
        a.goto(f"{live_server.url}/")
        post_link = a.locator(".post .post-time").first
        post_link.click()
        expect(a.locator("#stat-reactions")).to_have_text("1")
        expect(a.locator("#stat-comments")).to_have_text("1")
        expect(a.locator("#stat-reposts")).to_have_text("1")
    finally:
        for context in contexts:
            context.close()


def test_xss_in_posts_comments_alt_text_and_names_runs_no_script(browser, live_server, cast):
    ann = cast["ann"]
    evil = make_member(handle="mallory", display_name=XSS)
    connect(ann, evil)
    media = services.upload_media(owner=evil, upload=png_upload(), description=XSS)
    made = services.publish(author=evil, text=f"Hello {XSS} #tag", media_ids=[media.pk])
    services.comment(author=evil, on=made.pk, text=XSS)
    services.react(member=evil, post_id=made.pk)
    services.repost(author=evil, original=made.pk, text=XSS)
    context, page = signed_in_page(browser, live_server, ann)
    try:
        for path in (
            "/?order=recent",
            "/?order=top",
            f"/posts/{made.pk}/",
            "/tags/tag/",
            "/in/mallory/activity/",
            f"/posts/{made.pk}/reactions/",
        ):
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("main")).to_be_visible()
            assert page.evaluate("window.__xss") is None, path
            # The CSP would stop the payload running even if it became markup: look for it.
            assert page.locator(INJECTED).count() == 0, f"{path}: the payload became markup"
        page.goto(f"{live_server.url}/posts/{made.pk}/")
        expect(page.locator(".post-content").first).to_contain_text("<script>")
        page.wait_for_load_state("networkidle")  # SQLite: no write while the server still reads
        services.react(member=ann, post_id=made.pk)
        evil_context, evil_page = signed_in_page(browser, live_server, evil)
        try:
            evil_page.goto(f"{live_server.url}/notifications/")
            assert evil_page.evaluate("window.__xss") is None
        finally:
            evil_context.close()
    finally:
        context.close()
