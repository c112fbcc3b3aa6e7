"""A real client: Mastodon.py registers, completes the code flow over HTTP, calls the API."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from mastodon import Mastodon

from tests.factories import make_member

REDIRECT = "http://client.invalid/callback"
SCOPES = ["read", "write", "follow", "push"]


@pytest.mark.django_db(transaction=True)
def test_mastodon_py_code_flow_then_verify_credentials_and_instance(live_server, client):
    member = make_member(handle="dana", display_name="Dana Diaz")
    client_id, client_secret = Mastodon.create_app(
        "Linkwell test client",
        scopes=SCOPES,
        redirect_uris=REDIRECT,
        api_base_url=live_server.url,
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=live_server.url)
    url = api.auth_request_url(redirect_uris=REDIRECT, scopes=SCOPES, allow_http=True)
    assert url.startswith(f"{live_server.url}/oauth/authorize?")

    # The member is signed in in their browser: reuse a real session cookie over HTTP.
    client.force_login(member)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    page = browser.get(url, timeout=30)
    assert page.status_code == 200
    assert "Linkwell test client" in page.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert "csrfmiddlewaretoken" in form
    form["allow"] = "Authorize"
    consent = browser.post(url.split("?")[0], data=form, allow_redirects=False, timeout=30)
    assert consent.status_code == 302, consent.text
    location = consent.headers["Location"]
    assert location.startswith(REDIRECT)
    code = parse_qs(urlsplit(location).query)["code"][0]

    token = api.log_in(code=code, redirect_uri=REDIRECT, scopes=SCOPES, allow_http=True)
    assert token

    me = api.account_verify_credentials()
    assert me.username == "dana"
    assert me.display_name == "Dana Diaz"
    assert me.acct == "dana"

    instance = api.instance()
    assert instance.version == "4.3.0 (compatible; Linkwell 0.1.0)"
    assert api.verify_minimum_version("4.3.0", cached=True)
