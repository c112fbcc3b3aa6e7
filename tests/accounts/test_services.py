"""U1: the account row's checks (accounts.services.create_account). Joining as a whole, the
account with its profile, is membership's: tests/membership/test_services.py."""

import pytest

from accounts.models import User
from accounts.services import (
    EMAIL_TAKEN,
    HANDLE_TAKEN,
    NAME_HAS_HIDDEN_CHARACTERS,
)
from accounts.services import create_account as create_member
from core.errors import Conflict, Invalid
from tests.factories import make_member


@pytest.mark.django_db
def test_handle_and_email_are_unique_ignoring_case():
    make_member(handle="dana", email="dana@example.com")
    with pytest.raises(Conflict, match=str(HANDLE_TAKEN)):
        create_member(handle="DANA", email="other@example.com", password="x-long-unusual-pw-1")
    with pytest.raises(Conflict, match=str(EMAIL_TAKEN)):
        create_member(handle="dana2", email="DANA@example.com", password="x-long-unusual-pw-1")


HIDDEN = {
    "right-to-left override": "Alice\u202eecilA",
    "left-to-right embedding": "\u202aAlice",
    "first strong isolate": "Ali\u2068ce",
    "pop directional isolate": "Alice\u2069",
    "zero-width space": "Ali\u200bce",
    "zero-width joiner": "Ali\u200dce",
    "right-to-left mark": "Alice\u200f",
    "byte-order mark": "\ufeffAlice",
    "NUL": "Ali\x00ce",
    "bell": "Ali\x07ce",
    "newline inside": "Ali\nce",
    "line separator": "Ali\u2028ce",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_u1_sign_up_refuses_hidden_characters_in_the_display_name(name):
    with pytest.raises(Invalid) as refused:
        create_member(
            handle="alice",
            email="alice@example.com",
            password="x-long-unusual-pw-1",
            display_name=name,
        )
    assert refused.value.message == NAME_HAS_HIDDEN_CHARACTERS
    assert refused.value.rule == "U1"
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Zoë Ångström", "李小龍", "محمد", "José-María O'Neil", "🚀 Ada"])
def test_u1_names_in_any_script_are_welcome(name):
    member = create_member(
        handle="someone", email="s@example.com", password="x-long-unusual-pw-1", display_name=name
    )
    assert member.display_name == name


@pytest.mark.django_db
@pytest.mark.parametrize("handle", ["alice\n", "ali\u202ece", "alice\x00", "al\u200bice", "alïce"])
def test_u1_handles_are_only_letters_digits_and_underscores(handle):
    with pytest.raises(Invalid) as refused:
        create_member(handle=handle, email="a@example.com", password="x-long-unusual-pw-1")
    assert refused.value.rule == "U1"
    assert not User.objects.exists()
