"""Real clients against the live server: Mastodon.py posts a status with an image and a
connection reads it from timeline_home (P1, P3); the toot CLI posts, reads its timeline and
its notifications (P5)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mastodon import Mastodon
from PIL import Image

from feed import services
from oauth.services import issue_token, register_app
from tests.feed.factories import connect


def token_for(member) -> str:
    application, _ = register_app(
        name="Client test",
        redirect_uris=["urn:ietf:wg:oauth:2.0:oob"],
        scopes=["read", "write", "follow", "push"],
    )
    _, raw = issue_token(
        application=application, member=member, scopes=["read", "write", "follow", "push"]
    )
    return raw, application


def test_p1_p3_mastodon_py_posts_with_an_image_and_a_connection_reads_it(live_server, cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    ann_api = Mastodon(access_token=token_for(ann)[0], api_base_url=live_server.url)
    ben_api = Mastodon(access_token=token_for(ben)[0], api_base_url=live_server.url)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(picture, format="PNG")
    media = ann_api.media_post(
        picture.getvalue(), mime_type="image/png", description="A blue rectangle"
    )
    status = ann_api.status_post(
        "Hello from Mastodon.py #clients", media_ids=[media["id"]], visibility="private"
    )
    assert status["visibility"] == "private"
    timeline = ben_api.timeline_home()
    found = [s for s in timeline if s["id"] == status["id"]]
    assert found and found[0]["media_attachments"][0]["description"] == "A blue rectangle"
    assert found[0]["account"]["username"] == "ann"
    ben_api.status_favourite(status["id"])
    ben_api.status_reply(found[0], "Nice picture")
    kinds = [n["type"] for n in ann_api.notifications()]
    assert kinds == ["mention", "favourite", "connection_accepted"]
    assert "Nice picture" in ann_api.status_context(status["id"])["descendants"][0]["content"]
    assert ann_api.timeline_home(limit=1)[0]["id"] == status["id"]
    page = ann_api.timeline_home(limit=1)
    assert ann_api.fetch_next(page) is not None or len(ann_api.timeline_home()) == 1


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


def test_p5_toot_cli_posts_reads_the_timeline_and_notifications(live_server, cast, tmp_path):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    raw, application = token_for(ann)
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
        "users": {
            f"ann@{instance}": {"instance": instance, "username": "ann", "access_token": raw}
        },
        "active_user": f"ann@{instance}",
    }
    (tmp_path / "toot").mkdir()
    (tmp_path / "toot" / "config.json").write_text(json.dumps(config))
    posted = _toot(tmp_path, "post", "Hello from toot #cli")
    assert posted.returncode == 0, posted.stderr + posted.stdout
    ben_post = services.publish(author=ben, text="Ben writes back")
    services.react(member=ben, post_id=services.publish(author=ann, text="React here").pk)
    timeline = _toot(tmp_path, "timeline", "--once")
    assert timeline.returncode == 0, timeline.stderr + timeline.stdout
    assert "Hello from toot" in timeline.stdout and "Ben writes back" in timeline.stdout
    assert ben_post.pk
    notes = _toot(tmp_path, "notifications")
    assert notes.returncode == 0, notes.stderr + notes.stdout
    assert "favourited your status" in notes.stdout
    assert "Ben" in notes.stdout


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
