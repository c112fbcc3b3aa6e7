"""Issue 17's API: POST /api/v1/imports → {id, state, progress, counts}; its matches as
Account entities (X1); invite the picked account_ids[] (N5 as a 429 when nothing went);
POST /api/v1/exports → url when done, only to its owner (X2). Refusals are JSON (E1, E2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oauth.services import create_personal_token
from tests.factories import make_member
from tests.portability.files import Contact, sample_export


@pytest.fixture
def api(client, ines):
    _, token = create_personal_token(member=ines, scopes=["read", "write", "follow"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post_file(api, data, name="export.zip", kind="linkedin"):
    return api.post("/api/v1/imports", {"type": kind, "file": SimpleUploadedFile(name, data)})


def test_x1_import_matches_and_invite_through_the_api(
    api, ines, django_capture_on_commit_callbacks
):
    pals = [make_member(handle=f"pal{i}", email=f"pal{i}@corp.test") for i in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        created = post_file(
            api, sample_export([Contact("P", str(i), "", f"pal{i}@corp.test") for i in range(2)])
        )
    assert created.status_code == 200, created.content
    import_id = created.json()["id"]
    body = api.get(f"/api/v1/imports/{import_id}").json()
    assert body["state"] == "done" and body["progress"] == 100
    assert (body["counts"]["connections"], body["counts"]["matched"]) == (2, 2)
    matches = api.get(f"/api/v1/imports/{import_id}/matches").json()
    assert {m["account"]["id"] for m in matches["matches"]} == {str(p.pk) for p in pals}
    assert {m["strength"] for m in matches["matches"]} == {"email"}
    invited = api.post(
        f"/api/v1/imports/{import_id}/invite",
        {"account_ids": [pals[0].pk]},
        content_type="application/json",
    ).json()
    assert invited["invited"] == [str(pals[0].pk)]


def test_n5_an_invite_with_nothing_sent_is_a_429_with_the_rule(
    api, ines, settings, django_capture_on_commit_callbacks
):
    settings.LINKWELL_INVITATIONS_PER_WEEK = 1
    pals = [make_member(handle=f"pal{i}", email=f"pal{i}@corp.test") for i in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        import_id = post_file(
            api, sample_export([Contact("P", str(i), "", f"pal{i}@corp.test") for i in range(2)])
        ).json()["id"]
    url = f"/api/v1/imports/{import_id}/invite"
    api.post(url, {"account_ids": [pals[0].pk]}, content_type="application/json")
    refused = api.post(url, {"account_ids": [pals[1].pk]}, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["rule"] == "N5"


def test_a_bad_file_is_a_422_with_a_sentence_and_nothing_written(api):
    response = post_file(api, b"\x00\x01binary", name="a.bin")
    assert response.status_code == 422
    assert response.json()["error"].startswith("That file is neither a ZIP nor a CSV")
    assert api.get("/api/v1/imports/1").status_code == 404


def test_x2_export_url_when_done_and_another_members_id_is_a_404(
    api, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/exports")
    export_id = created.json()["id"]
    body = api.get(f"/api/v1/exports/{export_id}").json()
    assert body["state"] == "done" and body["url"].endswith(
        f"/settings/data/exports/{export_id}/download/"
    )
    _, other = create_personal_token(member=make_member(handle="snoop"), scopes=["read"])
    response = client.get(f"/api/v1/exports/{export_id}", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert response.status_code == 404
