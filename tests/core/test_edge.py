"""Input at the edge (core/edge.py): every input issue 8 found giving a 500, one test each.

Each request is refused before a view or the database sees it: JSON under /api/ and the
OAuth token endpoints, the plain 400 page on the web. Run on SQLite and on PostgreSQL (where
a NUL in text is a database error, so these were 500s).
"""

import json

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from oauth2_provider.models import Application

from accounts.models import User
from core import edge
from network.models import Invitation, Report
from profiles.models import Profile
from tests.api.factories import bearer, make_app, member_token
from tests.factories import make_member

pytestmark = pytest.mark.django_db

HUGE = "9" * 30  # "a 30-digit id" (docs/rules.md, E2): far past 2**63 - 1
NUL_SAYS = "contains a NUL character"


@pytest.fixture
def alice(db):
    return make_member(handle="alice", display_name="Alice Archer", email="alice@example.com")


@pytest.fixture
def bob(db):
    return make_member(handle="bob", display_name="Bob Baker", email="bob@example.com")


@pytest.fixture
def api(alice):
    """A client that refuses to swallow a 500 and carries Alice's token."""
    client = Client(raise_request_exception=True)
    client.defaults.update(bearer(member_token(alice, scopes=("read", "write", "follow"))))
    return client


@pytest.fixture
def web(alice):
    client = Client(raise_request_exception=True)
    client.force_login(alice)
    return client


def json_400(response, says=NUL_SAYS):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert says in response.json()["error"]
    return response.json()


def plain_400(response, says=NUL_SAYS):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "We couldn't read that request" in html and says in html
    return html


# --- NUL characters ------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["display_name", "note", "headline", "location", "industry"])
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_nul_in_an_update_credentials_field_is_a_json_400_and_changes_nothing(
    api, alice, field, encoding
):
    value = "Ann\u0000Archer"
    if encoding == "json":
        response = api.patch(
            "/api/v1/accounts/update_credentials",
            json.dumps({field: value}),
            content_type="application/json",
        )
    else:
        body = encode_multipart(BOUNDARY, {field: value})
        response = api.patch(
            "/api/v1/accounts/update_credentials", body, content_type=MULTIPART_CONTENT
        )
    assert json_400(response)["error"] == edge.NUL_CHARACTER.format(where=f"The field “{field}”")
    alice.refresh_from_db()
    profile = Profile.objects.get(member=alice)
    assert alice.display_name == "Alice Archer"
    assert "\x00" not in profile.about + profile.headline + profile.location + profile.industry


def test_nul_in_account_lookup_acct_is_a_json_400_without_a_token(alice):
    response = Client().get("/api/v1/accounts/lookup?acct=alice%00")
    body = json_400(response)
    assert body["error"] == edge.NUL_CHARACTER.format(where="The query parameter “acct”")


def test_nul_in_an_apps_client_name_is_a_json_400_and_registers_nothing(db):
    response = Client().post(
        "/api/v1/apps", {"client_name": "Elk\x00", "redirect_uris": "https://elk.example/cb"}
    )
    json_400(response)
    assert not Application.objects.exists()


@pytest.mark.parametrize("field", ["client_id", "code"])
@pytest.mark.parametrize("as_json", [False, True])
def test_nul_in_oauth_token_client_id_or_code_is_an_oauth_400(db, field, as_json):
    application, secret = make_app()
    data = {
        "grant_type": "authorization_code",
        "client_id": application.client_id,
        "client_secret": secret,
        "code": "abc",
        "redirect_uri": "https://client.example/callback",
    }
    data[field] = "x\x00y"
    if as_json:
        response = Client().post("/oauth/token", json.dumps(data), content_type="application/json")
    else:
        response = Client().post("/oauth/token", data)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert NUL_SAYS in body["error_description"]


@pytest.mark.parametrize("raw", [b"client\x00id:secret", b"client%00id:secret"])
def test_nul_in_oauth_basic_credentials_is_an_oauth_400(db, raw):
    import base64

    credentials = base64.b64encode(raw).decode()
    response = Client().post(
        "/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_nul_in_an_invitation_note_is_a_json_400_and_sends_nothing(api, bob):
    response = api.post(f"/api/v1/accounts/{bob.pk}/connect", {"note": "Hello\x00"})
    json_400(response)
    assert not Invitation.objects.exists()


def test_nul_in_an_invitation_note_on_the_web_is_the_plain_400_page(web, bob):
    response = web.post("/in/bob/network/connect/", {"note": "Hello\x00"})
    plain_400(response)
    assert not Invitation.objects.exists()


def test_nul_in_a_report_comment_is_a_json_400_and_files_nothing(api, bob):
    response = api.post(
        "/api/v1/reports", {"account_id": bob.pk, "comment": "spam\x00", "category": "spam"}
    )
    json_400(response)
    assert not Report.objects.exists()


def test_nul_in_a_report_comment_on_the_web_is_the_plain_400_page(web, bob):
    response = web.post("/in/bob/report/", {"reason": "spam", "comment": "spam\x00"})
    plain_400(response)
    assert not Report.objects.exists()


def test_nul_in_a_web_path_is_the_plain_400_page(alice):
    plain_400(Client().get("/in/alice%00/"))


def test_nul_in_a_web_form_field_name_is_the_plain_400_page(web):
    plain_400(web.post("/in/alice/edit/", {"display\x00name": "Alice"}))


def test_nul_in_a_header_is_a_400(alice):
    response = Client().get("/api/v1/instance", HTTP_ACCEPT_LANGUAGE="en\x00")
    json_400(response)


@pytest.mark.parametrize("raw_header", [False, True])
def test_a_cookie_with_nul_is_dropped_so_the_page_loads_signed_out(alice, raw_header):
    """A tossed cookie must not lock a member out, so it is ignored rather than refused."""
    if raw_header:
        client = Client(raise_request_exception=True, HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")
    else:
        client = Client(raise_request_exception=True)
        client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"  # sent quoted, "\000"
    response = client.get("/in/alice/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


# --- Lone surrogates -------------------------------------------------------------------------


def test_lone_surrogate_in_json_display_name_is_a_json_400(api, alice):
    response = api.patch(
        "/api/v1/accounts/update_credentials",
        '{"display_name": "\\ud800"}',
        content_type="application/json",
    )
    body = json_400(response, says="lone surrogate")
    assert body["error"] == edge.LONE_SURROGATE.format(
        where="The field “display_name”", code="\\ud800"
    )
    alice.refresh_from_db()
    assert alice.display_name == "Alice Archer"


def test_lone_surrogate_in_a_json_key_or_nested_value_is_a_json_400(api, bob):
    json_400(
        api.post(
            f"/api/v1/accounts/{bob.pk}/connect",
            '{"note": "hi", "\\udc00": 1}',
            content_type="application/json",
        ),
        says="lone surrogate",
    )
    json_400(
        api.post(
            "/api/v1/apps", '{"scopes": ["read", "\\udfff"]}', content_type="application/json"
        ),
        says="lone surrogate",
    )


def test_lone_surrogate_in_json_sign_up_is_a_json_400(db):
    application, secret = make_app()
    token = (
        Client()
        .post(
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": application.client_id,
                "client_secret": secret,
                "scope": "write",
            },
        )
        .json()["access_token"]
    )
    body = json.dumps(
        {"username": "newbie", "email": "n@example.com", "password": "x", "agreement": True}
    )
    body = body.replace('"x"', '"pass\\ud83dword"')
    response = Client().post(
        "/api/v1/accounts", body, content_type="application/json", **bearer(token)
    )
    json_400(response, says="lone surrogate")
    assert not User.objects.filter(username="newbie").exists()


# --- Integers past 64 bits ---------------------------------------------------------------------


def test_relationships_id_past_64_bits_is_a_json_400(api):
    response = api.get(f"/api/v1/accounts/relationships?id[]={HUGE}")
    body = json_400(response, says="out of range")
    assert body["error"] == edge.NUMBER_OUT_OF_RANGE.format(where="The query parameter “id[]”")


def test_connections_offset_of_2_63_is_clamped_to_an_empty_page(api, alice):
    response = api.get(f"/api/v1/accounts/{alice.pk}/connections?offset={2**63}")
    assert response.status_code == 200, response.content
    assert response.json() == []


def test_mutual_connections_offset_and_limit_past_64_bits_are_clamped(api, alice, bob):
    query = f"offset={2**64}&limit=-{2**70}"
    response = api.get(f"/api/v1/accounts/{bob.pk}/mutual_connections?{query}")
    assert response.status_code == 200, response.content
    assert response.json() == []


def test_paging_cursors_past_64_bits_are_clamped(api, alice, bob):
    from network import services

    services.block(blocker=alice, blocked=bob)
    response = api.get(f"/api/v1/blocks?max_id={'9' * 40}")
    assert response.status_code == 200, response.content
    assert [a["id"] for a in response.json()] == [str(bob.pk)]
    assert api.get(f"/api/v1/blocks?since_id={'9' * 40}").json() == []
    assert api.get(f"/api/v1/blocks?min_id=-{'9' * 40}").status_code == 200


@pytest.mark.parametrize("as_json", [False, True])
def test_report_status_ids_past_64_bits_are_a_json_400(api, bob, as_json):
    if as_json:
        body = json.dumps({"account_id": bob.pk, "status_ids": [HUGE]})
        response = api.post("/api/v1/reports", body, content_type="application/json")
    else:
        response = api.post("/api/v1/reports", {"account_id": bob.pk, "status_ids[]": HUGE})
    json_400(response, says="out of range")
    assert not Report.objects.exists()


def test_a_report_account_id_past_64_bits_is_a_json_400(api):
    json_400(api.post("/api/v1/reports", {"account_id": HUGE}), says="out of range")


@pytest.mark.parametrize(
    "body",
    [
        '{"account_id": 99999999999999999999}',
        '{"account_id": 1e400}',
        '{"account_id": NaN}',
        '{"account_id": -Infinity}',
        '{"status_ids": [1, 2, 3e30]}',
    ],
)
def test_json_numbers_past_64_bits_or_not_finite_are_a_json_400(api, body):
    response = api.post("/api/v1/reports", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("The field “")
    assert not Report.objects.exists()


def test_json_nested_too_deeply_is_a_json_400(api):
    body = '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}"
    json_400(
        api.post("/api/v1/reports", body, content_type="application/json"),
        says=str(edge.JSON_TOO_DEEP),
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/accounts/{id}"),
        ("get", "/api/v1/accounts/{id}/followers"),
        ("post", "/api/v1/accounts/{id}/follow"),
        ("post", "/api/v1/accounts/{id}/block"),
        ("post", "/api/v1/invitations/{id}/accept"),
    ],
)
@pytest.mark.parametrize("number", [str(2**63), HUGE])
def test_a_path_id_past_64_bits_is_a_json_404(api, method, path, number):
    response = getattr(api, method)(path.format(id=number))
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


@pytest.mark.parametrize(
    "path", ["/mynetwork/invitations/{id}/accept/", "/settings/tokens/{id}/revoke/"]
)
def test_a_web_path_id_past_64_bits_is_the_404_page(web, path):
    response = web.post(path.format(id=HUGE))
    assert response.status_code == 404
    assert "This page doesn" in response.content.decode()


def test_a_number_past_64_bits_is_fine_as_text(api, bob):
    """Only ids, offsets and limits are numbers; a note may hold any digits."""
    response = api.post(f"/api/v1/accounts/{bob.pk}/connect", {"note": HUGE * 3})
    assert response.status_code == 200, response.content
    assert Invitation.objects.get().note == HUGE * 3


# --- Under /api/ every answer is JSON --------------------------------------------------------


def test_post_to_an_unknown_api_path_is_a_json_404_even_with_csrf_enforced(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/nothing_here", {"a": "b"})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert client.put("/api/v9/whatever").json() == {"error": "Record not found"}


def test_an_api_405_is_json_and_keeps_the_allow_header(db):
    response = Client().delete("/api/v1/apps")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "error": edge.METHOD_NOT_ALLOWED.format(method="DELETE", allowed="POST")
    }


def test_a_multipart_body_without_a_boundary_is_a_json_400(db):
    response = Client().generic(
        "POST", "/api/v1/apps", b"client_name=x", content_type="multipart/form-data"
    )
    json_400(response, says="The request body could not be read")


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_body_with_over_1000_fields_is_a_json_400(db, encoding):
    fields = {f"field{i}": "1" for i in range(1001)}
    if encoding == "multipart":
        response = Client().post("/api/v1/apps", fields)
    else:
        from urllib.parse import urlencode

        response = Client().generic(
            "POST",
            "/api/v1/apps",
            urlencode(fields),
            content_type="application/x-www-form-urlencoded",
        )
    json_400(response, says=edge.TOO_MANY_FIELDS.format(limit=1000))


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_10_mb_body_is_a_json_413(db, content_type):
    body = json.dumps({"client_name": "x" * 10_000_000})
    if content_type != "application/json":
        body = "client_name=" + "x" * 10_000_000
    response = Client().generic("POST", "/api/v1/apps", body, content_type=content_type)
    assert response.status_code == 413
    assert response.json() == {"error": edge._too_large()}


def test_a_10_mb_form_on_the_web_is_the_plain_413_page(db):
    body = "username=" + "x" * 10_000_000
    response = Client().generic(
        "POST", "/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "We couldn't read that request" in response.content.decode()


def test_a_500_under_the_api_is_json(api, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("network.queries.relationships", broken)
    client = Client(raise_request_exception=False, **api.defaults)
    response = client.get("/api/v1/accounts/relationships?id[]=1")
    assert response.status_code == 500
    assert response.json() == {"error": str(edge.STATUS_SENTENCES[500])}


def test_web_pages_keep_their_html_errors(db):
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_consent_page_is_a_web_page_so_its_refusal_is_the_plain_page(alice):
    client = Client()
    client.force_login(alice)
    plain_400(client.get("/oauth/authorize?client_id=%00&response_type=code"))
