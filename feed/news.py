"""S7: news items, "X is now connected to Y" and "X has a new position".

They are posts of kind `news` (so they share the post id space, the fan-out, the door,
reactions and comments, and a Mastodon client sees them as statuses of the member), with the
facts in `News` and `NewsSubject`. Network and profiles sit below feed, so they enqueue the
`jobs.feed.announce_*` tasks by name after commit (core.tasks); the job checks the S7
settings again, and the read (feed.queries.visible_posts) checks them a third time, so a
setting turned off later hides what was announced. One item per member, kind and day: a
second connection the same day joins the day's item ("Ann is now connected to Ben and 2
others"), so news is never noise. The text is written at read time, in the reader's language.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import clock
from core.tasks import enqueue_after_commit
from feed.models import News, NewsKind, NewsSubject, Post, PostKind, Visibility
from network import queries as network
from profiles.models import Position

# A position is news when it is current and began at most this many days ago: filling in a
# job held since 2015 is not news.
NEW_POSITION_DAYS = 90


def _news_of_today(member_id: int, kind: str) -> tuple[News, bool]:
    """(the member's item of this kind for today, whether it was made now)."""
    now = clock.now()
    day = now.date()
    found = News.objects.filter(member_id=member_id, kind=kind, day=day).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():  # savepoint: a concurrent job made it first
            post = Post.objects.create(
                author_id=member_id,
                kind=PostKind.NEWS,
                visibility=Visibility.ANYONE,
                created_at=now,
            )
            return News.objects.create(post=post, member_id=member_id, kind=kind, day=day), True
    except IntegrityError:
        return News.objects.get(member_id=member_id, kind=kind, day=day), False


def _add(author_id: int, kind: str, **subject) -> int:
    news, created = _news_of_today(author_id, kind)
    try:
        with transaction.atomic():
            NewsSubject.objects.create(news=news, created_at=clock.now(), **subject)
    except IntegrityError:
        return 0  # already announced: a retried job changes nothing
    if created:
        enqueue_after_commit("jobs.feed.fan_out_post", news.post_id)
    return 1


@transaction.atomic
def announce_connection(a_id: int, b_id: int) -> int:
    """Both members' networks hear of the new connection, only when both members enabled
    `share_network_updates` (S7) and they are still connected. Subjects written."""
    members = list(
        User.objects.select_related("profile").filter(pk__in=[a_id, b_id], is_active=True)
    )
    if len(members) != 2 or not all(m.profile.share_network_updates for m in members):
        return 0
    if not network.connected_pairs([(a_id, b_id)]):
        return 0
    x, y = members
    return _add(x.pk, NewsKind.CONNECTED, member_id=y.pk) + _add(
        y.pk, NewsKind.CONNECTED, member_id=x.pk
    )


@transaction.atomic
def announce_position(member_id: int, position_id: int) -> int:
    """A new current position, under `share_profile_updates` (S7). Subjects written."""
    position = (
        Position.objects.select_related("member__profile")
        .filter(pk=position_id, member_id=member_id, member__is_active=True)
        .first()
    )
    if position is None or not position.member.profile.share_profile_updates:
        return 0
    if not is_news(position):
        return 0
    return _add(member_id, NewsKind.POSITION, position=position)


def is_news(position) -> bool:
    """A current position that began recently (NEW_POSITION_DAYS)."""
    recent = clock.now().date() - timedelta(days=NEW_POSITION_DAYS)
    return position.ended_on is None and position.started_on >= recent


def _link(member) -> str:
    return format_html(
        '<a href="{}/in/{}/" class="u-url mention">{}</a>',
        settings.SITE_URL,
        member.username,
        member.name,
    )


def render(post) -> str:
    """The item's sentence as HTML, in the active language, from the subjects the door kept
    for this viewer (`post.news_subjects`); every name is escaped."""
    subjects = getattr(post, "news_subjects", [])
    if not subjects:
        return ""
    member = _link(post.author)
    people = [s.member for s in subjects if s.member_id]
    if people:
        if len(people) == 1:
            text = _("%(member)s is now connected to %(other)s.") % {
                "member": member,
                "other": _link(people[0]),
            }
        elif len(people) == 2:
            text = _("%(member)s is now connected to %(first)s and %(second)s.") % {
                "member": member,
                "first": _link(people[0]),
                "second": _link(people[1]),
            }
        else:
            others = len(people) - 1
            text = ngettext(
                "%(member)s is now connected to %(first)s and %(count)s other.",
                "%(member)s is now connected to %(first)s and %(count)s others.",
                others,
            ) % {"member": member, "first": _link(people[0]), "count": others}
        return f"<p>{text}</p>"
    position = subjects[0].position
    text = _("%(member)s has a new position: %(title)s at %(company)s.") % {
        "member": member,
        "title": format_html("{}", position.title),
        "company": format_html("{}", position.company),
    }
    return f"<p>{text}</p>"
