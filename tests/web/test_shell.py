"""The web shell: navigation, landmarks, labels, htmx from the app itself, messages."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_signed_out_home_welcomes_with_sign_in_and_join(client):
    html = client.get("/").content.decode()
    assert 'href="/login/"' in html and 'href="/join/"' in html
    assert "Skip to main content" in html


def test_member_home_has_the_nav_and_me_menu(signed_in, member):
    html = signed_in.get("/").content.decode()
    for href in ('href="/"', 'href="/mynetwork/"', 'href="/messaging/"', 'href="/notifications/"'):
        assert href in html
    assert (
        'href="/in/alice/"' in html
        and 'href="/in/alice/edit/"' in html
        and 'href="/settings/"' in html
    )
    assert re.search(r'<form method="post" action="/logout/">', html)
    assert 'aria-current="page"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert "Alice Archer" in html


def test_htmx_is_served_locally_with_the_csrf_header(signed_in):
    html = signed_in.get("/").content.decode()
    assert re.search(r'<script src="/static/web/htmx\.min\.js', html)
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]+"\}\'', html)
    path = finders.find("web/htmx.min.js")
    with open(path) as script:
        assert 'version:"2.' in script.read()


def test_flash_messages_are_announced(client, member):
    client.force_login(member)
    html = client.post("/logout/", follow=True).content.decode()
    assert '<p class="flash flash-info" role="status">You are signed out.</p>' in html


def test_every_form_control_has_a_label(member):
    signed_out, signed_in = Client(), Client()
    signed_in.force_login(member)
    pages = [(signed_out, "/join/"), (signed_out, "/login/"), (signed_out, "/password-reset/")]
    pages += [
        (signed_in, path)
        for path in ("/settings/", "/in/alice/edit/", "/settings/password/", "/settings/delete/")
    ]
    for client, path in pages:
        html = client.get(path).content.decode()
        ids = re.findall(
            r'<(?:input|textarea|select)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"',
            html,
        )
        labelled = set(re.findall(r'<label for="([^"]+)"', html))
        assert ids, path
        assert set(ids) <= labelled, (path, set(ids) - labelled)
