"""/in/<handle>/, its edit page with htmx fragments, and /settings/ (S1–S7)."""

import re

import pytest

from profiles import services
from tests import html as page_html
from tests.factories import make_member
from tests.profiles.images import image_upload

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_s1_member_sees_the_whole_profile(client, other_member, full_profile):
    client.force_login(other_member)
    html = client.get("/in/alice/").content.decode()
    for text in (
        "Alice Archer",
        "Staff engineer",
        "Lyon, France",
        "Software",
        "Builds networks.",
        "Staff Engineer",
        "Feb 2021 – Present",
        "Jun 2018 – Sep 2018",
        "École Centrale",
        "Graph theory",
    ):
        assert text in html, text
    assert "Sign in to see more" not in html


def test_s1_signed_out_visitor_sees_a_limited_public_profile(client, full_profile):
    response = client.get("/in/Alice/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Alice Archer", "Staff engineer", "Staff Engineer at Acme", "Lyon, France"):
        assert text in html, text
    for hidden in ("Builds networks.", "Intern", "École Centrale", "Graph theory", "Software"):
        assert hidden not in html, hidden
    assert "Sign in to see more" in html


def test_unknown_handle_is_a_404_page(client):
    response = client.get("/in/nobody/")
    assert response.status_code == 404 and b"This page doesn't exist" in response.content


def test_profile_shows_initials_without_avatar_and_the_photo_with_one(client, member):
    assert b'<span aria-hidden="true">AA</span>' in client.get("/in/alice/").content
    services.set_avatar(member=member, upload=image_upload())
    html = client.get("/in/alice/").content.decode()
    url = member.profile.__class__.objects.get(pk=member.pk).avatar.url
    assert f'<img src="{url}"' in html
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"


def test_media_view_serves_only_avatars_inside_media_root(client):
    assert client.get("/media/../config/settings.py").status_code == 404
    assert client.get("/media/avatars/../../secret_key").status_code == 404
    assert client.get("/media/other/file.txt").status_code == 404


def test_profile_page_includes_the_network_panels_for_another_member(client, member):
    """The actions and "You and Alice" (D1–D3) for a signed-in visitor; none for the owner."""
    client.force_login(make_member(handle="carol"))
    page = client.get("/in/alice/").content.decode()
    actions = page_html.one(page, "div#network-actions")
    assert page_html.text(page_html.one(actions, "details.more-menu")).startswith("More")
    panel = page_html.one(page, "section.network-panel")
    assert page_html.text(panel).startswith("You and Alice Archer")
    client.force_login(member)
    own = client.get("/in/alice/").content.decode()
    assert not page_html.select(own, "div#network-actions")
    assert not page_html.select(own, "section.network-panel")


def test_edit_page_is_only_for_the_owner(client, member, other_member):
    assert client.get("/in/alice/edit/").status_code == 302
    client.force_login(other_member)
    assert client.get("/in/alice/edit/").status_code == 403
    assert client.post("/in/alice/edit/positions/", {}).status_code == 403
    assert client.get("/in/nobody/edit/").status_code == 404
    client.force_login(member)
    assert client.get("/in/alice/edit/").status_code == 200


def test_s1_edit_basic_fields(signed_in, member):
    response = signed_in.post(
        "/in/alice/edit/",
        {
            "display_name": "Alice B. Archer",
            "headline": "CTO",
            "location": "",
            "industry": "",
            "about": "",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Alice B. Archer" and member.profile.headline == "CTO"


def test_s1_add_and_remove_a_position_with_htmx_fragments(signed_in, member):
    response = signed_in.post(
        "/in/alice/edit/positions/",
        {
            "position-title": "Founder",
            "position-company": "Linkwell",
            "position-started_on": "2024-01-15",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(
        '<section class="card" id="positions"'
    )
    assert "Founder" in html and "Jan 2024 – Present" in html and "<html" not in html
    position = member.positions.get()
    removed = signed_in.post(f"/in/alice/edit/positions/{position.pk}/delete/", **HTMX)
    assert "No positions yet." in removed.content.decode()
    assert not member.positions.exists()


def test_s1_fragment_shows_errors_for_a_bad_position(signed_in, member):
    response = signed_in.post(
        "/in/alice/edit/positions/",
        {
            "position-title": "Founder",
            "position-company": "Linkwell",
            "position-started_on": "2024-01-15",
            "position-ended_on": "2023-01-01",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "can&#x27;t end before it starts" in response.content.decode()
    assert not member.positions.exists()


def test_s1_sections_work_without_javascript(signed_in, member):
    added = signed_in.post("/in/alice/edit/skills/", {"skill-name": "Django"})
    assert added.status_code == 302 and added["Location"] == "/in/alice/edit/#skills"
    signed_in.post(
        "/in/alice/edit/education/", {"education-school": "MIT", "education-end_year": "2012"}
    )
    assert list(member.skills.values_list("name", flat=True)) == ["Django"]
    assert member.education.get().school == "MIT"
    bad = signed_in.post("/in/alice/edit/education/", {"education-school": ""})
    assert bad.status_code == 400 and b"<html" in bad.content
    skill = member.skills.get()
    signed_in.post(f"/in/alice/edit/skills/{skill.pk}/delete/")
    assert not member.skills.exists()


def test_avatar_upload_errors_are_shown(signed_in, member, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = signed_in.post(
        "/in/alice/edit/avatar/", {"avatar": SimpleUploadedFile("x.jpg", b"not an image")}
    )
    assert bad.status_code == 400 and b"must be a JPEG, PNG, WebP or GIF image" in bad.content
    settings.LINKWELL_AVATAR_MAX_BYTES = 100
    big = signed_in.post("/in/alice/edit/avatar/", {"avatar": image_upload()})
    assert big.status_code == 400 and b"can be at most" in big.content
    settings.LINKWELL_AVATAR_MAX_BYTES = 5 * 1024 * 1024
    ok = signed_in.post("/in/alice/edit/avatar/", {"avatar": image_upload("GIF")})
    assert ok.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.avatar


def test_s2_to_s7_settings_page_round_trip(signed_in, member):
    page = signed_in.get("/settings/").content.decode()
    for text in (
        "/settings/tokens/",
        "/settings/blocks/",
        "Only my connections",
        "removes your current followers",
    ):
        assert text in page
    response = signed_in.post(
        "/settings/",
        {
            "primary_action": "follow",
            "followers_allowed": "connections",
            "invitations_from": "email",
            "connections_visible_to": "only_me",
            "open_profile": "on",
            "share_network_updates": "on",
        },
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    profile = member.profile
    assert (profile.primary_action, profile.followers_allowed) == ("follow", "connections")
    assert (profile.invitations_from, profile.connections_visible_to) == ("email", "only_me")
    assert (profile.open_profile, profile.share_profile_updates, profile.share_network_updates) == (
        True,
        False,
        True,
    )
    again = signed_in.get("/settings/").content.decode()
    assert re.search(r'name="primary_action" value="follow"[^>]*\bchecked', again)
    assert not re.search(r'name="primary_action" value="connect"[^>]*\bchecked', again)
    assert re.search(r'name="open_profile"[^>]*\bchecked', again)


def test_s2_settings_page_refuses_a_bad_choice(signed_in, member):
    response = signed_in.post("/settings/", {"primary_action": "wave"})
    assert response.status_code == 400
    member.profile.refresh_from_db()
    assert member.profile.primary_action == "connect"


def test_b1_blocked_member_gets_404_on_the_profile(client, member):
    from network import services as network

    carol = make_member(handle="carol")
    network.block(blocker=member, blocked=carol)
    client.force_login(carol)
    assert client.get("/in/alice/").status_code == 404
