"""U3: failed sign-ins are throttled per account and per IP (issue 2, item 3)."""

import re
from datetime import timedelta

import pytest

from accounts.models import FailedLogin
from accounts.services import (
    TOO_MANY_FOR_ACCOUNT,
    TOO_MANY_FROM_IP,
    WRONG_CREDENTIALS,
    authenticate_member,
    check_login_allowed,
)
from core.errors import RateLimited, Refused
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def attempt(identifier, password, ip="203.0.113.7"):
    return authenticate_member(request=None, identifier=identifier, password=password, ip=ip)


def fail(identifier, times, ip="203.0.113.7"):
    for _ in range(times):
        with pytest.raises(Refused, match=re.escape(WRONG_CREDENTIALS)):
            attempt(identifier, "wrong-password", ip=ip)


def test_login_by_handle_or_email_ignoring_case(member):
    assert attempt("ALICE", DEFAULT_PASSWORD) == member
    assert attempt("Alice@Example.com", DEFAULT_PASSWORD) == member


def test_account_locked_after_five_failures_even_with_right_password(member, frozen_now):
    fail("alice", 5)
    until = frozen_now() + timedelta(minutes=15)
    with pytest.raises(RateLimited) as refused:
        attempt("alice", DEFAULT_PASSWORD)
    assert refused.value.message == TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}")
    assert refused.value.until == until
    assert refused.value.rule == "U3"
    assert "Try again after" in refused.value.message and "UTC" in refused.value.message


def test_failures_by_email_and_handle_count_against_the_same_account(member, frozen_now):
    fail("alice", 3)
    fail("alice@example.com", 2)
    with pytest.raises(RateLimited):
        attempt("alice", DEFAULT_PASSWORD)


def test_refused_attempts_do_not_extend_the_lockout(member, frozen_now):
    fail("alice", 5)
    frozen_now.advance(minutes=10)
    for _ in range(3):
        with pytest.raises(RateLimited):
            attempt("alice", "wrong-password")
    frozen_now.advance(minutes=5, seconds=1)
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_success_clears_the_accounts_failures(member, frozen_now):
    fail("alice", 4)
    assert attempt("alice", DEFAULT_PASSWORD) == member
    assert not FailedLogin.objects.filter(handle="alice").exists()
    fail("alice", 4)
    assert attempt("alice", DEFAULT_PASSWORD) == member


def test_ip_locked_after_twenty_failures_across_accounts(member, frozen_now):
    for n in range(20):
        fail(f"nobody{n}", 1, ip="198.51.100.9")
    with pytest.raises(RateLimited) as refused:
        attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.9")
    until = frozen_now() + timedelta(minutes=15)
    assert refused.value.message == TOO_MANY_FROM_IP.format(until=f"{until:%H:%M}")
    assert attempt("alice", DEFAULT_PASSWORD, ip="198.51.100.10") == member


def test_limits_are_settings(member, frozen_now, settings):
    settings.LINKWELL_LOGIN_FAILURES_PER_ACCOUNT = 2
    fail("alice", 2)
    with pytest.raises(RateLimited):
        check_login_allowed(identifier="alice", ip=None)
