"""S1–S7 through profiles.services: profile fields, settings, avatar, experience."""

import datetime
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.services import NAME_HAS_HIDDEN_CHARACTERS
from core.errors import Invalid
from profiles import services
from profiles.models import Position, Skill
from tests.profiles.images import image_upload

pytestmark = pytest.mark.django_db


def test_s1_update_profile_writes_fields_and_name(member):
    services.update_profile(
        member=member, display_name="Alice A.", headline="Engineer", location="Lyon"
    )
    member.refresh_from_db()
    assert member.display_name == "Alice A."
    assert (member.profile.headline, member.profile.location) == ("Engineer", "Lyon")


def test_s1_update_profile_refuses_unknown_fields_and_overlong_values(member):
    with pytest.raises(Invalid, match="is not a profile field"):
        services.update_profile(member=member, email="x@example.com")
    with pytest.raises(Invalid, match="at most 220 characters"):
        services.update_profile(member=member, headline="x" * 221)
    with pytest.raises(Invalid, match=re.escape(str(services.NAME_REQUIRED))):
        services.update_profile(member=member, display_name="  ")


SETTINGS = {
    "primary_action": "follow",
    "followers_allowed": "connections",
    "invitations_from": "email",
    "connections_visible_to": "only_me",
    "open_profile": True,
    "share_profile_updates": False,
    "share_network_updates": True,
}


def test_s2_to_s7_settings_round_trip(member):
    services.update_settings(member=member, **SETTINGS)
    member.profile.refresh_from_db()
    assert {name: getattr(member.profile, name) for name in SETTINGS} == SETTINGS
    services.update_settings(member=member, **SETTINGS)  # again: nothing more changes
    member.profile.refresh_from_db()
    assert {name: getattr(member.profile, name) for name in SETTINGS} == SETTINGS


def test_s2_to_s7_settings_refuse_bad_values(member):
    with pytest.raises(Invalid, match="primary_action must be one of: connect, follow"):
        services.update_settings(member=member, primary_action="wave")
    with pytest.raises(Invalid, match="open_profile must be true or false"):
        services.update_settings(member=member, open_profile="yes")
    with pytest.raises(Invalid, match="is not a setting"):
        services.update_settings(member=member, headline="x")
    member.profile.refresh_from_db()
    assert member.profile.primary_action == "connect"


def test_avatar_is_resized_to_a_square_and_reencoded_without_exif(member, settings):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 1
    services.set_avatar(member=member, upload=image_upload("JPEG", (900, 500), exif=exif))
    member.profile.refresh_from_db()
    with Image.open(member.profile.avatar.path) as stored:
        assert stored.size == (settings.LINKWELL_AVATAR_SIZE, settings.LINKWELL_AVATAR_SIZE)
        assert stored.format == "WEBP"
        assert not stored.getexif()
    assert member.profile.avatar.name.endswith(".webp")


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_avatar_accepts_png_gif_and_webp(member, fmt):
    profile = services.set_avatar(member=member, upload=image_upload(fmt, (120, 200)))
    assert profile.avatar.name.endswith(".webp")


def test_avatar_refuses_files_that_are_not_those_images(member):
    fake = SimpleUploadedFile("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(Invalid, match=re.escape(str(services.AVATAR_BAD_TYPE))):
        services.set_avatar(member=member, upload=fake)
    with pytest.raises(Invalid, match=re.escape(str(services.AVATAR_BAD_TYPE))):
        services.set_avatar(member=member, upload=image_upload("BMP", name="photo.jpg"))


def test_avatar_refuses_files_over_the_size_limit(member, settings):
    settings.LINKWELL_AVATAR_MAX_BYTES = 1024
    big = image_upload("PNG", (600, 600))
    big.size = 2048
    with pytest.raises(Invalid, match="at most"):
        services.set_avatar(member=member, upload=big)
    member.profile.refresh_from_db()
    assert not member.profile.avatar


def test_replacing_the_avatar_deletes_the_old_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.set_avatar(member=member, upload=image_upload("PNG")).avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        second = services.set_avatar(member=member, upload=image_upload("JPEG")).avatar.path
    assert second != first
    assert os.path.exists(second) and not os.path.exists(first)


def test_s1_positions_added_once_and_removed(member):
    started = datetime.date(2021, 3, 1)
    first = services.add_position(
        member=member, title="Engineer", company="Acme", started_on=started
    )
    again = services.add_position(
        member=member, title="Engineer", company="Acme", started_on=started
    )
    assert first.pk == again.pk and Position.objects.filter(member=member).count() == 1
    with pytest.raises(Invalid, match=re.escape(str(services.POSITION_ENDS_BEFORE_START))):
        services.add_position(
            member=member,
            title="X",
            company="Y",
            started_on=started,
            ended_on=datetime.date(2020, 1, 1),
        )
    services.remove_position(member=member, position_id=first.pk)
    services.remove_position(member=member, position_id=first.pk)
    assert not Position.objects.filter(member=member).exists()


def test_s1_someone_elses_position_cannot_be_removed(member, other_member):
    theirs = services.add_position(
        member=other_member, title="CTO", company="Beta", started_on=datetime.date(2019, 1, 1)
    )
    services.remove_position(member=member, position_id=theirs.pk)
    assert Position.objects.filter(pk=theirs.pk).exists()


def test_s1_skills_unique_ignoring_case(member):
    services.add_skill(member=member, name="Python")
    services.add_skill(member=member, name="  python ")
    assert list(Skill.objects.filter(member=member).values_list("name", flat=True)) == ["Python"]


def test_s1_education_years_in_order(member):
    with pytest.raises(Invalid, match=re.escape(str(services.EDUCATION_ENDS_BEFORE_START))):
        services.add_education(member=member, school="MIT", start_year=2015, end_year=2010)
    services.add_education(member=member, school="MIT", start_year=2010, end_year=2014)
    assert member.education.count() == 1


@pytest.mark.parametrize(
    "name", ["Alice\u202eecilA", "Ali\u200bce", "\u2066Alice\u2069", "Ali\x00ce", "\ufeffAlice"]
)
def test_u1_profile_update_refuses_hidden_characters_in_the_name(member, name):
    with pytest.raises(Invalid) as refused:
        services.update_profile(member=member, display_name=name, headline="Engineer")
    assert refused.value.message == NAME_HAS_HIDDEN_CHARACTERS
    assert refused.value.rule == "U1"
    member.refresh_from_db()
    assert member.display_name == "Alice Archer"
    assert member.profile.headline == ""


def test_settings_refusals_name_the_rule_of_the_setting(member):
    with pytest.raises(Invalid) as refused:
        services.update_settings(member=member, connections_visible_to="everyone")
    assert refused.value.rule == "S5"
    with pytest.raises(Invalid) as refused:
        services.update_settings(member=member, open_profile="yes")
    assert refused.value.rule == "S6"
