"""Reads of A1–A4, always for the owner: nothing here answers for anyone else, so a note, a
tag, a cadence or a strength can't reach another member through any surface.

Strength (A4) reads the kept per-pair counters (`Tie`), one row per pair; the formula and its
half-life are in docs/relationships.md. Prompts (A3) are computed from the member's
connections, their ties and positions, and the answers given, in a handful of queries.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, router
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
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import queries as accounts_queries
from accounts.models import User
from core import clock
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids
from core.paging import keyset_page
from network import queries as network
from profiles.models import Education, Profile
from profiles.queries import city_of, current_companies
from relationships.models import (
    Digest,
    Every,
    Greeting,
    PrivateNote,
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
MOVED_DAYS = 30  # A3: a move stays news for as long as a new position does
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
    owner_id = getattr(owner, "pk", owner)
    found = _TIES_AMONG.objects(router.db_for_read(Tie), owner_id, ids)
    ties = {t.other_id: t for t in found}
    return {member_id: _strength(member_id, ties.get(member_id), today) for member_id in ids}


# Every `top` feed page and suggestions list asks it: compiled once per database.
_TIES_AMONG = CompiledRead(
    lambda owner, ids: Tie.objects.filter(owner_id=owner, other_id__among=ids),
    -1,
    Ids("member_ids"),
)


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


def points_expression(today: float, half: float | None = None):
    """A4 in SQL, for ordering a member's whole list by strength in one statement: the decayed
    score plus the tag points (POWER exists on both databases; Django adds it to SQLite).
    `half`: the half-life in days (the setting's when not given)."""
    half = half_life() if half is None else half
    return ExpressionWrapper(
        F("score") * Power(Value(0.5), (Value(today) - F("scored_on")) / Value(half))
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


def _closest(owner, today, half, limit):
    return (
        Tie.objects.filter(owner_id=owner)
        .annotate(points=points_expression(today, half))
        .filter(points__gt=0)
        .order_by("-points", "other_id")
        .values_list("other_id")[:limit]
    )


# Every People You May Know call: compiled once per database and limit (building the decay
# expression was a third of the suggestions' CPU; docs/benchmarks.md, "search-cpu").
_CLOSEST: dict[int, CompiledRead] = {}
_OWNER, _TODAY, _HALF = -1, -2.5, -3.5  # sentinels: no constant of the statement is one


def closest_ids(owner, *, limit: int = 20) -> list[int]:
    """A4: the owner's closest members by strength (suggestions start from them)."""
    read = _CLOSEST.get(limit)
    if read is None:
        read = _CLOSEST[limit] = CompiledRead(
            lambda o, t, h: _closest(o, t, h, limit),
            _OWNER,
            _TODAY,
            _HALF,
            numbers=(0.5, TAG_POINTS, MAX_TAGS_COUNTED, 0),
        )
    today = day_number(clock.now())
    pk = getattr(owner, "pk", owner)
    rows = read.rows(router.db_for_read(Tie), pk, today, half_life())
    return [row[0] for row in rows]


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
    return say_hello_texts(owner, [other])[other.pk]


def say_hello_texts(owner, others, *, view=None) -> dict[int, str]:
    """A2's prepared message for each of `others` (members the owner sees), in at most six
    queries for all of them (about seven each before): the blocks (D4, unless `view` has
    them), the connections' words, current companies, the owner's schools and the others'
    among them, the first mutual connections' names."""
    others = list({o.pk: o for o in others}.values())
    if not others:
        return {}
    ids = [o.pk for o in others]
    view = view or network.Viewpoint(owner)
    hidden = view.hidden
    words = network.connections_among(owner, ids)
    companies = current_companies([owner.pk, *ids])
    mine = companies.get(owner.pk, {})
    schools = set(Education.objects.filter(member=owner).values_list("school", flat=True))
    studied: dict[int, str] = {}
    if schools:
        rows = Education.objects.filter(member_id__in=ids, school__in=schools)
        for member_id, school in rows.values_list("member_id", "school"):
            studied.setdefault(member_id, school)  # the first in the profile's order
    mutuals = network.first_mutuals(owner, ids, view=view)
    texts = {}
    for other in others:
        first = (other.display_name or other.username).split()[0]
        lines = [gettext("Hi %(name)s, thanks for connecting!") % {"name": first}]
        connection = None if other.pk in hidden else words.get(other.pk)
        if connection is not None:
            reason = connection.reason or connection.recipient_reason
            if reason in REASON_LINES:
                lines.append(str(REASON_LINES[reason]))
            they_invited = connection.invited_by_id == other.pk
            if connection.note if they_invited else connection.recipient_note:
                lines.append(gettext("Thank you for your note."))
        theirs = companies.get(other.pk, {})
        shared = sorted(set(mine) & set(theirs))
        if shared:
            company = theirs[shared[0]]
            lines.append(gettext("We both work at %(company)s.") % {"company": company})
        elif other.pk in studied:
            school = studied[other.pk]
            lines.append(gettext("We both studied at %(school)s.") % {"school": school})
        if other.pk in mutuals:
            name = mutuals[other.pk].name
            lines.append(gettext("I see we both know %(name)s.") % {"name": name})
        lines.append(gettext("How are things going for you?"))
        texts[other.pk] = " ".join(lines)
    return texts


def say_hello_offers(owner) -> list[User]:
    """A2: the connections made in the last 7 days the owner has not greeted nor dismissed,
    newest first: each side is offered once."""
    since = clock.now() - timedelta(days=settings.LINKWELL_SAY_HELLO_DAYS)
    recent = network.connections_since(owner, since)
    if not recent:
        return []
    answered = set(
        Greeting.objects.filter(owner=owner, other_id__in=[i for i, _at in recent]).values_list(
            "other_id", flat=True
        )
    )
    ids = [i for i, at in sorted(recent, key=lambda r: r[1], reverse=True) if i not in answered]
    return [view.member for view in network.visible_members(owner, ids)] if ids else []


def say_hello_offered(owner, other) -> bool:
    return any(m.pk == other.pk for m in say_hello_offers(owner))


# --- A3: keep in touch -------------------------------------------------------------------


@dataclass
class Prompt:
    """A3: one keep-in-touch prompt; `id` is stable while the prompt stands."""

    id: str
    type: str  # new_position, work_anniversary, moved, say_hello, dormant
    member_id: int
    since: datetime
    member: User | None = None
    detail: str = ""  # the position's title and company, or the city moved to
    suggested_message: str = ""


PROMPTS_SHOWN = 50
PAGE_ORDER = " ORDER BY p.rank, p.mday, p.day, p.moment, p.member"  # most pressing first


def _as_moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _sql_moment(value) -> datetime | None:
    """A moment as the database returns it from raw SQL: SQLite gives Django's text."""
    if value is None:
        return None
    found = value if isinstance(value, datetime) else parse_datetime(str(value))
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _sql_day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _dialect() -> dict[str, str]:
    """The few expressions the two databases spell differently."""
    if connection.vendor == "postgresql":
        return {
            "greatest": "GREATEST",
            "day": "CAST(FLOOR(EXTRACT(EPOCH FROM {}) / 86400) AS BIGINT)",
            "month": "CAST(EXTRACT(MONTH FROM {}) AS INTEGER)",
            "mday": "CAST(EXTRACT(DAY FROM {}) AS INTEGER)",
        }
    return {
        "greatest": "MAX",
        "day": "CAST(julianday({}) - 2440587.5 AS INTEGER)",
        "month": "CAST(strftime('%%m', {}) AS INTEGER)",
        "mday": "CAST(strftime('%%d', {}) AS INTEGER)",
    }


def prompts_statement(owner, *, with_snoozed: bool = False) -> tuple[str, list]:
    """A3's standing prompts as one SQL set, the single source of the Catch up page, its
    count in the tab, the API and the digest: columns (id, type, rank, member, moment, day,
    mday, a, b). The pairs start from the owner's connections (two index ranges of the
    connection table) with the kept `Tie` by its unique index; positions are read by the
    connections' member index, moves by `profile_moved`. Nothing is looped over in Python
    and the page fetches only the rows it shows. Deactivated members and blocks either way
    are cut; an answer (done, or snoozed until later) hides its prompt by id."""
    sql = _dialect()
    ops = connection.ops
    now = clock.now()
    today = now.date()
    me = owner.pk

    def moment(at: datetime):
        return ops.adapt_datetimefield_value(at)

    def before(days: int):
        return moment(now - timedelta(days=days))

    default = settings.LINKWELL_KEEP_IN_TOUCH_DAYS
    month, quarter, year = (before(EVERY_DAYS[e]) for e in (Every.MONTH, Every.QUARTER, Every.YEAR))
    # The pairs: say-hello reminders (A2) and dormant connections past their cadence: the
    # connection's own, else the shortest of its tags' (`never` counts only when every tag
    # with a cadence says never), else the default.
    parts = [
        "WITH mine AS ("
        "SELECT member_b_id AS member, created_at AS connected_at FROM network_connection"
        " WHERE member_a_id = %s UNION ALL SELECT member_a_id, created_at"
        " FROM network_connection WHERE member_b_id = %s),"
        " cadence AS (SELECT tm.member_id AS member, MAX(CASE g.every WHEN 'month' THEN %s"
        " WHEN 'quarter' THEN %s WHEN 'year' THEN %s END) AS due_before"
        " FROM relationships_tagmember tm JOIN relationships_tag g ON g.id = tm.tag_id"
        " WHERE tm.owner_id = %s AND g.every <> '' GROUP BY tm.member_id),"
        " pairs AS (SELECT m.member, m.connected_at,"
        f" {sql['greatest']}(m.connected_at, COALESCE(t.last_interaction_at, m.connected_at),"
        " COALESCE(t.caught_up_at, m.connected_at)) AS since,"
        " CASE WHEN t.last_interaction_at IS NULL AND m.connected_at <= %s"
        " AND mine_hello.id IS NULL AND theirs.id IS NULL THEN 1 ELSE 0 END AS hello,"
        " CASE COALESCE(t.every, '') WHEN 'month' THEN %s WHEN 'quarter' THEN %s"
        " WHEN 'year' THEN %s WHEN 'never' THEN NULL"
        " ELSE CASE WHEN c.member IS NULL THEN %s ELSE c.due_before END END AS due_before"
        " FROM mine m LEFT JOIN relationships_tie t ON t.owner_id = %s AND t.other_id = m.member"
        " LEFT JOIN cadence c ON c.member = m.member"
        # joins, not correlated subqueries: PostgreSQL costed those for every connection
        # and compiled the statement (JIT) for seconds
        " LEFT JOIN relationships_greeting mine_hello ON mine_hello.owner_id = %s"
        " AND mine_hello.other_id = m.member"
        " LEFT JOIN relationships_greeting theirs ON theirs.owner_id = m.member"
        " AND theirs.other_id = %s AND theirs.state = 'sent'),"
        " due AS (SELECT member, CASE WHEN hello = 1 THEN 'say_hello' ELSE 'dormant' END AS type,"
        " CASE WHEN hello = 1 THEN connected_at ELSE since END AS moment"
        " FROM pairs WHERE hello = 1 OR since <= due_before),"
        " found AS (SELECT CASE WHEN type = 'say_hello'"
        " THEN 'say_hello-' || CAST(member AS TEXT)"
        " ELSE 'dormant-' || CAST(member AS TEXT) || '-' || CAST("
        + sql["day"].format("moment")
        + " AS TEXT) END AS id, type,"
        " CASE WHEN type = 'say_hello' THEN 3 ELSE 4 END AS rank, member, moment,"
        " NULL AS day, 0 AS mday, '' AS a, '' AS b FROM due"
    ]
    params: list = [me, me, month, quarter, year, me, before(settings.LINKWELL_SAY_HELLO_DAYS)]
    params += [month, quarter, year, before(default), me, me, me]
    # A connection's position started in the last 30 days, and the month of a current
    # position's anniversary (from the first).
    parts.append(
        " UNION ALL SELECT 'new_position-' || CAST(p.id AS TEXT), 'new_position', 0,"
        " p.member_id, NULL, p.started_on, 0, p.title, p.company FROM mine m"
        " JOIN profiles_position p ON p.member_id = m.member"
        " WHERE p.started_on >= %s AND p.started_on <= %s"
    )
    params += [ops.adapt_datefield_value(today - timedelta(days=NEW_POSITION_DAYS))]
    params.append(ops.adapt_datefield_value(today))
    parts.append(
        " UNION ALL SELECT 'work_anniversary-' || CAST(p.id AS TEXT) || '-' || %s,"
        " 'work_anniversary', 1, p.member_id, NULL, p.started_on,"
        f" {sql['mday'].format('p.started_on')}, p.title, p.company FROM mine m"
        " JOIN profiles_position p ON p.member_id = m.member WHERE p.ended_on IS NULL"
        f" AND {sql['month'].format('p.started_on')} = %s AND p.started_on < %s"
    )
    params += [str(today.year), today.month]
    params.append(ops.adapt_datefield_value(date(today.year, 1, 1)))
    # A connection whose location changed lately to the owner's city (profiles' moves).
    city = city_of(_location_of(owner))
    if city:
        parts.append(
            " UNION ALL SELECT 'moved-' || CAST(pr.member_id AS TEXT) || '-' || CAST("
            + sql["day"].format("pr.moved_at")
            + " AS TEXT), 'moved', 2, pr.member_id, pr.moved_at, NULL, 0, pr.location, ''"
            " FROM profiles_profile pr JOIN mine m ON m.member = pr.member_id"
            " WHERE pr.moved_to = %s AND pr.moved_at >= %s AND pr.moved_at <= %s"
        )
        params += [city, before(MOVED_DAYS), moment(now)]
    hides = "a.done_at IS NOT NULL"
    if not with_snoozed:
        hides = f"({hides} OR a.snoozed_until > %s)"
    parts.append(
        ") SELECT f.id, f.type, f.rank, f.member, f.moment, f.day, f.mday, f.a, f.b FROM found f"
        " JOIN accounts_user u ON u.id = f.member AND u.is_active = %s"
        " WHERE NOT EXISTS (SELECT 1 FROM network_block b WHERE b.blocker_id = %s"
        " AND b.blocked_id = f.member)"
        " AND NOT EXISTS (SELECT 1 FROM network_block b WHERE b.blocker_id = f.member"
        " AND b.blocked_id = %s)"
        " AND NOT EXISTS (SELECT 1 FROM relationships_promptanswer a WHERE a.owner_id = %s"
        f" AND a.key = f.id AND {hides})"
    )
    params += [True, me, me, me]
    if not with_snoozed:
        params.append(moment(now))
    return "".join(parts), params


def _location_of(owner) -> str:
    """The owner's profile location as stored now (a profile loaded earlier may be stale)."""
    return Profile.objects.filter(member=owner).values_list("location", flat=True).first() or ""


def _prompt(row) -> Prompt:
    """One row of `prompts_statement` as a Prompt, its moment and its words."""
    key, kind, _rank, member_id, at, day, _mday, a, b = row
    today = clock.now().date()
    if kind == "new_position":
        detail = gettext("%(title)s at %(company)s") % {"title": a, "company": b}
        return Prompt(key, kind, member_id, _as_moment(_sql_day(day)), detail=detail)
    if kind == "work_anniversary":
        started_on = _sql_day(day)
        years = today.year - started_on.year
        detail = ngettext(
            "%(years)d year at %(company)s", "%(years)d years at %(company)s", years
        ) % {"years": years, "company": b}
        mday = min(started_on.day, 28) if started_on.month == 2 else started_on.day
        since = _as_moment(date(today.year, started_on.month, mday))
        return Prompt(key, kind, member_id, since, detail=detail)
    return Prompt(key, kind, member_id, _sql_moment(at), detail=a)


def _standing(owner, *, with_snoozed: bool = False, limit: int | None = None, key=None):
    """A3's prompts most pressing first (new positions, anniversaries, moves, hellos, then
    the longest silences), at most `limit`, or only the one with id `key`."""
    if owner is None or not owner.is_authenticated:
        return []
    query, params = prompts_statement(owner, with_snoozed=with_snoozed)
    query = f"SELECT * FROM ({query}) p"
    if key is not None:
        query += " WHERE p.id = %s"
        params.append(key)
    query += PAGE_ORDER
    if limit is not None:
        query += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [_prompt(row) for row in cursor.fetchall()]


def prompts_for(
    owner, *, with_snoozed: bool = False, limit: int = PROMPTS_SHOWN, view=None
) -> list[Prompt]:
    """A3's prompts, most pressing first, at most `limit` of them with their members and
    prepared messages: one statement for the prompts whatever the number of connections,
    and a fixed few for their members and messages (`view`: the request's Viewpoint)."""
    return _dressed(owner, _standing(owner, with_snoozed=with_snoozed, limit=limit), view)


def _dressed(owner, prompts: list[Prompt], view=None) -> list[Prompt]:
    if not prompts:
        return []
    view = view or network.Viewpoint(owner)  # one read of the blocks for all below
    found = network.visible_members(owner, [p.member_id for p in prompts], view=view)
    people = {seen.member.pk: seen.member for seen in found}
    kept = [p for p in prompts if p.member_id in people]
    hellos = say_hello_texts(
        owner, [people[p.member_id] for p in kept if p.type == "say_hello"], view=view
    )
    for prompt in kept:
        prompt.member = people[prompt.member_id]
        prompt.suggested_message = hellos.get(prompt.member_id) or suggested_message(owner, prompt)
    return kept


def prompt_count(owner) -> int:
    """A3: how many prompts stand (the Catch up tab's count): the page's own set, counted
    in the database in one statement."""
    if owner is None or not owner.is_authenticated:
        return 0
    query, params = prompts_statement(owner)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({query}) p", params)
        return cursor.fetchone()[0]


def prompt_by_key(owner, key: str) -> Prompt | None:
    """A3: the owner's prompt with this id, snoozed or not; None once done or gone."""
    found = _dressed(owner, _standing(owner, with_snoozed=True, key=str(key)[:80]))
    return found[0] if found else None


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
    if prompt.type == "moved":
        return gettext(
            "Welcome to %(city)s, %(name)s! Shall we meet for a coffee once you have settled in?"
        ) % {"name": first, "city": prompt.detail}
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
    if prompt.type == "moved":
        return gettext("%(name)s just moved to your city: %(city)s") % {
            "name": name,
            "city": prompt.detail,
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
    two queries: the owner's own note, why they connected, strength and last interaction."""
    ids = list(member_ids)
    return {rel.id: extras_of(rel) for rel in network.relationships(owner, ids, also=EXTRA_PARTS)}


def _note_part(owner_id, member_ids):
    return network.fact_rows(
        PrivateNote.objects.filter(owner_id=owner_id, member_id__among=member_ids),
        "note",
        a="owner_id",
        b="member_id",
        t1="text",
    )


def _tie_part(owner_id, member_ids):
    return network.fact_rows(
        Tie.objects.filter(owner_id=owner_id, other_id__among=member_ids),
        "tie",
        a="owner_id",
        b="other_id",
        n="tags",
        at="last_interaction_at",
        x="score",
        y="scored_on",
    )


# A1, A4's rows about the members asked of `network.queries.relationships` (the owner's notes
# and ties), read in its one statement; `extras_of` reads them back.
EXTRA_PARTS = (_note_part, _tie_part)


@dataclass
class _TieRow:
    """The fields of a Tie that A4's strength reads, from a fact row (no model instance)."""

    score: float
    scored_on: float
    tags: int
    last_interaction_at: datetime | None


def extras_of(rel, *, today: float | None = None) -> dict:
    """A1, A4 for one Relationship read with `EXTRA_PARTS`: no query (its Connection row
    came with it)."""
    connection = rel.connection
    note = rel.facts.get("note")
    tie = rel.facts.get("tie")
    if tie is not None:
        tie = _TieRow(score=tie.x, scored_on=tie.y, tags=tie.n, last_interaction_at=tie.at)
    strength = _strength(rel.id, tie, day_number(clock.now()) if today is None else today)
    return {
        "note": note.t1 if note else "",
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


def every_for(owner, member) -> str:
    """A3: the cadence the owner chose for this member ("" = the default)."""
    pk = getattr(member, "pk", member)
    return (
        Tie.objects.filter(owner=owner, other_id=pk).values_list("every", flat=True).first() or ""
    )


UNSUBSCRIBE_SALT = "relationships.digest.unsubscribe"


def member_of_unsubscribe_token(token: str) -> User | None:
    """The member a digest's link was made for; None when the signature is not ours."""
    try:
        member_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)["id"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return User.objects.filter(pk=member_id).first()
