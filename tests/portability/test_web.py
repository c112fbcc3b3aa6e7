"""The Your data pages (issue 17): upload, preview, matches, invite the ticked ones (X1),
refusals as a sentence on the page, the export download only to its owner (X2)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import Invitation
from portability import services
from portability.models import Import
from tests.factories import make_member
from tests.portability.files import Contact, sample_export


def test_x1_upload_preview_and_invite_the_ticked_member_on_the_page(
    client, ines, django_capture_on_commit_callbacks
):
    pals = [
        make_member(handle=f"pal{i}", display_name=f"Pal {i}", email=f"p{i}@corp.test")
        for i in range(2)
    ]
    client.force_login(ines)
    data = sample_export(
        [Contact("P", "0", "", "p0@corp.test"), Contact("P", "1", "", "p1@corp.test")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/settings/data/imports/",
            {"type": "linkedin", "file": SimpleUploadedFile("x.zip", data)},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We found 2 of your 2 LinkedIn connections." in page
    assert "Data, ethics &amp; maps" in page  # the preview's headline
    assert "p0@corp.test" not in page  # X1: no address next to a member
    source = Import.objects.get()
    client.post(f"/settings/data/imports/{source.pk}/invite/", {"account": [pals[1].pk]})
    assert list(Invitation.objects.values_list("recipient", flat=True)) == [pals[1].pk]


def test_a_queued_import_shows_a_progress_bar_that_polls_until_the_job_is_done(client, ines):
    """Issue 17: an import runs as a background job with a progress bar in the page. Until
    the job has run the page holds a <progress> that htmx polls every second; once it is
    done the poll asks for the whole page (HX-Refresh) and the bar is gone."""
    client.force_login(ines)
    data = sample_export([Contact("P", "0", "", "p0@corp.test")])
    response = client.post(  # on_commit callbacks not run: the job is still queued
        "/settings/data/imports/", {"type": "linkedin", "file": SimpleUploadedFile("x.zip", data)}
    )
    source = Import.objects.get()
    assert source.state == "queued"
    page = client.get(response["Location"]).content.decode()
    poll = f'hx-get="/settings/data/imports/{source.pk}/progress/" hx-trigger="every 1s"'
    assert poll in page and '<progress id="import-bar" max="100" value="0">' in page
    progress = f"/settings/data/imports/{source.pk}/progress/"
    assert poll in client.get(progress, HTTP_HX_REQUEST="true").content.decode()
    services.run_import(source.pk)
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "<progress" not in done.content.decode() and "hx-get" not in done.content.decode()
    assert (
        "We found 0 of your 1 LinkedIn connection."
        in client.get(response["Location"]).content.decode()
    )


def test_a_bad_upload_is_refused_on_the_page_and_nothing_written(client, ines):
    client.force_login(ines)
    response = client.post(
        "/settings/data/imports/",
        {"type": "linkedin", "file": SimpleUploadedFile("a.png", b"\x89PNG\x00")},
    )
    assert response.status_code == 422
    assert "neither a ZIP nor a CSV" in response.content.decode()
    assert not Import.objects.exists()


def test_x2_the_download_is_a_404_to_another_member(
    client, ines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(member=ines)
    client.force_login(ines)
    assert client.get(f"/settings/data/exports/{export.pk}/download/").status_code == 200
    client.force_login(make_member(handle="snoop"))
    assert client.get(f"/settings/data/exports/{export.pk}/download/").status_code == 404
