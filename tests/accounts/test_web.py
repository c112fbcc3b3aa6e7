"""Sign-up, confirmation, sign-in, password change and reset, deletion through the pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from accounts.services import TOO_MANY_FOR_ACCOUNT
from membership.services import WRONG_PASSWORD
from tests.factories import DEFAULT_PASSWORD, make_member
from web.accounts.views import CONFIRMED, PASSWORD_CHANGED

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-long-unusual-password-9"
SIGNUP = {
    "display_name": "Carol Chen",
    "handle": "carol",
    "email": "carol@example.com",
    "password": NEW_PASSWORD,
}


def link_in(message, path):
    return re.search(rf"https?://[^/\s]+(/{path}/\S+)", message.body).group(1)


def test_signup_sends_a_confirmation_link_and_sign_in_waits_for_it(client, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    cache.clear()
    response = client.post("/join/", SIGNUP)
    assert response.status_code == 200 and b"Check your e-mail" in response.content
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1

    refused = client.post("/login/", {"identifier": "carol", "password": NEW_PASSWORD})
    assert b"Please confirm your e-mail address first" in refused.content
    assert b"Send the link again" in refused.content
    assert "_auth_user_id" not in client.session

    again = client.post("/confirm/resend/", {"identifier": "carol"})
    assert again.status_code == 302 and len(mail.outbox) == 2

    confirmed = client.get(link_in(mail.outbox[1], "confirm"), follow=True)
    assert CONFIRMED.encode() in confirmed.content
    signed = client.post("/login/", {"identifier": "carol@example.com", "password": NEW_PASSWORD})
    assert signed.status_code == 302 and signed["Location"] == "/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username="carol").pk)


def test_signup_signs_straight_in_when_confirmation_is_off(client, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = False
    response = client.post("/join/", SIGNUP)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert mail.outbox == []


def test_a_member_who_just_joined_is_welcomed_then_goes_straight_to_the_feed(client, settings):
    """A first visit is greeted as one (never "Welcome back"); later visits open on the feed."""
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = False
    client.post("/join/", SIGNUP)
    home = client.get("/").content.decode()
    assert "Welcome to Linkwell, Carol Chen</h1>" in home and "Welcome back" not in home
    client.post("/logout/")
    client.post("/login/", {"identifier": "carol", "password": NEW_PASSWORD})
    home = client.get("/").content.decode()
    assert "Welcome to Linkwell" not in home and "Welcome back" not in home
    assert 'id="composer-text"' in home


def test_the_first_sign_in_after_confirming_is_a_first_visit(client, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    client.post("/join/", SIGNUP)
    client.get(link_in(mail.outbox[0], "confirm"))
    client.post("/login/", {"identifier": "carol", "password": NEW_PASSWORD})
    assert "Welcome to Linkwell, Carol Chen</h1>" in client.get("/").content.decode()


def test_signup_checks_passwords_with_djangos_validators(client):
    response = client.post("/join/", {**SIGNUP, "password": "abc"})
    assert response.status_code == 400
    assert b"This password is too short" in response.content
    assert not User.objects.filter(username="carol").exists()


def test_signup_refuses_a_taken_handle_next_to_the_field(client, member):
    response = client.post("/join/", {**SIGNUP, "handle": "ALICE"})
    assert response.status_code == 400 and b"That handle is taken." in response.content


def test_bad_confirmation_link_offers_a_new_one(client):
    response = client.get("/confirm/not-a-token/")
    assert response.status_code == 400
    assert (
        b"not valid or has expired" in response.content
        and b"Send the link again" in response.content
    )


def test_login_throttle_message_names_the_time(client, member, frozen_now):
    for _ in range(5):
        client.post("/login/", {"identifier": "alice", "password": "nope"})
    response = client.post("/login/", {"identifier": "alice", "password": DEFAULT_PASSWORD})
    until = frozen_now() + __import__("datetime").timedelta(minutes=15)
    assert response.status_code == 429
    assert TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}").encode() in response.content
    assert "_auth_user_id" not in client.session


def test_login_redirects_only_to_local_next(client, member):
    ok = client.post(
        "/login/", {"identifier": "alice", "password": DEFAULT_PASSWORD, "next": "/settings/"}
    )
    assert ok["Location"] == "/settings/"
    client.logout()
    evil = client.post(
        "/login/",
        {"identifier": "alice", "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert evil["Location"] == "/"


def test_logout_is_a_post(signed_in):
    assert signed_in.get("/logout/").status_code == 405
    assert signed_in.post("/logout/").status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_password_change(signed_in, member):
    response = signed_in.post(
        "/settings/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert PASSWORD_CHANGED.encode() in response.content
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_password_reset_by_the_emailed_link(client, member):
    client.post("/password-reset/", {"email": "ALICE@example.com"})
    assert len(mail.outbox) == 1 and "@alice" in mail.outbox[0].body
    form = client.get(link_in(mail.outbox[0], "password-reset"), follow=True)
    assert b"Choose a new password" in form.content and b"new_password1" in form.content
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_account_deletion_asks_for_the_password(signed_in, member):
    wrong = signed_in.post("/settings/delete/", {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and WRONG_PASSWORD.encode() in wrong.content
    assert User.objects.filter(pk=member.pk).exists()
    gone = signed_in.post("/settings/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"})
    assert gone.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" not in signed_in.session


def test_signed_out_visitors_are_sent_to_sign_in_for_account_pages(client):
    for path in ("/settings/", "/settings/password/", "/settings/delete/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_confirmation_email_goes_to_the_new_member_only(client, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    make_member(handle="zed")
    client.post("/join/", SIGNUP)
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
