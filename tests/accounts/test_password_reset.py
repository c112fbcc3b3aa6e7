"""U3: password-reset mails limited per address and per IP, silently (the page reveals nothing)."""

import pytest
from django.core import mail

from accounts.models import PasswordResetRequest

pytestmark = pytest.mark.django_db
SENT = "/password-reset/sent/"


def ask(client, email, ip="203.0.113.7"):
    response = client.post("/password-reset/", {"email": email}, REMOTE_ADDR=ip)
    assert response.status_code == 302 and response["Location"] == SENT  # the same, always
    return response


def test_u3_reset_mails_to_one_address_stop_after_three_an_hour(client, member, frozen_now):
    for n in range(5):
        ask(client, "alice@example.com" if n % 2 else "ALICE@Example.com", ip=f"192.0.2.{n}")
    assert len(mail.outbox) == 3
    frozen_now.advance(minutes=59)
    ask(client, "alice@example.com")
    assert len(mail.outbox) == 3
    frozen_now.advance(minutes=1, seconds=1)
    ask(client, "alice@example.com")
    assert len(mail.outbox) == 4


def test_u3_reset_requests_from_one_ip_stop_after_ten_an_hour(client, member, frozen_now):
    for n in range(10):
        ask(client, f"nobody{n}@example.com", ip="198.51.100.9")
    ask(client, "alice@example.com", ip="198.51.100.9")
    assert len(mail.outbox) == 0
    ask(client, "alice@example.com", ip="198.51.100.10")
    assert len(mail.outbox) == 1
    frozen_now.advance(minutes=61)
    ask(client, "alice@example.com", ip="198.51.100.9")
    assert len(mail.outbox) == 2


def test_u3_reset_limits_are_settings(client, member, frozen_now, settings):
    settings.LINKWELL_PASSWORD_RESETS_PER_ADDRESS = 1
    ask(client, "alice@example.com")
    ask(client, "alice@example.com")
    assert len(mail.outbox) == 1
    settings.LINKWELL_PASSWORD_RESETS_PER_ADDRESS = 3
    settings.LINKWELL_PASSWORD_RESETS_PER_IP = 2
    ask(client, "alice@example.com")
    ask(client, "alice@example.com")
    assert len(mail.outbox) == 2


def test_u3_reset_page_answers_alike_for_a_member_a_stranger_and_past_the_limit(client, member):
    answers = [ask(client, "alice@example.com", ip="192.0.2.1") for _ in range(4)]
    answers += [ask(client, "nobody@example.com", ip="192.0.2.2") for _ in range(4)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, SENT)}
    page = client.get(SENT)
    assert b"If an account uses that address" in page.content


def test_u3_reset_requests_keep_no_address_in_the_clear(client, member):
    ask(client, "alice@example.com")
    row = PasswordResetRequest.objects.get()
    assert "alice" not in row.address_digest and len(row.address_digest) == 64
    assert row.ip == "203.0.113.7"
