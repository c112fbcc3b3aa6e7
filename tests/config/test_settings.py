"""SITE_URL: unset, it is where `linkwell serve` listens, so `make run PORT=8101` links to 8101."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import local_site_url
from tests.factories import make_member

ROOT = Path(__file__).resolve().parents[2]


def site_url_of(**environ: str) -> str:
    """settings.SITE_URL as a fresh process reads it from this environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    run = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_site_url_defaults_to_host_and_port():
    assert site_url_of() == "http://127.0.0.1:8000"
    assert site_url_of(PORT="8101") == "http://127.0.0.1:8101"
    assert site_url_of(HOST="0.0.0.0", PORT="8101") == "http://127.0.0.1:8101"


def test_an_explicit_site_url_wins_over_host_and_port():
    assert site_url_of(SITE_URL="https://net.example.org/", PORT="8101") == (
        "https://net.example.org"
    )


def test_local_site_url_reaches_wildcard_and_ipv6_binds_through_loopback():
    assert local_site_url("::", 8101) == "http://[::1]:8101"
    assert local_site_url("::1", 8101) == "http://[::1]:8101"
    assert local_site_url("example.test", 80) == "http://example.test:80"


@pytest.mark.django_db
def test_api_account_and_instance_links_follow_site_url(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    member = make_member(handle="alice")
    account = client.get(f"/api/v1/accounts/{member.pk}").json()
    assert account["url"] == "http://127.0.0.1:8101/in/alice/"
    assert account["avatar"].startswith("http://127.0.0.1:8101/")
    instance = client.get("/api/v1/instance").json()
    assert instance["thumbnail"].startswith("http://127.0.0.1:8101/")
    assert (
        client.get("/api/v2/instance")
        .json()["thumbnail"]["url"]
        .startswith("http://127.0.0.1:8101/")
    )
