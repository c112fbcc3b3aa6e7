"""The session and the signed-in member, read with SQL built once (issue 18): the same
sessions, expiry and sign-in checks as Django's, and the member's language with the member."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.queries import signed_in_member
from accounts.sessions import SessionStore
from core.compiled import CompiledRead
from tests.factories import make_member
from tests.network.factories import set_profile

pytestmark = pytest.mark.django_db


def _signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_a_live_session_loads_and_an_expired_one_is_no_session():
    live = SessionStore()
    live["x"] = 1
    live.create()
    live.save()
    assert SessionStore(live.session_key).load() == {"x": 1}
    Session.objects.filter(pk=live.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(live.session_key)
    assert expired.load() == {} and expired.session_key is None


def test_an_unknown_session_key_is_no_session():
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_a_signed_in_page_reads_the_language_with_the_member():
    greta = make_member(handle="greta")
    set_profile(greta, language="de")
    client = _signed_in(greta)
    client.get("/settings/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/settings/")
    assert page.headers["Content-Language"] == "de"
    reads = [q["sql"] for q in captured.captured_queries]
    assert not any(sql.lstrip().startswith('SELECT "profiles_profile"."language"') for sql in reads)
    assert signed_in_member(greta.pk).interface_language == "de"


def test_a_member_with_no_language_chosen_follows_the_browser():
    uma = make_member(handle="uma")
    page = _signed_in(uma).get("/settings/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert page.headers["Content-Language"] == "de"
    assert signed_in_member(uma.pk).interface_language == ""


def test_a_deactivated_members_session_signs_nobody_in():
    ivo = make_member(handle="ivo")
    client = _signed_in(ivo)
    ivo.is_active = False
    ivo.save(update_fields=["is_active"])
    assert client.get("/settings/").status_code == 302  # to the sign-in page


def test_a_compiled_read_refuses_a_parameter_the_compiler_rewrote():
    from accounts.models import User

    read = CompiledRead(lambda handle: User.objects.filter(username__contains=handle), "x")
    with pytest.raises(ValueError, match="compiled parameters"):
        read.sql("default", "ann")  # contains becomes %x%: the sentinel is not the value
