"""U4: deleting an account removes the member's data in every area, and puts back what their
data counted on others' (membership.services.delete_member)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from accounts.models import PasswordResetRequest
from accounts.services import admit_password_reset
from core.errors import Refused
from feed import services as feed
from feed.models import Post
from membership.services import WRONG_PASSWORD, delete_member
from network import services as network
from network.models import Connection, ConnectionEvent, Follow
from notifications.models import Notification
from oauth.services import create_personal_token
from tests.factories import EducationFactory, PositionFactory, SkillFactory, make_member
from tests.network.factories import connect

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


def test_u4_deleting_a_member_leaves_no_row_of_theirs_anywhere(member, other_member):
    carol = make_member(handle="carol")
    dave = make_member(handle="dave")
    connect(member, other_member)
    connect(member, carol)
    network.unfollow(follower=member, followee=carol)  # connected, one follow left
    network.follow(follower=dave, followee=member)
    network.invite(sender=member, recipient=dave, note="hello")
    withdrawn = network.invite(sender=dave, recipient=other_member)
    network.withdraw(invitation_id=withdrawn.pk, by=dave)
    network.block(blocker=member, blocked=make_member(handle="erin"))
    network.report(reporter=member, member=carol, reason="spam")
    feed.publish(author=member, text="Hello")
    PositionFactory(member=member)
    EducationFactory(member=member)
    SkillFactory(member=member)
    create_personal_token(member=member, scopes=["read"])
    for model in (AccessAttempt, AccessFailureLog, AccessLog):  # U3's records, as axes writes
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}  # them, by name
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


def test_u4_deletion_logs_a_disconnect_event_per_connection(member, other_member, frozen_now):
    carol = make_member(handle="carol")
    connect(member, other_member)
    connect(carol, member)
    before = set(ConnectionEvent.objects.values_list("pk", flat=True))
    delete_member(member=member)
    events = set(
        ConnectionEvent.objects.exclude(pk__in=before).values_list(
            "member_a", "member_b", "connected", "at"
        )
    )
    pairs = {tuple(sorted([member.pk, x.pk])) for x in (other_member, carol)}
    assert events == {(a, b, False, frozen_now()) for a, b in pairs}


@pytest.mark.django_db(transaction=True)  # notifications are written after commit
def test_u4_others_posts_count_again_without_the_members_comments_reactions_and_reposts(
    member, other_member, monkeypatch
):
    """P2, P4: the counters on posts that stay drop what the member's rows counted, the
    replies under the member's comment included; notifications about them go too."""
    monkeypatch.setattr("feed.services.BATCH", 1)  # every id in a statement of its own
    carol = make_member(handle="carol")
    bobs = feed.publish(author=other_member, text="Bob's news")
    mine = feed.comment(author=member, on=bobs.pk, text="Nice")
    reply = feed.comment(author=carol, on=mine.pk, text="Agreed")  # to the member's comment
    feed.comment(author=carol, on=bobs.pk, text="Congrats")
    feed.react(member=member, post_id=bobs.pk, kind="celebrate")
    feed.react(member=carol, post_id=bobs.pk, kind="like")
    feed.repost(author=member, original=bobs.pk)
    feed.repost(author=member, original=bobs.pk, text="Worth a read")
    own = feed.publish(author=member, text="My own post")
    feed.comment(author=carol, on=own.pk, text="On the member's post")
    bobs.refresh_from_db()
    assert (bobs.comments_count, bobs.reactions_count, bobs.reposts_count) == (3, 2, 2)
    # Bob hears of carol's reply under his post; it hangs off the member's comment, so it goes.
    about_the_reply = Notification.objects.filter(recipient=other_member, subject_id=reply.pk)
    assert about_the_reply.exists()

    delete_member(member=member)

    bobs.refresh_from_db()
    assert (bobs.comments_count, bobs.reactions_count, bobs.reposts_count) == (1, 1, 0)
    assert (bobs.like_count, bobs.celebrate_count) == (1, 0)
    assert list(Post.objects.values_list("text", flat=True).order_by("id")) == [
        "Bob's news",
        "Congrats",
    ]
    assert not about_the_reply.exists()


def test_u4_deletion_is_all_or_nothing(member, other_member, monkeypatch):
    connect(member, other_member)
    events = ConnectionEvent.objects.count()

    def explode(*args, **kwargs):
        raise Refused("boom")

    monkeypatch.setattr("accounts.models.User.delete", explode)
    monkeypatch.setattr("django.db.models.query.QuerySet.delete", explode)
    with pytest.raises(Refused):
        delete_member(member=member)
    assert ConnectionEvent.objects.count() == events
    assert Connection.objects.count() == 1


def test_u4_deleting_with_a_wrong_password_is_refused_and_keeps_the_member():
    member = make_member(password="right-password-1")
    with pytest.raises(Refused) as refused:
        delete_member(member=member, password="wrong")
    assert (refused.value.message, refused.value.rule) == (WRONG_PASSWORD, "U4")
    assert get_user_model().objects.filter(pk=member.pk).exists()
    delete_member(member=member, password="right-password-1")
    assert not get_user_model().objects.filter(pk=member.pk).exists()
