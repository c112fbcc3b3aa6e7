"""S7 news in the home feed: "X is now connected to Y" and "X has a new position"."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from core import clock
from core.errors import Invalid
from feed import home, queries, services
from feed.models import News, Post, PostKind
from network import services as network_services
from profiles import services as profile_services
from tests.feed.factories import connect, set_profile


def news_in(member, *, others=False, **kwargs) -> list[str]:
    """The news sentences on the member's home feed, as shown (tags stripped); `others`
    leaves out the member's own news."""
    import re

    page = home.home(member, **kwargs)
    return [
        re.sub(r"<[^>]+>", "", item.post.html)
        for item in page.items
        if item.post.kind == PostKind.NEWS and not (others and item.post.author_id == member.pk)
    ]


@pytest.fixture
def sharing(cast):
    for name in ("ann", "ben", "cat", "dan"):
        set_profile(cast[name], share_network_updates=True)
    return cast


def test_s7_connection_news_only_when_both_members_opted_in(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, cat)
    connect(ben, cat)
    connect(dan, cat)
    set_profile(ann, share_network_updates=True)  # Ben keeps the default (off)
    connect(ann, ben)
    assert news_in(cat) == []
    assert not Post.objects.filter(kind=PostKind.NEWS).exists()
    set_profile(ben, share_network_updates=True)
    set_profile(dan, share_network_updates=True)
    connect(ann, dan)
    assert news_in(cat) == ["Dan is now connected to Ann."]


def test_s7_connection_news_collapses_to_one_item_per_member_per_day(sharing):
    ann, ben, cat, dan = (sharing[n] for n in ("ann", "ben", "cat", "dan"))
    eve = sharing["eve"]
    set_profile(eve, share_network_updates=True)
    connect(eve, ann)  # Eve hears of Ann's connections
    for other in (ben, cat, dan):
        connect(ann, other)
    assert News.objects.filter(member=ann).count() == 1
    assert news_in(eve) == [
        "Eve is now connected to Ann.",
        "Ann is now connected to Dan and 2 others.",
    ]
    # a retried job changes nothing
    from feed import news

    assert news.announce_connection(ann.pk, ben.pk) == 0


def test_s7_a_connection_is_told_once_to_a_member_who_hears_of_both_sides(sharing):
    ann, ben, cat = sharing["ann"], sharing["ben"], sharing["cat"]
    connect(cat, ann)
    connect(cat, ben)
    connect(ann, ben)
    assert News.objects.count() == 3  # one day item per member
    shown = news_in(cat)
    told = [s for s in shown if s.startswith(("Ann is", "Ben is")) and "Ann" in s and "Ben" in s]
    assert len(told) == 1
    assert "Cat is now connected to Ben and Ann." in shown


def test_s7_s5_connection_news_is_not_shown_to_a_follower_who_is_not_connected(sharing):
    ann, ben, eve = sharing["ann"], sharing["ben"], sharing["eve"]
    network_services.follow(follower=eve, followee=ann)
    connect(ann, ben)
    assert news_in(eve) == []  # the fan-out reached Eve, the door did not let it through
    assert news_in(ann) == ["Ann is now connected to Ben."]


def test_s7_news_goes_when_a_setting_is_turned_off_or_the_members_disconnect(sharing):
    ann, ben, cat, dan = (sharing[n] for n in ("ann", "ben", "cat", "dan"))
    connect(cat, ann)
    connect(ann, ben)
    assert news_in(cat, others=True) == ["Ann is now connected to Ben."]
    set_profile(ben, share_network_updates=False)
    assert news_in(cat, others=True) == []
    set_profile(ben, share_network_updates=True)
    network_services.disconnect(by=ann, member=ben)
    assert news_in(cat, others=True) == []
    connect(dan, ann)
    connect(ann, ben)
    network_services.block(blocker=dan, blocked=ben)
    assert all("Ben" not in s for s in news_in(dan, others=True))


def test_s7_new_position_is_news_only_under_share_profile_updates(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(cat, ben)
    today = clock.now().date()
    profile_services.add_position(
        member=ann, title="Engineer <b>", company="Acme & Co", started_on=today
    )
    assert news_in(ben) == ["Ann has a new position: Engineer &lt;b&gt; at Acme &amp; Co."]
    set_profile(cat, share_profile_updates=False)
    profile_services.add_position(member=cat, title="Chef", company="Bistro", started_on=today)
    profile_services.add_position(  # a past job filled in is not news
        member=ann,
        title="Intern",
        company="Old",
        started_on=date(2015, 1, 1),
        ended_on=date(2016, 1, 1),
    )
    profile_services.add_position(  # nor a current job held for years
        member=ann, title="Advisor", company="Board", started_on=today - timedelta(days=800)
    )
    assert news_in(ben) == ["Ann has a new position: Engineer &lt;b&gt; at Acme &amp; Co."]
    set_profile(ann, share_profile_updates=False)
    assert news_in(ben) == []


def test_s7_news_is_reacted_to_and_commented_but_neither_reposted_nor_edited(sharing):
    ann, ben, cat = sharing["ann"], sharing["ben"], sharing["cat"]
    connect(cat, ann)
    connect(ann, ben)
    item = Post.objects.get(kind=PostKind.NEWS, author=ann)
    services.react(member=cat, post_id=item.pk, kind="celebrate")
    services.comment(author=cat, on=item.pk, text="Congratulations!")
    with pytest.raises(Invalid) as refused:
        services.repost(author=cat, original=item.pk)
    assert refused.value.rule == "S7"
    with pytest.raises(Invalid) as refused:
        services.edit(editor=ann, post_id=item.pk, text="Hello")
    assert refused.value.rule == "S7"
    assert queries.visible_posts(None, [queries.with_context().get(pk=item.pk)]) == []  # signed out


def test_s7_news_is_a_status_of_the_member_for_mastodon_clients_and_a_card_on_the_web(sharing):
    from tests.api.factories import bearer, member_token
    from tests.feed.test_web import signed_in

    ann, ben, cat = sharing["ann"], sharing["ben"], sharing["cat"]
    connect(cat, ann)
    connect(ann, ben)
    headers = bearer(member_token(cat, scopes=("read",)))
    statuses = Client().get("/api/v1/timelines/home", **headers).json()
    news = [s for s in statuses if s["linkwell_kind"] == "news" and s["account"]["acct"] == "ann"]
    assert len(news) == 1
    assert re.fullmatch(
        r'<p><a href="[^"]*/in/ann/" class="u-url mention">Ann</a> is now connected to '
        r'<a href="[^"]*/in/ben/" class="u-url mention">Ben</a>\.</p>',
        news[0]["content"],
    )
    assert news[0]["reblog"] is None and news[0]["visibility"] == "public"
    page = signed_in(cat).get("/?order=recent").content.decode()
    assert 'class="card post post-news"' in page
    assert "is now connected to" in page
