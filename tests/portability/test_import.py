"""Issue 17's import: LinkedIn's files read as LinkedIn writes them, matched to members
without showing an address (X1), invitations only to those picked, obeying N5 and N6, and
every bad file refused with nothing written."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Invalid
from network import services as network
from network.models import Invitation
from portability import queries, services
from portability.models import Import, JobState, StagedConnection, StagedRow, Strength
from portability.readers import read_linkedin
from profiles.models import Education, Position, Skill
from tests.factories import PositionFactory, make_member
from tests.portability.files import (
    Contact,
    connections_csv,
    linkedin_zip,
    sample_export,
    zip_bomb,
    zip_with_path,
)

LIMIT = 50 * 1024 * 1024


def test_connections_csv_is_read_after_its_notes_with_bom_crlf_quotes_and_blank_emails():
    data = connections_csv(
        [
            Contact("Zoë", "Ødegård", "https://www.linkedin.com/in/zoe-o", "", "Acme, Inc.", "CEO"),
            Contact("Li", "Wei", "", "li@example.com", "Hazelmark", 'Lead "maps"\nand data'),
        ]
    )
    rows = read_linkedin("Connections.csv", data, limit=LIMIT).rows("connection")
    assert [r["First Name"] for _, r in rows] == ["Zoë", "Li"]
    assert rows[0][1]["Company"] == "Acme, Inc."
    assert rows[0][1]["Email Address"] == ""
    assert rows[1][1]["Position"] == 'Lead "maps"\nand data'


def test_x1_one_of_linkedins_csv_files_uploaded_alone_is_an_import_of_its_rows(ines, upload):
    """Issue 17: the ZIP, or any one of its CSV files alone: Connections.csv alone is matched
    like the ZIP's, Positions.csv alone offers its positions in the preview."""
    emma = make_member(handle="emma", display_name="Emma Stone", email="emma@corp.test")
    alone = upload(
        ines,
        connections_csv([Contact("Emma", "Stone", "", "emma@corp.test"), Contact("No", "One")]),
        name="Connections.csv",
    )
    assert alone.state == JobState.DONE, alone.error
    assert alone.counts["connections"] == 2 and alone.counts["files"] == ["Connections.csv"]
    assert [line.view.member.pk for line in queries.matches(ines, alone)[0]] == [emma.pk]
    with zipfile.ZipFile(io.BytesIO(sample_export([]))) as archive:
        positions = archive.read("Positions.csv")
    only = upload(ines, positions, name="Positions.csv")
    assert only.state == JobState.DONE and only.counts["connections"] == 0
    assert len(queries.profile_preview(ines, only)["positions"]) == 2


def _stranger_with_address(email):
    return make_member(handle="olek", display_name="Olek Orr", email=email)


def test_x1_matches_by_address_url_and_name_company_without_showing_an_address(ines, upload):
    by_email = make_member(handle="emma", display_name="Emma Stone", email="emma@corp.test")
    by_url = make_member(handle="uwe", display_name="Uwe Ulm")
    services.set_linkedin_address(member=by_url, address="https://www.linkedin.com/in/uwe-ulm-7/")
    by_name = make_member(handle="nadia", display_name="Nadia Nour")
    PositionFactory(member=by_name, company="Hazelmark", title="Analyst")
    from search import services as search

    search.index_member(by_name.pk)
    unconfirmed = make_member(handle="una", email="una@corp.test", email_confirmed=False)
    source = upload(
        ines,
        sample_export(
            [
                Contact("E", "S", "", "EMMA@corp.test"),
                Contact("Uwe", "Ulm", "https://www.linkedin.com/in/Uwe-Ulm-7"),
                Contact("Nadia", "Nour", "", "", "hazelmark", "Analyst"),
                Contact("Una", "U", "", "una@corp.test"),
                Contact("Nobody", "Here", "", "nobody@corp.test"),
            ]
        ),
    )
    assert source.state == JobState.DONE, source.error
    lines, total = queries.matches(ines, source)
    found = {line.view.member.pk: line.row.strength for line in lines}
    assert found == {
        by_email.pk: Strength.EMAIL,
        by_url.pk: Strength.LINKEDIN_URL,
        by_name.pk: Strength.NAME_COMPANY,
    }
    assert unconfirmed.pk not in found  # an unconfirmed address matches no one
    counts = queries.counts(source)
    assert (counts["connections"], counts["matched"]) == (5, 3)


def test_x1_the_api_never_shows_a_matched_members_address(ines, upload, client):
    make_member(handle="emma", display_name="Emma Stone", email="emma@corp.test")
    source = upload(ines, sample_export([Contact("E", "S", "", "emma@corp.test")]))
    from oauth.services import create_personal_token

    _, token = create_personal_token(member=ines, scopes=["read", "write"])
    body = client.get(
        f"/api/v1/imports/{source.pk}/matches", headers={"Authorization": f"Bearer {token}"}
    ).content.decode()
    assert "emma@corp.test" not in body and "Emma Stone" in body


def test_b1_a_member_who_blocked_the_importer_is_not_matched(ines, upload):
    bea = make_member(handle="bea", display_name="Bea B", email="bea@corp.test")
    network.block(blocker=bea, blocked=ines)
    source = upload(ines, sample_export([Contact("Bea", "B", "", "bea@corp.test")]))
    assert queries.matches(ines, source)[0] == []


def _matched(ines, upload, people):
    contacts = [
        Contact(p.display_name, "", "", p.email, connected_on="03 Feb 2021") for p in people
    ]
    return upload(ines, sample_export(contacts))


def test_x1_only_the_picked_members_are_invited_with_the_linkedin_reason(ines, upload):
    people = [make_member(handle=f"pal{i}", email=f"pal{i}@corp.test") for i in range(4)]
    source = _matched(ines, upload, people)
    assert not Invitation.objects.exists()  # never automatic
    outsider = make_member(handle="outsider")
    result = services.invite_matches(
        member=ines, import_id=source.pk, account_ids=[people[0].pk, people[2].pk, outsider.pk]
    )
    assert sorted(result["invited"]) == sorted([people[0].pk, people[2].pk])
    invitations = Invitation.objects.filter(sender=ines)
    assert {i.recipient_id for i in invitations} == {people[0].pk, people[2].pk}
    assert {i.note for i in invitations} == {"Connected on LinkedIn since 2021"}


def test_x1_inviting_twice_sends_nothing_more(ines, upload):
    people = [make_member(handle=f"pal{i}", email=f"pal{i}@corp.test") for i in range(2)]
    source = _matched(ines, upload, people)
    ids = [p.pk for p in people]
    services.invite_matches(member=ines, import_id=source.pk, account_ids=ids)
    services.invite_matches(member=ines, import_id=source.pk, account_ids=ids)
    assert Invitation.objects.filter(sender=ines).count() == 2


def test_n5_the_weekly_limit_stops_an_import_invitation_run(ines, upload, settings):
    settings.LINKWELL_INVITATIONS_PER_WEEK = 2
    people = [make_member(handle=f"pal{i}", email=f"pal{i}@corp.test") for i in range(3)]
    source = _matched(ines, upload, people)
    result = services.invite_matches(
        member=ines, import_id=source.pk, account_ids=[p.pk for p in people]
    )
    assert len(result["invited"]) == 2
    assert result["stopped"]["rule"] == "N5"
    assert Invitation.objects.filter(sender=ines).count() == 2


def test_n6_a_connection_and_an_s4_member_are_refused_by_networks_rules(ines, upload):
    friend = make_member(handle="friend", email="friend@corp.test")
    strict = make_member(handle="strict", display_name="Sam Strict", email="strict@corp.test")
    invitation = network.invite(sender=friend, recipient=ines)
    network.accept(invitation_id=invitation.pk, by=ines)
    from profiles import services as profiles

    profiles.update_settings(member=strict, invitations_from="email")
    services.set_linkedin_address(member=strict, address="https://www.linkedin.com/in/sam-s/")
    source = upload(
        ines,
        sample_export(
            [
                Contact("F", "F", "", "friend@corp.test"),
                Contact("Sam", "Strict", "https://www.linkedin.com/in/sam-s/"),
            ]
        ),
    )
    result = services.invite_matches(
        member=ines, import_id=source.pk, account_ids=[friend.pk, strict.pk]
    )
    assert result["invited"] == []
    assert {r["rule"] for r in result["refused"]} == {"N6", "S4"}


def test_s4_matched_by_their_own_address_meets_an_email_only_member(ines, upload):
    strict = make_member(handle="strict", email="strict@corp.test")
    from profiles import services as profiles

    profiles.update_settings(member=strict, invitations_from="email")
    source = upload(ines, sample_export([Contact("S", "S", "", "strict@corp.test")]))
    result = services.invite_matches(member=ines, import_id=source.pk, account_ids=[strict.pk])
    assert result["invited"] == [strict.pk]


def test_profile_preview_and_a_second_import_change_nothing_more(ines, upload):
    source = upload(ines, sample_export([]))
    preview = queries.profile_preview(ines, source)
    assert {c.key for c in preview["changes"]} == {
        "display_name",
        "headline",
        "about",
        "industry",
        "location",
    }
    services.apply_profile(
        member=ines, import_id=source.pk, keep=["headline", "positions", "education", "skills"]
    )
    ines.refresh_from_db()
    assert ines.profile.headline == "Data, ethics & maps"
    assert ines.display_name == "Ines Imrie"  # dropped in the preview
    counts = (Position.objects.count(), Education.objects.count(), Skill.objects.count())
    assert counts == (2, 1, 2)
    again = upload(ines, sample_export([]))
    assert again.pk == source.pk  # the same file is the same import
    changed = linkedin_zip({"Positions.csv": sample_export_positions()})
    second = upload(ines, changed)
    services.apply_profile(member=ines, import_id=second.pk, keep=["positions"])
    assert Position.objects.count() == 2  # merged, not duplicated
    services.apply_profile(member=ines, import_id=source.pk, keep=["positions", "skills"])
    assert (Position.objects.count(), Skill.objects.count()) == (2, 2)


def sample_export_positions() -> bytes:
    with zipfile.ZipFile(io.BytesIO(sample_export([]))) as archive:
        return archive.read("Positions.csv")


BAD_FILES = {
    "not a zip or csv": ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    "wrong columns": ("Connections.csv", b"Name,Mail\r\nAna,ana@x.test\r\n"),
    "non-utf8": (
        "Connections.csv",
        "First Name,Last Name,URL\r\nJosé,Núñez,\r\n".encode("latin-1"),
    ),
    "dot-dot path": ("export.zip", zip_with_path("/".join(["..", "..", "etc", "passwd"]))),
    "absolute path": ("export.zip", zip_with_path("/etc/passwd")),
    "nothing known": ("export.zip", linkedin_zip({})),
    "broken zip": ("export.zip", b"PK\x03\x04garbage"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_every_bad_file_is_refused_with_a_sentence_and_nothing_written(ines, kind):
    name, data = BAD_FILES[kind]
    with pytest.raises(Invalid) as refused:
        services.start_import(member=ines, kind="linkedin", upload=SimpleUploadedFile(name, data))
    assert refused.value.message.endswith(".")
    assert not Import.objects.exists() and not StagedRow.objects.exists()


def test_a_file_over_50_mb_is_refused_before_reading(ines, settings):
    settings.LINKWELL_IMPORT_MAX_BYTES = 1024
    with pytest.raises(Invalid) as refused:
        services.start_import(
            member=ines, kind="linkedin", upload=SimpleUploadedFile("c.csv", b"a," * 1024)
        )
    assert "larger than" in refused.value.message
    assert not Import.objects.exists()


def test_a_zip_bomb_is_refused_and_nothing_written(ines, settings):
    settings.LINKWELL_IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(Invalid) as refused:
        services.start_import(
            member=ines, kind="linkedin", upload=SimpleUploadedFile("x.zip", zip_bomb())
        )
    assert "unpacks to more than" in refused.value.message
    assert not Import.objects.exists()


def test_a_failure_while_staging_leaves_nothing_half_imported(ines, upload, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("portability.queries.match_connections", broken)
    source = upload(ines, sample_export([Contact("A", "B")]))
    assert source.state == JobState.FAILED and source.error
    assert not StagedConnection.objects.exists() and not StagedRow.objects.exists()
    assert not queries.upload_path(source).exists()


def test_join_invitations_go_once_per_address_and_never_to_a_member(
    ines, upload, mailoutbox, django_capture_on_commit_callbacks
):
    make_member(handle="memb", email="member@corp.test", email_confirmed=False)
    source = upload(
        ines,
        sample_export(
            [
                Contact("New", "Person", "", "new@corp.test"),
                Contact("Mem", "Ber", "", "member@corp.test"),
            ]
        ),
    )
    lines = [r.line for r in queries.emailable(source)]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_to_join(
            member=ines, import_id=source.pk, lines=lines, join_link="http://t/join/"
        )
    again = services.invite_to_join(
        member=ines, import_id=source.pk, lines=lines, join_link="http://t/join/"
    )
    assert (first["sent"], again["sent"]) == (1, 0)
    assert [m.to for m in mailoutbox] == [["new@corp.test"]]


def test_x1_join_invitations_stop_at_the_weekly_limit_and_never_go_twice_whoever_asks(
    ines, upload, mailoutbox, settings, frozen_now, django_capture_on_commit_callbacks
):
    """Asking contacts to join is rate-limited (LINKWELL_JOIN_INVITES_PER_WEEK in 7 days, the
    refusal says when it lapses) and an address is mailed once ever, whoever asks."""
    settings.LINKWELL_JOIN_INVITES_PER_WEEK = 1
    contacts = [
        Contact("New", "One", "", "one@corp.test"),
        Contact("New", "Two", "", "two@corp.test"),
    ]
    source = upload(ines, sample_export(contacts))

    def ask(member, source):
        lines = [r.line for r in queries.emailable(source)]
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite_to_join(
                member=member, import_id=source.pk, lines=lines, join_link="http://t/join/"
            )

    first = ask(ines, source)
    assert first["sent"] == 1 and first["stopped"]["rule"] == "X1"
    assert first["stopped"]["until"] == frozen_now.value + datetime.timedelta(days=7)
    assert "after" in first["stopped"]["error"]
    assert [m.to for m in mailoutbox] == [["one@corp.test"]]
    frozen_now.advance(days=7, seconds=1)
    assert ask(ines, source)["sent"] == 1  # the week has passed: the other address
    assert [m.to for m in mailoutbox] == [["one@corp.test"], ["two@corp.test"]]
    olaf = make_member(handle="olaf", email="olaf@example.com")
    theirs = upload(olaf, sample_export([Contact("New", "One", "", "one@corp.test")]))
    assert ask(olaf, theirs) == {"sent": 0, "skipped": 1, "stopped": None}
    assert len(mailoutbox) == 2


def test_b1_a_block_after_the_import_hides_the_match_from_the_list(ines, upload):
    bea = make_member(handle="bea", display_name="Bea B", email="bea@corp.test")
    source = upload(ines, sample_export([Contact("Bea", "B", "", "bea@corp.test")]))
    assert [line.view.member.pk for line in queries.matches(ines, source)[0]] == [bea.pk]
    network.block(blocker=bea, blocked=ines)
    assert queries.matches(ines, source)[0] == []
    assert (
        services.invite_matches(member=ines, import_id=source.pk, account_ids=[bea.pk])["invited"]
        == []
    )


def test_linkedin_dates_and_profile_addresses_as_linkedin_writes_them():
    from datetime import date

    from portability.readers import linkedin_date, linkedin_slug

    assert linkedin_date("12 Mar 2021") == date(2021, 3, 12)
    assert linkedin_date("Mar 2021") == date(2021, 3, 1)
    assert linkedin_date("2019") == date(2019, 1, 1)
    assert linkedin_date("someday") is None
    assert linkedin_slug("https://www.linkedin.com/in/Ana-Lopez-12/?trk=x") == "ana-lopez-12"
    assert linkedin_slug("https://example.com/ana") == ""


def test_f3_linkedin_company_follows_become_page_follows_where_a_page_exists(ines, upload):
    """F3/G2: "Company Follows.csv" names two companies; the one with a page (found by its
    folded name) is followed, the other is left; applying again follows nothing more."""
    from pages import queries as pages_queries
    from pages import services as pages_services

    admin = make_member(handle="pageadmin")
    page = pages_services.create_page(by=admin, kind="company", name="Hazelmark GmbH")
    follows = "Organization,Followed On\r\nhazelmark  gmbh,Mon Mar 01 2021\r\nNowhere Ltd,x\r\n"
    source = upload(ines, linkedin_zip({"Company Follows.csv": follows.encode()}))
    added = services.apply_profile(member=ines, import_id=source.pk, keep=["company_follows"])
    assert added["company_follows"] == 1
    assert pages_queries.follows(ines, page)
    again = services.apply_profile(member=ines, import_id=source.pk, keep=["company_follows"])
    assert again["company_follows"] == 0
