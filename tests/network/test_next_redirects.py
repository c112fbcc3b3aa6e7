"""A form's `next` sends the member to a path on this site only, never to another site."""

import pytest
from django.test import Client

from network import services
from network.models import Invitation
from web.redirects import is_same_site_path

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://elsewhere.example/",
    "http://testserver.elsewhere.example/",
    "//elsewhere.example/path",
    "/\\elsewhere.example",
    "\\\\elsewhere.example",
    "https:elsewhere.example",
    "javascript:alert(1)",
    " https://elsewhere.example/",
    "/in/ann/\r\nSet-Cookie: x=1",
    "http://testserver/in/ann/",  # even this site's absolute URL: a path or nothing
]


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.mark.parametrize("url", OFF_SITE)
def test_only_same_site_paths_are_followed(url):
    assert not is_same_site_path(url)


@pytest.mark.parametrize("url", ["/", "/mynetwork/", "/in/ann/?tab=1#top", "/in/ann/édité/"])
def test_paths_on_this_site_are_followed(url):
    assert is_same_site_path(url)


@pytest.mark.parametrize("url", OFF_SITE)
def test_follow_with_an_off_site_next_goes_back_to_the_profile(cast, url):
    response = signed_in(cast["ann"]).post("/in/ben/network/follow/", {"next": url})
    assert response.status_code == 302 and response["Location"] == "/in/ben/"


def test_follow_and_unfollow_honour_a_same_site_next(cast):
    ann = signed_in(cast["ann"])
    assert ann.post("/in/ben/network/follow/", {"next": "/mynetwork/"})["Location"] == "/mynetwork/"
    unfollow = ann.post("/in/ben/network/unfollow/", {"next": "https://elsewhere.example/"})
    assert unfollow["Location"] == "/in/ben/"
    again = ann.post("/in/ben/network/unfollow/", {"next": "/mynetwork/following/"})
    assert again["Location"] == "/mynetwork/following/"


@pytest.mark.parametrize("action", ["connect", "withdraw", "disconnect", "block", "unblock"])
def test_every_profile_action_refuses_an_off_site_next(cast, action):
    response = signed_in(cast["ann"]).post(
        f"/in/ben/network/{action}/", {"next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


@pytest.mark.parametrize("action", ["accept", "ignore", "dont_know", "withdraw"])
def test_invitation_answers_refuse_an_off_site_next(cast, action):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    answerer = cast["ann"] if action == "withdraw" else cast["ben"]
    response = signed_in(answerer).post(
        f"/mynetwork/invitations/{invitation.pk}/{action}/", {"next": "https://elsewhere.example/"}
    )
    # A2 (issue 15): without a usable next, an acceptance opens the say-hello composer
    fallback = "/mynetwork/say-hello/ann/" if action == "accept" else "/mynetwork/"
    assert response.status_code == 302 and response["Location"] == fallback


def test_a_refused_invitation_answer_refuses_an_off_site_next(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    response = signed_in(cast["cat"]).post(
        f"/mynetwork/invitations/{invitation.pk}/accept/", {"next": "//elsewhere.example/"}
    )
    assert response["Location"] == "/mynetwork/"
    assert Invitation.objects.get().status == "pending"


def test_accept_honours_a_same_site_next(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    response = signed_in(cast["ben"]).post(
        f"/mynetwork/invitations/{invitation.pk}/accept/", {"next": "/in/ann/"}
    )
    assert response["Location"] == "/in/ann/"


@pytest.mark.parametrize("url", OFF_SITE)
def test_sign_in_refuses_an_off_site_next(client, cast, url):
    from tests.factories import DEFAULT_PASSWORD

    response = client.post(
        "/login/", {"identifier": "ann", "password": DEFAULT_PASSWORD, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_in_page_does_not_carry_an_off_site_next_in_its_form(client):
    page = client.get("/login/", {"next": "https://elsewhere.example/"})
    assert b"elsewhere.example" not in page.content
    kept = client.get("/login/", {"next": "/mynetwork/"})
    assert b'name="next" value="/mynetwork/"' in kept.content
