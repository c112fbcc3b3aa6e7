"""P5: who is told what, grouped, read and silenced (N3, N4, N9), through feed.inbox."""

from feed import inbox, services
from network import services as network_services
from notifications import services as notices
from notifications.models import Notification
from tests.feed.factories import connect, post


def kinds(member):
    found, _ = inbox.notices(member)
    return [(n.notification.kind, n.actor.username) for n in found]


def test_p5_invitation_received_and_accepted(cast):
    ann, ben = cast["ann"], cast["ben"]
    invitation = network_services.invite(sender=ann, recipient=ben)
    assert kinds(ben) == [("connection_request", "ann")]
    network_services.accept(invitation_id=invitation.pk, by=ben)
    assert kinds(ann) == [("connection_accepted", "ben")]


def test_p5_new_follower_but_not_for_the_follows_that_come_with_a_connection(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    network_services.follow(follower=cat, followee=ann)
    network_services.follow(follower=cat, followee=ann)
    connect(ben, ann)
    assert kinds(ann) == [("connection_request", "ben"), ("follow", "cat")]


def test_n3_ignoring_notifies_nobody(cast):
    ann, ben = cast["ann"], cast["ben"]
    invitation = network_services.invite(sender=ann, recipient=ben)
    network_services.ignore(invitation_id=invitation.pk, by=ben)
    network_services.dont_know(invitation_id=invitation.pk, by=ben)
    assert kinds(ann) == []


def test_n4_withdrawing_removes_the_recipients_notification_silently(cast):
    ann, ben = cast["ann"], cast["ben"]
    invitation = network_services.invite(sender=ann, recipient=ben)
    network_services.withdraw(invitation_id=invitation.pk, by=ann)
    assert kinds(ben) == [] and kinds(ann) == []
    assert not Notification.objects.exists()


def test_n9_removing_a_connection_notifies_nobody(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    before = Notification.objects.count()
    network_services.disconnect(by=ben, member=ann)
    assert Notification.objects.count() == before


def test_p5_comment_reply_mention_and_repost(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    made = post(ann, "Thoughts")
    top = services.comment(author=ben, on=made.pk, text="Agreed @cat")
    services.comment(author=cat, on=top.pk, text="Me too")
    services.repost(author=cat, original=made.pk)
    assert kinds(ann) == [("repost", "cat"), ("comment", "cat"), ("comment", "ben")]
    assert kinds(ben) == [("reply", "cat")]
    assert kinds(cat) == [("mention", "ben")]


def test_p5_mentions_notify_only_members_who_may_see_the_post(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    post(ann, "Hi @ben and @cat", visibility="connections")
    assert kinds(ben) == [("mention", "ann"), ("connection_request", "ann")]
    assert kinds(cat) == []


def test_p5_reactions_are_grouped_per_post(cast):
    ann = cast["ann"]
    made = post(ann, "React to me")
    for name in ("ben", "cat", "dan", "eve"):
        services.react(member=cast[name], post_id=made.pk, kind="celebrate")
    services.react(member=cast["ben"], post_id=made.pk, kind="love")  # a change: no new one
    groups, _ = inbox.groups(ann)
    assert len(groups) == 1
    group = groups[0]
    assert group.kind == "reaction" and group.others == 3
    assert group.latest.actor.username == "eve"
    services.unreact(member=cast["eve"], post_id=made.pk)
    assert inbox.groups(ann)[0][0].others == 2


def test_p5_unread_badge_and_marking_read(cast):
    ann = cast["ann"]
    made = post(ann, "Hello")
    services.react(member=cast["ben"], post_id=made.pk)
    services.comment(author=cast["cat"], on=made.pk, text="Hi")
    assert inbox.unread_count(ann) == 2
    notices.mark_all_read(member=ann)
    assert inbox.unread_count(ann) == 0
    services.react(member=cast["dan"], post_id=made.pk)
    assert inbox.unread_count(ann) == 1


def test_b1_a_blocked_members_notifications_are_hidden_and_mutes_hide_them_too(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    made = post(ann, "Hello")
    services.react(member=ben, post_id=made.pk)
    services.react(member=cat, post_id=made.pk)
    network_services.block(blocker=ann, blocked=ben)
    services.mute(member=ann, muted=cat)
    assert kinds(ann) == []
    assert inbox.unread_count(ann) == 0
    services.mute(member=ann, muted=cat, notifications=False)
    assert kinds(ann) == [("reaction", "cat")]


def test_p5_a_deleted_or_hidden_post_takes_its_notifications_along(cast):
    ann, ben = cast["ann"], cast["ben"]
    made = post(ann, "Gone soon")
    comment = services.comment(author=ben, on=made.pk, text="Hi")
    services.delete(by=ben, post_id=comment.pk)
    assert kinds(ann) == []
    assert not Notification.objects.exists()
