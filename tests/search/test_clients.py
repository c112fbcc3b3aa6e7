"""Real clients find members through search: toot's `whois` and `follow`, Mastodon.py's
`search_v2` and `account_search`, against the live server."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mastodon import Mastodon

from network import queries as network
from oauth.services import issue_token, register_app

SCOPES = ["read", "write", "follow", "push"]


def token_for(member):
    application, _ = register_app(
        name="Client test", redirect_uris=["urn:ietf:wg:oauth:2.0:oob"], scopes=SCOPES
    )
    _, raw = issue_token(application=application, member=member, scopes=SCOPES)
    return raw, application


def _toot(config_home: Path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home), "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("TOOT_TESTING", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("toot")), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_mastodon_py_search_v2_and_account_search_find_a_member(live_server, make_person):
    me = make_person("me", "Me Self")
    make_person("jmuller", "Jürgen Müller", headline="Bridge engineer")
    api = Mastodon(access_token=token_for(me)[0], api_base_url=live_server.url)
    found = api.search_v2("muller", result_type="accounts")
    assert [a["acct"] for a in found["accounts"]] == ["jmuller"]
    assert [a["acct"] for a in api.account_search("jürg")] == ["jmuller"]


def test_toot_whois_and_follow_find_the_member_by_handle(live_server, make_person, tmp_path):
    me = make_person("me", "Me Self")
    ben = make_person("ben", "Ben Baker")
    make_person("benedict", "Ben Other")
    raw, application = token_for(me)
    instance = urlsplit(live_server.url).netloc
    config = {
        "apps": {
            instance: {
                "instance": instance,
                "base_url": live_server.url,
                "client_id": application.client_id,
                "client_secret": "unused",
            }
        },
        "users": {f"me@{instance}": {"instance": instance, "username": "me", "access_token": raw}},
        "active_user": f"me@{instance}",
    }
    (tmp_path / "toot").mkdir()
    (tmp_path / "toot" / "config.json").write_text(json.dumps(config))
    whois = _toot(tmp_path, "whois", "ben")
    assert whois.returncode == 0, whois.stderr + whois.stdout
    assert "Ben Baker" in whois.stdout
    follow = _toot(tmp_path, "follow", "ben")
    assert follow.returncode == 0, follow.stderr + follow.stdout
    assert network.followed_among(me, [ben.pk]) == {ben.pk}


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
