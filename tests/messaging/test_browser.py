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


def test_m1_a_group_with_an_attachment_arrives_live_and_its_file_opens(
    browser, live_server, cast, tmp_path
):
    """Ann starts a group with Ben and Cat from the page, attaching a PDF and an image; Ben,
    with the thread open, sees Ann's next message with its image arrive over htmx's SSE
    extension, and the files open for him (M1)."""
    import io

    from PIL import Image

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    photo = tmp_path / "whiteboard.png"
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 150, 90)).save(out, format="PNG")
    photo.write_bytes(out.getvalue())
    contexts = []
    try:
        a_context, a = signed_in_page(browser, live_server, ann)
        b_context, b = signed_in_page(browser, live_server, ben)
        contexts = [a_context, b_context]
        a.goto(f"{live_server.url}/messaging/")
        a.get_by_role("link", name="New group").click()
        a.fill("#group-name", "Offsite")
        a.fill("#group-to", "@ben, @cat")
        a.fill("#group-text", "Agenda attached")
        a.set_input_files("input[name=files]", [str(pdf)])
        a.get_by_role("button", name="Send", exact=True).click()
        expect(a.locator("#group-title")).to_have_text("Offsite")
        expect(a.locator("#messages .message-pdf")).to_have_text("agenda.pdf")
        thread_url = a.url

        b.goto(thread_url)
        expect(b.locator("#group-members")).to_contain_text("Cat")
        expect(b.locator("#messages")).to_contain_text("Agenda attached")
        expect(b.locator("body")).to_have_attribute("data-live", "connected")

        a.fill("#message-text", "And the whiteboard")
        a.set_input_files("#conversation input[name=files]", [str(photo)])
        a.get_by_role("button", name="Send", exact=True).click()
        expect(a.locator("#message-text")).to_have_value("")
        expect(b.locator("#messages")).to_contain_text("And the whiteboard")  # no reload
        image = b.locator("#messages img.message-image")
        expect(image).to_have_count(1)
        expect(b.locator("#seen")).to_have_count(1)
        # the element arrives before its bytes: wait (up to 5 s) until it has loaded or failed
        b.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=5000)
        loaded = b.evaluate("img => img.naturalWidth", image.element_handle())
        assert loaded > 0  # served to a participant, under the page's CSP
        href = b.locator("#messages .message-pdf").get_attribute("href")
        assert b.request.get(f"{live_server.url}{href}").status == 200
        b.wait_for_load_state("networkidle")
        a.wait_for_load_state("networkidle")
    finally:
        for context in contexts:
            context.close()
