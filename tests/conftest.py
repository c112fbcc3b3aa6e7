"""Shared fixtures: the cast of members, a frozen clock, and Chromium for browser tests."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.factories import make_member

IN_CI = os.environ.get("CI", "").lower() == "true"


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("LINKWELL_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session", autouse=True)
def _catalogues_compiled():
    """The .mo files are built, not committed (make test builds them; this covers a bare
    `pytest` after editing a .po): Django reads them at the first German request."""
    from core.catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(scope="session", autouse=True)
def _no_warm_freezes():
    """A test process never freezes its warm heap (core/heap.py): its live server shares the
    heap with the tests, and a cycle frozen while alive is never collected (after one, a
    table was found locked at the next test's flush)."""
    from django.conf import settings

    settings.LINKWELL_WARM_FREEZES = ()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded avatars and images go to a throwaway folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LINKWELL_PORTABILITY_DIR = tmp_path / "portability"  # uploads, exports (issue 17)
    return settings.MEDIA_ROOT


@pytest.fixture
def fast_hasher(settings):
    """For tests that hash passwords and client secrets many times: MD5, for speed only."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fresh_graph_index():
    """A graph index (and pages' index) built anew for the test and dropped after it."""
    from network import loader
    from pages import index

    loader.reset()
    index.reset()
    yield
    loader.reset()
    index.reset()


@pytest.fixture
def cast_world(fast_hasher, fresh_graph_index):
    """What an area's autouse fixture asks for: fast password hashing and a fresh graph
    index (feed, messaging, network and search tests)."""


@pytest.fixture
def cast(db):
    """Ann, Ben, Cat, Dan and Eve: five members with predictable e-mails."""
    names = ["ann", "ben", "cat", "dan", "eve"]
    return {
        name: make_member(handle=name, display_name=name.title(), email=f"{name}@example.com")
        for name in names
    }


@pytest.fixture
def member(db):
    return make_member(handle="alice", display_name="Alice Archer")


@pytest.fixture
def other_member(db):
    return make_member(handle="bob", display_name="Bob Baker")


@pytest.fixture
def full_profile(member):
    """Alice with everything the signed-out page hides (S1): about, industry, a past position,
    education and a skill, written as she would write them."""
    from profiles import services

    services.update_profile(
        member=member,
        headline="Staff engineer",
        location="Lyon, France",
        industry="Software",
        about="Builds networks.",
    )
    services.add_position(
        member=member, title="Staff Engineer", company="Acme", started_on=date(2021, 2, 1)
    )
    services.add_position(
        member=member,
        title="Intern",
        company="Beta",
        started_on=date(2018, 6, 1),
        ended_on=date(2018, 9, 1),
    )
    services.add_education(member=member, school="École Centrale")
    services.add_skill(member=member, name="Graph theory")
    return member


@pytest.fixture
def signed_in(client, member):
    """The test client, signed in as Alice."""
    client.force_login(member)
    return client


@pytest.fixture
def frozen_now(monkeypatch):
    """Set and move the clock that services read (core.clock.now)."""
    import datetime

    from django.utils import timezone

    class Clock:
        def __init__(self):
            self.value = timezone.now().replace(microsecond=0)

        def __call__(self):
            return self.value

        def advance(self, **delta):
            self.value = self.value + datetime.timedelta(**delta)
            return self.value

    clock = Clock()
    monkeypatch.setattr("core.clock.now", clock)
    return clock


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; skipped where absent, a failure under CI=true."""
    path = chromium_path()
    if path is None:
        message = "no Chromium found (install Debian's chromium or set LINKWELL_CHROMIUM)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def no_impressions_left_at_exit():
    """P4: views the tests buffered are dropped, so the worker's flush at exit (atexit) never
    writes them into whatever database the connection points at once the test one is gone."""
    yield
    from feed import impressions

    impressions.drain()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A German request leaves German active in this thread; the next test starts afresh."""
    yield
    from django.utils import translation

    translation.deactivate()
