"""U2: e-mail confirmation, a signed link valid for 3 days (issue 2, item 3)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.services import (
    CONFIRMATION_INVALID,
    EMAIL_NOT_CONFIRMED,
    authenticate_member,
    confirm_email,
    confirmation_token,
    resend_confirmation,
    send_confirmation,
)
from core.errors import Forbidden, Invalid
from membership.services import create_member

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-password-9"


@pytest.fixture
def newcomer():
    return create_member(
        handle="carol", email="carol@example.com", password=PASSWORD, display_name="Carol"
    )


def test_unconfirmed_member_cannot_sign_in(newcomer, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = True
    with pytest.raises(Forbidden, match=re.escape(str(EMAIL_NOT_CONFIRMED))) as refused:
        authenticate_member(request=None, identifier="carol", password=PASSWORD)
    assert refused.value.rule == "U2"


def test_unconfirmed_member_signs_in_when_confirmation_is_off(newcomer, settings):
    settings.LINKWELL_REQUIRE_EMAIL_CONFIRMATION = False
    member = authenticate_member(request=None, identifier="carol", password=PASSWORD)
    assert member == newcomer


def test_link_from_the_email_confirms_once_and_again_harmlessly(newcomer):
    send_confirmation(member=newcomer, base_url="http://testserver/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["carol@example.com"]
    token = mail.outbox[0].body.split("/confirm/")[1].split("/")[0]
    assert confirm_email(token=token).email_confirmed
    assert confirm_email(token=token).email_confirmed  # a second click changes nothing
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed


def test_link_expires_after_three_days(newcomer, monkeypatch):
    token = confirmation_token(member=newcomer)
    later = timezone.now() + timedelta(days=3, minutes=1)
    monkeypatch.setattr("time.time", lambda: later.timestamp())
    with pytest.raises(Invalid, match=re.escape(str(CONFIRMATION_INVALID))):
        confirm_email(token=token)


def test_tampered_or_stale_address_token_is_refused(newcomer):
    token = confirmation_token(member=newcomer)
    with pytest.raises(Invalid):
        confirm_email(token=token[:-2] + "xx")
    newcomer.email = "carol.new@example.com"
    newcomer.save()
    with pytest.raises(Invalid):
        confirm_email(token=token)


def test_no_mail_once_confirmed(newcomer):
    newcomer.email_confirmed = True
    send_confirmation(member=newcomer, base_url="http://testserver/")
    assert mail.outbox == []


def test_resend_sends_at_most_one_link_a_minute_and_reveals_nothing(newcomer):
    cache.clear()
    resend_confirmation(identifier="CAROL", base_url="http://testserver/")
    resend_confirmation(identifier="carol@example.com", base_url="http://testserver/")
    resend_confirmation(identifier="nobody", base_url="http://testserver/")
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]
