"""U4: deleting an account removes every row of the member's (issue 2, item 3)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from oauth2_provider.models import AccessToken, Application

from accounts.models import PasswordResetRequest
from accounts.services import admit_password_reset, delete_member
from core import clock
from core.errors import Refused
from feed.models import Post
from network.models import Block, Connection, ConnectionEvent, Follow, Invitation
from tests.factories import EducationFactory, PositionFactory, SkillFactory, make_member

pytestmark = pytest.mark.django_db


def rows_mentioning(member) -> dict[str, int]:
    """Every model with a foreign key (or one-to-one) to the user model, counted."""
    user_model = get_user_model()
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is user_model
                and field.concrete
            ):
                count = model._default_manager.filter(**{field.name: member.pk}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def connect(a, b):
    low, high = sorted([a, b], key=lambda m: m.pk)
    Connection.objects.create(member_a=low, member_b=high, created_at=clock.now())


def test_deleting_a_member_leaves_no_row_of_theirs_anywhere(member, other_member):
    carol = make_member(handle="carol")
    dave = make_member(handle="dave")
    connect(member, other_member)
    connect(member, carol)
    now = clock.now()
    Follow.objects.create(follower=member, followee=other_member, created_at=now)
    Follow.objects.create(follower=carol, followee=member, created_at=now)
    Invitation.objects.create(sender=member, recipient=dave, created_at=now)
    Invitation.objects.create(sender=dave, recipient=member, status="withdrawn", created_at=now)
    Block.objects.create(blocker=member, blocked=dave, created_at=now)
    Post.objects.create(author=member, text="Hello", created_at=now)
    PositionFactory(member=member)
    EducationFactory(member=member)
    SkillFactory(member=member)
    app = Application.objects.create(
        user=member,
        name="client",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://example.com/cb",
    )
    AccessToken.objects.create(user=member, application=app, token="t" * 30, expires=now)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):  # U3's records, by handle or address
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        model.objects.create(username="alice", ip_address="203.0.113.1", **extra)
        model.objects.create(username="Alice@Example.com", ip_address="203.0.113.1", **extra)
    assert admit_password_reset(email="Alice@Example.com", ip="203.0.113.1")
    assert len(rows_mentioning(member)) >= 10

    delete_member(member=member)

    assert rows_mentioning(member) == {}
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    for model in (AccessAttempt, AccessFailureLog, AccessLog, PasswordResetRequest):
        assert not model.objects.exists(), model
    assert Connection.objects.count() == 0
    assert Follow.objects.count() == 0
    assert get_user_model().objects.filter(username="bob").exists()


def test_deletion_logs_a_disconnect_event_per_connection(member, other_member, frozen_now):
    carol = make_member(handle="carol")
    connect(member, other_member)
    connect(carol, member)
    delete_member(member=member)
    events = set(ConnectionEvent.objects.values_list("member_a", "member_b", "connected", "at"))
    pairs = {tuple(sorted([member.pk, x.pk])) for x in (other_member, carol)}
    assert events == {(a, b, False, frozen_now()) for a, b in pairs}


def test_deletion_is_all_or_nothing(member, other_member, monkeypatch):
    connect(member, other_member)

    def explode(*args, **kwargs):
        raise Refused("boom")

    monkeypatch.setattr("accounts.models.User.delete", explode)
    monkeypatch.setattr("django.db.models.query.QuerySet.delete", explode)
    with pytest.raises(Refused):
        delete_member(member=member)
    assert ConnectionEvent.objects.count() == 0
    assert Connection.objects.count() == 1


def test_deleting_with_a_wrong_password_is_refused_and_keeps_the_member():
    member = make_member(password="right-password-1")
    with pytest.raises(Refused, match="your account was not deleted"):
        delete_member(member=member, password="wrong")
    assert get_user_model().objects.filter(pk=member.pk).exists()
    delete_member(member=member, password="right-password-1")
    assert not get_user_model().objects.filter(pk=member.pk).exists()
