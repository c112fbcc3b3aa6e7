"""Accounts: sign-up with an app token, verify/update credentials, lookup (issue 2, item 6)."""

import io
from datetime import date

import pytest
from django.core import mail
from django.test import override_settings
from PIL import Image

from accounts.models import User
from accounts.services import NAME_HAS_HIDDEN_CHARACTERS, confirm_email, confirmation_token
from network import services as network
from profiles import services as profile_services
from tests.api.factories import bearer, make_app, member_token
from tests.factories import PositionFactory, make_member
from tests.network.factories import connect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hasher")]


def app_token(client, scopes="read write follow") -> str:
    application, secret = make_app()
    return client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": secret,
            "scope": scopes,
        },
    ).json()["access_token"]


SIGN_UP = {
    "username": "carol",
    "email": "carol@example.com",
    "password": "a-long-enough-passphrase",
    "agreement": "true",
    "locale": "en",
    "reason": "Hello",
}


def test_sign_up_with_an_app_token_returns_a_token_entity(client):
    token = app_token(client)
    response = client.post("/api/v1/accounts", SIGN_UP, **bearer(token))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "created_at"}
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write follow"
    member = User.objects.get(username="carol")
    assert member.profile is not None
    assert not member.email_confirmed
    assert "/confirm/" in mail.outbox[0].body


def test_sign_up_token_waits_for_email_confirmation(client):
    token = app_token(client)
    raw = client.post("/api/v1/accounts", SIGN_UP, **bearer(token)).json()["access_token"]
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(raw))
    assert response.status_code == 403
    assert response.json() == {
        "error": "Your login is missing a confirmed e-mail address",
        "rule": "U2",
    }
    confirm_email(token=confirmation_token(member=User.objects.get(username="carol")))
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(raw))
    assert response.status_code == 200


@override_settings(LINKWELL_REQUIRE_EMAIL_CONFIRMATION=False)
def test_sign_up_without_confirmation_gives_a_working_token(client):
    token = app_token(client)
    raw = client.post("/api/v1/accounts", SIGN_UP, **bearer(token)).json()["access_token"]
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(raw))
    assert response.json()["username"] == "carol"
    assert not mail.outbox


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"username": "alice"}, "username", "ERR_TAKEN"),
        ({"email": "ALICE@example.com"}, "email", "ERR_TAKEN"),
        ({"username": "no spaces!"}, "username", "ERR_INVALID"),
        ({"password": "password"}, "password", "ERR_INVALID"),
        ({"agreement": "false"}, "agreement", "ERR_ACCEPTED"),
        ({"email": ""}, "email", "ERR_BLANK"),
        ({"display_name": "Carol\u202eloraC"}, "display_name", "ERR_INVALID"),
    ],
)
def test_sign_up_refusals_are_422_with_mastodon_details(client, member, change, field, code):
    token = app_token(client)
    response = client.post("/api/v1/accounts", {**SIGN_UP, **change}, **bearer(token))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["error"].startswith("Validation failed: ")
    assert body["details"][field][0]["error"] == code
    assert not User.objects.filter(username="carol").exists()


def test_sign_up_needs_an_app_token(client, member):
    assert client.post("/api/v1/accounts", SIGN_UP).status_code == 401
    response = client.post("/api/v1/accounts", SIGN_UP, **bearer(member_token(member)))
    assert response.status_code == 403


def test_sign_up_needs_write_accounts_scope(client):
    token = app_token(client, scopes="read")
    response = client.post("/api/v1/accounts", SIGN_UP, **bearer(token))
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_verify_credentials_has_mastodon_and_linkwell_fields(client, member, other_member):
    profile_services.update_profile(
        member=member,
        headline="Engineer",
        location="Lyon",
        industry="Software",
        about="Line one\nline two\n\n<b>bold</b>",
    )
    profile_services.add_position(
        member=member, title="Old", company="A", started_on=date(2010, 1, 1),
        ended_on=date(2015, 1, 1),
    )  # fmt: skip
    profile_services.add_position(
        member=member, title="Now", company="B", started_on=date(2016, 1, 1)
    )
    connect(member, other_member)  # N8: each follows the other
    network.unfollow(follower=member, followee=other_member)  # and alice stops following bob
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(member_token(member)))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(member.pk)
    assert body["username"] == body["acct"] == "alice"
    assert body["display_name"] == "Alice Archer"
    assert body["url"].endswith("/in/alice/")
    assert body["note"] == "<p>Line one<br>line two</p>\n\n<p>&lt;b&gt;bold&lt;/b&gt;</p>"
    assert body["source"]["note"] == "Line one\nline two\n\n<b>bold</b>"
    assert body["followers_count"] == 1 and body["following_count"] == 0
    assert body["connections_count"] == 1
    assert body["statuses_count"] == 0 and body["last_status_at"] is None
    assert body["headline"] == "Engineer" and body["location"] == "Lyon"
    assert body["industry"] == "Software"
    assert [p["title"] for p in body["positions"]] == ["Now", "Old"]
    assert body["positions"][0]["ended_on"] is None
    assert body["primary_action"] == "connect"
    assert body["locked"] is False and body["bot"] is False and body["group"] is False
    assert body["emojis"] == [] and body["fields"] == []
    assert body["created_at"].endswith("Z")


def test_verify_credentials_accepts_read_accounts_and_profile_scopes(client, member):
    for scopes in (["read"], ["read:accounts"], ["profile"]):
        token = member_token(member, scopes=scopes)
        response = client.get("/api/v1/accounts/verify_credentials", **bearer(token))
        assert response.status_code == 200, scopes


def test_verify_credentials_without_a_read_scope_is_403(client, member):
    token = member_token(member, scopes=["write"])
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(token))
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_verify_credentials_without_a_token_is_401(client):
    response = client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_verify_credentials_with_a_bad_token_is_401(client):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer("nope"))
    assert response.status_code == 401


def test_verify_credentials_with_an_app_only_token_is_422(client):
    response = client.get("/api/v1/accounts/verify_credentials", **bearer(app_token(client)))
    assert response.status_code == 422
    assert response.json() == {"error": "This method requires an authenticated user"}


def test_s2_to_s7_update_credentials_sets_profile_and_settings_by_product_names(client, member):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        {
            "display_name": "Alice A.",
            "note": "About me",
            "headline": "CTO",
            "location": "Paris",
            "industry": "Tech",
            "primary_action": "follow",
            "followers_allowed": "connections",
            "invitations_from": "email",
            "connections_visible_to": "only_me",
            "open_profile": True,
            "share_profile_updates": False,
            "share_network_updates": True,
        },
        content_type="application/json",
        **bearer(member_token(member)),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Alice A."
    assert body["source"]["note"] == "About me"
    assert body["headline"] == "CTO"
    assert body["primary_action"] == "follow"
    assert body["locked"] is True
    profile = User.objects.get(pk=member.pk).profile
    assert profile.invitations_from == "email"
    assert profile.connections_visible_to == "only_me"
    assert profile.open_profile is True
    assert profile.share_profile_updates is False
    assert profile.share_network_updates is True


def multipart_patch(client, token, data):
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    return client.patch(
        "/api/v1/accounts/update_credentials",
        encode_multipart("BoUnDaRy", data),
        content_type=MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "BoUnDaRy"),
        **bearer(token),
    )


def test_update_credentials_takes_multipart_with_an_avatar(client, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (600, 300), "navy").save(image, format="PNG")
    image.seek(0)
    image.name = "me.png"
    response = multipart_patch(
        client, member_token(member), {"avatar": image, "headline": "Hi", "open_profile": "true"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "/media/avatars/" in body["avatar"]
    assert body["headline"] == "Hi"
    assert User.objects.get(pk=member.pk).profile.open_profile is True


def test_mastodon_locked_maps_to_followers_allowed(client, member):
    token = member_token(member)
    response = multipart_patch(client, token, {"locked": "true"})
    assert response.json()["locked"] is True
    assert User.objects.get(pk=member.pk).profile.followers_allowed == "connections"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"primary_action": "wave"}, "primary_action must be one of: connect, follow."),
        ({"open_profile": "maybe"}, "open_profile must be true or false"),
        ({"display_name": ""}, "Your name can't be empty."),
        ({"headline": "x" * 300}, "Headline can be at most 220 characters."),
    ],
)
def test_update_credentials_refusals_are_422_and_change_nothing(client, member, data, message):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        {"location": "Berlin", **data},
        content_type="application/json",
        **bearer(member_token(member)),
    )
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert User.objects.get(pk=member.pk).profile.location == ""


def test_update_credentials_needs_write_accounts(client, member):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        {"headline": "x"},
        content_type="application/json",
        **bearer(member_token(member, scopes=["read"])),
    )
    assert response.status_code == 403


def test_get_account_by_id_is_public(client, member):
    response = client.get(f"/api/v1/accounts/{member.pk}")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert "source" not in response.json()


@pytest.mark.parametrize("account_id", ["999999", "abc"])
def test_unknown_account_id_is_404_json(client, account_id):
    response = client.get(f"/api/v1/accounts/{account_id}")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_b1_blocked_member_gets_404_for_the_blocker(client, member, other_member):
    network.block(blocker=member, blocked=other_member)
    token = member_token(other_member)
    assert client.get(f"/api/v1/accounts/{member.pk}", **bearer(token)).status_code == 404
    response = client.get("/api/v1/accounts/lookup", {"acct": "alice"}, **bearer(token))
    assert response.status_code == 404


@pytest.mark.parametrize("acct", ["alice", "ALICE", "@alice", "alice@testserver"])
def test_lookup_by_handle(client, member, acct):
    response = client.get("/api/v1/accounts/lookup", {"acct": acct})
    assert response.status_code == 200
    assert response.json()["id"] == str(member.pk)


@pytest.mark.parametrize("acct", ["nobody", "alice@elsewhere.example"])
def test_lookup_unknown_is_404(client, member, acct):
    response = client.get("/api/v1/accounts/lookup", {"acct": acct})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_lookup_without_acct_is_422(client):
    assert client.get("/api/v1/accounts/lookup").status_code == 422


def test_account_entities_cost_the_same_queries_for_1_or_40(django_assert_num_queries):
    from api.schemas.accounts import account_entities

    members = [make_member(handle=f"user{i}") for i in range(40)]
    for m in members[:5]:
        PositionFactory(member=m, title="T", company="C", started_on=date(2020, 1, 1))
    with django_assert_num_queries(2):
        assert len(account_entities(members[:1], viewer=None)) == 1
    with django_assert_num_queries(2):
        entities = account_entities(members, viewer=None)
    assert [e["username"] for e in entities] == [m.username for m in members]
    reader = make_member(handle="reader")
    # a signed-in reader adds one query: the blocks between them and the members (B1)
    with django_assert_num_queries(3):
        assert len(account_entities(members[:1], viewer=reader)) == 1
    with django_assert_num_queries(3):
        assert len(account_entities(members, viewer=reader)) == 40


def test_verify_credentials_query_count_is_pinned(client, member, django_assert_num_queries):
    token = member_token(member)
    # the token with its member and their language, the member with counts and profile,
    # positions
    with django_assert_num_queries(3):
        response = client.get("/api/v1/accounts/verify_credentials", **bearer(token))
    assert response.status_code == 200


# --- S1 and B1: what each reader gets of an account (issue 8) --------------------------


PUBLIC_CARD = {
    "username": "alice",
    "display_name": "Alice Archer",
    "headline": "Staff engineer",
    "location": "Lyon, France",
    "note": "",
    "industry": "",
    "positions": [
        {"title": "Staff Engineer", "company": "Acme", "started_on": None, "ended_on": None}
    ],
    "followers_count": 0,
    "following_count": 0,
    "statuses_count": 0,
    "connections_count": 0,
    "last_status_at": None,
}


def card_fields(body):
    return {key: body[key] for key in PUBLIC_CARD}


def test_s1_anonymous_reader_gets_only_the_public_card(client, full_profile, other_member):
    connect(full_profile, other_member)
    by_id = client.get(f"/api/v1/accounts/{full_profile.pk}")
    by_handle = client.get("/api/v1/accounts/lookup", {"acct": "alice"})
    assert by_id.status_code == 200 and by_handle.status_code == 200
    assert card_fields(by_id.json()) == PUBLIC_CARD
    assert by_handle.json() == by_id.json()


def test_s1_app_only_token_gets_only_the_public_card(client, full_profile):
    response = client.get(f"/api/v1/accounts/{full_profile.pk}", **bearer(app_token(client)))
    assert response.status_code == 200
    assert card_fields(response.json()) == PUBLIC_CARD


def test_s1_api_card_says_what_the_signed_out_page_says(client, full_profile):
    """One read: what the public card gives through the API, the signed-out page shows, and
    what that page hides, the card leaves out."""
    page = client.get("/in/alice/").content.decode()
    card = str(client.get(f"/api/v1/accounts/{full_profile.pk}").json())
    for shown in ("Alice Archer", "Staff engineer", "Lyon, France", "Staff Engineer", "Acme"):
        assert shown in page and shown in card, shown
    for hidden in ("Builds networks.", "Software", "Intern", "Beta"):
        assert hidden not in page and hidden not in card, hidden


def test_s1_signed_in_member_gets_the_whole_account(client, full_profile, other_member):
    token = member_token(other_member)
    body = client.get(f"/api/v1/accounts/{full_profile.pk}", **bearer(token)).json()
    assert "Builds networks." in body["note"] and body["industry"] == "Software"
    assert [p["title"] for p in body["positions"]] == ["Staff Engineer", "Intern"]
    assert body["positions"][0]["started_on"] == "2021-02-01"


@pytest.mark.parametrize("blocker", ["alice", "bob"])
def test_b1_blocked_member_gets_404_with_a_token_and_the_card_without(
    client, full_profile, other_member, blocker
):
    alice, bob = full_profile, other_member
    pair = (alice, bob) if blocker == "alice" else (bob, alice)
    network.block(blocker=pair[0], blocked=pair[1])
    token = bearer(member_token(bob))
    assert client.get(f"/api/v1/accounts/{alice.pk}", **token).status_code == 404
    lookup = client.get("/api/v1/accounts/lookup", {"acct": "alice"}, **token)
    assert lookup.status_code == 404 and lookup.json() == {"error": "Record not found"}
    anonymous = client.get(f"/api/v1/accounts/{alice.pk}")
    assert anonymous.status_code == 200 and card_fields(anonymous.json()) == PUBLIC_CARD


@pytest.mark.parametrize("name", ["Carol\u202e", "Ca\u200brol", "\u2066Carol", "Car\x07ol"])
def test_u1_sign_up_refuses_hidden_characters_in_the_display_name_with_rule_u1(client, name):
    token = app_token(client)
    response = client.post("/api/v1/accounts", {**SIGN_UP, "display_name": name}, **bearer(token))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["rule"] == "U1"
    assert body["details"]["display_name"][0]["error"] == "ERR_INVALID"
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.parametrize("name", ["Alice\u202eecilA", "Al\u200dice", "\ufeffAlice"])
def test_u1_update_credentials_refuses_hidden_characters_in_the_name(client, member, name):
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        {"display_name": name},
        content_type="application/json",
        **bearer(member_token(member)),
    )
    assert response.status_code == 422, response.content
    assert response.json() == {"error": NAME_HAS_HIDDEN_CHARACTERS, "rule": "U1"}
    assert User.objects.get(pk=member.pk).display_name == "Alice Archer"
