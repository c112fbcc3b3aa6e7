"""People You May Know: reasons, exclusions (connected, invited, blocked, dismissed), S2."""

from datetime import timedelta

import pytest

from core.errors import NotFound
from network import services as network
from search import queries, services
from search.models import SuggestionDismissal
from tests.network.factories import connect, set_profile


def suggested(me):
    return {s.person.member.username: s for s in queries.suggestions(me)}


def test_mutual_connections_come_first_with_the_count_in_words(make_person):
    me = make_person("me", "Me Self")
    many, few = make_person("many", "Many Mutuals"), make_person("few", "Few Mutuals")
    for i in range(3):
        friend = make_person(f"f{i}", f"Friend {i}")
        connect(me, friend)
        connect(friend, many)
        if i == 0:
            connect(friend, few)
    found = queries.suggestions(me)
    assert [s.person.member.username for s in found] == ["many", "few"]
    assert found[0].reasons == ["3 mutual connections"]
    assert found[1].reasons == ["1 mutual connection"]
    assert found[0].sources == ["friends_of_friends"]


def test_a_new_member_gets_suggestions_from_company_school_and_place(make_person):
    me = make_person(
        "me", "Me Self", company="Hazelmark", school="Lisbon School of Design", location="Porto"
    )
    make_person("colleague", "Col League", company="Hazelmark")
    make_person("alumna", "Alum Na", school="Lisbon School of Design")
    make_person("formerly", "For Merly", past_company="Hazelmark")
    make_person("neighbour", "Neigh Bour", location="Porto")
    make_person("stranger", "Stran Ger", company="Elsewhere")
    found = suggested(me)
    assert set(found) == {"colleague", "alumna", "formerly", "neighbour"}
    assert found["colleague"].reasons == ["Also works at Hazelmark"]
    assert found["formerly"].reasons == ["Also worked at Hazelmark"]
    assert found["alumna"].reasons == ["Studied at Lisbon School of Design"]
    assert found["neighbour"].reasons == ["Also in Porto"]


def test_connected_invited_and_blocked_members_are_never_suggested(make_person):
    me = make_person("me", "Me Self", company="Hazelmark")
    connected = make_person("connected", "C", company="Hazelmark")
    invited = make_person("invited", "I", company="Hazelmark")
    inviter = make_person("inviter", "J", company="Hazelmark")
    ignored = make_person("ignored", "K", company="Hazelmark")
    blocked = make_person("blocked", "B", company="Hazelmark")
    blocker = make_person("blocker", "D", company="Hazelmark")
    make_person("ok", "O", company="Hazelmark")
    connect(me, connected)
    network.invite(sender=me, recipient=invited)
    network.invite(sender=inviter, recipient=me)
    invitation = network.invite(sender=ignored, recipient=me)
    network.ignore(invitation_id=invitation.pk, by=me)
    network.block(blocker=me, blocked=blocked)
    network.block(blocker=blocker, blocked=me)
    assert set(suggested(me)) == {"ok"}


def test_d4_a_blocked_member_is_no_mutual_and_no_suggestion(make_person):
    me = make_person("me", "Me Self")
    friend, blocked = make_person("friend", "F"), make_person("blocked", "B")
    target = make_person("target", "T")
    connect(me, friend)
    connect(friend, blocked)
    connect(friend, target)
    network.block(blocker=blocked, blocked=me)
    assert set(suggested(me)) == {"target"}


def test_dismissed_is_not_suggested_for_90_days_then_again(make_person, frozen_now):
    me = make_person("me", "Me Self", company="Hazelmark")
    other = make_person("other", "O", company="Hazelmark")
    services.dismiss_suggestion(member=me, dismissed_id=other.pk)
    frozen_now.advance(days=1)
    services.dismiss_suggestion(member=me, dismissed_id=other.pk)  # again: the first date holds
    assert SuggestionDismissal.objects.get().dismissed_at == frozen_now() - timedelta(days=1)
    assert suggested(me) == {}
    frozen_now.advance(days=88, hours=23)
    assert suggested(me) == {}
    frozen_now.advance(hours=2)
    assert set(suggested(me)) == {"other"}
    services.dismiss_suggestion(member=me, dismissed_id=other.pk)  # lapsed: a new window
    assert suggested(me) == {}


def test_b1_dismissing_a_member_who_blocked_you_answers_as_unknown(make_person):
    me, blocker = make_person("me", "Me"), make_person("blocker", "B")
    network.block(blocker=blocker, blocked=me)
    with pytest.raises(NotFound) as blocked_error:
        services.dismiss_suggestion(member=me, dismissed_id=blocker.pk)
    with pytest.raises(NotFound) as unknown_error:
        services.dismiss_suggestion(member=me, dismissed_id=99_999)
    assert str(blocked_error.value) == str(unknown_error.value)


def test_s2_a_follow_first_member_is_suggested_to_follow_until_followed(make_person):
    me = make_person("me", "Me", company="Hazelmark")
    leader = make_person("leader", "Lea Der", company="Hazelmark")
    set_profile(leader, primary_action="follow")
    [suggestion] = queries.suggestions(me)
    assert suggestion.action == "follow"
    network.follow(follower=me, followee=leader)
    assert queries.suggestions(me) == []


def test_suggestions_cost_the_same_queries_for_one_shared_value_or_four(make_person):
    """People You May Know reads every shared company, school and place in one statement,
    so My Network's query count does not follow the viewer's profile."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = make_person("few", "Few Values", company="Hazelmark")
    many = make_person(
        "many", "Many Values", company="Hazelmark", school="Lisbon School", location="Porto"
    )
    make_person("colleague", "Col League", company="Hazelmark")
    make_person("alumna", "Alum Na", school="Lisbon School")
    make_person("neighbour", "Neigh Bour", location="Porto")
    counted = []
    for me in (few, many):
        queries.suggestions(me)
        with CaptureQueriesContext(connection) as captured:
            found = queries.suggestions(me)
        counted.append(len(captured))
    assert {s.person.member.username for s in found} >= {"colleague", "alumna", "neighbour"}
    assert counted[0] == counted[1]
