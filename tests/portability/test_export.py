"""X2: a member's export holds everything that is theirs, in LinkedIn's layout, JSON and
their images, and nothing private of anyone else (a test per private thing); vCard and
Mastodon's CSVs parse with their libraries and round-trip; the link is the owner's, 7 days."""

import csv
import io
import json
import zipfile
from datetime import date

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import Gone, NotFound
from feed import services as feed
from messaging import services as messaging
from network import services as network
from network.models import Follow
from portability import archive, queries, services
from portability.models import JobState
from profiles import services as profiles
from relationships import services as relationship_services
from tests.factories import make_member


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(out, "PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


def connect(a, b):
    invitation = network.invite(sender=a, recipient=b)
    network.accept(invitation_id=invitation.pk, by=b)


@pytest.fixture
def olga(db):
    olga = make_member(handle="olga", display_name="Olga Orlov", email="olga.own@example.com")
    profiles.update_profile(member=olga, headline="Olga-headline", about="Olga-about")
    profiles.add_position(
        member=olga, title="Cartographer", company="Hazelmark", started_on=date(2020, 3, 1)
    )
    profiles.add_skill(member=olga, name="Maps")
    profiles.set_avatar(member=olga, upload=png())
    return olga


@pytest.fixture
def world(olga):
    """Olga's connections and what of theirs must never reach her export."""
    conor = make_member(handle="conor", display_name="Conor Cole", email="conor.secret@example.com")
    hana = make_member(handle="hana", display_name="Hana Hidden", email="hana.secret@example.com")
    hugo = make_member(handle="hugo", display_name="Hugo HiddenFriend")
    stranger = make_member(handle="stella", display_name="Stella Stranger")
    connect(olga, conor)
    connect(olga, hana)
    connect(hana, hugo)
    profiles.update_settings(member=hana, connections_visible_to="only_me")  # S5
    network.invite(sender=stranger, recipient=hugo, note="Stella-note-to-hugo")
    feed.publish(author=conor, text="Conor-connections-only", visibility="connections")
    own = feed.publish(author=olga, text="Olga-own-post")
    feed.react(member=olga, post_id=own.pk)
    feed.comment(author=olga, on=own.pk, text="Olga-own-comment")
    messaging.send(sender=conor, recipient=olga, text="Conor-to-Olga")
    messaging.send(sender=conor, recipient=hana, text="Conor-to-Hana-only")
    return {"conor": conor, "hana": hana, "hugo": hugo}


def export_of(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(member=member)
    export.refresh_from_db()
    assert export.state == JobState.DONE, export.error
    with zipfile.ZipFile(queries.export_path(export)) as archive_file:
        return export, {n: archive_file.read(n) for n in archive_file.namelist()}


@pytest.fixture
def exported(world, olga, django_capture_on_commit_callbacks):
    return export_of(olga, django_capture_on_commit_callbacks)[1]


def everything(files) -> str:
    return "\n".join(data.decode("utf-8", "replace") for data in files.values())


def rows(files, name):
    text = files[name].decode()
    if name == "Connections.csv":
        text = text[text.index("First Name") :]
    return list(csv.DictReader(io.StringIO(text)))


def test_x2_the_export_holds_the_members_own_data_in_linkedins_layout(exported):
    assert rows(exported, "Profile.csv")[0]["Headline"] == "Olga-headline"
    assert rows(exported, "Positions.csv")[0] == {
        "Company Name": "Hazelmark",
        "Title": "Cartographer",
        "Description": "",
        "Location": "",
        "Started On": "Mar 2020",
        "Finished On": "",
    }
    assert [r["Name"] for r in rows(exported, "Skills.csv")] == ["Maps"]
    assert {r["First Name"] for r in rows(exported, "Connections.csv")} == {"Conor", "Hana"}
    assert rows(exported, "Email Addresses.csv")[0]["Email Address"] == "olga.own@example.com"
    assert [r["ShareCommentary"] for r in rows(exported, "Shares.csv")] == ["Olga-own-post"]
    assert [r["Message"] for r in rows(exported, "Comments.csv")] == ["Olga-own-comment"]
    assert [r["Type"] for r in rows(exported, "Reactions.csv")] == ["LIKE"]
    assert [r["CONTENT"] for r in rows(exported, "messages.csv")] == ["Conor-to-Olga"]
    assert len(rows(exported, "Invitations.csv")) == 2
    data = json.loads(exported["linkwell.json"])
    assert data["profile"]["about"] == "Olga-about"
    assert any(name.startswith("images/avatar.") for name in exported)


def test_x2_an_export_is_a_linkedin_export_our_own_import_reads(exported):
    from portability.readers import read_linkedin

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as again:
        for name, data in exported.items():
            again.writestr(name, data)
    parsed = read_linkedin("export.zip", zipped.getvalue(), limit=50 * 1024 * 1024)
    assert {r["Last Name"] for _, r in parsed.rows("connection")} == {"Cole", "Hidden"}


def test_x2_no_other_members_email_address_is_in_the_export(exported):
    text = everything(exported)
    assert "conor.secret@example.com" not in text and "hana.secret@example.com" not in text
    assert {r["Email Address"] for r in rows(exported, "Connections.csv")} == {""}


def test_s5_a_connections_hidden_list_is_not_in_the_export(exported):
    assert "Hugo" not in everything(exported) and "hugo" not in everything(exported)


def test_x2_others_invitation_notes_posts_and_messages_are_not_in_the_export(exported):
    text = everything(exported)
    assert "Stella-note-to-hugo" not in text
    assert "Conor-connections-only" not in text
    assert "Conor-to-Hana-only" not in text


def test_b1_a_member_blocked_since_is_left_out_of_connections_and_messages(
    world, olga, django_capture_on_commit_callbacks
):
    network.block(blocker=world["conor"], blocked=olga)
    files = export_of(olga, django_capture_on_commit_callbacks)[1]
    assert "Conor" not in everything(files)


def test_x2_notes_and_tags_hook_is_one_of_the_exports_parts():
    """Relationships' part (A1's notes and tags, and the tags as Mastodon's lists.csv) is one
    of the parts every export is built from; what it holds is proved by the tests below."""
    assert ("relationships", archive.notes_and_tags_part) in archive.PARTS


def test_x2_another_members_notes_and_tags_about_the_member_are_not_in_the_export(
    world, olga, django_capture_on_commit_callbacks
):
    """A1/X2: Olga's export holds the note and tag she keeps on Conor, and not the note and
    tag Conor keeps on her."""
    conor = world["conor"]
    relationship_services.set_note(owner=olga, member=conor, text="Olga-own-note-on-Conor")
    mine = relationship_services.create_tag(owner=olga, title="Olga-own-tag")
    relationship_services.tag_members(owner=olga, tag_id=mine.pk, member_ids=[conor.pk])
    relationship_services.set_note(owner=conor, member=olga, text="Conor-secret-note-on-Olga")
    theirs = relationship_services.create_tag(owner=conor, title="Conor-secret-tag")
    relationship_services.tag_members(owner=conor, tag_id=theirs.pk, member_ids=[olga.pk])
    files = export_of(olga, django_capture_on_commit_callbacks)[1]
    assert rows(files, "Notes.csv") == [{"Handle": "conor", "Note": "Olga-own-note-on-Conor"}]
    assert rows(files, "Tags.csv") == [{"Tag": "Olga-own-tag", "Handle": "conor"}]
    text = everything(files)
    assert "Conor-secret-note-on-Olga" not in text
    assert "Conor-secret-tag" not in text


def test_x2_b1_own_notes_and_tags_on_a_member_who_blocked_since_stay_theirs_alone(
    world, olga, django_capture_on_commit_callbacks
):
    """X2/B1: the note and tag Olga wrote on Conor are her own data and stay in her export
    after Conor blocks her (by his handle, nothing of his); what Conor keeps on her never."""
    conor = world["conor"]
    relationship_services.set_note(owner=olga, member=conor, text="Olga-own-note-on-Conor")
    mine = relationship_services.create_tag(owner=olga, title="Olga-own-tag")
    relationship_services.tag_members(owner=olga, tag_id=mine.pk, member_ids=[conor.pk])
    relationship_services.set_note(owner=conor, member=olga, text="Conor-secret-note-on-Olga")
    theirs = relationship_services.create_tag(owner=conor, title="Conor-secret-tag")
    relationship_services.tag_members(owner=conor, tag_id=theirs.pk, member_ids=[olga.pk])
    network.block(blocker=conor, blocked=olga)
    files = export_of(olga, django_capture_on_commit_callbacks)[1]
    assert rows(files, "Notes.csv") == [{"Handle": "conor", "Note": "Olga-own-note-on-Conor"}]
    assert rows(files, "Tags.csv") == [{"Tag": "Olga-own-tag", "Handle": "conor"}]
    text = everything(files)
    assert "Conor-secret-note-on-Olga" not in text and "Conor-secret-tag" not in text
    assert "Conor Cole" not in text and "conor.secret@example.com" not in text
    assert {r["First Name"] for r in rows(files, "Connections.csv")} == {"Hana"}


def test_x2_the_download_is_the_owners_only_and_lapses_after_7_days(
    world, olga, django_capture_on_commit_callbacks, frozen_now
):
    export, _ = export_of(olga, django_capture_on_commit_callbacks)
    assert queries.downloadable_export(olga, export.pk) == export
    with pytest.raises(NotFound):
        queries.downloadable_export(world["conor"], export.pk)
    frozen_now.advance(days=7, seconds=1)
    with pytest.raises(Gone, match="lapsed"):
        queries.downloadable_export(olga, export.pk)


def test_a_second_click_on_download_your_data_is_the_same_export(olga):
    first = services.request_export(member=olga)
    assert services.request_export(member=olga).pk == first.pk


def test_vcard_parses_with_vobject_and_holds_what_connections_see(world, olga, exported):
    profiles.update_profile(member=world["conor"], headline="Conor-headline")
    cards = list(vobject.readComponents(archive.network_part(olga).files["connections.vcf"]))
    by_name = {c.fn.value: c for c in cards}
    assert set(by_name) == {"Conor Cole", "Hana Hidden"}
    assert by_name["Conor Cole"].note.value == "Conor-headline"
    assert by_name["Conor Cole"].url.value.endswith("/in/conor/")
    assert not any(hasattr(c, "email") for c in cards)


def test_mastodon_csvs_round_trip_through_an_import(
    world, olga, upload, django_capture_on_commit_callbacks
):
    part = archive.network_part(olga)
    following = part.files["following_accounts.csv"]
    assert following.splitlines()[0] == "Account address,Show boosts,Notify on new posts,Languages"
    parsed = list(csv.reader(io.StringIO(following)))[1:]
    assert {r[0].split("@")[0] for r in parsed} == {"conor", "hana"}
    # Another member takes Olga's follows with them: the same file imports as the same follows.
    newcomer = make_member(handle="newcomer")
    source = upload(
        newcomer, following.encode(), name="following_accounts.csv", kind="mastodon_following"
    )
    result = services.apply_mastodon(member=newcomer, import_id=source.pk)
    assert result["done"] == 2
    followed = set(
        Follow.objects.filter(follower=newcomer).values_list("followee__username", flat=True)
    )
    assert followed == {"conor", "hana"}
    network.block(blocker=olga, blocked=world["hugo"])
    blocks = archive.network_part(olga).files["blocked_accounts.csv"]
    assert [r[0].split("@")[0] for r in csv.reader(io.StringIO(blocks))] == ["hugo"]
    lists = upload(
        newcomer,
        b"Friends,stella@elsewhere.social\nFriends,hugo\n",
        name="lists.csv",
        kind="mastodon_lists",
    )
    assert services.apply_mastodon(member=newcomer, import_id=lists.pk) == {
        "done": 1,
        "not_found": 1,
        "refused": 0,
    }


def test_a1_x2_tags_leave_and_return_as_mastodons_lists_csv(
    world, olga, upload, client, django_capture_on_commit_callbacks
):
    """A tag is a Mastodon list (A1), so the export's and the download's lists.csv hold the
    member's own tags in Mastodon's `list,acct` lines, and importing that file on another
    account follows those members and puts them in tags of the same names, once."""
    from relationships import queries as relationship_queries

    conor, hana = world["conor"], world["hana"]
    mentors = relationship_services.create_tag(owner=olga, title="Mentors")
    relationship_services.tag_members(owner=olga, tag_id=mentors.pk, member_ids=[conor.pk, hana.pk])
    lisbon = relationship_services.create_tag(owner=olga, title="Lisbon 2026")
    relationship_services.tag_members(owner=olga, tag_id=lisbon.pk, member_ids=[conor.pk])
    relationship_services.create_tag(owner=conor, title="Conor-secret-list")  # not Olga's
    files = export_of(olga, django_capture_on_commit_callbacks)[1]
    lines = {
        (name, acct.split("@")[0])
        for name, acct in csv.reader(io.StringIO(files["lists.csv"].decode()))
    }
    assert lines == {("Lisbon 2026", "conor"), ("Mentors", "conor"), ("Mentors", "hana")}
    client.force_login(olga)
    download = client.get("/settings/data/mastodon/lists.csv")
    assert (
        b"".join(download.streaming_content if download.streaming else [download.content])
        == (files["lists.csv"])
    )

    newcomer = make_member(handle="newcomer")
    source = upload(newcomer, files["lists.csv"], name="lists.csv", kind="mastodon_lists")
    for _ in range(2):  # a second apply changes nothing more
        assert services.apply_mastodon(member=newcomer, import_id=source.pk)["done"] == 3
        tags = relationship_queries.tags_of(newcomer)
        assert [t.title for t in tags] == ["Lisbon 2026", "Mentors"]
        held = {t.title: set(relationship_queries.tag_member_ids(newcomer, t.pk)) for t in tags}
        assert held == {"Lisbon 2026": {conor.pk}, "Mentors": {conor.pk, hana.pk}}
    followed = set(Follow.objects.filter(follower=newcomer).values_list("followee_id", flat=True))
    assert followed == {conor.pk, hana.pk}
