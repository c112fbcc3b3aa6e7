"""What search reads: one document per member, the facets its filters match, dismissals.

The document's columns are folded text (no accents, case folded: `search.fulltext.fold`);
each database indexes them with its own machinery (migration 0002, docs/search.md).
"""

from django.conf import settings
from django.db import models


class MemberDocument(models.Model):
    """A member as search sees them, rebuilt by `search.services.index_member` after every
    write that changes what it holds. `name` and `card` are S1's public card (what a
    signed-out reader may search); `rest` is the rest of the profile."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    name = models.CharField(max_length=400)  # display name and handle
    card = models.TextField(blank=True)  # headline, location, current titles and companies
    rest = models.TextField(blank=True)  # industry, past positions, schools, skills
    updated_at = models.DateTimeField()


class FacetKind(models.TextChoices):
    COMPANY = "company", "Current company"
    PAST_COMPANY = "past_company", "Past company"
    SCHOOL = "school", "School"
    LOCATION = "location", "Location"
    INDUSTRY = "industry", "Industry"


# S1: what the public card shows may be filtered on by a signed-out reader; the rest not.
PUBLIC_FACETS = (FacetKind.COMPANY, FacetKind.LOCATION)


class MemberFacet(models.Model):
    """One filterable value of a member (folded), e.g. (company, "hazelmark"): the filters
    and "Also worked at Hazelmark" read these, by index, on both databases."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=FacetKind.choices)
    value = models.CharField(max_length=150)
    label = models.CharField(max_length=150)  # as the member wrote it, for reasons

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "member"], name="search_facet_unique_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FacetKind.values), name="search_facet_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["member", "kind"])]


DISMISS_DAYS = 90


class SuggestionDismissal(models.Model):
    """ "Not now" on a suggestion: not suggested again for DISMISS_DAYS (docs/search.md)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "dismissed"], name="search_dismissal_one_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("dismissed")), name="search_dismissal_not_self"
            ),
        ]


class PostDocument(models.Model):
    """A post as search sees it (P1): its folded text and what the SQL needs to leave out
    what the viewer may not open (visibility, author), rebuilt by
    `search.services.index_post` after every write that changes it. Posts and reposts with
    the reposter's own text are indexed; comments, plain reposts and news are not."""

    post = models.OneToOneField(
        "feed.Post", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    visibility = models.CharField(max_length=12)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["author", "post"], name="search_postdoc_author")]


class HashtagDocument(models.Model):
    """A hashtag as search sees it (F3): its folded name and `uses`, the posts anyone may
    see that carry it, counted from the rows. A tag no `anyone` post carries has no row, so
    searching never reveals a tag written only in posts for connections."""

    hashtag = models.OneToOneField(
        "feed.Hashtag", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    uses = models.IntegerField()

    class Meta:
        indexes = [
            # a prefix (LIKE 'py%') is an index range on PostgreSQL whatever the collation
            models.Index(
                fields=["name"], name="search_tagdoc_name", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["-uses", "name"], name="search_tagdoc_uses"),
        ]
