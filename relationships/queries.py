"""Reads of A1–A4, always for the owner: nothing here answers for anyone else, so a note, a
tag, a cadence or a strength can't reach another member through any surface.

Strength (A4) reads the kept per-pair counters (`Tie`), one row per pair; the formula and its
half-life are in docs/relationships.md. Prompts (A3) are computed from the member's
connections, their ties and positions, and the answers given, in a handful of queries.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least, Power
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import queries as accounts_queries
from accounts.models import User
from core import clock
from core.errors import NotFound
from core.paging import keyset_page
from network import queries as network
from profiles.models import Education, Position
from profiles.queries import current_companies
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

# A4: points per interaction, before decay (docs/relationships.md).
WEIGHTS = {"messages": 1.0, "comments": 2.0, "reposts": 2.0, "reactions": 0.5}
TAG_POINTS = 3.0  # per tag the owner put on the member, at most MAX_TAGS_COUNTED
MAX_TAGS_COUNTED = 3
HALF_POINTS = 10.0  # the points that make a strength of 50
EXPLAIN_DAYS = 90
EVERY_DAYS = {Every.MONTH: 30, Every.QUARTER: 91, Every.YEAR: 365}
NEW_POSITION_DAYS = 30
TAG_NOT_FOUND = _("No such tag.")


def half_life() -> float:
    return float(settings.LINKWELL_STRENGTH_HALF_LIFE_DAYS)


def day_number(at: datetime) -> float:
    """Days since the Unix epoch, fractional: the unit the decay counts in."""
    return at.timestamp() / 86400


def decayed(score: float, scored_on: float, today: float) -> float:
    """A4: `score` as it stood on day `scored_on`, halved every half-life since."""
    if score <= 0:
        return 0.0
    return score * 0.5 ** (max(today - scored_on, 0) / half_life())


def strength_of(points: float) -> int:
    """A4: 0–100, 50 at HALF_POINTS; rises fast at first and never reaches 100 on its own."""
    points = max(points, 0.0)
    return round(100 * points / (points + HALF_POINTS))


def points_of(tie: Tie | None, today: float) -> float:
    if tie is None:
        return 0.0
    return decayed(tie.score, tie.scored_on, today) + TAG_POINTS * min(tie.tags, MAX_TAGS_COUNTED)


# --- A1: notes and tags ------------------------------------------------------------------


def may_keep_notes_on(owner, member_id: int) -> bool:
    """A1: on a member one is connected to or follows."""
    return bool(tieable_among(owner, [member_id]))


def tieable_among(owner, member_ids) -> set[int]:
    """Which of `member_ids` the owner may note or tag: connections and followed members,
    never across a block (B1)."""
    ids = set(member_ids) - {owner.pk}
    found = network.connected_among(owner, ids) | network.followed_among(owner, ids)
    return found - network.hidden_for(owner)


def note_for(owner, member) -> str:
    return notes_for(owner, [getattr(member, "pk", member)]).get(getattr(member, "pk", member), "")


def notes_for(owner, member_ids) -> dict[int, str]:
    """A1: the owner's own notes on these members, one query; nobody else's ever."""
    if owner is None or not owner.is_authenticated:
        return {}
    rows = PrivateNote.objects.filter(owner=owner, member_id__in=list(member_ids))
    return dict(rows.values_list("member_id", "text"))


def own_notes_and_tags(owner) -> tuple[list[tuple[int, str]], list[tuple[str, list[int]]]]:
    """The owner's own notes (member id, text) and tags (title, member ids), for their data
    export (X2): what they wrote, never what anyone wrote about them (A1)."""
    notes = list(
        PrivateNote.objects.filter(owner=owner).order_by("pk").values_list("member_id", "text")
    )
    members: dict[int, list[int]] = {}
    for tag_id, member_id in TagMember.objects.filter(owner=owner).values_list(
        "tag_id", "member_id"
    ):
        members.setdefault(tag_id, []).append(member_id)
    tags = [(tag.title, sorted(members.get(tag.pk, []))) for tag in tags_of(owner)]
    return notes, tags


def own_tag(owner, tag_id) -> Tag:
    """One of the owner's tags; another member's is not found, the same as an unknown id."""
    tag = Tag.objects.filter(owner=owner, pk=tag_id).first() if str(tag_id).isdigit() else None
    if tag is None:
        raise NotFound(TAG_NOT_FOUND)
    return tag


def tags_of(owner) -> list[Tag]:
    return list(Tag.objects.filter(owner=owner).order_by("title", "pk"))


def tags_on(owner, member) -> list[Tag]:
    """A1: the owner's tags the member carries."""
    pk = getattr(member, "pk", member)
    return list(Tag.objects.filter(owner=owner, members__member_id=pk).order_by("title", "pk"))


def tag_member_ids(owner, tag_id) -> list[int]:
    """A1: the members in one of the owner's tags, newest first, still visible to the owner."""
    tag = own_tag(owner, tag_id)
    ids = list(tag.members.order_by("-id").values_list("member_id", flat=True))
    hidden = network.hidden_for(owner)
    return [i for i in ids if i not in hidden]


def tag_members_page(owner, tag_id, **cursor) -> list[TagMember]:
    """Mastodon's list accounts, a keyset page by the TagMember's id."""
    tag = own_tag(owner, tag_id)
    rows = tag.members.exclude(member_id__in=list(network.hidden_for(owner)))
    return keyset_page(rows, "pk", **cursor)


# --- A4: strength ------------------------------------------------------------------------


@dataclass
class Strength:
    """A4, what the owner sees of one relationship: the score and why."""

    member_id: int
    strength: int = 0
    last_interaction_at: datetime | None = None
    recent: dict = field(default_factory=dict)  # kind -> count in the last EXPLAIN_DAYS
    tags: int = 0

    def explanation(self, name: str) -> str:
        parts = []
        labels = {
            "messages": lambda n: ngettext("%(n)d message", "%(n)d messages", n) % {"n": n},
            "comments": lambda n: ngettext("%(n)d comment", "%(n)d comments", n) % {"n": n},
            "reactions": lambda n: ngettext("%(n)d reaction", "%(n)d reactions", n) % {"n": n},
            "reposts": lambda n: ngettext("%(n)d repost", "%(n)d reposts", n) % {"n": n},
        }
        for kind, label in labels.items():
            if self.recent.get(kind):
                parts.append(label(self.recent[kind]))
        if not parts:
            said = gettext("You and %(name)s: nothing in the last %(days)d days") % {
                "name": name,
                "days": EXPLAIN_DAYS,
            }
        else:
            joined = (
                parts[0]
                if len(parts) == 1
                else gettext("%(list)s and %(last)s")
                % {
                    "list": ", ".join(parts[:-1]),
                    "last": parts[-1],
                }
            )
            said = gettext("You and %(name)s: %(what)s in the last %(days)d days") % {
                "name": name,
                "what": joined,
                "days": EXPLAIN_DAYS,
            }
        if self.tags:
            said += " · " + ngettext("%(n)d of your tags", "%(n)d of your tags", self.tags) % {
                "n": self.tags
            }
        return said


def strengths_among(owner, member_ids) -> dict[int, Strength]:
    """A4 for a page of members: one query over the kept counters."""
    ids = list(member_ids)
    today = day_number(clock.now())
    ties = {t.other_id: t for t in Tie.objects.filter(owner=owner, other_id__in=ids)}
    return {member_id: _strength(member_id, ties.get(member_id), today) for member_id in ids}


def _strength(member_id: int, tie: Tie | None, today: float) -> Strength:
    return Strength(
        member_id=member_id,
        strength=strength_of(points_of(tie, today)),
        last_interaction_at=tie.last_interaction_at if tie else None,
        tags=tie.tags if tie else 0,
    )


def strength_with(owner, member) -> Strength:
    """A4 for one member, with the counts of the last 90 days that explain it."""
    pk = getattr(member, "pk", member)
    return _explained(owner, pk, Tie.objects.filter(owner=owner, other_id=pk).first())


def _explained(owner, member_id: int, tie: Tie | None) -> Strength:
    """A4 from the pair's tie row, with the last 90 days' counts: one query, none when the
    tie's last interaction is older (every TieDay is written with its tie's interaction)."""
    found = _strength(member_id, tie, day_number(clock.now()))
    since = clock.now().date() - timedelta(days=EXPLAIN_DAYS)
    found.recent = dict.fromkeys(WEIGHTS, 0)
    if tie is None or tie.last_interaction_at is None or tie.last_interaction_at.date() < since:
        return found
    sums = TieDay.objects.filter(owner=owner, other_id=member_id, day__gte=since).aggregate(
        **{kind: Sum(kind) for kind in WEIGHTS}
    )
    found.recent = {kind: value or 0 for kind, value in sums.items()}
    return found


def points_expression(today: float):
    """A4 in SQL, for ordering a member's whole list by strength in one statement: the decayed
    score plus the tag points (POWER exists on both databases; Django adds it to SQLite)."""
    return ExpressionWrapper(
        F("score") * Power(Value(0.5), (Value(today) - F("scored_on")) / Value(half_life()))
        + Value(TAG_POINTS) * Least(F("tags"), Value(MAX_TAGS_COUNTED)),
        output_field=FloatField(),
    )


def with_points(owner, members, field_name: str = "pk"):
    """Annotates a queryset of members with `points`: the owner's strength with each."""
    today = day_number(clock.now())
    ties = Tie.objects.filter(owner=owner, other_id=OuterRef(field_name)).annotate(
        points=points_expression(today)
    )
    return members.annotate(points=Coalesce(Subquery(ties.values("points")[:1]), Value(0.0)))


def connections_for(owner, *, order: str = "recent", tag_id=None, search: str = ""):
    """A4, A1: the owner's own connections, "Closest first" (`strength`), newest (`recent`)
    or by `name`, optionally those carrying one of the owner's tags. A queryset of members
    with `connected_at` and `points`."""
    members, _only_shared = network.connections_of(
        owner, owner, search=search, order="name" if order == "name" else "recent"
    )
    if tag_id not in (None, ""):
        tag = own_tag(owner, tag_id)
        members = members.filter(pk__in=tag.members.values("member_id"))
    members = with_points(owner, members)
    if order == "strength":
        members = members.order_by(F("points").desc(), F("connected_at").desc(), "-pk")
    return members


def strength_by_member(owner, member_ids) -> dict[int, int]:
    """A4 for feed's `top` and for suggestions: 0–100 per member, one query."""
    return {i: s.strength for i, s in strengths_among(owner, member_ids).items()}


def closest_ids(owner, *, limit: int = 20) -> list[int]:
    """A4: the owner's closest members by strength (suggestions start from them)."""
    today = day_number(clock.now())
    rows = (
        Tie.objects.filter(owner=owner)
        .annotate(points=points_expression(today))
        .filter(points__gt=0)
        .order_by("-points", "other_id")
        .values_list("other_id", flat=True)[:limit]
    )
    return list(rows)


# --- A2: say hello -----------------------------------------------------------------------

REASON_LINES = {
    "colleague": _("It's good to be connected with a colleague."),
    "classmate": _("It's good to be connected with a fellow student."),
    "met": _("It was good to meet you."),
    "learn": _("I'm looking forward to learning from you."),
    "business": _("I'm glad we're connected for business."),
    "other": _("I'm glad we're connected."),
}


def why_connected(owner, member) -> dict | None:
    """A1: the connection's reason and notes as both members see them: the inviter's words
    (the invitation's) and the other member's, and when they connected."""
    return _words(owner, network.connection_between(owner, member))


def _words(owner, connection) -> dict | None:
    if connection is None:
        return None
    mine = connection.invited_by_id == owner.pk
    return {
        "connected_at": connection.created_at,
        "reason": connection.reason,
        "note": connection.note,
        "invited_by_id": connection.invited_by_id,
        "recipient_reason": connection.recipient_reason,
        "recipient_note": connection.recipient_note,
        "my_reason": connection.reason if mine else connection.recipient_reason,
        "my_note": connection.note if mine else connection.recipient_note,
    }


@dataclass
class PrivatePanel:
    """A1–A4 as only the owner sees them about one member: their note, their tags (each
    with whether the member carries it), why the two connected, the strength, the cadence."""

    note: str
    tags: list[dict]  # {"tag": Tag, "on": bool}, the owner's tags by title
    why: dict | None
    strength: Strength
    every: str


def private_panel(owner, member, *, relationship) -> PrivatePanel | None:
    """The profile's and the side panel's private panel; None when the owner keeps nothing
    on the member (A1: neither connected nor following, blocked either way, or themselves).
    `relationship`: network's Relationship of the two, already read, which answers those and
    holds the connection's words; then each fact is one query: the tie (strength and cadence),
    the tags, the note, and the last 90 days' counts only when the tie is that recent."""
    if owner is None or not owner.is_authenticated or owner.pk == member.pk:
        return None
    rel = relationship
    if rel.blocking or rel.blocked_by or not (rel.connected or rel.following):
        return None
    tie = Tie.objects.filter(owner=owner, other_id=member.pk).first()
    carries = TagMember.objects.filter(tag_id=OuterRef("pk"), member_id=member.pk)
    tags = Tag.objects.filter(owner=owner).annotate(on=Exists(carries)).order_by("title", "pk")
    connection = network.connection_between(owner, member, relationship=rel)
    return PrivatePanel(
        note=note_for(owner, member),
        tags=[{"tag": tag, "on": tag.on} for tag in tags],
        why=_words(owner, connection),
        strength=_explained(owner, member.pk, tie),
        every=tie.every if tie is not None else "",
    )


def may_greet(owner, other) -> bool:
    """A2: a hello (sent or dismissed) is for a connection only."""
    return network.is_connected(owner, other)


def say_hello_text(owner, other) -> str:
    """A2: a ready-made first message built from what the two share: the reason, the note, a
    company or school, a mutual connection. The member edits it before sending."""
    first = (other.display_name or other.username).split()[0]
    lines = [gettext("Hi %(name)s, thanks for connecting!") % {"name": first}]
    why = why_connected(owner, other) or {}
    reason = why.get("reason") or why.get("recipient_reason")
    if reason in REASON_LINES:
        lines.append(str(REASON_LINES[reason]))
    theirs = why.get("note") if why.get("invited_by_id") == other.pk else why.get("recipient_note")
    if theirs:
        lines.append(gettext("Thank you for your note."))
    companies = current_companies([owner.pk, other.pk])
    shared = sorted(companies.get(owner.pk, set()) & companies.get(other.pk, set()))
    if shared:
        company = (
            Position.objects.filter(member=other, ended_on__isnull=True, company__iexact=shared[0])
            .values_list("company", flat=True)
            .first()
        )
        lines.append(gettext("We both work at %(company)s.") % {"company": company or shared[0]})
    else:
        schools = set(Education.objects.filter(member=owner).values_list("school", flat=True))
        school = (
            Education.objects.filter(member=other, school__in=schools)
            .values_list("school", flat=True)
            .first()
        )
        if school:
            lines.append(gettext("We both studied at %(school)s.") % {"school": school})
    count, mutuals = network.mutual_members(owner, other, limit=1)
    if mutuals:
        lines.append(gettext("I see we both know %(name)s.") % {"name": mutuals[0].name})
    lines.append(gettext("How are things going for you?"))
    return " ".join(lines)


def say_hello_offers(owner) -> list[User]:
    """A2: the connections made in the last 7 days the owner has not greeted nor dismissed,
    newest first: each side is offered once."""
    since = clock.now() - timedelta(days=settings.LINKWELL_SAY_HELLO_DAYS)
    recent = [(i, at) for i, at in network.connections_since(owner) if at > since]
    answered = set(Greeting.objects.filter(owner=owner).values_list("other_id", flat=True))
    ids = [i for i, at in sorted(recent, key=lambda r: r[1], reverse=True) if i not in answered]
    return [view.member for view in network.visible_members(owner, ids)] if ids else []


def say_hello_offered(owner, other) -> bool:
    return any(m.pk == other.pk for m in say_hello_offers(owner))


# --- A3: keep in touch -------------------------------------------------------------------


@dataclass
class Prompt:
    """A3: one keep-in-touch prompt; `id` is stable while the prompt stands."""

    id: str
    type: str  # dormant, new_position, work_anniversary, say_hello
    member_id: int
    since: datetime
    member: User | None = None
    detail: str = ""  # the position's title and company
    suggested_message: str = ""


def _every_days(every: str) -> int | None:
    if every == Every.NEVER:
        return None
    return EVERY_DAYS.get(every, settings.LINKWELL_KEEP_IN_TOUCH_DAYS)


def _as_moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _candidates(owner, *, with_snoozed: bool = False) -> list[Prompt]:
    """A3: the owner's prompts now, without their members: new positions and work
    anniversaries of connections, a connection nobody greeted within 7 days (once),
    connections dormant past their cadence
    (the connection's, else the shortest of its tags', else 6 months; `never` never). A
    prompt answered "done" is gone; a snoozed one is back at its date."""
    now = clock.now()
    today = now.date()
    hidden = network.hidden_for(owner)
    connections = {i: at for i, at in network.connections_since(owner) if i not in hidden}
    if not connections:
        return []
    ties = {
        t["other_id"]: t
        for t in Tie.objects.filter(owner=owner).values(
            "other_id", "last_interaction_at", "caught_up_at", "every"
        )
    }
    tag_every: dict[int, list[str]] = {}
    for member_id, every in (
        TagMember.objects.filter(owner=owner)
        .exclude(tag__every="")
        .values_list("member_id", "tag__every")
    ):
        tag_every.setdefault(member_id, []).append(every)
    greeted_by_me = set(Greeting.objects.filter(owner=owner).values_list("other_id", flat=True))
    greeted_me = set(
        Greeting.objects.filter(other=owner, state=GreetingState.SENT).values_list(
            "owner_id", flat=True
        )
    )
    hello_after = timedelta(days=settings.LINKWELL_SAY_HELLO_DAYS)
    found: list[Prompt] = []
    for member_id, connected_at in connections.items():
        tie = ties.get(member_id, {})
        last = tie.get("last_interaction_at")
        if (
            now - connected_at >= hello_after
            and member_id not in greeted_by_me
            and member_id not in greeted_me
            and last is None
        ):
            found.append(Prompt(f"say_hello-{member_id}", "say_hello", member_id, connected_at))
            continue
        every = tie.get("every") or ""
        if not every and tag_every.get(member_id):
            days = [_every_days(e) for e in tag_every[member_id]]
            cadence = min((d for d in days if d is not None), default=None)
        else:
            cadence = _every_days(every)
        if cadence is None:
            continue
        since = max(d for d in (connected_at, last, tie.get("caught_up_at")) if d is not None)
        if now - since >= timedelta(days=cadence):
            key = f"dormant-{member_id}-{int(day_number(since))}"
            found.append(Prompt(key, "dormant", member_id, since))
    of_connections = network.among_connections_of(owner, "member_id")
    news = Position.objects.filter(of_connections, started_on__gte=today - timedelta(days=30))
    for pk, member_id, started_on, title, company in news.values_list(
        "pk", "member_id", "started_on", "title", "company"
    ):
        if member_id in connections and started_on <= today:
            detail = gettext("%(title)s at %(company)s") % {"title": title, "company": company}
            found.append(
                Prompt(
                    f"new_position-{pk}",
                    "new_position",
                    member_id,
                    _as_moment(started_on),
                    detail=detail,
                )
            )
    anniversaries = Position.objects.filter(
        of_connections,
        ended_on__isnull=True,
        started_on__month=today.month,
        started_on__year__lt=today.year,
    )
    for pk, member_id, started_on, _title, company in anniversaries.values_list(
        "pk", "member_id", "started_on", "title", "company"
    ):
        if member_id in connections:
            years = today.year - started_on.year
            detail = ngettext(
                "%(years)d year at %(company)s", "%(years)d years at %(company)s", years
            ) % {"years": years, "company": company}
            day = min(started_on.day, 28) if started_on.month == 2 else started_on.day
            found.append(
                Prompt(
                    f"work_anniversary-{pk}-{today.year}",
                    "work_anniversary",
                    member_id,
                    _as_moment(date(today.year, started_on.month, day)),
                    detail=detail,
                )
            )
    # the answers the owner gave (a handful), not an IN list of every prompt's key
    answers = {a.key: a for a in PromptAnswer.objects.filter(owner=owner)}
    kept = []
    for prompt in found:
        answer = answers.get(prompt.id)
        if answer is not None and answer.done_at is not None:
            continue
        if (
            not with_snoozed
            and answer is not None
            and answer.snoozed_until
            and answer.snoozed_until > now
        ):
            continue
        kept.append(prompt)
    order = {"new_position": 0, "work_anniversary": 1, "say_hello": 2, "dormant": 3}
    kept.sort(key=lambda p: (order[p.type], p.since, p.member_id))
    return kept


PROMPTS_SHOWN = 50


def prompts_for(owner, *, with_snoozed: bool = False, limit: int = PROMPTS_SHOWN) -> list[Prompt]:
    """A3's prompts, most pressing first (new positions, anniversaries, hellos, then the
    longest silences), at most `limit` of them with their members and prepared messages."""
    return _dressed(owner, _candidates(owner, with_snoozed=with_snoozed), limit)


def _dressed(owner, candidates: list[Prompt], limit: int) -> list[Prompt]:
    views = network.visible_members(owner, [p.member_id for p in candidates[: limit * 2]])
    people = {view.member.pk: view.member for view in views}
    kept = [p for p in candidates[: limit * 2] if p.member_id in people][:limit]
    for prompt in kept:
        prompt.member = people[prompt.member_id]
        prompt.suggested_message = suggested_message(owner, prompt)
    return kept


def prompt_count(owner) -> int:
    """A3: how many prompts stand (the Catch up tab's count), without building them."""
    return len(_candidates(owner))


def prompt_by_key(owner, key: str) -> Prompt | None:
    """A3: the owner's prompt with this id, snoozed or not; None once done or gone."""
    found = [p for p in _candidates(owner, with_snoozed=True) if p.id == key]
    dressed = _dressed(owner, found, 1)
    return dressed[0] if dressed else None


def suggested_message(owner, prompt: Prompt) -> str:
    first = prompt.member.name.split()[0] if prompt.member else ""
    if prompt.type == "say_hello":
        return say_hello_text(owner, prompt.member)
    if prompt.type == "new_position":
        return gettext("Congratulations on your new role, %(name)s! How is it going so far?") % {
            "name": first
        }
    if prompt.type == "work_anniversary":
        return gettext("Happy work anniversary, %(name)s! How have things been?") % {"name": first}
    return gettext("Hi %(name)s, it's been a while! How are things with you?") % {"name": first}


def prompt_line(prompt: Prompt) -> str:
    """A3: one prompt in words, for the page and the weekly digest."""
    name = prompt.member.name if prompt.member else ""
    if prompt.type == "new_position":
        return gettext("%(name)s started a new position: %(detail)s") % {
            "name": name,
            "detail": prompt.detail,
        }
    if prompt.type == "work_anniversary":
        return gettext("%(name)s celebrates a work anniversary: %(detail)s") % {
            "name": name,
            "detail": prompt.detail,
        }
    if prompt.type == "say_hello":
        return gettext("You and %(name)s connected but neither of you said hello yet") % {
            "name": name
        }
    return gettext("You haven't been in touch with %(name)s for a while") % {"name": name}


def digest_on(member) -> bool:
    return Digest.objects.filter(member=member, weekly=True).exists()


def members_by_id(ids) -> dict[int, User]:
    return accounts_queries.members_by_id(ids)


def relationship_extras(owner, member_ids) -> dict[int, dict]:
    """A1, A4: what the Relationship entity adds for the owner, for any number of members in
    four queries: the owner's own note, why they connected, strength and last interaction."""
    ids = list(member_ids)
    notes = notes_for(owner, ids)
    strengths = strengths_among(owner, ids)
    words = network.connections_among(owner, ids)
    result = {}
    for member_id in ids:
        connection = words.get(member_id)
        strength = strengths[member_id]
        result[member_id] = {
            "note": notes.get(member_id, ""),
            "connected_at": connection.created_at if connection else None,
            "connection_reason": (connection.reason or connection.recipient_reason or None)
            if connection
            else None,
            "connection_note": (connection.note or connection.recipient_note or None)
            if connection
            else None,
            "strength": strength.strength if connection or strength.strength else 0,
            "last_interaction_at": strength.last_interaction_at,
        }
    return result


def every_for(owner, member) -> str:
    """A3: the cadence the owner chose for this member ("" = the default)."""
    pk = getattr(member, "pk", member)
    return (
        Tie.objects.filter(owner=owner, other_id=pk).values_list("every", flat=True).first() or ""
    )
