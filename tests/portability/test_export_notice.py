"""P5, X2: a finished export tells its owner, once, in the inbox and through the API; the link
there is the owner's only and lapses after LINKWELL_EXPORT_DAYS (7) with a sentence saying so."""

import pytest
from django.utils import formats, timezone

from core.errors import Gone
from feed import inbox
from notifications.models import Kind, Notification
from oauth.services import create_personal_token
from portability import queries, services
from portability.models import Export, JobState
from tests.factories import make_member


@pytest.fixture
def built(ines, django_capture_on_commit_callbacks):
    """Ines's export, built by the job as the inline backend runs it, after the commit."""
    make_member(handle="bystander")
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(member=ines)
    export.refresh_from_db()
    assert export.state == JobState.DONE, export.error
    return export


def download(export) -> str:
    return f"/settings/data/exports/{export.pk}/download/"


def until(export) -> str:
    return formats.date_format(timezone.localtime(export.expires_at), "DATETIME_FORMAT")


def test_p5_x2_a_finished_export_notifies_its_owner_once_and_nobody_else(built, ines):
    assert list(Notification.objects.values_list("recipient_id", "actor_id", "kind")) == [
        (ines.pk, ines.pk, Kind.EXPORT_READY)
    ]
    assert Notification.objects.get().subject_id == built.pk


def test_p5_e3_running_the_export_job_again_notifies_nobody_again(built, ines):
    assert services.build_export(built.pk) == JobState.DONE
    assert Notification.objects.filter(kind=Kind.EXPORT_READY).count() == 1


def test_p5_e3_a_job_retried_before_it_marked_done_still_notifies_once(
    ines, django_capture_on_commit_callbacks
):
    """A worker lost mid-run leaves the export running; the retry builds it and notifies once,
    and a second retry finds it done."""
    with django_capture_on_commit_callbacks(execute=False):
        export = services.request_export(member=ines)
    Export.objects.filter(pk=export.pk).update(state=JobState.RUNNING, progress=40)
    assert services.build_export(export.pk) == JobState.DONE
    assert services.build_export(export.pk) == JobState.DONE
    assert Notification.objects.filter(recipient=ines, kind=Kind.EXPORT_READY).count() == 1


def test_p5_each_new_export_is_a_notice_of_its_own(built, ines, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        second = services.request_export(member=ines)
    subjects = Notification.objects.filter(recipient=ines).values_list("subject_id", flat=True)
    assert sorted(subjects) == [built.pk, second.pk]


def test_p5_a_failed_export_notifies_nobody(ines, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("portability.archive.write_export", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(member=ines)
    export.refresh_from_db()
    assert export.state == JobState.FAILED
    assert not Notification.objects.exists()


def test_p5_the_inbox_holds_the_notice_with_the_member_as_its_actor(built, ines):
    found, _ = inbox.notices(ines)
    assert [(n.notification.kind, n.actor.pk, n.post) for n in found] == [
        (Kind.EXPORT_READY, ines.pk, None)
    ]
    assert inbox.unread_count(ines) == 1


def test_p5_x2_the_notifications_page_links_the_download_for_7_days(client, built, ines):
    client.force_login(ines)
    page = client.get("/notifications/").content.decode()
    assert "Your data export is ready." in page
    assert f'<a href="{download(built)}">Download it</a> until {until(built)}.' in page
    response = client.get(download(built))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_p5_x2_the_notice_is_in_german_for_a_german_member(client, built, ines):
    from profiles import services as profiles

    profiles.update_settings(member=ines, language="de")
    client.force_login(ines)
    page = client.get("/notifications/").content.decode()
    assert "Ihr Datenexport ist fertig." in page
    assert f'<a href="{download(built)}">herunterladen</a>' in page


def test_x2_another_member_following_the_link_gets_the_404(client, built):
    client.force_login(make_member(handle="snoop"))
    assert client.get(download(built)).status_code == 404


def test_x2_after_7_days_the_link_is_refused_with_a_sentence_saying_it_lapsed(
    client, ines, django_capture_on_commit_callbacks, frozen_now
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(member=ines)
    export.refresh_from_db()
    frozen_now.advance(days=7, seconds=1)
    with pytest.raises(Gone) as refused:
        queries.downloadable_export(ines, export.pk)
    assert refused.value.rule == "X2"
    client.force_login(ines)
    response = client.get(download(export))
    assert response.status_code == 410
    sentence = f"The link to this export lapsed on {until(export)}; prepare a new export"
    assert sentence in response.content.decode()
    listed = f'<p class="muted">The link to this export lapsed on {until(export)}.</p>'
    assert listed in response.content.decode()  # Your data lists it as lapsed, no button
    assert f'href="{download(export)}"' not in response.content.decode()
    page = client.get("/notifications/").content.decode()
    assert f"The link to your data export lapsed on {until(export)}." in page
    assert download(export) not in page


def test_x2_the_lapsed_link_is_still_a_404_to_another_member(client, built, frozen_now):
    frozen_now.advance(days=8)
    client.force_login(make_member(handle="snoop"))
    assert client.get(download(built)).status_code == 404


@pytest.fixture
def api(client, ines):
    _, token = create_personal_token(member=ines, scopes=["read"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_p5_x2_the_api_lists_the_notice_as_export_ready_with_the_export(api, built, ines):
    (entity,) = api.get("/api/v1/notifications").json()
    assert entity["type"] == entity["linkwell_type"] == "export_ready"
    assert entity["account"]["id"] == str(ines.pk)
    assert entity["status"] is None
    assert entity["export"]["id"] == str(built.pk)
    assert entity["export"]["state"] == "done"
    assert entity["export"]["url"].endswith(download(built))
    assert entity["export"]["expires_at"] is not None
    single = api.get(f"/api/v1/notifications/{entity['id']}").json()
    assert single["export"] == entity["export"]


def test_p5_types_and_exclude_types_filter_export_ready(
    api, built, ines, django_capture_on_commit_callbacks
):
    from network import services as network

    with django_capture_on_commit_callbacks(execute=True):
        network.follow(follower=make_member(handle="fan"), followee=ines)
    listed = api.get("/api/v1/notifications").json()
    assert sorted(n["type"] for n in listed) == ["export_ready", "follow"]
    only = api.get("/api/v1/notifications", {"types[]": "export_ready"}).json()
    assert [n["type"] for n in only] == ["export_ready"]
    without = api.get("/api/v1/notifications", {"exclude_types[]": "export_ready"}).json()
    assert [n["type"] for n in without] == ["follow"]
    grouped = api.get("/api/v2/notifications", {"types[]": "export_ready"}).json()
    assert [g["type"] for g in grouped["notification_groups"]] == ["export_ready"]


def test_p5_an_export_notice_has_its_owner_as_actor_and_no_one_else(ines):
    """The member is their own actor only for notices about their own things (OWN); any other
    kind still tells nobody of their own actions."""
    from notifications import services as notices

    other = make_member(handle="other")
    assert (
        notices.notify(
            recipient_id=ines.pk, actor_id=other.pk, kind=Kind.EXPORT_READY, subject_id=1
        )
        is None
    )
    assert notices.notify(recipient_id=ines.pk, actor_id=ines.pk, kind=Kind.FOLLOW) is None
    assert not Notification.objects.exists()
