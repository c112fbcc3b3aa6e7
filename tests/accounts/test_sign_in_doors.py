"""U3 on every door that takes a password: the admin sign-in counts with the member sign-in."""

import pytest

from accounts.services import TOO_MANY_FOR_ACCOUNT, TOO_MANY_FROM_IP
from tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    staff = make_member(handle="root_admin", display_name="Operator")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    return staff


def admin_sign_in(client, password, username="root_admin"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_u3_admin_sign_in_is_locked_after_five_failures_even_with_right_password(
    client, staff, frozen_now
):
    for _ in range(5):
        refused = admin_sign_in(client, "guess")
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
    response = admin_sign_in(client, DEFAULT_PASSWORD)
    until = frozen_now() + __import__("datetime").timedelta(minutes=15)
    assert TOO_MANY_FOR_ACCOUNT.format(until=f"{until:%H:%M}") in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_u3_admin_sign_in_works_and_clears_failures(client, staff, frozen_now):
    for _ in range(4):
        admin_sign_in(client, "guess")
    assert admin_sign_in(client, DEFAULT_PASSWORD)["Location"] == "/admin/"
    client.logout()
    for _ in range(4):
        admin_sign_in(client, "guess")
    assert admin_sign_in(client, DEFAULT_PASSWORD)["Location"] == "/admin/"


def test_u3_admin_and_member_doors_share_one_count(client, staff, frozen_now):
    for _ in range(3):
        client.post("/login/", {"identifier": "root_admin", "password": "guess"})
    for _ in range(2):
        admin_sign_in(client, "guess")
    response = client.post("/login/", {"identifier": "root_admin", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_u3_admin_sign_in_from_a_guessing_network_is_locked(client, staff, frozen_now):
    for n in range(20):
        admin_sign_in(client, "guess", username=f"guess{n}")
    response = admin_sign_in(client, DEFAULT_PASSWORD)
    assert TOO_MANY_FROM_IP.split("{")[0] in response.content.decode()
    assert "_auth_user_id" not in client.session
