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
