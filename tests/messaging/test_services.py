"""M1–M6 and B1 through the services, with a frozen clock for every window."""

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Forbidden, Invalid, NotFound
from membership import services as membership
from membership.services import delete_member
from messaging import queries, services
from messaging.models import Conversation, CreditSpend, Message, MessageRequest, RequestStatus
from network import services as network
from notifications.models import Kind, Notification
from tests.messaging.factories import connect, set_profile


def _credits(member) -> int:
    return len(queries.credits(member))


def _work_at(member, company, *, ended=None):
    from datetime import date

    membership.add_position(
        member=member,
        title="Engineer",
        company=company,
        started_on=date(2020, 1, 1),
        ended_on=ended,
    )


def test_m1_connections_message_each_other_freely(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    first = services.send(sender=ann, recipient=ben, text="Hello Ben")
    second = services.send(sender=ben, recipient=ann, text="Hi Ann")
    assert first.conversation_id == second.conversation_id
    assert not MessageRequest.objects.exists()
    assert _credits(ann) == 5 and _credits(ben) == 5
    assert queries.can_message(ann, ben).route == queries.CONNECTION


def test_m6_following_gives_no_right_to_message(cast):
    ann, cat = cast["ann"], cast["cat"]
    network.follow(follower=cat, followee=ann)
    set_profile(ann, refuse_inmail=True)
    route = queries.can_message(cat, ann)
    assert not route.allowed and route.refusal.rule == "M6"
    with pytest.raises(Forbidden) as refused:
        services.send(sender=cat, recipient=ann, text="Hi, I follow you")
    assert refused.value.rule == "M6"
    assert "connect with them" in refused.value.message
    assert "M6" not in refused.value.message


def test_m6_a_follower_without_the_refusal_still_pays_an_inmail_credit(cast):
    ann, cat = cast["ann"], cast["cat"]
    network.follow(follower=cat, followee=ann)
    route = queries.can_message(cat, ann)
    assert route.route == "inmail" and route.costs_credit


def test_m2_open_profile_receives_from_anyone_for_free(cast):
    ann, dan = cast["ann"], cast["dan"]
    set_profile(ann, open_profile=True)
    services.send(sender=dan, recipient=ann, text="Saw your talk")
    request = MessageRequest.objects.get()
    assert request.route == "open_profile" and request.recipient == ann
    assert _credits(dan) == 5


def test_m5_current_coworkers_send_a_request_without_a_credit(cast):
    ann, eve = cast["ann"], cast["eve"]
    _work_at(ann, "Acme")
    _work_at(eve, " acme ")
    services.send(sender=eve, recipient=ann, text="Same floor?")
    assert MessageRequest.objects.get().route == "coworker"
    assert _credits(eve) == 5


def test_m5_former_coworkers_pay_an_inmail_credit(cast):
    from datetime import date

    ann, eve = cast["ann"], cast["eve"]
    _work_at(ann, "Acme")
    _work_at(eve, "Acme", ended=date(2021, 1, 1))
    assert queries.can_message(eve, ann).route == "inmail"


def test_m3_inmail_costs_a_credit_and_the_reply_refunds_it(cast, frozen_now):
    ann, dan = cast["ann"], cast["dan"]
    services.send(sender=dan, recipient=ann, text="A question", subject="Your project")
    assert _credits(dan) == 4
    request = MessageRequest.objects.get()
    assert request.route == "inmail" and request.status == RequestStatus.PENDING
    assert Message.objects.get().subject == "Your project"
    frozen_now.advance(days=2)
    services.send(sender=ann, recipient=dan, text="Happy to help")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED  # the reply opened it (M4)
    assert _credits(dan) == 5
    assert CreditSpend.objects.get().refunded_at == frozen_now.value


def test_m3_monthly_allowance_and_expiry_after_90_days(cast, frozen_now, settings):
    dan = cast["dan"]
    joined = dan.date_joined
    start = joined.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    frozen_now.value = start + timedelta(days=10)
    assert [c.granted_at for c in queries.credits(dan)] == [start] * 5
    assert queries.credits(dan)[0].expires_at == start + timedelta(days=90)
    frozen_now.value = start + timedelta(days=45)  # the next month's grant came
    assert _credits(dan) == 10
    frozen_now.value = start + timedelta(days=90, seconds=1)  # the first grant lapsed
    granted = {c.granted_at for c in queries.credits(dan)}
    assert start not in granted and len(granted) == 3
    settings.LINKWELL_INMAIL_CREDITS_PER_MONTH = 2
    assert _credits(dan) == 6


def test_m3_spends_the_oldest_grant_first_and_refuses_when_none_is_left(cast, frozen_now, settings):
    settings.LINKWELL_INMAIL_CREDITS_PER_MONTH = 2
    dan = cast["dan"]
    start = dan.date_joined.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    frozen_now.value = start + timedelta(days=5)
    services.send(sender=dan, recipient=cast["ann"], text="One")
    services.send(sender=dan, recipient=cast["ben"], text="Two")
    with pytest.raises(Forbidden) as refused:
        services.send(sender=dan, recipient=cast["cat"], text="Three")
    assert refused.value.rule == "M3"
    assert refused.value.until == queries.next_grant_at(frozen_now.value)
    assert "Connect with Cat" in refused.value.message
    assert not Conversation.objects.filter(member_b=cast["cat"]).exists()


def test_m3_a_member_may_refuse_inmail(cast):
    ann, dan = cast["ann"], cast["dan"]
    set_profile(ann, refuse_inmail=True)
    with pytest.raises(Forbidden) as refused:
        services.send(sender=dan, recipient=ann, text="Hello")
    assert refused.value.rule == "M3"
    assert "accepts messages only from their connections" in refused.value.message
    assert _credits(dan) == 5


def test_m3_an_inmail_body_is_at_most_2000_characters(cast):
    with pytest.raises(Invalid) as refused:
        services.send(sender=cast["dan"], recipient=cast["ann"], text="x" * 2001)
    assert refused.value.rule == "M3"
    assert _credits(cast["dan"]) == 5


def test_m4_first_message_is_a_request_and_a_second_waits_for_the_answer(cast):
    ann, dan = cast["ann"], cast["dan"]
    services.send(sender=dan, recipient=ann, text="Hello")
    requests, _ = queries.conversations(ann, requests=True)
    inbox, _ = queries.conversations(ann)
    assert [t.other for t in requests] == [dan] and inbox == []
    sent, _ = queries.conversations(dan)
    assert [t.other for t in sent] == [ann]
    with pytest.raises(Forbidden) as refused:
        services.send(sender=dan, recipient=ann, text="Hello again")
    assert refused.value.rule == "M4"
    assert _credits(dan) == 4


def test_m4_accepting_opens_the_conversation_both_ways(cast):
    ann, dan = cast["ann"], cast["dan"]
    services.send(sender=dan, recipient=ann, text="Hello")
    request = MessageRequest.objects.get()
    services.accept_request(member=ann, request_id=request.pk)
    services.accept_request(member=ann, request_id=request.pk)  # twice: nothing more
    assert queries.can_message(dan, ann).route == queries.OPENED
    services.send(sender=dan, recipient=ann, text="Thanks")
    inbox, _ = queries.conversations(ann)
    assert [t.other for t in inbox] == [dan]
    assert MessageRequest.objects.count() == 1


def test_m4_declining_stops_the_sender_for_90_days(cast, frozen_now):
    ann, dan = cast["ann"], cast["dan"]
    services.send(sender=dan, recipient=ann, text="Hello")
    request = MessageRequest.objects.get()
    services.decline_request(member=ann, request_id=request.pk)
    services.decline_request(member=ann, request_id=request.pk)
    request.refresh_from_db()
    assert queries.conversations(ann, requests=True)[0] == []
    assert queries.conversations(ann)[0] == []
    frozen_now.advance(days=89)
    with pytest.raises(Forbidden) as refused:
        services.send(sender=dan, recipient=ann, text="Please")
    assert refused.value.rule == "M4"
    assert refused.value.until == request.answered_at + timedelta(days=90)
    frozen_now.advance(days=1, seconds=1)
    services.send(sender=dan, recipient=ann, text="A new request")
    assert MessageRequest.objects.filter(status=RequestStatus.PENDING).count() == 1
    shown, _ = queries.conversations(ann, requests=True)
    assert len(shown) == 1
    messages, _ = queries.messages_of(shown[0])
    assert [m.text for m in messages] == ["A new request"]  # the declined one stays gone


def test_b1_a_block_hides_the_conversation_both_ways_and_stops_messages(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello")
    network.block(blocker=ben, blocked=ann)
    for member in (ann, ben):
        assert queries.conversations(member)[0] == []
        with pytest.raises(NotFound):
            queries.conversation_for(member, message.conversation_id)
        assert queries.unread_count(member) == 0
    with pytest.raises(NotFound) as refused:
        services.send(sender=ann, recipient=ben, text="Why?")
    assert refused.value.message == "Record not found"
    with pytest.raises(NotFound):
        services.send(sender=ben, recipient=ann, text="Bye")


def test_removing_a_connection_keeps_the_history_but_needs_the_rules_again(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello")
    network.disconnect(by=ann, member=ben)
    thread = queries.conversation_for(ben, message.conversation_id)
    assert [m.text for m in queries.messages_of(thread)[0]] == ["Hello"]
    route = queries.can_message(ann, ben)
    assert route.route == "inmail" and route.request


def test_a_third_member_never_reads_the_conversation(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Private")
    for act in (
        lambda: queries.conversation_for(cat, message.conversation_id),
        lambda: services.mark_read(member=cat, conversation_id=message.conversation_id),
        lambda: services.delete_for_me(member=cat, conversation_id=message.conversation_id),
        lambda: services.reply(sender=cat, conversation_id=message.conversation_id, text="x"),
    ):
        with pytest.raises(NotFound):
            act()


def test_a_retried_send_with_the_same_key_changes_nothing(cast):
    ann, dan = cast["ann"], cast["dan"]
    first = services.send(sender=dan, recipient=ann, text="Hello", idempotency_key="k1")
    again = services.send(sender=dan, recipient=ann, text="Hello", idempotency_key="k1")
    assert first.pk == again.pk
    assert Message.objects.count() == 1 and MessageRequest.objects.count() == 1
    assert _credits(dan) == 4


def test_message_text_is_sanitised_and_links_clickable(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(
        sender=ann, recipient=ben, text="<script>alert(1)</script> see https://example.org/x"
    )
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert '<a href="https://example.org/x"' in message.html


def test_an_empty_message_is_refused(cast):
    connect(cast["ann"], cast["ben"])
    with pytest.raises(Invalid):
        services.send(sender=cast["ann"], recipient=cast["ben"], text=" \x00 ")


def test_read_state_and_unread_badge(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello")
    assert queries.unread_count(ben) == 1 and queries.unread_count(ann) == 0
    assert queries.conversation_for(ben, message.conversation_id).unread
    services.mark_read(member=ben, conversation_id=message.conversation_id)
    assert queries.unread_count(ben) == 0


def test_delete_for_me_leaves_the_other_members_side(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    message = services.send(sender=ann, recipient=ben, text="Hello")
    services.delete_for_me(member=ben, conversation_id=message.conversation_id)
    assert queries.conversations(ben)[0] == []
    assert len(queries.conversations(ann)[0]) == 1
    services.send(sender=ann, recipient=ben, text="Still there?")
    thread = queries.conversations(ben)[0][0]
    assert [m.text for m in queries.messages_of(thread)[0]] == ["Still there?"]


def test_p5_a_message_and_a_message_request_notify_the_recipient(
    cast, django_capture_on_commit_callbacks
):
    ann, ben, dan = cast["ann"], cast["ben"], cast["dan"]
    connect(ann, ben)
    with django_capture_on_commit_callbacks(execute=True):
        services.send(sender=ann, recipient=ben, text="Hello")
        services.send(sender=dan, recipient=ben, text="Hi, we haven't met")
    kinds = set(Notification.objects.filter(recipient=ben).values_list("kind", "actor"))
    assert (Kind.MESSAGE, ann.pk) in kinds and (Kind.MESSAGE_REQUEST, dan.pk) in kinds


def test_u4_deleting_a_member_removes_their_messages(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.send(sender=ann, recipient=ben, text="Hello")
    services.send(sender=cast["dan"], recipient=ann, text="InMail")
    delete_member(member=ann)
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()


def test_m1_nobody_messages_themselves(cast):
    with pytest.raises(Invalid):
        services.send(sender=cast["ann"], recipient=cast["ann"], text="Me")


pytestmark = pytest.mark.django_db
_ = (datetime, UTC)


def test_m1_m2_s6_who_may_be_written_to_by_which_route(cast):
    ann = cast["ann"]
    connect(ann, cast["ben"])
    set_profile(cast["cat"], open_profile=True)
    set_profile(cast["eve"], refuse_inmail=True)
    members = [cast["ben"], cast["cat"], cast["dan"], cast["eve"]]
    routes = queries.routes_for(ann, members)
    assert [r.route for r in routes] == ["connection", "open_profile", "inmail", None]
    assert [r.costs_credit for r in routes] == [False, False, True, False]
    assert queries.messageable(ann, [m.pk for m in members]) == {
        cast["ben"].pk,
        cast["cat"].pk,
        cast["dan"].pk,
    }
