"""G1–G3, F3: company and school pages, their admins and followers, and the links from
members' positions and education to them.

profiles sits below pages and knows nothing of them, so the link from a position or a school
entry to its page is pages' own row, keyed by the position's (or education's) id: deleting
the position deletes the link (cascade), and profiles never imports pages (docs/pages.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

MEMBER = settings.AUTH_USER_MODEL

# A page is a Mastodon account too (docs/pages.md, "Ids"): its account id is this base plus
# its primary key. Member ids (a BigAutoField from 1) stay far below it, and the sum stays
# under 2**53, so JavaScript clients read it exactly.
PAGE_ACCOUNT_BASE = 10**15


class PageKind(models.TextChoices):
    COMPANY = "company", _("Company")
    SCHOOL = "school", _("School")


class SizeBand(models.TextChoices):
    UNKNOWN = "", _("Not given")
    TINY = "1-10", _("1–10 employees")
    SMALL = "11-50", _("11–50 employees")
    MEDIUM = "51-200", _("51–200 employees")
    LARGE = "201-1000", _("201–1,000 employees")
    HUGE = "1001-5000", _("1,001–5,000 employees")
    GIANT = "5001+", _("5,001+ employees")


class Page(models.Model):
    """A company or a school. `claimed` is False for a stub: a name members' positions or
    schools use that nobody has created yet; it has no admin until someone claims it."""

    kind = models.CharField(max_length=8, choices=PageKind.choices)
    name = models.CharField(max_length=150)
    name_key = models.CharField(max_length=150, db_index=True)  # folded name, for matching
    slug = models.SlugField(max_length=100)
    logo = models.ImageField(upload_to="pages/logos/", blank=True)
    cover = models.ImageField(upload_to="pages/covers/", blank=True)
    tagline = models.CharField(max_length=120, blank=True)
    about = models.TextField(max_length=2000, blank=True)
    website = models.URLField(max_length=200, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    size_band = models.CharField(
        max_length=10, choices=SizeBand.choices, default=SizeBand.UNKNOWN, blank=True
    )
    headquarters = models.CharField(max_length=100, blank=True)
    locations = models.TextField(max_length=1000, blank=True)  # one a line
    claimed = models.BooleanField(default=True)
    followers_count = models.IntegerField(default=0)  # kept by pages.services (F3)
    posts_count = models.IntegerField(default=0)  # kept by feed.services
    last_post_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="page_slug_unique_ci"),
            models.CheckConstraint(condition=Q(kind__in=PageKind.values), name="page_kind_valid"),
            models.CheckConstraint(
                condition=Q(size_band__in=SizeBand.values), name="page_size_band_valid"
            ),
            models.CheckConstraint(
                condition=Q(followers_count__gte=0) & Q(posts_count__gte=0),
                name="page_counts_not_negative",
            ),
            # One stub per name and kind, so two members naming "Hazelmark" at once make one.
            models.UniqueConstraint(
                fields=["kind", "name_key"],
                condition=Q(claimed=False),
                name="page_one_stub_per_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def account_id(self) -> int:
        return PAGE_ACCOUNT_BASE + self.pk

    @property
    def path(self) -> str:
        return f"/{self.kind}/{self.slug}/"

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    @property
    def location_list(self) -> list[str]:
        return [line.strip() for line in self.locations.splitlines() if line.strip()]


class PageAdmin(models.Model):
    """G1: who may edit the page and post in its name; never none once claimed."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="admins")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="page_roles")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "member"], name="page_admin_unique"),
        ]
        indexes = [models.Index(fields=["member", "page"], name="page_admin_member")]


class PageFollow(models.Model):
    """F3, G2: following a page needs no approval."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="page_follows")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "member"], name="page_follow_unique"),
        ]
        indexes = [
            models.Index(fields=["member", "page"], name="page_follow_member"),
            models.Index(fields=["page", "created_at"], name="page_follow_since"),
        ]


class PositionPage(models.Model):
    """G3: a position's page, keyed by the position (profiles owns the position, pages the
    link). `member_id` is copied from the position, so "who is linked here" is one index
    range; whether they work here now is the position's `ended_on`."""

    position = models.OneToOneField(
        "profiles.Position", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["page", "member"], name="position_page_members")]


class EducationPage(models.Model):
    """G3: a school entry's page, keyed by the education row (the alumni tool's base)."""

    education = models.OneToOneField(
        "profiles.Education", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="alumni")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["page", "member"], name="education_page_members")]


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a site administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class PageClaim(models.Model):
    """A member's claim on a stub: approved at once when their confirmed e-mail address is at
    the page's website domain, otherwise it waits for a site administrator (Django admin)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="claims")
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="page_claims")
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "member"],
                condition=Q(status="pending"),
                name="page_claim_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="page_claim_status_valid"
            ),
        ]
