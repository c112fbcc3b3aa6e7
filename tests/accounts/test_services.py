import pytest

from accounts.services import EMAIL_TAKEN, HANDLE_TAKEN, create_member
from core.errors import Conflict
from tests.factories import make_member


@pytest.mark.django_db
def test_s1_new_member_gets_an_empty_profile():
    member = create_member(
        handle="carol",
        email="carol@example.com",
        password="a-long-unusual-password-9",
        display_name="Carol",
    )
    assert member.profile.headline == ""
    assert member.profile.primary_action == "connect"


@pytest.mark.django_db
def test_handle_and_email_are_unique_ignoring_case():
    make_member(handle="dana", email="dana@example.com")
    with pytest.raises(Conflict, match=HANDLE_TAKEN):
        create_member(handle="DANA", email="other@example.com", password="x-long-unusual-pw-1")
    with pytest.raises(Conflict, match=EMAIL_TAKEN):
        create_member(handle="dana2", email="DANA@example.com", password="x-long-unusual-pw-1")
