"""Issue 17: imports staged until the member confirms them, exports built in the background.

Nothing here is another area's data: an import's rows are what the member uploaded (their
own LinkedIn or Mastodon export), kept as staging rows until they confirm; confirmed changes
go through the owning areas' services (profiles, network). docs/portability.md.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MEMBER = settings.AUTH_USER_MODEL


class ImportKind(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn export")
    MASTODON_FOLLOWING = "mastodon_following", _("Mastodon follows")
    MASTODON_BLOCKS = "mastodon_blocks", _("Mastodon blocks")
    MASTODON_LISTS = "mastodon_lists", _("Mastodon lists")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Import(models.Model):
    """One uploaded file and what became of it: parsed and matched by a job into staging rows,
    then applied only where the member says so (profile fields, invitations, follows)."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=64)  # sha256 of the upload: the same file twice is one
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    profile_applied_at = models.DateTimeField(null=True, blank=True)
    follows_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="import_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="import_state_valid"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="import_progress"),
            models.UniqueConstraint(
                fields=["member", "kind", "digest"], name="import_once_per_file"
            ),
        ]
        indexes = [models.Index(fields=["member", "-id"], name="import_member_recent")]


class Section(models.TextChoices):
    """Which file a staged row came from."""

    PROFILE = "profile", "Profile.csv"
    POSITION = "position", "Positions.csv"
    EDUCATION = "education", "Education.csv"
    SKILL = "skill", "Skills.csv"
    INVITATION = "invitation", "Invitations.csv"
    COMPANY_FOLLOW = "company_follow", "Company Follows.csv"
    MEMBER_FOLLOW = "member_follow", "Member_Follows.csv"
    ACCOUNT = "account", "Mastodon account address"


class StagedRow(models.Model):
    """A row of the upload other than a connection, as read (`data`: the file's columns we
    use). Applied, if ever, by the confirming service."""

    source = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    section = models.CharField(max_length=16, choices=Section.choices)
    line = models.PositiveIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["section", "line"]
        indexes = [models.Index(fields=["source", "section", "line"], name="staged_row_order")]

    @property
    def title(self) -> str:  # Positions.csv's, for the preview
        return self.data.get("Title", "")

    @property
    def company(self) -> str:
        return self.data.get("Company Name", "")


class Strength(models.TextChoices):
    """How sure a match is: a verified address, the LinkedIn address a member gave, or only
    the same name at the same company (a "maybe")."""

    EMAIL = "email", _("Same e-mail address")
    LINKEDIN_URL = "linkedin_url", _("Same LinkedIn profile")
    NAME_COMPANY = "name_company", _("Same name and company (maybe)")


class StagedConnection(models.Model):
    """A line of Connections.csv. `email` is the member's own data (it was in their file) and
    is never shown next to a match (X1); `matched` is who it is here, if anyone."""

    source = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="connections")
    line = models.PositiveIntegerField()
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    url = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True)
    company = models.CharField(max_length=150, blank=True)
    position = models.CharField(max_length=150, blank=True)
    connected_on = models.DateField(null=True, blank=True)
    matched = models.ForeignKey(
        MEMBER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    strength = models.CharField(max_length=12, choices=Strength.choices, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["source", "line"], name="staged_connection_line"),
            models.CheckConstraint(
                condition=models.Q(strength__in=[*Strength.values, ""]),
                name="staged_connection_strength_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "strength", "line"], name="staged_connection_match"),
        ]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class LinkedInAddress(models.Model):
    """The LinkedIn profile address a member chose to give, so people importing their
    LinkedIn connections find them here. Stored as the path's name (`ana-lopez-12`)."""

    member = models.OneToOneField(
        MEMBER, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    slug = models.CharField(max_length=100, unique=True)


class JoinInvitation(models.Model):
    """An e-mail asking a LinkedIn contact with no account here to join. One per address,
    ever, whoever sends it: nobody is mailed twice. The address is kept only as a digest."""

    sender = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    address_digest = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(db_index=True)


class Export(models.Model):
    """ "Download your data": a ZIP built by a job, downloadable by its owner until it lapses."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    size = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="export_state_valid"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="export_progress"),
        ]
        indexes = [models.Index(fields=["member", "-id"], name="export_member_recent")]
