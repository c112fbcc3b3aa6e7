"""U3: failed sign-ins throttled per account and per IP, through django-axes (accounts.throttle)."""

import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.services import (
    TOO_MANY_FOR_ACCOUNT,
    TOO_MANY_FROM_IP,
    WRONG_CREDENTIALS,
    authenticate_member,
)
from accounts.throttle import SIGN_IN_REFUSED
from core.errors import RateLimited, Refused
from tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.django_db


def sign_in_request(ip="203.0.113.7"):
    return RequestFactory().post("/login/", REMOTE_ADDR=ip)


def attempt(identifier, password, ip="203.0.113.7"):
    return authenticate_member(
        request=sign_in_request(ip), identifier=identifier, password=password
    )


def fail(identifier, times, ip="203.0.113.7"):
    for _ in range(times):
        with pytest.raises(Refused, match=re.escape(str(WRONG_CREDENTIALS))):
            attempt(identifier, "wrong-password", ip=ip)


def test_login_by_handle_or_email_ignoring_case(member):
    assert attempt("ALICE", DEFAULT_PASSWORD) == member
    assert attempt("Alice@Example.com", DEFAULT_PASSWORD) == member


def test_u3_account_locked_after_five_failures_even_with_right_password(member, frozen_now):
    fail("alice", 5)
    until = frozen_now() + timedelta(minutes=15)
    with pytest.raises(RateLimited) as refused:
        attempt("alice", DEFAULT_PASSWORD)
    assert refused.value.message == TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}")
    assert refused.value.until == until
    assert refused.value.rule == "U3"
    assert "Try again after" in refused.value.message and "UTC" in refused.value.message


def test_u3_failures_by_email_and_handle_count_against_the_same_account(member, frozen_now):
    fail("alice", 3)
    fail("alice@example.com", 2)
    with pytest.raises(RateLimited):
        attempt("alice", DEFAULT_PASSWORD)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice"}


def test_u3_failures_from_other_addresses_and_browsers_add_up(member, frozen_now):
    for n in range(5):
        request = RequestFactory().post("/login/", REMOTE_ADDR=f"198.51.100.{n}")
        request.META["HTTP_USER_AGENT"] = f"browser {n}"
        assert authenticate(request, username="alice", password="wrong") is None
    with pytest.raises(RateLimited):
        attempt("alice", DEFAULT_PASSWORD, ip="192.0.2.1")


def test_u3_refused_attempts_do_not_extend_the_lockout(member, frozen_now):
    fail("alice", 5)
    frozen_now.advance(minutes=10)
    for _ in range(3):
        with pytest.raises(RateLimited):
            attempt("alice", "wrong-password")
    frozen_now.advance(minutes=5, seconds=1)
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_u3_the_lock_lapses_at_the_time_it_names(member, frozen_now):
    fail("alice", 5)
    frozen_now.advance(minutes=14, seconds=59)
    with pytest.raises(RateLimited) as refused:
        attempt("alice", DEFAULT_PASSWORD)
    frozen_now.advance(seconds=1)
    assert frozen_now() == refused.value.until
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_u3_failures_older_than_the_window_start_again_at_one(member, frozen_now):
    fail("alice", 4)
    frozen_now.advance(minutes=16)
    fail("alice", 4)
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 4
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_u3_success_clears_the_accounts_failures(member, frozen_now):
    fail("alice", 4)
    assert attempt("alice", DEFAULT_PASSWORD) == member
    assert not AccessAttempt.objects.filter(username="alice").exists()
    fail("alice", 4)
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_u3_ip_locked_after_twenty_failures_across_accounts(member, frozen_now):
    for n in range(20):
        fail(f"nobody{n}", 1, ip="198.51.100.9")
    with pytest.raises(RateLimited) as refused:
        attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.9")
    until = frozen_now() + timedelta(minutes=15)
    assert refused.value.message == TOO_MANY_FROM_IP.format(until=f"{until:%H:%M}")
    assert attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.10") == member


def test_u3_a_success_clears_the_account_not_the_ips_other_failures(member, frozen_now):
    for n in range(19):
        fail(f"nobody{n}", 1, ip="198.51.100.9")
    assert attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.9") == member
    fail("bob", 1, ip="198.51.100.9")
    with pytest.raises(RateLimited, match="from your network"):
        attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.9")


def test_u3_successful_sign_ins_never_count_against_the_ip(member, frozen_now):
    for _ in range(25):
        assert attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.9") == member
    assert not AccessAttempt.objects.exists()


def test_u3_limits_are_settings(member, frozen_now, settings):
    settings.LINKWELL_LOGIN_FAILURES_PER_ACCOUNT = 2
    fail("alice", 2)
    with pytest.raises(RateLimited):
        attempt("alice", DEFAULT_PASSWORD)


def test_u3_every_failure_is_recorded_with_its_address(member, frozen_now):
    fail("alice", 5, ip="203.0.113.8")
    with pytest.raises(RateLimited):
        attempt("alice@example.com", "wrong-password", ip="203.0.113.8")
    log = AccessFailureLog.objects.filter(username="alice", ip_address="203.0.113.8")
    assert log.count() == 6
    assert log.filter(locked_out=True).count() == 1


def test_u3_authenticate_without_a_request_is_still_throttled_per_account(member, frozen_now):
    for _ in range(5):
        assert authenticate(username="alice", password="wrong") is None
    assert authenticate(username="alice", password=DEFAULT_PASSWORD) is None
    with pytest.raises(RateLimited):
        authenticate_member(request=None, identifier="alice", password=DEFAULT_PASSWORD)


def test_u3_a_nul_byte_in_the_handle_is_a_failure_not_a_crash(member, frozen_now):
    assert authenticate(sign_in_request(), username="ali\x00ce", password="x") is None
    assert AccessAttempt.objects.get().username == "alice"


def test_u3_a_door_that_leaves_the_refusal_untaken_still_answers_429(member, frozen_now):
    """AxesMiddleware answers for any future door that calls authenticate() and ignores why."""
    from axes.middleware import AxesMiddleware

    def careless_door(request):
        authenticate(request, username="alice", password=DEFAULT_PASSWORD)
        return HttpResponse("welcome", status=200)

    fail("alice", 5)
    page = AxesMiddleware(careless_door)(sign_in_request())
    assert page.status_code == 429
    assert TOO_MANY_FOR_ACCOUNT.split("{")[0] in page.content.decode()
    api = AxesMiddleware(careless_door)(RequestFactory().post("/api/v1/x", REMOTE_ADDR="1.2.3.4"))
    assert api.status_code == 429
    body = json.loads(api.content)
    assert body["rule"] == "U3" and "Try again after" in body["error"]
    assert str(SIGN_IN_REFUSED)  # the words for a refusal with no sentence of its own


def test_u3_other_members_are_not_locked_by_alices_failures(member, other_member, frozen_now):
    fail("alice", 5)
    assert attempt("bob", DEFAULT_PASSWORD) == other_member
    assert make_member(handle="carol")
    assert attempt("carol", DEFAULT_PASSWORD).username == "carol"
