"""Chromium against the live server (A2, A3): two members connect, one says hello with the
prepared message, months pass on the frozen clock, the other sees a catch-up prompt and
answers it with its prepared message."""

import pytest
from playwright.sync_api import expect

from messaging.models import Message
from network import services as network
from tests.network.test_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a2_a3_say_hello_then_catch_up_months_later(browser, live_server, cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    network.invite(sender=ann, recipient=ben, reason="met", note="Great talk on Postgres")
    contexts = []
    try:
        a_context, a = signed_in_page(browser, live_server, ann)
        b_context, b = signed_in_page(browser, live_server, ben)
        contexts = [a_context, b_context]

        # Ben accepts; the say-hello composer appears with the prepared message (A2).
        b.goto(f"{live_server.url}/mynetwork/")
        b.get_by_role("button", name="Accept").click()
        composer = b.locator("form.say-hello textarea")
        expect(composer).to_have_value(
            "Hi Ann, thanks for connecting! It was good to meet you. Thank you for your note. "
            "How are things going for you?"
        )
        b.locator("form.say-hello").get_by_role("button", name="Send").click()
        expect(b.locator("body")).to_contain_text("Message sent to Ann Example.")
        assert Message.objects.get(sender=ben).text.startswith("Hi Ann, thanks for connecting!")

        # Seven months pass: Ann's Catch up tab has a prompt about Ben (A3).
        frozen_now.advance(days=200)
        a.goto(f"{live_server.url}/mynetwork/catch-up/")
        expect(a.locator("#network-tabs")).to_contain_text("Catch up (1)")
        prompt = a.locator("li.prompt[data-type=dormant]")
        expect(prompt).to_contain_text("You haven't been in touch with Ben Example for a while")
        expect(prompt.locator("textarea")).to_have_value(
            "Hi Ben, it's been a while! How are things with you?"
        )
        prompt.get_by_role("button", name="Send message").click()
        expect(a.locator("body")).to_contain_text("Message sent to Ben Example.")
        expect(a.locator("#network-tabs")).to_contain_text("Catch up (0)")
        assert Message.objects.filter(sender=ann).count() == 1
    finally:
        for context in contexts:
            context.close()
