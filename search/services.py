"""Search's writes: members' and posts' documents, hashtags' counts, the whole index, and
"Not now" on suggestions.

Profiles and feed sit below search, so their services can't call this module: after each
commit that changes what a document holds they enqueue `jobs.search.index_member` or
`jobs.search.index_post` by name (`core.tasks`, inline by default), and `membership` calls
`index_member` after sign-up. `linkwell reindex` rebuilds everything (after a bulk load such
as the demo seed).
"""

from datetime import timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import clock
from core.errors import NotFound
from core.text import fold_label
from feed.models import Hashtag, Post, PostKind, PostTag, Visibility
from network import queries as network
from profiles.models import Education, Position, Skill
from search import fulltext
from search.fulltext import fold
from search.models import (
    DISMISS_DAYS,
    FacetKind,
    HashtagDocument,
    MemberDocument,
    MemberFacet,
    PostDocument,
    SuggestionDismissal,
)

BATCH = 1000
NOT_SUGGESTED = gettext_lazy("That member is not among your suggestions.")


def _members(ids=None):
    members = User.objects.filter(is_active=True).select_related("profile")
    if ids is not None:
        members = members.filter(pk__in=ids)
    return members.prefetch_related("positions", "education", "skills")


def _joined(*parts) -> str:
    return fold(" ".join(p for p in parts if p))


class _Source(NamedTuple):
    """What one member's document is made of, as plain values (a rebuild reads them as rows:
    model objects and a prefetch per member were most of `reindex`'s time)."""

    pk: int
    display_name: str
    username: str
    headline: str
    location: str
    industry: str
    positions: list  # objects with title, company, location, ended_on (the model's order)
    education: list  # with school, degree, field_of_study
    skills: list[str]


class _Position(NamedTuple):
    title: str
    company: str
    location: str
    ended_on: object


class _Education(NamedTuple):
    school: str
    degree: str
    field_of_study: str


def _source_of(member: User) -> _Source:
    profile = member.profile
    return _Source(
        member.pk,
        member.display_name,
        member.username,
        profile.headline,
        profile.location,
        profile.industry,
        list(member.positions.all()),
        list(member.education.all()),
        [s.name for s in member.skills.all()],
    )


def _sources(ids: list[int]) -> list[_Source]:
    """The active members among `ids` as `_Source`s, in four statements for any number."""
    by_member: dict[int, tuple[list, list, list]] = {}
    rows = (
        User.objects.filter(pk__in=ids, is_active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "display_name",
            "username",
            "profile__headline",
            "profile__location",
            "profile__industry",
        )
    )
    members = []
    for pk, name, handle, headline, location, industry in rows:
        by_member[pk] = ([], [], [])
        members.append((pk, name, handle, headline or "", location or "", industry or ""))
    positions = Position.objects.filter(member_id__in=ids).values_list(
        "member_id", "title", "company", "location", "ended_on"
    )
    for member_id, *line in positions:
        if member_id in by_member:
            by_member[member_id][0].append(_Position(*line))
    education = Education.objects.filter(member_id__in=ids).values_list(
        "member_id", "school", "degree", "field_of_study"
    )
    for member_id, *line in education:
        if member_id in by_member:
            by_member[member_id][1].append(_Education(*line))
    for member_id, name in Skill.objects.filter(member_id__in=ids).values_list("member_id", "name"):
        if member_id in by_member:
            by_member[member_id][2].append(name)
    return [_Source(*member, *by_member[member[0]]) for member in members]


def _document(member: _Source) -> tuple[MemberDocument, list[MemberFacet]]:
    """S1 decides the split: `card` holds only what the public card shows."""
    current = [p for p in member.positions if p.ended_on is None]
    past = [p for p in member.positions if p.ended_on is not None]
    document = MemberDocument(
        member_id=member.pk,
        name=_joined(member.display_name, member.username),
        card=_joined(
            member.headline,
            member.location,
            *(f"{p.title} {p.company}" for p in current),
        ),
        rest=_joined(
            member.industry,
            *(f"{p.title} {p.company} {p.location}" for p in past),
            *(f"{e.school} {e.degree} {e.field_of_study}" for e in member.education),
            *member.skills,
        ),
        updated_at=clock.now(),
    )
    values = (
        [(FacetKind.COMPANY, p.company) for p in current]
        + [(FacetKind.PAST_COMPANY, p.company) for p in past]
        + [(FacetKind.SCHOOL, e.school) for e in member.education]
        + [(FacetKind.LOCATION, member.location), (FacetKind.INDUSTRY, member.industry)]
    )
    facets, seen = [], set()
    for kind, label in values:
        value = fold_label(label)
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            facets.append(
                MemberFacet(member_id=member.pk, kind=kind, value=value, label=label[:150])
            )
    return document, facets


@transaction.atomic
def index_member(member_id: int) -> bool:
    """The member's document and facets as their profile now is; a deleted or deactivated
    member's are removed. Idempotent: running it twice leaves the same rows."""
    member = _members([member_id]).first()
    MemberFacet.objects.filter(member_id=member_id).delete()
    if member is None:
        MemberDocument.objects.filter(member_id=member_id).delete()
        return False
    document, facets = _document(_source_of(member))
    MemberDocument.objects.update_or_create(
        member=member,
        defaults={
            "name": document.name,
            "card": document.card,
            "rest": document.rest,
            "updated_at": document.updated_at,
        },
    )
    MemberFacet.objects.bulk_create(facets)
    return True


def reindex(*, batch: int = BATCH, progress=None) -> int:
    """Every active member's document again, in batches of `batch` (one transaction each),
    so the site stays readable during a rebuild. Returns the number of members indexed."""
    with transaction.atomic():
        MemberDocument.objects.all().delete()
        MemberFacet.objects.all().delete()
    ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            documents, facets = [], []
            for source in _sources(ids[start : start + batch]):
                document, member_facets = _document(source)
                documents.append(document)
                facets += member_facets
            MemberDocument.objects.bulk_create(documents)
            MemberFacet.objects.bulk_create(facets)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    fulltext.merge_pending(fulltext.MEMBER_GIN)
    return len(ids)


# --- Posts and hashtags ------------------------------------------------------------------


def _indexed_posts():
    """What post search finds: posts, and reposts with the reposter's own text (a quote).
    Comments are read under their post, plain reposts are their original, news is written
    for each reader at read time (S7): none of them is indexed."""
    return Post.objects.filter(kind__in=[PostKind.POST, PostKind.REPOST], reblog__isnull=True)


def _post_document(post: Post) -> PostDocument:
    return PostDocument(
        post_id=post.pk, author_id=post.author_id, visibility=post.visibility, text=fold(post.text)
    )


@transaction.atomic
def index_post(post_id: int, tag_ids=()) -> bool:
    """The post's document as the post now is (gone when the post is, or is not searched),
    and the counts of its hashtags and of `tag_ids` (the tags it had before an edit or a
    deletion). Idempotent: running it twice leaves the same rows."""
    post = _indexed_posts().filter(pk=post_id).only("id", "author_id", "visibility", "text")
    post = post.first()
    tags = set(int(t) for t in tag_ids)
    tags |= set(PostTag.objects.filter(post_id=post_id).values_list("hashtag_id", flat=True))
    if post is None:
        PostDocument.objects.filter(post_id=post_id).delete()
    else:
        document = _post_document(post)
        PostDocument.objects.update_or_create(
            post_id=post.pk,
            defaults={
                "author_id": document.author_id,
                "visibility": document.visibility,
                "text": document.text,
            },
        )
    count_hashtags(sorted(tags))
    return post is not None


def _public_uses(tag_ids=None) -> dict[int, int]:
    """Posts anyone may see carrying each tag, counted from the rows (F3, P1)."""
    rows = PostTag.objects.filter(post__visibility=Visibility.ANYONE, post__kind=PostKind.POST)
    if tag_ids is not None:
        rows = rows.filter(hashtag_id__in=list(tag_ids))
    counted = rows.order_by().values("hashtag_id").annotate(n=Count("post_id"))
    return {row["hashtag_id"]: row["n"] for row in counted}


@transaction.atomic
def count_hashtags(tag_ids) -> int:
    """Each tag's document with its uses counted again; a tag no `anyone` post carries
    loses its document (a tag written only for connections is never found by searching)."""
    tag_ids = sorted(set(tag_ids))
    if not tag_ids:
        return 0
    uses = _public_uses(tag_ids)
    HashtagDocument.objects.filter(hashtag_id__in=tag_ids).exclude(
        hashtag_id__in=list(uses)
    ).delete()
    for tag in Hashtag.objects.filter(pk__in=list(uses)):
        HashtagDocument.objects.update_or_create(
            hashtag=tag, defaults={"name": fold(tag.key), "uses": uses[tag.pk]}
        )
    return len(uses)


def reindex_posts(*, batch: int = BATCH * 5, progress=None) -> int:
    """Every searchable post's document again, then every hashtag's count, in batches (one
    transaction each). Returns the number of posts indexed."""
    with transaction.atomic():
        PostDocument.objects.all().delete()
        HashtagDocument.objects.all().delete()
    ids = list(_indexed_posts().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            rows = _indexed_posts().filter(pk__in=ids[start : start + batch])
            PostDocument.objects.bulk_create(
                [_post_document(p) for p in rows.only("id", "author_id", "visibility", "text")]
            )
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    with transaction.atomic():
        uses = _public_uses()
        tags = Hashtag.objects.filter(pk__in=list(uses)).only("id", "key")
        HashtagDocument.objects.bulk_create(
            [HashtagDocument(hashtag=t, name=fold(t.key), uses=uses[t.pk]) for t in tags],
            batch_size=BATCH,
        )
    fulltext.merge_pending(fulltext.POST_GIN)
    return len(ids)


@transaction.atomic
def dismiss_suggestion(*, member: User, dismissed_id: int) -> SuggestionDismissal:
    """ "Not now": the member is not suggested again for the window (docs/search.md). A
    second click keeps the first date, unless the window has lapsed and it starts again."""
    if dismissed_id == member.pk:
        raise NotFound(NOT_SUGGESTED)
    network.visible_member(member, pk=dismissed_id)  # B1: blocked answers as unknown
    found, created = SuggestionDismissal.objects.get_or_create(
        member=member, dismissed_id=dismissed_id, defaults={"dismissed_at": clock.now()}
    )
    if not created and found.dismissed_at < clock.now() - timedelta(days=DISMISS_DAYS):
        found.dismissed_at = clock.now()
        found.save(update_fields=["dismissed_at"])
    return found
