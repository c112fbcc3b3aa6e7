"""A1–A4 in the domain: reasons, notes and tags, say hello, keep in touch, strength."""

import datetime
import io

import pytest
from django.core import mail

from core.errors import Invalid, NotFound
from feed import services as feed
from messaging import services as messaging
from network import services as network
from network.models import Connection
from profiles.models import Position
from relationships import queries, services
from relationships.models import Tie
from tests.factories import EducationFactory, PositionFactory
from tests.relationships.factories import connect

# transaction=True: the interaction counters are written after commit, as in production
pytestmark = pytest.mark.django_db(transaction=True)


def prompt_types(member, other):
    return [p.type for p in queries.prompts_for(member) if p.member_id == other.pk]


# --- A1 ----------------------------------------------------------------------------------


def test_a1_reason_and_note_survive_acceptance_and_a_later_unfollow(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben, reason="met", note="Great talk on Postgres")
    network.unfollow(follower=ben, followee=ann)
    for viewer, other in ((ann, ben), (ben, ann)):
        why = queries.why_connected(viewer, other)
        assert why["reason"] == "met" and why["note"] == "Great talk on Postgres"


def test_a1_each_member_changes_only_their_own_side(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben, reason="met", note="Great talk")
    network.describe_connection(by=ben, member=ann, reason="colleague", note="Same team in 2019")
    connection = Connection.objects.get()
    assert (connection.reason, connection.note) == ("met", "Great talk")
    assert (connection.recipient_reason, connection.recipient_note) == (
        "colleague",
        "Same team in 2019",
    )
    network.describe_connection(by=ann, member=ben, reason="business", note="")
    connection.refresh_from_db()
    assert (connection.reason, connection.recipient_reason) == ("business", "colleague")


def test_a1_describing_a_connection_one_does_not_have_is_not_found(cast):
    with pytest.raises(NotFound):
        network.describe_connection(by=cast["ann"], member=cast["cat"], reason="met", note="")


def test_a1_note_is_kept_for_its_author_only(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    services.set_note(owner=ann, member=ben, text="Met at PGConf; likes sailing")
    assert queries.note_for(ann, ben) == "Met at PGConf; likes sailing"
    assert queries.note_for(cat, ben) == ""
    assert queries.note_for(ben, ann) == ""
    services.set_note(owner=ann, member=ben, text="")  # empty removes it
    assert queries.note_for(ann, ben) == ""


def test_a1_notes_and_tags_need_a_connection_or_a_follow(cast):
    ann, dan = cast["ann"], cast["dan"]
    with pytest.raises(Invalid) as refused:
        services.set_note(owner=ann, member=dan, text="stranger")
    assert refused.value.rule == "A1"
    tag = services.create_tag(owner=ann, title="mentor")
    with pytest.raises(NotFound):
        services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[dan.pk])
    network.follow(follower=ann, followee=dan)
    services.set_note(owner=ann, member=dan, text="follows only")
    assert services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[dan.pk]) == 1


def test_a1_tagging_twice_changes_nothing_more_and_another_members_tag_is_not_found(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    tag = services.create_tag(owner=ann, title="Lisbon 2026")
    assert services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[ben.pk]) == 1
    assert services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[ben.pk]) == 0
    assert Tie.objects.get(owner=ann, other=ben).tags == 1
    with pytest.raises(NotFound):
        services.tag_members(owner=cat, tag_id=tag.pk, member_ids=[ben.pk])
    with pytest.raises(NotFound):
        queries.tag_member_ids(cat, tag.pk)
    services.delete_tag(owner=ann, tag_id=tag.pk)
    assert Tie.objects.get(owner=ann, other=ben).tags == 0


def test_a1_a_block_hides_notes_targets(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    network.block(blocker=ben, blocked=ann)
    with pytest.raises(NotFound):
        services.set_note(owner=ann, member=ben, text="x")


# --- A2 ----------------------------------------------------------------------------------


def test_a2_say_hello_is_offered_once_to_each_side(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben, reason="met", note="Great talk")
    assert [m.pk for m in queries.say_hello_offers(ann)] == [ben.pk]
    assert [m.pk for m in queries.say_hello_offers(ben)] == [ann.pk]
    services.greeted(owner=ann, other=ben, sent=True)
    services.greeted(owner=ann, other=ben, sent=True)  # a double click
    assert queries.say_hello_offers(ann) == []
    assert [m.pk for m in queries.say_hello_offers(ben)] == [ann.pk]
    services.greeted(owner=ben, other=ann, sent=False)  # dismissed
    assert queries.say_hello_offers(ben) == []


def test_a2_the_prepared_message_uses_what_they_share(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    PositionFactory(member=ann, company="Acme Data", started_on=datetime.date(2021, 1, 1))
    PositionFactory(member=ben, company="Acme Data", started_on=datetime.date(2022, 1, 1))
    connect(ann, cat)
    connect(ben, cat)
    connect(ann, ben, reason="met", note="Great talk on Postgres")
    text = queries.say_hello_text(ben, ann)
    assert text.startswith("Hi Ann, thanks for connecting!")
    assert "It was good to meet you." in text
    assert "Thank you for your note." in text
    assert "We both work at Acme Data." in text
    assert "I see we both know Cat Example." in text


def test_a2_the_prepared_message_names_a_school_they_both_studied_at(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    EducationFactory(member=ann, school="École Centrale")
    EducationFactory(member=ben, school="École Centrale")
    EducationFactory(member=cat, school="Sorbonne")
    connect(ann, ben)
    connect(ann, cat)
    assert "We both studied at École Centrale." in queries.say_hello_text(ben, ann)
    assert "We both studied at École Centrale." in queries.say_hello_text(ann, ben)
    assert "studied at" not in queries.say_hello_text(ann, cat)  # no school in common


def test_a2_nobody_greeted_within_7_days_shows_once_in_keep_in_touch(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    assert prompt_types(ann, ben) == []
    frozen_now.advance(days=7)
    assert prompt_types(ann, ben) == ["say_hello"]
    assert queries.say_hello_offers(ann) == []  # the offer itself has lapsed
    services.mark_done(owner=ann, key=f"say_hello-{ben.pk}")
    frozen_now.advance(days=30)
    assert prompt_types(ann, ben) == []


def test_a2_a_greeting_from_either_side_means_no_say_hello_prompt(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    messaging.send(sender=ben, recipient=ann, text="Hello Ann!")
    services.greeted(owner=ben, other=ann, sent=True)
    frozen_now.advance(days=8)
    assert prompt_types(ann, ben) == [] and prompt_types(ben, ann) == []


# --- A3 ----------------------------------------------------------------------------------


def test_a3_a_dormant_connection_appears_after_6_months(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    messaging.send(sender=ann, recipient=ben, text="Hi Ben")
    frozen_now.advance(days=181)
    assert prompt_types(ann, ben) == []
    frozen_now.advance(days=1)
    assert prompt_types(ann, ben) == ["dormant"]
    assert prompt_types(ben, ann) == ["dormant"]  # an interaction counts for both sides


def test_a3_done_restarts_the_clock_and_a_snoozed_prompt_returns_at_its_date(cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    for other in (ben, cat):
        services.greeted(owner=ann, other=other, sent=True)
    frozen_now.advance(days=200)
    by_member = {p.member_id: p for p in queries.prompts_for(ann)}
    services.mark_done(owner=ann, key=by_member[ben.pk].id)
    services.mark_done(owner=ann, key=by_member[ben.pk].id)  # a double click
    until = frozen_now.value + datetime.timedelta(days=14)
    services.snooze(owner=ann, key=by_member[cat.pk].id, until=until)
    assert queries.prompts_for(ann) == []
    frozen_now.advance(days=14)
    assert [p.member_id for p in queries.prompts_for(ann)] == [cat.pk]
    frozen_now.advance(days=168)
    assert prompt_types(ann, ben) == ["dormant"]  # 182 days after "done"


def test_a3_snoozing_into_the_past_is_refused(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    frozen_now.advance(days=8)
    (prompt,) = queries.prompts_for(ann)
    with pytest.raises(Invalid) as refused:
        services.snooze(owner=ann, key=prompt.id, until=frozen_now.value)
    assert refused.value.rule == "A3"


def test_a3_cadence_per_connection_and_per_tag(cast, frozen_now):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    for other in (ben, cat, dan):
        connect(ann, other)
        services.greeted(owner=ann, other=other, sent=True)
    services.set_every(owner=ann, member=ben, every="month")
    monthly = services.create_tag(owner=ann, title="clients")
    services.update_tag(owner=ann, tag_id=monthly.pk, every="quarter")
    services.tag_members(owner=ann, tag_id=monthly.pk, member_ids=[cat.pk])
    services.set_every(owner=ann, member=dan, every="never")
    frozen_now.advance(days=30)
    assert {p.member_id for p in queries.prompts_for(ann)} == {ben.pk}
    frozen_now.advance(days=61)
    assert {p.member_id for p in queries.prompts_for(ann)} == {ben.pk, cat.pk}
    frozen_now.advance(days=400)
    assert dan.pk not in {p.member_id for p in queries.prompts_for(ann)}
    with pytest.raises(Invalid):
        services.set_every(owner=ann, member=ben, every="weekly")


def test_a3_s7_a_new_position_makes_one_prompt_and_no_feed_post_when_s7_is_off(cast, frozen_now):
    from feed.models import Post, PostKind
    from membership.services import update_settings
    from profiles import services as profiles

    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.greeted(owner=ann, other=ben, sent=True)
    update_settings(member=ben, share_profile_updates=False)
    profiles.add_position(
        member=ben, title="CTO", company="Orbit", started_on=frozen_now.value.date()
    )
    prompts = [p for p in queries.prompts_for(ann) if p.type == "new_position"]
    assert len(prompts) == 1 and prompts[0].detail == "CTO at Orbit"
    assert not Post.objects.filter(kind=PostKind.NEWS, author=ben).exists()
    services.mark_done(owner=ann, key=prompts[0].id)
    assert [p for p in queries.prompts_for(ann) if p.type == "new_position"] == []


def test_a3_a_work_anniversary_makes_a_prompt_in_its_month(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    services.greeted(owner=ann, other=ben, sent=True)
    today = frozen_now.value.date()
    Position.objects.create(
        member=ben,
        title="Engineer",
        company="Acme",
        started_on=today.replace(year=today.year - 3, day=1),
    )
    (prompt,) = [p for p in queries.prompts_for(ann) if p.type == "work_anniversary"]
    assert prompt.detail == "3 years at Acme"


def test_a3_the_weekly_digest_goes_only_to_members_who_turned_it_on(cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    frozen_now.advance(days=200)
    services.set_digest(member=ann, weekly=True)
    assert services.send_weekly_digests(base_url="https://linkwell.example") == 1
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert "Ben Example" in mail.outbox[0].body
    assert "/catch-up/unsubscribe/" in mail.outbox[0].body
    headers = mail.outbox[0].extra_headers  # RFC 8058: the mail client's one-click POST
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://linkwell.example/catch-up/unsubscribe/")
    assert services.send_weekly_digests(base_url="https://linkwell.example") == 0  # same week
    token = services.unsubscribe_token(ann)
    assert services.unsubscribe(token=token) == ann
    assert services.unsubscribe(token=token + "x") is None
    frozen_now.advance(days=7)
    assert services.send_weekly_digests(base_url="https://linkwell.example") == 0


def test_a3_send_digests_runs_the_weekly_job_through_the_task_backend(cast, frozen_now, settings):
    """A3: the digest is sent by a scheduled job through the background-work interface:
    `linkwell send_digests` (cron) enqueues `jobs.relationships.send_weekly_digests`, which
    the inline backend runs at once; only the member who turned it on gets a mail."""
    from django.core.management import call_command

    settings.SITE_URL = "https://linkwell.example"
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    frozen_now.advance(days=200)
    services.set_digest(member=ann, weekly=True)
    call_command("send_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert "https://linkwell.example/catch-up/unsubscribe/" in mail.outbox[0].body
    call_command("send_digests", stdout=io.StringIO())  # cron twice in a week: one mail
    assert len(mail.outbox) == 1


# --- A4 ----------------------------------------------------------------------------------


def _greeted_connection(a, b):
    connect(a, b)
    services.greeted(owner=a, other=b, sent=True)
    services.greeted(owner=b, other=a, sent=True)


def test_a3_a_connection_who_moved_to_the_members_city_makes_one_prompt_and_no_feed_post(
    cast, frozen_now
):
    from feed.models import Post
    from profiles import services as profiles

    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    profiles.update_profile(member=ann, location="Lisboa")
    profiles.update_profile(member=cat, location="Berlin")
    profiles.update_profile(member=dan, location="Lisboa")  # not connected to Ben
    profiles.update_profile(member=ben, location="Porto")
    _greeted_connection(ann, ben)
    _greeted_connection(cat, ben)
    posts_before = Post.objects.count()
    frozen_now.advance(days=1)
    profiles.update_profile(member=ben, location="  lisboa ")
    (prompt,) = queries.prompts_for(ann)
    assert (prompt.type, prompt.member_id, prompt.since) == ("moved", ben.pk, frozen_now.value)
    assert prompt.detail == "lisboa" and "Welcome to lisboa, Ben!" in prompt.suggested_message
    assert queries.prompt_line(prompt) == "Ben Example just moved to your city: lisboa"
    assert queries.prompts_for(cat) == [] and queries.prompts_for(dan) == []
    assert queries.prompts_for(ben) == []  # the one who moved gets nothing for it
    assert Post.objects.count() == posts_before  # a prompt, never a feed post
    services.mark_done(owner=ann, key=prompt.id)
    assert queries.prompts_for(ann) == []
    profiles.update_profile(member=ben, location="Lisboa")  # a respelling is no new move
    assert queries.prompts_for(ann) == []


def test_a3_a_move_is_news_for_30_days_and_a_snoozed_one_returns(cast, frozen_now):
    from profiles import services as profiles

    ann, ben = cast["ann"], cast["ben"]
    profiles.update_profile(member=ann, location="München")
    profiles.update_profile(member=ben, location="Hamburg")
    _greeted_connection(ann, ben)
    profiles.update_profile(member=ben, location="MUNCHEN")  # folded as search folds it
    (prompt,) = queries.prompts_for(ann)
    services.snooze(owner=ann, key=prompt.id, until=frozen_now.advance(days=0) + _days(7))
    assert queries.prompt_count(ann) == 0
    frozen_now.advance(days=7)
    assert [p.id for p in queries.prompts_for(ann)] == [prompt.id]
    frozen_now.advance(days=23, seconds=1)
    assert queries.prompts_for(ann) == [] and queries.prompt_count(ann) == 0


def test_a3_filling_in_a_location_or_moving_elsewhere_is_no_move_to_the_members_city(
    cast, frozen_now
):
    from profiles import services as profiles
    from profiles.models import Profile

    ann, ben = cast["ann"], cast["ben"]
    profiles.update_profile(member=ann, location="Lisbon")
    _greeted_connection(ann, ben)
    profiles.update_profile(member=ben, location="Lisbon")  # filled in: no move
    assert queries.prompts_for(ann) == []
    profiles.update_profile(member=ben, location="Porto")
    profiles.update_profile(member=ben, location="Lisbon, Portugal")  # another city's words
    assert queries.prompts_for(ann) == []
    profiles.update_profile(member=ben, location="Lisbon")
    assert [p.type for p in queries.prompts_for(ann)] == ["moved"]
    profiles.update_profile(member=ben, location="")  # emptied: the move is forgotten
    assert Profile.objects.filter(member=ben, moved_at__isnull=True, moved_to="").exists()
    assert queries.prompts_for(ann) == []
    profiles.update_profile(member=ann, location="")
    profiles.update_profile(member=ben, location="Porto")
    assert queries.prompts_for(ann) == []  # no city of one's own, no "moved to your city"


def test_a3_the_weekly_digest_names_a_connection_who_moved_to_the_members_city(cast, frozen_now):
    from profiles import services as profiles

    ann, ben = cast["ann"], cast["ben"]
    profiles.update_profile(member=ann, location="Lisbon")
    profiles.update_profile(member=ben, location="Porto")
    _greeted_connection(ann, ben)
    profiles.update_profile(member=ben, location="Lisbon")
    services.set_digest(member=ann, weekly=True)
    assert services.send_weekly_digests(base_url="https://linkwell.example") == 1
    assert "Ben Example just moved to your city: Lisbon" in mail.outbox[0].body


def _days(n):
    return datetime.timedelta(days=n)


def test_a3_the_count_is_the_pages_own_set_and_leaves_out_whom_the_page_leaves_out(
    cast, frozen_now
):
    from accounts.models import User
    from network.models import Block
    from tests.factories import make_member

    ann = cast["ann"]
    others = [make_member(handle=f"pal{i}") for i in range(53)]
    Connection.objects.bulk_create(
        Connection(member_a_id=min(ann.pk, o.pk), member_b_id=max(ann.pk, o.pk), created_at=t)
        for o, t in zip(others, [frozen_now.value] * len(others), strict=True)
    )
    Tie.objects.bulk_create(
        Tie(owner=ann, other=o, last_interaction_at=frozen_now.value) for o in others
    )
    frozen_now.advance(days=183)
    assert queries.prompt_count(ann) == 53 and len(queries.prompts_for(ann)) == 50
    User.objects.filter(pk=others[0].pk).update(is_active=False)
    Block.objects.create(blocker=others[1], blocked=ann, created_at=frozen_now.value)
    services.snooze(owner=ann, key=queries.prompts_for(ann)[-1].id)
    prompts = queries.prompts_for(ann, limit=100)
    assert queries.prompt_count(ann) == len(prompts) == 50
    assert {others[0].pk, others[1].pk} & {p.member_id for p in prompts} == set()


def test_a3_the_prompts_cost_a_fixed_number_of_statements(cast, frozen_now):
    """A3 at scale: the prompts (hellos with their prepared messages among them) and the
    count cost the same statements for 3 connections as for 60: nothing per connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_member

    ann = cast["ann"]

    def statements(call):
        call()  # the graph index, loaded once per process, is not the prompts' cost
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured)

    def grow(n):
        people = [make_member() for _ in range(n)]
        Connection.objects.bulk_create(
            Connection(
                member_a_id=min(ann.pk, p.pk),
                member_b_id=max(ann.pk, p.pk),
                created_at=frozen_now.value,
            )
            for p in people
        )

    grow(3)
    frozen_now.advance(days=8)  # every one a say-hello reminder, with its prepared message
    few = (
        statements(lambda: queries.prompts_for(ann)),
        statements(lambda: queries.prompt_count(ann)),
    )
    assert len(queries.prompts_for(ann)) == 3
    grow(57)
    frozen_now.advance(days=8)
    many = (
        statements(lambda: queries.prompts_for(ann)),
        statements(lambda: queries.prompt_count(ann)),
    )
    assert len(queries.prompts_for(ann)) == 50 and queries.prompt_count(ann) == 60
    # the member's own location (for "moved") and the prompts' one statement; their members
    # and the blocks (2); the prepared hellos: the connections' words, current companies,
    # the member's schools (3) and the graph index's check for new connections (1). The
    # count: the location and one statement.
    assert few == many == (8, 2)


def test_a4_strength_moves_with_interactions_in_both_directions(cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    assert queries.strength_with(ann, ben).strength == 0
    messaging.send(sender=ann, recipient=ben, text="Hi")
    after_mine = queries.strength_with(ben, ann).strength
    assert after_mine > 0
    post = feed.publish(author=ann, text="Shipping the release today")
    feed.comment(author=ben, on=post.pk, text="Congrats!")
    feed.react(member=ben, post_id=post.pk, kind="celebrate")
    assert queries.strength_with(ann, ben).strength > after_mine
    assert queries.strength_with(ann, ben).strength == queries.strength_with(ben, ann).strength
    explained = queries.strength_with(ann, ben)
    assert explained.explanation("Ben") == (
        "You and Ben: 1 message, 1 comment and 1 reaction in the last 90 days"
    )
    ordered = queries.connections_for(ann, order="strength")
    assert [m.pk for m in ordered] == [ben.pk, cat.pk]


def test_a4_strength_decays_with_the_half_life(cast, frozen_now):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    for _ in range(10):
        messaging.send(sender=ben, recipient=ann, text="ping")
    tie = Tie.objects.get(owner=ann, other=ben)
    today = queries.day_number(frozen_now.value)
    assert queries.points_of(tie, today) == pytest.approx(10.0)
    assert queries.strength_with(ann, ben).strength == 50
    frozen_now.advance(days=90)
    assert queries.points_of(tie, queries.day_number(frozen_now.value)) == pytest.approx(5.0)
    assert queries.strength_with(ann, ben).strength == 33
    frozen_now.advance(days=1)  # out of the explanation's 90-day window
    assert queries.strength_with(ann, ben).recent == {
        "messages": 0,
        "comments": 0,
        "reactions": 0,
        "reposts": 0,
    }


def test_a4_a_repost_counts_two_points_on_both_sides_and_in_the_explanation(cast, frozen_now):
    """A4 names reposts beside messages, comments and reactions: feed's repost records the
    interaction with the original's author, after commit, for both members of the pair."""
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    post = feed.publish(author=ann, text="Our release notes")
    feed.repost(author=ben, original=post.pk)
    today = queries.day_number(frozen_now.value)
    for owner, other in ((ann, ben), (ben, ann)):
        tie = Tie.objects.get(owner=owner, other=other)
        assert queries.points_of(tie, today) == pytest.approx(2.0)  # a repost weighs 2
        assert queries.strength_with(owner, other).recent["reposts"] == 1
    assert queries.strength_with(ann, ben).explanation("Ben") == (
        "You and Ben: 1 repost in the last 90 days"
    )


def test_a4_the_members_own_tags_add_to_strength_and_order_in_sql_matches(cast, frozen_now):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    messaging.send(sender=ann, recipient=ben, text="Hi")
    tag = services.create_tag(owner=ann, title="mentor")
    services.tag_members(owner=ann, tag_id=tag.pk, member_ids=[cat.pk])
    assert queries.strength_with(ann, cat).strength > queries.strength_with(ann, ben).strength
    assert [m.pk for m in queries.connections_for(ann, order="strength")] == [cat.pk, ben.pk]
    assert [m.pk for m in queries.connections_for(ann, order="strength", tag_id=tag.pk)] == [cat.pk]


def test_a4_a_repeated_comment_retry_counts_once(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    post = feed.publish(author=ann, text="Hello")
    feed.comment(author=ben, on=post.pk, text="Hi", idempotency_key="k1")
    feed.comment(author=ben, on=post.pk, text="Hi", idempotency_key="k1")
    assert Tie.objects.get(owner=ann, other=ben).comments == 1


def test_a4_suggestions_put_people_your_closest_connections_know_first(cast):
    from search.queries import suggestions

    ann, ben, cat, dan, eve = cast["ann"], cast["ben"], cast["cat"], cast["dan"], cast["eve"]
    connect(ann, ben)
    connect(ann, cat)
    connect(ben, dan)  # Dan: one mutual (Ben)
    connect(cat, eve)  # Eve: one mutual (Cat)
    for _ in range(5):
        messaging.send(sender=cat, recipient=ann, text="hi")  # Cat is Ann's closest
    assert [s.person.member.pk for s in suggestions(ann)][:2] == [eve.pk, dan.pk]


def test_a4_the_top_feed_ranks_a_closer_authors_post_higher(cast):
    from feed import home

    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    cat_post = feed.publish(author=cat, text="Cat's news")
    ben_post = feed.publish(author=ben, text="Ben's news")  # newer: first without strength
    assert [i.post.pk for i in home.home(ann, order="top", limit=2).items] == [
        ben_post.pk,
        cat_post.pk,
    ]
    for _ in range(10):
        messaging.send(sender=cat, recipient=ann, text="hi")
    assert [i.post.pk for i in home.home(ann, order="top", limit=2).items] == [
        cat_post.pk,
        ben_post.pk,
    ]


def test_s5_suggestions_order_does_not_reveal_the_connections_of_a_close_non_connection(cast):
    """S5 (ordering): A4's "people your closest connections know come first" may use only
    lists the viewer may see. Cat is not Ann's connection (Ann follows her and interacts a
    lot, so Cat is Ann's strongest tie) and keeps the default `connections`: Ann may not see
    Cat's list, so whether Eve is Cat's connection must not move Eve up Ann's suggestions."""
    from search.queries import suggestions

    ann, ben, cat, dan, eve = cast["ann"], cast["ben"], cast["cat"], cast["dan"], cast["eve"]
    connect(ann, ben)
    connect(ben, dan)  # Dan: one mutual (Ben)
    connect(ben, eve)  # Eve: one mutual (Ben)
    connect(cat, eve)  # ... and Eve is Cat's connection, which Ann may not see
    network.follow(follower=ann, followee=cat)
    before = [s.person.member.pk for s in suggestions(ann)]
    for _ in range(10):  # e.g. Ann's reactions to Cat's public posts
        services.record_interaction(actor_id=ann.pk, other_id=cat.pk, kind="reactions")
    assert queries.closest_ids(ann)[:1] == [cat.pk]
    assert [s.person.member.pk for s in suggestions(ann)] == before
