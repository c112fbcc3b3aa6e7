"""Search's writes: a member's document and facets, the whole index, "Not now" on suggestions.

Profiles sits below search, so the profile services can't call this module: after each
commit that changes what a document holds they enqueue `jobs.search.index_member` by name
(`core.tasks`, inline by default), and `membership` calls `index_member` after sign-up.
`linkwell reindex` rebuilds everything (after a bulk load such as the demo seed).
"""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import clock
from core.errors import NotFound
from network import queries as network
from search.fulltext import fold
from search.models import DISMISS_DAYS, FacetKind, MemberDocument, MemberFacet, SuggestionDismissal

BATCH = 1000
NOT_SUGGESTED = gettext_lazy("That member is not among your suggestions.")


def _members(ids=None):
    members = User.objects.filter(is_active=True).select_related("profile")
    if ids is not None:
        members = members.filter(pk__in=ids)
    return members.prefetch_related("positions", "education", "skills")


def _joined(*parts) -> str:
    return fold(" ".join(p for p in parts if p))


def _document(member: User) -> tuple[MemberDocument, list[MemberFacet]]:
    """S1 decides the split: `card` holds only what the public card shows."""
    profile = member.profile
    positions = list(member.positions.all())
    current = [p for p in positions if p.ended_on is None]
    past = [p for p in positions if p.ended_on is not None]
    education = list(member.education.all())
    document = MemberDocument(
        member=member,
        name=_joined(member.display_name, member.username),
        card=_joined(
            profile.headline,
            profile.location,
            *(f"{p.title} {p.company}" for p in current),
        ),
        rest=_joined(
            profile.industry,
            *(f"{p.title} {p.company} {p.location}" for p in past),
            *(f"{e.school} {e.degree} {e.field_of_study}" for e in education),
            *(s.name for s in member.skills.all()),
        ),
        updated_at=clock.now(),
    )
    values = (
        [(FacetKind.COMPANY, p.company) for p in current]
        + [(FacetKind.PAST_COMPANY, p.company) for p in past]
        + [(FacetKind.SCHOOL, e.school) for e in education]
        + [(FacetKind.LOCATION, profile.location), (FacetKind.INDUSTRY, profile.industry)]
    )
    facets, seen = [], set()
    for kind, label in values:
        value = fold(" ".join(label.split()))
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            facets.append(MemberFacet(member=member, kind=kind, value=value, label=label[:150]))
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
    document, facets = _document(member)
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
            for member in _members(ids[start : start + batch]):
                document, member_facets = _document(member)
                documents.append(document)
                facets += member_facets
            MemberDocument.objects.bulk_create(documents)
            MemberFacet.objects.bulk_create(facets)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
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
