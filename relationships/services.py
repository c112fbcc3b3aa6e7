"""Writes of A1–A4, one transaction each, idempotent: a retry or a double click changes
nothing more. Interactions arrive from the services that make them (feed, messaging), called
after their commit (`record_interaction`); nothing here imports them, they sit above.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import clock
from core.errors import Invalid, NotFound
from network import queries as network
from profiles.queries import language_of
from relationships import queries
from relationships.models import (
    Digest,
    Every,
    Greeting,
    GreetingState,
    PrivateNote,
    PromptAnswer,
    Tag,
    TagMember,
    Tie,
    TieDay,
)

NOTE_MAX = 2000
TAG_TITLE_MAX = 100
NOTE_TOO_LONG = _("A private note is at most {max} characters.")
NOTE_NEEDS_TIE = _("You can keep a note only on a member you are connected to or follow.")
TAG_NEEDS_TIE = _("You can tag only members you are connected to or follow.")
TAG_TITLE_MISSING = _("A tag needs a name of 1 to {max} characters.")
UNKNOWN_EVERY = _("Keep in touch must be one of: month, quarter, year, never.")
UNKNOWN_REPLIES_POLICY = _("replies_policy must be one of: followed, list, none.")
PROMPT_NOT_FOUND = _("No such prompt: it may have been answered already.")
SNOOZE_IN_THE_PAST = _("Snooze until a moment in the future.")
NOT_CONNECTED = _("You are not connected to this member.")
KINDS = ("messages", "comments", "reactions", "reposts")


# --- A1: private notes and tags ----------------------------------------------------------


def _check_tie(owner: User, member: User, message) -> None:
    """A1: notes and tags are kept on members one is connected to or follows; across a block
    the member does not exist (B1)."""
    network.visible_member(owner, pk=member.pk)
    if owner.pk == member.pk or not queries.may_keep_notes_on(owner, member.pk):
        raise Invalid(message, rule="A1")


@transaction.atomic
def set_note(*, owner: User, member: User, text: str) -> str:
    """A1: the owner's private note on a member; an empty text removes it."""
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise Invalid(NOTE_TOO_LONG.format(max=NOTE_MAX), rule="A1")
    _check_tie(owner, member, NOTE_NEEDS_TIE)
    if not text:
        PrivateNote.objects.filter(owner=owner, member=member).delete()
        return ""
    PrivateNote.objects.update_or_create(
        owner=owner, member=member, defaults={"text": text, "updated_at": clock.now()}
    )
    return text


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > TAG_TITLE_MAX:
        raise Invalid(TAG_TITLE_MISSING.format(max=TAG_TITLE_MAX), rule="A1")
    return title


def _policy(value: str | None, default: str = "list") -> str:
    value = value or default
    if value not in ("followed", "list", "none"):
        raise Invalid(UNKNOWN_REPLIES_POLICY, rule="A1")
    return value


def _every(value: str | None) -> str:
    value = value or ""
    if value and value not in Every.values:
        raise Invalid(UNKNOWN_EVERY, rule="A3")
    return value


@transaction.atomic
def create_tag(
    *, owner: User, title: str, replies_policy: str = "list", exclusive: bool = False
) -> Tag:
    """A1: a new private tag (a Mastodon list)."""
    return Tag.objects.create(
        owner=owner,
        title=_title(title),
        replies_policy=_policy(replies_policy),
        exclusive=bool(exclusive),
        created_at=clock.now(),
    )


@transaction.atomic
def update_tag(
    *,
    owner: User,
    tag_id: int,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
    every: str | None = None,
) -> Tag:
    """A1, A3: rename a tag, or choose how often to keep in touch with the people in it."""
    tag = queries.own_tag(owner, tag_id)
    if title is not None:
        tag.title = _title(title)
    if replies_policy is not None:
        tag.replies_policy = _policy(replies_policy)
    if exclusive is not None:
        tag.exclusive = bool(exclusive)
    if every is not None:
        tag.every = _every(every)
    tag.save()
    return tag


@transaction.atomic
def delete_tag(*, owner: User, tag_id: int) -> None:
    """A1: the tag and its members; their kept tag counts follow."""
    tag = queries.own_tag(owner, tag_id)
    member_ids = list(tag.members.values_list("member_id", flat=True))
    tag.delete()
    _count_tags(owner, member_ids, -1)


@transaction.atomic
def tag_members(*, owner: User, tag_id: int, member_ids: list[int]) -> int:
    """A1: put members in one of the owner's tags (Mastodon: add accounts to a list). Each must
    be a connection or followed; one already there is left alone. Returns how many were new."""
    tag = queries.own_tag(owner, tag_id)
    ids = list(dict.fromkeys(int(i) for i in member_ids))
    allowed = queries.tieable_among(owner, ids)
    if set(ids) - allowed:
        raise NotFound(TAG_NEEDS_TIE, rule="A1")
    present = set(tag.members.filter(member_id__in=ids).values_list("member_id", flat=True))
    now, added = clock.now(), []
    for member_id in ids:
        if member_id in present:
            continue
        try:
            with transaction.atomic():
                TagMember.objects.create(tag=tag, owner=owner, member_id=member_id, created_at=now)
        except IntegrityError:  # a concurrent click added it
            continue
        added.append(member_id)
    _count_tags(owner, added, 1)
    return len(added)


@transaction.atomic
def untag_members(*, owner: User, tag_id: int, member_ids: list[int]) -> int:
    """A1: take members out of one of the owner's tags; one not in it is no error."""
    tag = queries.own_tag(owner, tag_id)
    ids = [int(i) for i in member_ids]
    removed = list(tag.members.filter(member_id__in=ids).values_list("member_id", flat=True))
    tag.members.filter(member_id__in=removed).delete()
    _count_tags(owner, removed, -1)
    return len(removed)


def _count_tags(owner: User, member_ids: list[int], delta: int) -> None:
    """A4: the tags a member carries add to the owner's strength with them (kept on the Tie)."""
    for member_id in member_ids:
        tie = _tie(owner.pk, member_id)
        Tie.objects.filter(pk=tie.pk).update(tags=Greatest(F("tags") + delta, 0))


def _tie(owner_id: int, other_id: int) -> Tie:
    tie, _created = Tie.objects.get_or_create(owner_id=owner_id, other_id=other_id)
    return tie


# --- A4: interactions and strength -------------------------------------------------------


def record_interaction(*, actor_id: int, other_id: int, kind: str, at: datetime | None = None):
    """A4: one message, comment, reaction or repost between two members, counted for both
    sides (strength goes both ways). Called by feed and messaging after their commit, once per
    new interaction (their own writes are idempotent, so a retry records nothing)."""
    if actor_id == other_id or actor_id is None or other_id is None:
        return
    if kind not in KINDS:
        raise ValueError(kind)
    at = at or clock.now()
    with transaction.atomic():
        for owner_id, other in sorted(((actor_id, other_id), (other_id, actor_id))):
            _add_interaction(owner_id, other, kind, at)


def _add_interaction(owner_id: int, other_id: int, kind: str, at: datetime) -> None:
    try:
        with transaction.atomic():
            tie, _ = Tie.objects.get_or_create(owner_id=owner_id, other_id=other_id)
    except IntegrityError:  # a concurrent interaction made the row
        tie = Tie.objects.get(owner_id=owner_id, other_id=other_id)
    tie = Tie.objects.select_for_update().get(pk=tie.pk)
    today = queries.day_number(at)
    tie.score = queries.decayed(tie.score, tie.scored_on, today) + queries.WEIGHTS[kind]
    tie.scored_on = max(today, tie.scored_on)
    setattr(tie, kind, getattr(tie, kind) + 1)
    if tie.last_interaction_at is None or at > tie.last_interaction_at:
        tie.last_interaction_at = at
    tie.save()
    day = at.date()
    try:
        with transaction.atomic():
            TieDay.objects.get_or_create(owner_id=owner_id, other_id=other_id, day=day)
    except IntegrityError:
        pass
    TieDay.objects.filter(owner_id=owner_id, other_id=other_id, day=day).update(
        **{kind: F(kind) + 1}
    )


# --- A2: say hello -----------------------------------------------------------------------


def check_greeting(owner: User, other: User) -> None:
    """A2: the surfaces ask before they send a hello through messaging; anyone but a
    connection is not found here, as for A3's cadence."""
    if not queries.may_greet(owner, other):
        raise NotFound(NOT_CONNECTED, rule="A2")


@transaction.atomic
def greeted(*, owner: User, other: User, sent: bool = True) -> Greeting:
    """A2: the owner said hello (sent through messaging by the surface) or dismissed the
    offer; either way it is not offered again. The first answer stays."""
    check_greeting(owner, other)
    state = GreetingState.SENT if sent else GreetingState.DISMISSED
    try:
        with transaction.atomic():
            greeting, _ = Greeting.objects.get_or_create(
                owner=owner, other=other, defaults={"state": state, "at": clock.now()}
            )
    except IntegrityError:
        greeting = Greeting.objects.get(owner=owner, other=other)
    if sent and greeting.state != GreetingState.SENT:  # said hello after all
        greeting.state = GreetingState.SENT
        greeting.save(update_fields=["state"])
    return greeting


# --- A3: keep in touch -------------------------------------------------------------------


@transaction.atomic
def set_every(*, owner: User, member: User, every: str) -> Tie:
    """A3: how often the owner wants to keep in touch with one member ("" = the default)."""
    every = _every(every)
    network.visible_member(owner, pk=member.pk)
    if not network.is_connected(owner, member):
        raise NotFound(NOT_CONNECTED, rule="A3")
    tie = _tie(owner.pk, member.pk)
    Tie.objects.filter(pk=tie.pk).update(every=every)
    tie.refresh_from_db()
    return tie


@transaction.atomic
def mark_done(*, owner: User, key: str, prompt=None) -> PromptAnswer:
    """A3: "Mark as done": the prompt goes; a dormant one starts its clock again from now.
    `prompt`: the one looked up before answering it with a message (which moves its key)."""
    prompt = (
        prompt if prompt is not None and prompt.id == key else queries.prompt_by_key(owner, key)
    )
    if prompt is None:
        found = PromptAnswer.objects.filter(owner=owner, key=key, done_at__isnull=False).first()
        if found is not None:
            return found  # a second click
        raise NotFound(PROMPT_NOT_FOUND, rule="A3")
    now = clock.now()
    answer, _ = PromptAnswer.objects.get_or_create(
        owner=owner, key=key, defaults={"other_id": prompt.member_id}
    )
    answer.done_at = answer.done_at or now
    answer.save(update_fields=["done_at"])
    if prompt.type in ("dormant", "say_hello"):
        tie = _tie(owner.pk, prompt.member_id)
        Tie.objects.filter(pk=tie.pk).update(caught_up_at=now)
    if prompt.type == "say_hello":
        greeted(owner=owner, other=User(pk=prompt.member_id), sent=False)
    return answer


@transaction.atomic
def snooze(*, owner: User, key: str, until: datetime | None = None) -> PromptAnswer:
    """A3: the prompt comes back at `until` (a week from now by default)."""
    now = clock.now()
    until = until or now + timedelta(days=7)
    if until <= now:
        raise Invalid(SNOOZE_IN_THE_PAST, rule="A3")
    answer = PromptAnswer.objects.filter(owner=owner, key=key).first()
    if answer is None:
        prompt = queries.prompt_by_key(owner, key)
        if prompt is None:
            raise NotFound(PROMPT_NOT_FOUND, rule="A3")
        answer = PromptAnswer.objects.create(owner=owner, key=key, other_id=prompt.member_id)
    if answer.done_at is None:
        answer.snoozed_until = until
        answer.save(update_fields=["snoozed_until"])
    return answer


@transaction.atomic
def set_digest(*, member: User, weekly: bool) -> Digest:
    """A3: the weekly e-mail of prompts, on or off (off unless the member turns it on)."""
    digest, _ = Digest.objects.get_or_create(member=member)
    if digest.weekly != bool(weekly):
        digest.weekly = bool(weekly)
        digest.save(update_fields=["weekly"])
    return digest


def unsubscribe_token(member: User) -> str:
    return signing.Signer(salt=queries.UNSUBSCRIBE_SALT).sign_object({"id": member.pk})


def unsubscribe(*, token: str) -> User | None:
    """A3: the digest's one-click POST, signed out: the signature is the proof. None when the
    token is not ours; a second click changes nothing."""
    member = queries.member_of_unsubscribe_token(token)
    if member is not None:
        Digest.objects.filter(member=member).update(weekly=False)
    return member


DIGEST_SUBJECT = _("Linkwell: people to catch up with this week")
DIGEST_GREETING = _("Hello {name},")
DIGEST_INTRO = _("A few people you may want to get back in touch with:")
DIGEST_OUTRO = _("See them all: {catch_up}\n\nStop these e-mails with one click: {unsubscribe}")


def send_weekly_digests(*, base_url: str) -> int:
    """A3: one e-mail per member who turned the digest on and has prompts, at most once every
    six days (a second run the same week sends nothing). Returns how many were sent."""
    now = clock.now()
    sent = 0
    due = Digest.objects.filter(weekly=True, member__is_active=True).select_related("member")
    for digest in due:
        if digest.last_sent_at and now - digest.last_sent_at < timedelta(days=6):
            continue
        member = digest.member
        with translation.override(language_of(member) or settings.LANGUAGE_CODE):
            prompts = queries.prompts_for(member, limit=20)
            if not prompts:
                continue
            lines = [str(DIGEST_GREETING).format(name=member.name), "", str(DIGEST_INTRO), ""]
            lines += [f"- {queries.prompt_line(p)}" for p in prompts]
            base = base_url.rstrip("/")
            unsubscribe_url = f"{base}/catch-up/unsubscribe/{unsubscribe_token(member)}/"
            lines += [
                "",
                str(DIGEST_OUTRO).format(
                    catch_up=f"{base}/mynetwork/catch-up/", unsubscribe=unsubscribe_url
                ),
            ]
            # RFC 8058: the mail client's own "Unsubscribe" POSTs to the link; opening the
            # link (or a scanner fetching it) only asks.
            EmailMessage(
                subject=str(DIGEST_SUBJECT),
                body="\n".join(lines),
                to=[member.email],
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            ).send()
        Digest.objects.filter(pk=digest.pk).update(last_sent_at=now)
        sent += 1
    return sent
