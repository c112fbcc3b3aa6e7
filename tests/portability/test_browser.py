"""Chromium against the live server (issue 17): upload a LinkedIn ZIP, see the profile
preview and the matches, invite three (X1), download the export (X2)."""

import zipfile

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from network.models import Invitation
from tests.factories import make_member
from tests.portability.files import Contact, sample_export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_linkedin_zip_preview_matches_invite_three_and_download_export(
    browser, live_server, tmp_path, fast_hasher
):
    ines = make_member(handle="ines", display_name="Ines Imrie", email="ines@example.com")
    pals = [
        make_member(handle=f"pal{i}", display_name=f"Pal Number{i}", email=f"pal{i}@corp.test")
        for i in range(4)
    ]
    upload = tmp_path / "Basic_LinkedInDataExport.zip"
    upload.write_bytes(
        sample_export(
            [Contact("Pal", f"Number{i}", "", f"pal{i}@corp.test") for i in range(4)]
            + [Contact("Not", "Here", "", "nothere@corp.test")]
        )
    )
    client = Client()
    client.force_login(ines)
    context = browser.new_context(accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/settings/data/")
        page.set_input_files("#import-file", str(upload))
        page.get_by_role("button", name="Upload").click()
        expect(page.locator("#found-sentence")).to_have_text(
            "We found 4 of your 5 LinkedIn connections."
        )
        expect(page.locator("table.preview")).to_contain_text("Data, ethics & maps")
        for i in range(3):
            page.get_by_label(f"Pal Number{i}").check()
        page.get_by_role("button", name="Invite the ones I ticked").click()
        expect(page.locator(".messages")).to_contain_text("3 invitations sent.")
        assert set(Invitation.objects.values_list("recipient", flat=True)) == {
            p.pk for p in pals[:3]
        }
        page.goto(f"{live_server.url}/settings/data/")
        page.get_by_role("button", name="Prepare my export").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download your export").click()
        path = tmp_path / "export.zip"
        download.value.save_as(path)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        assert {"Profile.csv", "Connections.csv", "linkwell.json", "messages.csv"} <= names
    finally:
        context.close()
