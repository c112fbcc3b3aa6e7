"""Every network rule through the services (N1–N10, F1, B1–B3, S3, S4)."""

import re
from datetime import timedelta

import pytest

from core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Refused
from core.i18n import moment
from membership.services import update_settings
from network import services
from network.models import (
    Block,
    Connection,
    ConnectionEvent,
    Follow,
    Invitation,
    InvitationReason,
    InvitationStatus,
    Report,
    ReportReason,
)
from tests.factories import make_member
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db


def follows(a, b) -> bool:
    return Follow.objects.filter(follower=a, followee=b).exists()


def connected(a, b) -> bool:
    x, y = sorted((a.pk, b.pk))
    return Connection.objects.filter(member_a_id=x, member_b_id=y).exists()


# --- N1 ---------------------------------------------------------------------------------


def test_n1_invitation_keeps_note_and_reason(cast):
    invitation = services.invite(
        sender=cast["ann"], recipient=cast["ben"], note="x" * 300, reason="colleague"
    )
    assert invitation.note == "x" * 300
    assert invitation.reason == "colleague"
    assert invitation.status == InvitationStatus.PENDING


def test_n1_note_over_300_characters_is_refused(cast):
    with pytest.raises(Invalid) as refused:
        services.invite(sender=cast["ann"], recipient=cast["ben"], note="x" * 301)
    assert refused.value.rule == "N1"
    assert refused.value.message == services.NOTE_TOO_LONG.format(max=300)
    assert not Invitation.objects.exists()


def test_n1_unknown_reason_is_refused(cast):
    with pytest.raises(Invalid) as refused:
        services.invite(sender=cast["ann"], recipient=cast["ben"], reason="friends")
    assert refused.value.rule == "N1"
    assert refused.value.message == services.UNKNOWN_REASON.format(
        choices=", ".join(InvitationReason.values)
    )


def test_a1_reason_stays_on_the_connection(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"], reason="met")
    services.accept(invitation_id=invitation.pk, by=cast["ben"])
    assert Connection.objects.get().reason == "met"


# --- N2 ---------------------------------------------------------------------------------


def test_n2_inviting_twice_keeps_one_pending_invitation(cast):
    first = services.invite(sender=cast["ann"], recipient=cast["ben"])
    second = services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1


def test_n2_mutual_invitations_connect(cast):
    ann, ben = cast["ann"], cast["ben"]
    services.invite(sender=ann, recipient=ben, reason="classmate")
    services.invite(sender=ben, recipient=ann)
    assert connected(ann, ben)
    assert Invitation.objects.get().status == InvitationStatus.ACCEPTED
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()
    assert Connection.objects.count() == 1


# --- N3 ---------------------------------------------------------------------------------


def test_n3_ignoring_is_silent_for_the_sender(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.ignore(invitation_id=invitation.pk, by=cast["ben"])
    services.ignore(invitation_id=invitation.pk, by=cast["ben"])
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.ignored_at is not None


def test_n3_dont_know_stops_the_sender_inviting_again(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.dont_know(invitation_id=invitation.pk, by=cast["ben"])
    with pytest.raises(Forbidden, match=str(services.DONT_KNOW_REINVITE)):
        services.invite(sender=cast["ann"], recipient=cast["ben"])


def test_n3_five_dont_know_answers_require_the_email(cast, frozen_now):
    ann = cast["ann"]
    for i in range(5):
        other = make_member(handle=f"stranger{i}")
        invitation = services.invite(sender=ann, recipient=other)
        services.dont_know(invitation_id=invitation.pk, by=other)
    limit_message = services.SENDER_NEEDS_EMAIL.format(limit=5)
    with pytest.raises(Forbidden) as refused:
        services.invite(sender=ann, recipient=cast["ben"])
    assert refused.value.rule == "N3"
    assert refused.value.message == limit_message
    services.invite(sender=ann, recipient=cast["ben"], email="BEN@example.com")


def test_n3_only_the_recipient_answers(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    with pytest.raises(NotFound):
        services.accept(invitation_id=invitation.pk, by=cast["cat"])
    with pytest.raises(NotFound):
        services.accept(invitation_id=invitation.pk, by=cast["ann"])


# --- N4 ---------------------------------------------------------------------------------


def test_n4_withdrawn_invitation_blocks_reinvite_for_21_days(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    invitation = services.invite(sender=ann, recipient=ben)
    services.withdraw(invitation_id=invitation.pk, by=ann)
    services.withdraw(invitation_id=invitation.pk, by=ann)  # twice changes nothing more
    frozen_now.advance(days=20)
    with pytest.raises(Forbidden) as refused:
        services.invite(sender=ann, recipient=ben)
    assert refused.value.rule == "N4"
    assert refused.value.until == invitation.created_at + timedelta(days=21)
    assert refused.value.message == services.WITHDRAWN_REINVITE.format(
        until=moment(refused.value.until)
    )
    frozen_now.advance(days=1, seconds=1)
    assert services.invite(sender=ann, recipient=ben).status == InvitationStatus.PENDING


def test_n4_withdrawing_an_accepted_invitation_is_refused(cast):
    invitation = connect(cast["ann"], cast["ben"])
    with pytest.raises(Conflict):
        services.withdraw(invitation_id=invitation.pk, by=cast["ann"])
    assert connected(cast["ann"], cast["ben"])


def test_n4_accepting_a_withdrawn_invitation_is_refused(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.withdraw(invitation_id=invitation.pk, by=cast["ann"])
    with pytest.raises(Conflict):
        services.accept(invitation_id=invitation.pk, by=cast["ben"])
    assert not Connection.objects.exists()


# --- N5 ---------------------------------------------------------------------------------


def test_n5_weekly_quota_says_when_inviting_is_possible_again(cast, frozen_now, settings):
    settings.LINKWELL_INVITATIONS_PER_WEEK = 3
    ann = cast["ann"]
    first_sent = frozen_now()
    for name in ("ben", "cat"):
        services.invite(sender=ann, recipient=cast[name])
        frozen_now.advance(hours=1)
    third = services.invite(sender=ann, recipient=cast["dan"])
    services.withdraw(invitation_id=third.pk, by=ann)  # withdrawing gives nothing back
    with pytest.raises(RateLimited) as refused:
        services.invite(sender=ann, recipient=cast["eve"])
    assert refused.value.rule == "N5"
    assert refused.value.until == first_sent + timedelta(days=7)
    assert "you can invite again after" in refused.value.message
    frozen_now.value = first_sent + timedelta(days=7, seconds=1)
    services.invite(sender=ann, recipient=cast["eve"])


# --- N6 ---------------------------------------------------------------------------------


def test_n6_cannot_invite_self(cast):
    with pytest.raises(Invalid, match=str(services.CANNOT_INVITE_SELF)):
        services.invite(sender=cast["ann"], recipient=cast["ann"])


def test_n6_cannot_invite_an_existing_connection(cast):
    connect(cast["ann"], cast["ben"])
    with pytest.raises(Conflict, match=str(services.ALREADY_CONNECTED)):
        services.invite(sender=cast["ben"], recipient=cast["ann"])


@pytest.mark.parametrize("blocker", ["ann", "ben"])
def test_n6_cannot_invite_across_a_block(cast, blocker):
    services.block(blocker=cast[blocker], blocked=cast["ben" if blocker == "ann" else "ann"])
    with pytest.raises(Forbidden, match=str(services.INVITE_BLOCKED)):
        services.invite(sender=cast["ann"], recipient=cast["ben"])


def test_n6_s4_email_only_invitations_need_the_right_email(cast):
    set_profile(cast["ben"], invitations_from="email")
    with pytest.raises(Forbidden) as refused:
        services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert refused.value.rule == "S4"
    assert refused.value.message == services.INVITE_NEEDS_EMAIL
    with pytest.raises(Forbidden) as refused:
        services.invite(sender=cast["ann"], recipient=cast["ben"], email="wrong@example.com")
    assert refused.value.rule == "S4"
    assert refused.value.message == services.INVITE_NEEDS_EMAIL
    services.invite(sender=cast["ann"], recipient=cast["ben"], email=" Ben@Example.com ")


# --- N7 ---------------------------------------------------------------------------------


def test_n7_past_the_connection_limit_others_can_only_follow(cast, settings):
    settings.LINKWELL_MAX_CONNECTIONS = 1
    connect(cast["ann"], cast["ben"])
    with pytest.raises(Refused) as refused:
        services.invite(sender=cast["cat"], recipient=cast["ann"])
    assert refused.value.rule == "N7"
    with pytest.raises(Refused) as refused:
        services.invite(sender=cast["ann"], recipient=cast["cat"])
    assert refused.value.rule == "N7"
    services.follow(follower=cast["dan"], followee=cast["ann"])
    assert follows(cast["dan"], cast["ann"])


def test_n7_accept_is_refused_when_either_side_is_full(cast, settings):
    invitation = services.invite(sender=cast["cat"], recipient=cast["ann"])
    connect(cast["ann"], cast["ben"])
    settings.LINKWELL_MAX_CONNECTIONS = 1
    with pytest.raises(Refused) as refused:
        services.accept(invitation_id=invitation.pk, by=cast["ann"])
    assert refused.value.rule == "N7"


# --- N8 / N9 ----------------------------------------------------------------------------


def test_n8_accepting_connects_and_both_follow(cast):
    ann, ben = cast["ann"], cast["ben"]
    invitation = services.invite(sender=ann, recipient=ben)
    services.accept(invitation_id=invitation.pk, by=ben)
    services.accept(invitation_id=invitation.pk, by=ben)  # twice changes nothing more
    assert connected(ann, ben)
    assert follows(ann, ben) and follows(ben, ann)
    assert Connection.objects.count() == 1
    assert ConnectionEvent.objects.filter(connected=True).count() == 1


def test_n8_unfollowing_a_connection_keeps_the_connection(cast):
    connect(cast["ann"], cast["ben"])
    services.unfollow(follower=cast["ann"], followee=cast["ben"])
    assert connected(cast["ann"], cast["ben"])
    assert not follows(cast["ann"], cast["ben"]) and follows(cast["ben"], cast["ann"])


def test_n9_removing_a_connection_ends_both_follows(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.disconnect(by=ben, member=ann)
    services.disconnect(by=ben, member=ann)
    assert not connected(ann, ben)
    assert not follows(ann, ben) and not follows(ben, ann)
    assert list(ConnectionEvent.objects.values_list("connected", flat=True)) == [True, False]


# --- N10 --------------------------------------------------------------------------------


def test_n10_inviting_a_follow_first_member_follows_at_once(cast):
    set_profile(cast["ben"], primary_action="follow")
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert follows(cast["ann"], cast["ben"])
    services.ignore(invitation_id=invitation.pk, by=cast["ben"])
    assert follows(cast["ann"], cast["ben"])


def test_n10_not_for_a_connect_first_member(cast):
    services.invite(sender=cast["ann"], recipient=cast["ben"])
    assert not follows(cast["ann"], cast["ben"])


# --- F1 / S3 ----------------------------------------------------------------------------


def test_f1_following_needs_no_approval_and_is_idempotent(cast):
    services.follow(follower=cast["ann"], followee=cast["ben"])
    services.follow(follower=cast["ann"], followee=cast["ben"])
    assert Follow.objects.filter(follower=cast["ann"]).count() == 1
    assert not connected(cast["ann"], cast["ben"])


def test_f1_s3_connections_only_followers(cast):
    set_profile(cast["ben"], followers_allowed="connections")
    with pytest.raises(Forbidden, match=re.escape(str(services.FOLLOW_CONNECTIONS_ONLY))):
        services.follow(follower=cast["ann"], followee=cast["ben"])
    connect(cast["ann"], cast["ben"])
    services.unfollow(follower=cast["ann"], followee=cast["ben"])
    services.follow(follower=cast["ann"], followee=cast["ben"])
    assert follows(cast["ann"], cast["ben"])


def test_s3_switching_to_connections_removes_other_followers(cast):
    services.follow(follower=cast["ann"], followee=cast["ben"])
    connect(cast["cat"], cast["ben"])
    update_settings(member=cast["ben"], followers_allowed="connections")
    assert not follows(cast["ann"], cast["ben"]) and follows(cast["cat"], cast["ben"])


def test_f1_cannot_follow_self(cast):
    with pytest.raises(Invalid):
        services.follow(follower=cast["ann"], followee=cast["ann"])


def test_remove_from_followers(cast):
    services.follow(follower=cast["ann"], followee=cast["ben"])
    services.remove_from_followers(by=cast["ben"], follower=cast["ann"])
    assert not follows(cast["ann"], cast["ben"])


# --- B1 / B2 / B3 -----------------------------------------------------------------------


def test_b1_block_removes_connection_follows_and_invitations(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    services.invite(sender=cat, recipient=ann)
    services.follow(follower=cat, followee=ann)
    services.block(blocker=ann, blocked=ben)
    services.block(blocker=ann, blocked=cat)
    services.block(blocker=ann, blocked=cat)
    assert not connected(ann, ben)
    assert not Follow.objects.exists()
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()
    assert Block.objects.filter(blocker=ann).count() == 2
    with pytest.raises(Forbidden) as refused:
        services.follow(follower=ben, followee=ann)
    assert refused.value.rule == "B1"
    assert refused.value.message == services.FOLLOW_BLOCKED
    with pytest.raises(Forbidden) as refused:
        services.follow(follower=ann, followee=ben)
    assert refused.value.rule == "B1"
    assert refused.value.message == services.FOLLOW_BLOCKED


def test_b2_unblocking_restores_nothing_and_reblock_waits_48_hours(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.block(blocker=ann, blocked=ben)
    frozen_now.advance(hours=1)
    services.unblock(blocker=ann, blocked=ben)
    unblocked_at = frozen_now()
    assert not connected(ann, ben) and not Follow.objects.exists()
    frozen_now.advance(hours=47)
    with pytest.raises(Refused) as refused:
        services.block(blocker=ann, blocked=ben)
    assert refused.value.rule == "B2"
    assert refused.value.until == unblocked_at + timedelta(hours=48)
    assert refused.value.message == services.REBLOCK_TOO_SOON.format(
        until=moment(refused.value.until)
    )
    services.block(blocker=ben, blocked=ann)  # the other side is not held back
    frozen_now.advance(hours=1, seconds=1)
    services.block(blocker=ann, blocked=ben)
    assert Block.objects.count() == 2


def test_b3_report_lands_in_the_moderation_queue(cast, django_user_model):
    report = services.report(
        reporter=cast["ann"], member=cast["ben"], reason="spam", comment="sells pills"
    )
    assert Report.objects.filter(resolved_at__isnull=True).get() == report
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    assert services.resolve_reports(report_ids=[report.pk], by=admin) == 1
    assert Report.objects.get().resolved_by == admin


def test_b3_report_needs_a_known_reason(cast):
    with pytest.raises(Invalid) as refused:
        services.report(reporter=cast["ann"], member=cast["ben"], reason="boring")
    assert refused.value.rule == "B3"
    assert refused.value.message == services.UNKNOWN_REPORT_REASON.format(
        choices=", ".join(ReportReason.values)
    )
    with pytest.raises(Invalid) as refused:
        services.report(reporter=cast["ann"], member=cast["ann"], reason="spam")
    assert refused.value.rule == "B3"
    assert refused.value.message == services.CANNOT_REPORT_SELF
